"""English queries over Chinese articles nobody tuned for (session 8), one family per test: how
much a concept weighs when one of its words is common, an hour typed as ``3 a.m.``, the everyday
words an article writes in one character, a short English word the library also holds.

Each test builds its own small library (invented people and firms) in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.search.index import Index
from bot.search.terms import word_term
from bot.search.vocabulary import Vocabulary
from tests.search.conftest import make_corpus

GLOSSARY = """\
terms:
  open source: [开源, 开放源码]
  audit: [审计]
  fix: [修复, 修]
  server: [服务器]
  model: [模型]
  service: [服务]
"""


def build(tmp_path, texts: dict[str, list[str]], glossary: str = GLOSSARY, dictionary=None) -> Index:
    (tmp_path / "glossary.yaml").write_text(glossary, encoding="utf-8")
    corpus = make_corpus(texts, speakers=())
    vocabulary = Vocabulary.load(tmp_path, corpus, use_dictionary=False)
    if dictionary:
        vocabulary = vocabulary.with_dictionary(dictionary)
    return Index.build(corpus, vocabulary)


def first(index: Index, query: str) -> str:
    matches = index.search(query, limit=3)
    assert matches, f"no match for {query!r}"
    return matches[0].passage.text


def concept_of(index: Index, query: str, word: str):
    return next(c for c in index.plan(query).concepts if word in c.alternatives)


OPEN_SOURCE = {
    "a": ["开源社区每天都有新项目。", "开源模型越来越多。", "开源许可证有很多种。", "他们也做开源。",
          "早年人们说开放源码。", "这次审计发现了三个问题。", "开源项目很多，大家都在用。"],
}


def test_a_concept_most_passages_hold_weighs_little_though_one_of_its_synonyms_is_rare(tmp_path):
    """开源 is in most passages; its rare synonym 开放源码 must not make `open source` weigh as
    much as `audit`, which one passage holds: else any passage saying 开源 ties the one the user means."""
    index = build(tmp_path, OPEN_SOURCE)
    assert concept_of(index, "open source audit", "开源").weight < concept_of(index, "open source audit", "审计").weight / 2
    assert first(index, "open source audit").startswith("这次审计")


def test_an_hour_typed_with_am_is_the_hour_not_the_letter_m(tmp_path):
    texts = {"zh": ["半夜三点服务器宕机了，没人起来修。", "服务器一共有三台。"],
                "en": ["Model M shipped. I'm told the m stands for mini."]}
    index = build(tmp_path, texts)
    for query in ("who fixes the server at 3 a.m.", "who fixes the server at 3am"):
        plan = index.plan(query)
        assert not any(c.alternatives == ("m",) or "m" in c.alternatives for c in plan.concepts), query
        assert any("三点" in c.alternatives for c in plan.concepts), query
        assert first(index, query).startswith("半夜三点"), query


def test_a_one_character_glossary_word_is_found_and_stays_out_of_the_segmenters_dictionary(tmp_path):
    texts = {"a": ["半夜模型崩了，谁起来修？", "模型的文档写得很好。"]}
    index = build(tmp_path, texts)
    assert first(index, "who will fix the model at night").startswith("半夜")
    assert "修" not in index.lexicon.vocabulary.domain_words and "修复" in index.lexicon.vocabulary.domain_words


def test_a_three_letter_english_word_the_library_holds_weighs_what_its_translation_weighs(tmp_path):
    """`big` is in the one English passage; as a Latin word it would be the query's rarest word
    and hand that passage the answer over the Chinese one the query paraphrases."""
    texts = {"en": ["The big picture: people told me the community would protect us."],
             "zh": ["大型模型继续做服务，小模型交给社区。", "今天天气很好。", "小模型跑在手机上。"]}
    index = build(tmp_path, texts, dictionary={("big",): ("大型",)})
    big = concept_of(index, "big models stay a service", "big")
    assert "大型" in big.alternatives
    assert first(index, "big models stay a service").startswith("大型模型")


def test_the_shipped_glossary_reads_set_phrases_and_one_character_words_of_a_paraphrase():
    corpus = make_corpus({"a": ["本地部署不等于开源，我们也在评估闭源方案。", "开源的意味着什么？大家都在讨论开源。",
                                "刀可以伤人，但我们不会因此禁止卖刀。", "禁止出售过期的食品。"]}, speakers=())
    index = Index.build(corpus, Vocabulary.load(Path("config"), corpus, use_dictionary=False))
    assert first(index, "local deployment does not mean open source").startswith("本地部署")
    assert first(index, "we don't ban selling knives").startswith("刀可以")


def test_an_irregular_form_meets_the_glossary_key_of_its_base_form():
    from bot.search.english import stem
    from bot.search.vocabulary import english_key

    for typed, base in [("goes", "go"), ("does", "do"), ("made", "make"), ("knives", "knife"), ("wrote", "write"), ("took", "take"), ("lost", "lose")]:
        assert (stem(typed),) == english_key(base), typed


def test_a_latin_word_only_english_passages_hold_weighs_its_idf_among_them(tmp_path):
    """`Harriet` is rare over the whole library only because English passages are: beside a
    Chinese topic word the user remembers, it must not hand the answer to the English passage
    that names her; a Latin word Chinese passages use (`Linux`) keeps its weight."""
    texts = {"en": ["Harriet Payne said the hospital audit is in the report.", "The board met in the spring.",
                    "It is the first time the team has shipped on time.", "The weather in the city is mild."],
             "zh": ["哈丽雅特·佩恩（Harriet Payne）在医院做了十年审计。", "佩恩说，医院应当优先选择能下载权重的模型。",
                    "今天天气很好。", "服务器都跑在Linux上。", "Linux社区很活跃。", "医院的服务器很旧。"]}
    index = build(tmp_path, texts, glossary=GLOSSARY + "  hospital: [医院]\n  weight: [权重]\n")
    plan = index.plan("Harriet hospital weights")
    harriet = next(c for c in plan.concepts if c.alternatives == ("harriet",))
    hospital = next(c for c in plan.concepts if "医院" in c.alternatives)
    assert harriet.weight < 2 * hospital.weight
    linux = next(c for c in index.plan("Linux 服务器").concepts if c.alternatives[0] == "linux")
    assert linux.weight == pytest.approx(index.lexicon.postings.idf(word_term("linux")) * 1.5)
    assert first(index, "Harriet hospital weights").startswith("佩恩说")


def test_a_pinyin_name_beside_an_english_word_that_also_splits_into_syllables_is_a_name(tmp_path):
    """`license` reads li-cen-se, so `Zhao Qiming license` looked like a query all in pinyin and
    the name was never looked for; `Zhao` is also a word of an English passage (`Michelle Zhao`)."""
    texts = {"zh": ["分析师赵启明认为，许可证写得再细也管不住下载到本地的文件。", "启明星公司发布了新的许可证。",
                    "许可证的条款越来越长。"],
             "en": ["Michelle Zhao, COO of a small analytics firm, wrote the post.", "The license is short."]}
    index = build(tmp_path, texts, glossary=GLOSSARY + "  license: [许可证, 许可]\n")
    assert any(c.kind == "pinyin" and "赵启明" in c.alternatives for c in index.plan("Zhao Qiming license").concepts)
    assert first(index, "Zhao Qiming license").startswith("分析师赵启明")
