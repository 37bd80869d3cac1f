"""`bot speakers` and `bot corpus --check`: what attribution understood, and what it could not attribute."""

from __future__ import annotations

import json

from bot.cli import main
from bot.corpus.loader import load_corpus
from bot.corpus.speaker_report import format_rows, speaker_rows, unattributed_quotations

ARTICLE = """星河智能发布会

星河智能创始人苏婉清表示：“我们会把训练框架完全开源。”

会场外，有人举着牌子。“这是一个值得讨论的问题，但没有人回答。”

记者：开源之后怎么赚钱？

苏婉清：靠服务，也靠社区。
"""


def corpus_of(make_library_dir):
    seeds, config = make_library_dir({"a.txt": ARTICLE})
    return load_corpus(seeds, config), seeds, config


def test_speakers_with_counts_forms_and_guesses(make_library_dir):
    corpus, _, _ = corpus_of(make_library_dir)
    rows = {r.name: r for r in speaker_rows(corpus)}
    assert rows["苏婉清"].passages == 2
    assert set(rows["苏婉清"].forms) == {"verb", "turn"}
    assert not rows["苏婉清"].listed and not rows["苏婉清"].guessed
    assert "苏婉清" in format_rows(list(rows.values()))


def test_quotations_without_a_speaker(make_library_dir):
    corpus, _, _ = corpus_of(make_library_dir)
    assert [p.text[:5] for p in unattributed_quotations(corpus)] == ["会场外，有"]


def test_the_cli_commands(make_library_dir, monkeypatch, capsys):
    _, seeds, config = corpus_of(make_library_dir)
    monkeypatch.setenv("BOT_SEEDS", str(seeds))
    monkeypatch.setenv("BOT_CONFIG", str(config))
    monkeypatch.setenv("BOT_CACHE_DIR", "off")
    assert main(["speakers", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["speaker"] == "苏婉清" and rows[0]["passages"] == 2
    main(["corpus", "--check"])
    assert "quotation passages without a speaker: 1" in capsys.readouterr().out


def test_a_broken_lexicon_is_reported_and_the_bundled_one_reads(make_library_dir):
    seeds, config = make_library_dir({"a.txt": ARTICLE}, {"attribution.yaml": "speech_verbs: [说\n"})
    corpus = load_corpus(seeds, config)
    assert any("attribution.yaml" in p for p in corpus.problems)
    assert any(q.speaker == "苏婉清" for p in corpus.passages for q in p.quotations)


def test_a_user_word_extends_the_lexicon(make_library_dir):
    from bot.config import DEFAULT_CONFIG_DIR

    text = "星河智能创始人苏婉清嘟囔道，开源会赢。\n"
    bundled = (DEFAULT_CONFIG_DIR / "attribution.yaml").read_text(encoding="utf-8")
    seeds, config = make_library_dir({"a.txt": text}, {"attribution.yaml": bundled})
    assert all(p.quotations == () for p in load_corpus(seeds, config).passages)
    extended = bundled.replace("speech_verbs: [", "speech_verbs: [嘟囔道, ")
    (config / "attribution.yaml").write_text(extended, encoding="utf-8")
    (passage,) = load_corpus(seeds, config).passages
    assert [q.speaker for q in passage.quotations] == ["苏婉清"]
