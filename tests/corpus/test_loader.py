"""Loading: every document that can load does; every one that can't is named in one clear line."""

import json

from bot.cli import main
from bot.corpus.loader import load_corpus

GOOD = "标题在此\n\n张三表示，“开源让每个人受益。”\n\n这是作者的叙述。\n"
META = "documents:\n  good:\n    title: 好文章\n    author: 李四\n    script: Simplified\n"


def test_a_good_document_loads_with_its_metadata(make_library_dir):
    seeds, config = make_library_dir({"good.txt": GOOD}, {"corpus.yaml": META})
    corpus = load_corpus(seeds, config)
    assert corpus.problems == ()
    (document,) = corpus.documents
    assert document.source.title == "好文章"
    assert [p.id for p in document.passages] == ["good:0", "good:1"]
    assert document.headings == ("标题在此",)


def test_a_document_without_metadata_loads_with_unknown_source(make_library_dir):
    seeds, config = make_library_dir({"other.md": GOOD})
    (document,) = load_corpus(seeds, config).documents
    assert document.doc_id == "other"
    assert document.source.title is None and document.source.author is None


def test_bad_files_are_named_and_the_rest_still_load(make_library_dir):
    seeds, config = make_library_dir(
        {
            "good.txt": GOOD,
            "empty.txt": "",
            "latin1.txt": "caf\xe9 ol\xe9".encode("latin-1"),
            "binary.txt": b"\x00\x01\x02PK\x03\x04",
        }
    )
    corpus = load_corpus(seeds, config)
    assert [d.doc_id for d in corpus.documents] == ["good"]
    problems = "\n".join(corpus.problems)
    assert "empty.txt: empty file" in problems
    assert "latin1.txt: not UTF-8" in problems
    assert "binary.txt: binary file" in problems


def test_broken_yaml_is_reported_with_file_and_line(make_library_dir):
    seeds, config = make_library_dir({"good.txt": GOOD}, {"corpus.yaml": "documents:\n  good: [unclosed\n"})
    corpus = load_corpus(seeds, config)
    assert [d.doc_id for d in corpus.documents] == ["good"]
    (problem,) = corpus.problems
    assert "corpus.yaml:" in problem and "invalid YAML" in problem


def test_what_users_see_is_the_articles_own_punctuation(bundled_corpus):
    traditional = bundled_corpus.document("000_de9d05bb3827361c")
    assert any("," in p.text for p in traditional.passages)  # ASCII commas as the article has them


def test_corpus_command_lists_every_passage_as_json_lines(capsys, monkeypatch, make_library_dir):
    seeds, config = make_library_dir({"good.txt": GOOD})
    monkeypatch.setenv("BOT_SEEDS", str(seeds))
    assert main(["corpus", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["passage_id"] for r in rows] == ["good:0", "good:1"]
    assert {"passage_id", "doc_id", "text", "speaker"} <= set(rows[0])


def test_corpus_check_fails_on_a_bad_document(capsys, monkeypatch, make_library_dir):
    seeds, _ = make_library_dir({"good.txt": GOOD, "bad.txt": b"\xff\xfe\x00"})
    monkeypatch.setenv("BOT_SEEDS", str(seeds))
    assert main(["corpus", "--check"]) == 1
    out = capsys.readouterr().out
    assert "ok good" in out and "problem:" in out and "bad.txt" in out


def test_corpus_check_passes_on_the_bundled_seeds(capsys, monkeypatch):
    monkeypatch.delenv("BOT_SEEDS", raising=False)
    assert main(["corpus", "--check"]) == 0
    assert capsys.readouterr().out.count("ok ") == 5
