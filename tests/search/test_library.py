"""End to end on the bundled seeds and config, with queries of our own (not the evaluation set's)."""

from __future__ import annotations

import pytest

from bot.search.library import Library


@pytest.fixture(scope="module")
def library(bundled_library) -> Library:
    return bundled_library  # tests/conftest.py: Library.load(Settings.load()), once per session


def first(library: Library, query: str):
    matches = library.index.search(query, limit=3)
    assert matches, f"nothing for {query!r}"
    return matches[0].passage


def test_glossary_is_loaded(library):
    assert library.vocabulary.glossary_size >= 300


def test_simplified_query_finds_traditional_passage(library):
    passage = first(library, "微软是开源技术的一大贡献者")
    assert passage.doc_id.startswith("000") and "微軟是開源技術的一大貢獻者" in passage.text


def test_english_typo_and_pinyin(library):
    assert "Kubernetes" in first(library, "Kubernets").text
    assert "護城河" in first(library, "huchenghe").text


def test_english_concepts_reach_chinese_text(library):
    assert "风险投资" in first(library, "venture capital donations").text


def test_homophone_typo(library):
    assert "提升品牌声誉和开发者信任" in first(library, "提升品牌声誊和开发者信任").text


def test_speaker_alias_in_english(library):
    passage = first(library, "Linus Torvalds Git")
    assert "林納斯" in passage.text or "Torvalds" in passage.text
