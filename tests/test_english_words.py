"""English words a reader types reach the Chinese passages: names of firms and products in either
script, ideas from English commentary, and phrases matched whole before their words.

The little library here is invented for the test; the glossary is the real config/glossary.yaml.
"""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.search.english import PhraseSource, find_phrases
from tests.conftest import REPO

ARTICLES = {
    "chips_simplified.txt": "芯片之争\n\n一位匿名工程师说，英伟达的芯片仍然是训练的首选，“没有它我们什么也做不了。”\n",
    "chips_traditional.txt": "晶片短缺\n\n供應商表示，輝達的新一代晶片在市場上供不應求，交貨要等半年。\n",
    "courses.txt": "付费课程\n\n有评论员把昂贵的付费课程称为一种智商税，认为消费者买到的只是焦虑。\n",
    "business.txt": (
        "订阅生意\n\n这家公司的商业模式建立在企业订阅之上，续费率决定了一切。\n\n"
        "另一段里，商业伙伴的合作带来了新的模型版本，但两件事并无关系。\n"
    ),
    "labs.txt": (
        "实验室动态\n\n月之暗面发布了新的长文本产品，据称能一次读完一本小说。\n\n"
        "抱抱脸上的下载量说明了开发者的热情。\n\n"
        "通义千问的新版本被许多初创公司采用，成本因此下降。\n\n"
        "智谱的团队则把重点放在了企业客户上。\n"
    ),
}

QUERIES = [
    ("Nvidia", ("英伟达", "輝達")),  # either article: both name the firm once
    ("nvidia chips", "英伟达"),
    ("intelligence tax", "智商税"),
    ("business model", "商业模式"),
    ("Moonshot", "月之暗面"),
    ("Hugging Face", "抱抱脸"),
    ("Qwen", "通义千问"),
    ("Zhipu enterprise customers", "智谱"),
]


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    from bot.search.library import Library

    seeds = tmp_path_factory.mktemp("english_seeds")
    for name, text in ARTICLES.items():
        (seeds / name).write_text(text, encoding="utf-8")
    settings = Settings.load(REPO / "config", seeds, None)
    return Library.load(settings), settings


def first_results(library, query: str, limit: int = 3) -> list[dict]:
    from bot.commands.dispatch import ask

    lib, settings = library
    return ask(f"/quote {query}", lib, settings, limit=limit).as_json(limit)["results"]


@pytest.mark.parametrize(("query", "expected"), QUERIES)
def test_an_english_query_finds_the_chinese_passage(library, query, expected):
    results = first_results(library, query)
    assert results, query
    expected = (expected,) if isinstance(expected, str) else expected
    assert any(word in results[0]["text"] for word in expected)


def test_a_name_reaches_both_scripts(library):
    texts = [r["text"] for r in first_results(library, "Nvidia", limit=5)]
    assert any("英伟达" in t for t in texts) and any("輝達" in t for t in texts)


def test_a_phrase_is_one_concept_not_its_words(library):
    """'closed source commercial model' holds two ideas (闭源, 商业模式), not four words."""
    lib, _ = library
    concepts = lib.index.plan("closed source commercial model").concepts
    assert [c.alternatives[0] for c in concepts] == ["闭源", "商业模式"]


def words_of(glossary: dict, dictionary: dict, text: str) -> list[tuple[str, str, tuple[str, ...]]]:
    words = text.split()
    used = [False] * len(words)
    sources = (
        PhraseSource("glossary", lambda key: glossary.get(key, ())),
        PhraseSource("dictionary", lambda key: dictionary.get(key, ()), min_words=2),
    )
    return [
        (" ".join(words[m.start:m.start + m.size]), m.kind, m.translations)
        for m in find_phrases(words, used, sources, max_words=5)
    ]


def test_phrases_are_found_longest_first_across_every_source():
    glossary = {("clos", "sourc"): ("闭源",), ("commercial",): ("商业",), ("model",): ("模型",)}
    dictionary = {("commercial", "model"): ("商业模式",)}
    found = words_of(glossary, dictionary, "closed source commercial model")
    assert found == [
        ("closed source", "glossary", ("闭源",)),
        ("commercial model", "dictionary", ("商业模式",)),
    ]


def test_at_one_length_the_first_source_wins_and_single_words_wait_their_turn():
    glossary = {("open", "sourc"): ("开源",), ("open",): ("开放",)}
    dictionary = {("open", "sourc"): ("开放源码",), ("sourc",): ("来源",)}
    assert words_of(glossary, dictionary, "open source") == [("open source", "glossary", ("开源",))]
    # the dictionary answers only phrases here (min_words=2): a lone word it knows is left for later
    assert words_of(glossary, dictionary, "source") == []


def test_stop_words_and_used_words_are_not_phrases():
    glossary = {("the",): ("这",), ("moat",): ("护城河",)}
    words = ["the", "moat"]
    used = [False, False]
    found = list(find_phrases(words, used, (PhraseSource("glossary", lambda k: glossary.get(k, ())),), 5))
    assert [(m.start, m.translations) for m in found] == [(1, ("护城河",))]
    assert used == [False, True]
