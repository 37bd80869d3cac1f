"""An English query over a library holding Chinese and English articles (session 7).

The lexical view compares the query with a passage character by character. For English that
credited a passage for every query word it holds only as letters (``one`` inside ``someone``,
``or`` inside ``for``), so an unrelated English passage outranked the Chinese passage the
glossary translation of the query points to. An English passage must earn only what its
whole words match. Invented firms and people; each test builds its own library."""

from __future__ import annotations

from bot.search.index import Index
from bot.search.vocabulary import Vocabulary
from tests.search.conftest import make_corpus

GLOSSARY = """\
terms:
  vendor: [供应商, 厂商]
  raise prices: [涨价, 提价]
  drop features: [砍功能, 删减功能]
"""

TEXTS = {
    "zh": [
        "青禾云的客户抱怨说，闭源模型的供应商随时可以涨价，也可以砍功能，用户只能接受。",
        "这家公司今年把推理服务搬回了自己的机房。",
    ],
    "en": [
        # query words held as letters of other words: "praise" holds "raise", "feathers" most of "features"
        "Our mascot, a fruit vendor, can praise prices at the fair or drop feathers from his hat.",
        "The street vendor cannot praise the prices; he drops the features of his stall at noon.",
        "Someone at Marlowe Labs said the cafeteria reopened after the long renovation.",
    ],
}


def build(tmp_path, texts=TEXTS, glossary: str = GLOSSARY) -> Index:
    (tmp_path / "glossary.yaml").write_text(glossary, encoding="utf-8")
    corpus = make_corpus(texts, speakers=())
    return Index.build(corpus, Vocabulary.load(tmp_path, corpus, use_dictionary=False))


def test_letters_inside_other_words_do_not_outrank_a_translated_concept_match(tmp_path):
    index = build(tmp_path)
    matches = index.search("vendor can raise prices or drop features", limit=3)
    assert matches
    assert matches[0].passage.doc_id == "zh"
    assert matches[0].passage.text.startswith("青禾云")


def test_an_english_passage_still_wins_on_the_words_it_really_holds(tmp_path):
    index = build(tmp_path)
    # typed as in the passage: the whole words are there, so it is found first, whole
    matches = index.search("the cafeteria reopened after the long renovation", limit=3)
    assert matches[0].passage.text.startswith("Someone at Marlowe Labs")
    assert matches[0].score >= 0.99
    # one word typed wrong: the passage holding the others is still first
    matches = index.search("cafeteria reopend after the long renovation", limit=3)
    assert matches[0].passage.text.startswith("Someone at Marlowe Labs")


def test_a_word_inside_another_word_is_not_the_whole_query(tmp_path):
    texts = {"en": ["Someone left the lab early.", "Only one model was released."]}
    index = build(tmp_path, texts, glossary="terms: {}\n")
    matches = index.search("one model", limit=3)
    assert matches[0].passage.text.startswith("Only one model")
    assert all(m.score < 0.99 for m in matches[1:])
