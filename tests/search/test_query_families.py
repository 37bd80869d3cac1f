"""Queries as people type them on articles nobody tuned for (session 7), one family per test:
a Chinese name typed in pinyin beside a topic word, figures typed in English or digits, the
Taiwan/Hong Kong word for a thing, an acronym's plural, a real English word that is not a typo
of a library word, a pinyin query holding a syllable that is also a glossary key.

Each test builds its own small library (invented people and firms) in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.search.english import chinese_numeral, read_number, stem
from bot.search.index import Index
from bot.search.vocabulary import Vocabulary
from tests.search.conftest import make_corpus

GLOSSARY = """\
terms:
  data: [数据, 资料]
  server: [服务器, 伺服器]
  gpu: [显卡, 卡]
  interview: [访谈, 采访]
  fallback: [兜底, 备用]
  yuan: [元]
"""


def build(tmp_path, texts: dict[str, list[str]], glossary: str = GLOSSARY) -> Index:
    (tmp_path / "glossary.yaml").write_text(glossary, encoding="utf-8")
    corpus = make_corpus(texts, speakers=())
    return Index.build(corpus, Vocabulary.load(tmp_path, corpus, use_dictionary=False))


def first(index: Index, query: str) -> str:
    matches = index.search(query, limit=3)
    assert matches, f"no match for {query!r}"
    return matches[0].passage.text


PODCAST = {
    "pod": [
        "主播邝一帆、申晓默今天请来了推理框架的维护者。",
        "申晓默：我们公司去年选推理框架的时候，最后挑了一个商业引擎。",
        "邝一帆：我们公司去年选推理框架的时候，用的是开源的那个。",
        "柏远航说，推理框架的文档比代码更难写。",
        "Translated by Angela Shen and Tom Kuang; edited by the show.",  # shen, kuang: Latin words of the library
    ],
}


def test_a_name_typed_in_pinyin_beside_a_topic_word_finds_that_persons_passage(tmp_path):
    index = build(tmp_path, PODCAST)
    assert first(index, "Shen Xiaomo 推理框架 商业").startswith("申晓默：")
    assert first(index, "Kuang Yifan 推理框架 开源").startswith("邝一帆：")
    assert first(index, "Xiaomo Shen 商业引擎").startswith("申晓默：")  # given name first, as in English


def test_a_pinyin_name_is_read_by_sound_not_as_a_typo_of_another_latin_word(tmp_path):
    texts = {"a": ["晶芯公司董事长高明泽说，芯片上跑什么由客户决定。 Gao Mingze told reporters so.",
                   "岚图公司创始人龚明哲说，工厂的老师傅不会相信黑盒子。"]}
    index = build(tmp_path, texts)
    assert first(index, "Gong Mingzhe 黑盒子").startswith("岚图")  # not "Mingze", one letter away
    plan = index.plan("Gong Mingzhe 黑盒子")
    assert not any("mingze" in c.alternatives for c in plan.concepts)


def test_english_words_that_are_also_pinyin_syllables_stay_english_when_no_name_reads_so(tmp_path):
    index = build(tmp_path, PODCAST)
    plan = index.plan("long fallback 推理框架")
    assert not any(c.kind == "pinyin" for c in plan.concepts)


def test_a_real_english_word_is_not_corrected_into_a_library_word_of_another_first_letter(tmp_path):
    texts = {"a": ["A fight over sounds broke out in the forum.", "团队有八个人。"]}
    index = build(tmp_path, texts)
    terms = index.terms("eight rounds")
    assert "fight" not in terms and "sounds" not in terms
    assert "kubernetes" in build(tmp_path, {"b": ["服务迁到了Kubernetes上。"]}).terms("Kubernets")


@pytest.mark.parametrize("words, value, numeral", [
    (["forty", "eight", "thousand"], 48_000, "四万八千"),
    (["three", "hundred", "days"], 300, "三百"),
    (["100k"], 100_000, "十万"),
    (["5", "million"], 5_000_000, "五百万"),
    (["twelve"], 12, "十二"),
    (["1905"], 1905, "一千九百零五"),
])
def test_english_figures_read_as_chinese_numerals(words, value, numeral):
    assert read_number(words, 0)[0] == value
    assert chinese_numeral(value) == numeral


def test_a_figure_typed_in_english_finds_the_passage_that_writes_it_in_chinese(tmp_path):
    texts = {"a": ["这个框架在代码平台上累计获得约三千个星标。",
                   "这个框架在代码平台上累计获得约四万八千个星标。",
                   "等你的用户过了一千，一张卡还是够用的。",
                   "等你的用户过了十万，一张卡就扛不住了。"]}
    index = build(tmp_path, texts)
    assert "四万八千" in first(index, "forty-eight thousand 星标")
    assert "十万" in first(index, "100k users 卡")


def test_the_shipped_glossary_answers_english_with_taiwan_words_folding_leaves_apart():
    """Folding turns 資料, 伺服器 into 数据, 服务器; 品質, 資安, 維運 stay Taiwan words and need entries."""
    corpus = make_corpus({"a": ["他說，伺服器的維運和資安全部由研究室自己負責。", "他说，今天的天气很好。"]}, speakers=())
    index = Index.build(corpus, Vocabulary.load(Path("config"), corpus, use_dictionary=False))
    assert first(index, "server operations").startswith("他說")
    assert first(index, "information security").startswith("他說")
    glossary = index.lexicon.vocabulary.glossary
    for english, regional in [("quality", "品质"), ("inference", "推论"), ("operations", "维运"), ("laptop", "笔电")]:
        assert regional in glossary[tuple(stem(w) for w in english.split())], english


def test_an_acronyms_plural_meets_its_glossary_key():
    assert stem("gpus") == stem("gpu") and stem("apis") == stem("api")
    assert stem("status") == "status" and stem("analysis") == "analysis" and stem("less") == "less"


def test_a_pinyin_query_drops_an_english_reading_of_one_of_its_syllables(tmp_path):
    texts = {"a": ["芯片卖进了边缘装置，工程师做得比谁都细。", "这台设备卖一千元。"]}
    index = build(tmp_path, texts)
    plan = index.plan("bian yuan zhuang zhi gong cheng shi")
    assert plan.pinyin and not any(c.kind == "glossary" for c in plan.concepts)
    assert "边缘装置" in first(index, "bian yuan zhuang zhi gong cheng shi")


@pytest.mark.skipif(not __import__("bot.search.cedict", fromlist=["available"]).available(), reason="no CC-CEDICT")
def test_an_everyday_english_word_weighs_what_its_translation_weighs_not_how_rare_english_is(tmp_path):
    """In a library of Chinese passages and one English one, `keep` is rare as a Latin word only
    because English is rare: it must not outweigh the word the query is about."""
    texts = {"en": ["We keep our own servers and start small."],
             "zh": ["我们保留了自己的服务器，护城河就在这里。", "今天天气很好。", "明天继续开会。", "保留意见的人不多。"]}
    (tmp_path / "glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    corpus = make_corpus(texts, speakers=())
    index = Index.build(corpus, Vocabulary.load(tmp_path, corpus))
    plan = index.plan("keep 护城河")
    keep = next(c for c in plan.concepts if c.alternatives[0] == "keep")
    moat = next(c for c in plan.concepts if c.alternatives[0] == "护城河")
    assert "保留" in keep.alternatives and keep.weight <= moat.weight
    assert first(index, "keep 护城河").startswith("我们保留")
    assert not any(c.alternatives[0] in ("if", "one") for c in index.plan("if one server").concepts)
