"""The lexicon file: extendable by users, script-blind, and a broken one names itself."""

import shutil

import pytest

from bot.config import DEFAULT_CONFIG_DIR, ConfigError
from bot.corpus.stance import judge_text, load_lexicon


@pytest.fixture
def config(tmp_path):
    shutil.copy(DEFAULT_CONFIG_DIR / "stance.yaml", tmp_path / "stance.yaml")
    return tmp_path


def test_a_further_lexicon_file_extends_the_words(config):
    text = "开源模型的表现令人叹为观止。"
    assert judge_text(text, load_lexicon(config)).stance is None
    (config / "stance_more.yaml").write_text("words:\n  positive: [{叹为观止: 1.5}]\n", encoding="utf-8")
    assert judge_text(text, load_lexicon(config)).stance == "open"


def test_words_written_in_traditional_match_simplified_text(config):
    (config / "stance_more.yaml").write_text("words:\n  negative: [{華而不實: 1.5}]\n", encoding="utf-8")
    assert judge_text("闭源模型华而不实。", load_lexicon(config)).stance == "open"


def test_topic_words_fold_script_case_and_width(config):
    lexicon = load_lexicon(config)
    assert [lexicon.topic_stance(t) for t in ("開源", "Open Source", "ＰＲＯＰＲＩＥＴＡＲＹ", "Meta")] == ["open", "open", "closed", None]


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ("words:\n  feelings: [好]\n", "unknown word category 'feelings'"),
        ("words:\n  positive: [{好: high}]\n", "bad entry under 'positive'"),
        ("words:\n  target: [开源]\n", "'target' must map open: and closed:"),
    ],
)
def test_a_broken_extension_names_the_file_and_the_problem(config, extra, words):
    (config / "stance_broken.yaml").write_text(extra, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_lexicon(config)
    assert "stance_broken.yaml" in str(error.value) and words in str(error.value)


def test_a_missing_lexicon_or_bad_thresholds_name_the_file(tmp_path, config):
    with pytest.raises(ConfigError, match="stance.yaml"):
        load_lexicon(tmp_path / "nowhere")
    text = (config / "stance.yaml").read_text(encoding="utf-8").replace("thresholds:\n", "thresholds:\n  loudness: 3\n")
    (config / "stance.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="bad thresholds"):
        load_lexicon(config)


def test_a_broken_lexicon_is_a_load_problem_and_the_library_still_loads(tmp_path):
    from bot.corpus.loader import load_corpus

    seeds, config = tmp_path / "seeds", tmp_path / "config"
    seeds.mkdir()
    config.mkdir()
    (seeds / "a.txt").write_text("开源终将赢到最后。\n", encoding="utf-8")
    (config / "stance.yaml").write_text("words: [oops]\n", encoding="utf-8")
    corpus = load_corpus(seeds, config)
    assert corpus.passages and corpus.passages[0].stance is None
    assert any("stance.yaml" in p for p in corpus.problems)
