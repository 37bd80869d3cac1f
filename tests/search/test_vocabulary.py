from __future__ import annotations

import pytest

from bot.config import ConfigError
from bot.search.vocabulary import Vocabulary, english_key, load_glossary

from .conftest import make_corpus


def test_glossary_loads_and_folds_terms(config_dir, corpus):
    vocabulary = Vocabulary.load(config_dir, corpus)
    assert vocabulary.glossary_size == 6
    assert vocabulary.concepts_for(english_key("open-source")) == ("开源",)
    assert vocabulary.concepts_for(english_key("IQ taxes")) == ("智商税",)
    assert "护城河" in vocabulary.domain_words and "大模型" in vocabulary.domain_words


def test_missing_glossary_is_an_empty_glossary(tmp_path):
    vocabulary = Vocabulary.load(tmp_path, make_corpus())
    assert vocabulary.glossary_size == 0


def test_bad_yaml_names_file_and_line(tmp_path):
    path = tmp_path / "glossary.yaml"
    path.write_text("terms:\n  open source: [开源\n  moat: 护城河\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        Vocabulary.load(tmp_path, make_corpus())
    assert caught.value.path.endswith("glossary.yaml") and caught.value.line is not None


def test_malformed_entry_names_its_line(tmp_path):
    path = tmp_path / "glossary.yaml"
    path.write_text("terms:\n  open source: 开源\n  moat: 42\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_glossary(path)
    assert caught.value.line == 3 and "moat" in str(caught.value)


def test_unknown_section_is_rejected(tmp_path):
    path = tmp_path / "glossary.yaml"
    path.write_text("term:\n  moat: 护城河\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_glossary(path)


def test_speaker_names_in_any_script_or_english(vocabulary):
    for query in ["Robin Li 怎么看", "李彥宏", "李彦宏的观点", "robin li"]:
        hits = vocabulary.speaker_names(query)
        assert [h.canonical for h in hits] == ["李彥宏"]
        assert "李彦宏" in hits[0].spellings
    assert [h.canonical for h in vocabulary.speaker_names("Zuckerberg said")] == ["扎克伯格"]
    assert vocabulary.speaker_names("Linux") == []
