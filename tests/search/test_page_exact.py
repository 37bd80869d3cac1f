"""Work /quote skips must not change what it shows: the page, the count, and the BM25 leaders.

/quote asks the index for up to 1,000 matches to count them but shows a page (``exact``); the
ranker then fully scores only the candidates that can reach that page (``pool._full_scores``).
These tests compare it with scoring every chosen candidate, on a library of one paragraph and
many edited copies of it (the case where full scores crowd together), and check that it did
skip work. The BM25 leaders are chosen with a sampled threshold: they must be the true best,
ties at the cut going to the earlier passage.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

import bot.search.pool as pool_module
from bot.corpus.models import Passage
from bot.search.columns import Table
from bot.search.index import Index
from bot.search.normalise import to_script
from bot.search.postings import Postings, term_hashes
from bot.search.terms import word_term
from bot.search.vocabulary import Vocabulary
from tests.search.test_bad_libraries import corpus_of

ORIGINAL = ("几家云厂商把训练好的权重放到网上，任何人都能下载、微调、部署到自己的服务器上；"
            "原本靠独家模型收费的公司不得不降价，或者转而出售托管、咨询和安全审计服务。")
FILLER = "社区追赶的速度比任何一家公司预想的都快这一点在过去一年里尤其明显监管机构要求提交报告"


def edited(text: str, rng: random.Random, edits: int) -> str:
    chars = list(text)
    for _ in range(edits):
        at = rng.randrange(len(chars))
        if chars[at] not in "，；、。":
            chars[at] = rng.choice(FILLER)
    return "".join(chars)


@pytest.fixture(scope="module")
def copies() -> Index:
    """The original, then 60 later copies with 1-12 characters changed, and unrelated passages."""
    rng = random.Random(7)
    documents = {"a_original": [ORIGINAL]}
    for n in range(60):
        documents[f"c{n:02d}"] = [edited(ORIGINAL, rng, 1 + n % 12)]
    for n in range(20):
        documents[f"x{n:02d}"] = ["".join(rng.sample(FILLER, 30)) + "。"]
    return Index.build(corpus_of(documents, set()), Vocabulary(domain_words=()))


def shown(matches, page: int) -> list[tuple[int, float, tuple[str, ...]]]:
    return [(m.number, m.score, m.also_in) for m in matches[:page]]


QUERIES = [
    ORIGINAL[10:28],  # held whole by the original only (the copies' edits fall in it, mostly)
    ORIGINAL[30:40] + "去" + ORIGINAL[41:52],  # a typo: held whole by none
    to_script(ORIGINAL[44:62], "traditional"),  # the other script
    ORIGINAL[3:9] + ORIGINAL[20:30],  # a gap: not one stretch of any passage
]


@pytest.fixture
def full_scores(monkeypatch) -> dict[str, int]:
    """Counts the ranker's full scores (``calls["n"]``)."""
    calls = {"n": 0}
    real = pool_module.score

    def counted(*args, **kwargs):
        calls["n"] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(pool_module, "score", counted)
    return calls


@pytest.mark.parametrize("page", [1, 3, 10])
@pytest.mark.parametrize("query", QUERIES)
def test_the_page_and_the_count_are_those_of_scoring_every_candidate(copies, query, page, full_scores):
    everything = copies.search(query, limit=1000)
    scored_all, full_scores["n"] = full_scores["n"], 0
    page_only = copies.search(query, limit=1000, exact=page)
    assert shown(page_only, page) == shown(everything, page)
    assert len(page_only) == len(everything)
    assert full_scores["n"] <= scored_all


def test_a_short_page_scores_fewer_candidates_for_a_quotation(copies, full_scores):
    copies.search(QUERIES[1], limit=1000)
    everything, full_scores["n"] = full_scores["n"], 0
    copies.search(QUERIES[1], limit=1000, exact=1)
    assert full_scores["n"] < everything


def brute_force_top(totals: np.ndarray, count: int) -> list[int]:
    positive = [n for n in range(len(totals)) if totals[n] > 0]
    return sorted(positive, key=lambda n: (-totals[n], n))[:count]


