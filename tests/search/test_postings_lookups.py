"""The batched lookups the query side uses agree with the one-at-a-time ones they replace."""

from __future__ import annotations

import numpy as np

from bot.search.blob import Blob
from bot.search.postings import Postings, member, term_hashes
from bot.search.rank import Holdings
from bot.search.terms import bigram_term, word_term


def small_postings() -> tuple[Postings, list[str]]:
    terms = [word_term("开源"), word_term("模型"), word_term("linux"), bigram_term("开", "源", han=True)]
    rows = [(0, 0), (0, 2), (1, 1), (1, 2), (2, 3), (3, 0), (3, 4)]  # (term, passage)
    hashes = term_hashes([terms[t] for t, _ in rows])
    docs = np.array([p for _, p in rows])
    order = np.argsort(docs, kind="stable")  # Postings.build wants rows in passage order
    return Postings.build(hashes[order], docs[order], np.ones(len(rows)), np.full(5, 10.0)), terms


def test_frequencies_and_rows_in_one_lookup_match_the_single_lookups():
    postings, terms = small_postings()
    asked = [*terms, "w:闭源", terms[0]]  # an unknown term, a repeated one
    frequencies = postings.frequencies(asked)
    assert frequencies == {t: postings.frequency(t) for t in asked}
    assert frequencies["w:闭源"] == 0 and frequencies[word_term("开源")] == 2
    rows = postings.rows_of(asked)
    assert set(rows) == set(terms)  # the library lacks the unknown term: no row for it
    for term in terms:
        assert rows[term].tolist() == postings.row(term).tolist()
    assert postings.row("w:闭源").tolist() == []
    assert postings.idf_of(0) is None and postings.idf_of(2) == postings.idf(word_term("开源"))


def test_member_is_isin_for_a_sorted_row():
    rng = np.random.default_rng(3)
    for size in (0, 1, 7, 300):
        row = np.unique(rng.integers(0, 500, size)).astype(np.int32)
        numbers = rng.integers(0, 520, 200)
        assert member(row, numbers).tolist() == np.isin(numbers, row).tolist()


def test_holdings_answer_as_the_postings_do():
    postings, _terms = small_postings()
    holdings = Holdings(postings)
    assert holdings.holds("linux", 3) and not holdings.holds("linux", 2) and not holdings.holds("闭源", 0)
    for word in ("linux", "开源", "闭源"):
        for number in range(5):
            assert holdings.holds(word, number) == postings.holds(word_term(word), number)


def test_blob_many_reads_the_strings_asked_for_in_order():
    texts = ["开源", "", "Linux 和 模型", "閉源", "x"]
    blob = Blob.of(texts)
    assert blob.many(np.array([4, 0, 2, 1, 0])) == ["x", "开源", "Linux 和 模型", "", "开源"]
    assert blob.many(np.array([], dtype=np.int64)) == []