@pytest.mark.parametrize("seed", range(6))
def test_bm25_leaders_are_the_best_with_ties_to_the_earlier_passage(seed):
    rng = np.random.default_rng(seed)
    size = int(rng.integers(50, 3000))
    vocabulary = [word_term(f"t{k}") for k in range(40)]
    rows = [(t, p) for p in range(size) for t in rng.choice(40, int(rng.integers(0, 6)), replace=False)]
    rows.sort(key=lambda r: r[1])
    postings = Postings.build(term_hashes([vocabulary[t] for t, _ in rows]), np.array([p for _, p in rows]),
                              np.ones(len(rows)), np.full(size, 10.0))  # one length: many equal scores
    query = {vocabulary[k]: float(rng.choice([0.5, 1.0])) for k in rng.choice(40, 6, replace=False)}
    totals = postings.scores(query)
    for count in (1, 10, 200, size):
        numbers, scores = postings.top(query, count)
        assert numbers.tolist() == brute_force_top(totals, count)
        assert scores.tolist() == totals[numbers].tolist()


def test_a_table_record_is_the_same_built_column_by_column():
    passages = [Passage(f"d:{n}", "d", n, f"第{n}段", (n, n + 3), speaker=None if n % 2 else "某人",
                        stance="open" if n % 3 == 0 else None, stance_score=n / 7) for n in range(12)]
    table = Table.of(Passage, passages)
    assert [table.get(n) for n in range(12)] == passages
    assert [table.get(n) for n in range(12)] == [table.cls(**{k: table.value(k, n) for k in table.names}) for n in range(12)]


@pytest.mark.parametrize("query", QUERIES + [ORIGINAL[10:16] + " " + ORIGINAL[40:46]])
def test_the_quick_look_is_each_candidates_own_whether_or_not_others_hold_the_query(copies, query):
    """Candidates holding a typed stretch skip the fuzzy comparison (they score 1 either way):
    every candidate's lexical score must be what it gets when compared alone."""
    from bot.search.rank import lexical_scores

    plan = copies.plan(query)
    numbers = list(range(copies.size))
    folded, sound = [copies.folded[n] for n in numbers], [copies.sound[n] for n in numbers]
    together = lexical_scores(plan, folded, sound)
    alone = [float(lexical_scores(plan, [f], [s])[0]) for f, s in zip(folded, sound)]
    assert together.tolist() == alone
    held = [n for n in numbers if plan.folded in folded[n]]
    assert all(together[n] == 1.0 for n in held)
    if len(plan.chunks) == 1:  # (two typed stretches each held by a passage score 1 there too)
        assert 0 < max(together[n] for n in numbers if n not in held) < 1.0


def test_a_plans_concepts_are_read_once_and_stay_its_own(copies):
    """``Plan.finders`` (what the ranker looks for in each candidate) follows the plan's concepts."""
    plan = copies.plan(ORIGINAL[10:28])
    assert plan.finders is plan.finders  # decided once per query
    assert [f[0] for f in plan.finders] == [c.weight for c in plan.concepts]
    assert [tuple(a for a, *_ in f[1]) for f in plan.finders] == [c.alternatives for c in plan.concepts]
    assert plan.concept_weight == sum(c.weight for c in plan.concepts)
    assert plan.quotation and not copies.plan(ORIGINAL[3:9] + " " + ORIGINAL[20:30]).quotation


def test_a_page_that_cannot_fill_stops_scoring_below_the_floor(full_scores):
    """A quotation that one passage holds, among passages that share only a few common
    characters with it: the page of ten never fills, and the candidates whose bound cannot reach
    the list's floor are no longer fully scored; the page and the count stay the same."""
    rng = random.Random(11)
    documents = {"a_original": [ORIGINAL]}
    for n in range(40):
        documents[f"x{n:02d}"] = ["".join(rng.sample(FILLER, 30)) + "公司。"]
    lonely = Index.build(corpus_of(documents, set()), Vocabulary(domain_words=()))
    query = ORIGINAL[30:40] + "去" + ORIGINAL[41:52]  # a typo: held whole by none
    everything = lonely.search(query, limit=1000)
    scored_all, full_scores["n"] = full_scores["n"], 0
    page_only = lonely.search(query, limit=1000, exact=10)
    assert shown(page_only, 10) == shown(everything, 10)
    assert len(page_only) == len(everything) < 10
    assert full_scores["n"] < scored_all
