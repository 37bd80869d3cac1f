"""Right first among near-copies: a library that reprints, quotes and lightly edits its passages.

Each test builds a few documents where later files hold most of an earlier passage's words
(a reprint with an edit, a later article quoting half of a paragraph, the other script) and
checks that the passage the query was taken from comes first, for the reason the ranker gives.
"""

from __future__ import annotations

import pytest

from bot.search.duplicates import Groups, aligned
from bot.search.index import Index
from bot.search.normalise import fold, fold_with_offsets, to_script
from bot.search.query import _chunks
from bot.search.vocabulary import Vocabulary
from tests.search.test_bad_libraries import corpus_of

HEAD = "开源模型的护城河正在消失，各家公司都在重新计算投入与回报"
TAIL = "社区追赶的速度比任何一家公司预想的都快，这一点在过去一年里尤其明显。"
MORE = ("几家云厂商把训练好的权重放到网上，任何人都能下载、微调、部署到自己的服务器上；"
        "原本靠独家模型收费的公司不得不降价，或者转而出售托管、咨询和安全审计服务。")
ORIGINAL = HEAD + "，" + TAIL + MORE  # a long paragraph: the later quotes of its first half are much shorter
OTHER_TAILS = ["电费上涨让数据中心的账单翻了一倍。", "监管机构要求公司提交安全报告。", "投资人开始追问回报周期。"]


def index_of(documents: dict[str, list[str]], attributed: set[str] = frozenset()) -> Index:
    return Index.build(corpus_of(documents, attributed), Vocabulary(domain_words=()))


def quoting_halves(count: int) -> dict[str, list[str]]:
    """Later articles that quote the original's first half and go on with words of their own (shorter than it)."""
    return {f"z_quote{n}": [HEAD + "。" + OTHER_TAILS[n % len(OTHER_TAILS)]] for n in range(count)}


def test_a_typo_query_finds_the_earlier_of_passages_that_match_it_equally():
    """No passage holds a mistyped query; the original and the later quotes of its first half
    match it equally (same characters around the typo). BM25 prefers the shorter quotes; the
    ranker does not let that decide: among equal scores the earlier passage comes first."""
    index = index_of({"a_original": [ORIGINAL], **quoting_halves(12)})
    typo = HEAD[:6] + "正" + HEAD[7:16]  # one character substituted
    assert typo not in fold(ORIGINAL)
    [first, *rest] = index.search(typo)
    assert first.passage.doc_id == "a_original"
    assert all(abs(m.score - first.score) < 0.011 for m in rest[:3])  # they were equals: the order decided


def test_a_passage_that_quotes_half_of_another_is_not_its_copy():
    quote = HEAD + "。" + OTHER_TAILS[0]
    edited = ORIGINAL[:10] + "啊" + ORIGINAL[11:]
    assert not aligned(fold(ORIGINAL), fold(quote))
    assert aligned(fold(ORIGINAL), fold(edited))
    groups = Groups.build([fold(t) for t in (ORIGINAL, quote, edited)], [0, 0, 0])
    assert list(groups.leader) == [0, 1, 0]


def test_an_attributed_copy_stands_for_the_original_only_when_it_matches_as_well():
    """The attributed reprint leads the group; where its edit falls inside the quoted words, the
    original holds them and the reprint does not: the reply shows the original."""
    edited = ORIGINAL.replace("追赶的速度", "追赶的速率")
    index = index_of({"a_original": [ORIGINAL], "b_reprint": [edited]}, attributed={"b_reprint"})
    assert int(index.groups.leader[0]) == 1  # one group, led by the attributed reprint
    [match] = index.search(TAIL)
    assert match.passage.doc_id == "a_original" and match.score == 1.0
    assert match.also_in == ("b_reprint",)
    [match] = index.search("各家公司都在重新计算投入与回报")  # both hold these words: the leader shows
    assert match.passage.doc_id == "b_reprint"


def test_the_other_script_query_finds_the_original_not_a_later_mixed_passage():
    """A later passage holds the original's first half beside words in the other script. A query
    typed in that other script holds the same words as both after folding; neither holds its
    characters as typed, so the earlier passage comes first (the later one is not preferred for
    the script of words the query did not quote)."""
    original = to_script(ORIGINAL, "traditional")
    mixed = to_script(HEAD, "traditional") + "。" + "这家公司上个月刚刚开源了一个小模型，开发者们纷纷下载试用，社区里讨论得很热烈。" * 2
    index = index_of({"a_original": [original], "z_mixed": [mixed]})
    query = HEAD[5:20]  # Simplified, as the user typed it
    assert query not in original and fold(query) in fold(original) and fold(query) in fold(mixed)
    assert index.search(query)[0].passage.doc_id == "a_original"


@pytest.mark.parametrize("mark", ["…", "...", "……", " … "])
def test_an_ellipsis_splits_a_quotation_into_its_start_and_end(mark):
    query = HEAD[:7] + mark + TAIL[6:14]
    folded, offsets = fold_with_offsets(query)
    assert [folded[a:b] for a, b in _chunks(query, offsets)] == [fold(HEAD[:7]), fold(TAIL[6:14])]
    index = index_of({"a_original": [ORIGINAL], **quoting_halves(6)})
    assert index.search(query)[0].passage.doc_id == "a_original"


def test_punctuation_still_does_not_split_a_quotation():
    query = "自由复制、修改和再利用"
    folded, offsets = fold_with_offsets(query)
    assert len(_chunks(query, offsets)) == 1


def test_a_mistyped_quotation_brings_in_the_passages_holding_either_half_whatever_their_bm25():
    """No passage holds a mistyped quotation whole, so its candidates used to rest on BM25 depth
    alone: short later passages holding the mistyped half (the typo's own bigrams) outrank the
    original in BM25, and with a small pool it fell out. The passages holding one half as typed
    (the earliest first) now join the pool, and the original holds the other half."""
    typo = HEAD[:14] + "正" + HEAD[15:22]  # one character substituted in the second half
    second = typo[len(typo) // 2:]
    first = typo[:len(typo) // 2]
    shuffled = first[5:] + "，" + first[:6] + first[-1]  # every bigram and word of the first half, not as typed
    noise = {f"m_noise{n}": [shuffled + second + OTHER_TAILS[n % 3][:n % 4]] for n in range(30)}
    index = index_of({"a_original": [ORIGINAL], **noise})
    assert typo not in fold(ORIGINAL) and second not in fold(ORIGINAL) and first not in fold(shuffled)
    plan = index.plan(typo)
    assert plan.quotation and not len(index._containing(plan))
    totals = index.postings.scores(plan.terms)
    assert totals[0] < totals[1:].min()  # every noise passage outranks the original in BM25
    halves = index._holding_a_half(plan).tolist()
    assert halves[0] == 0 and len(halves) == 1 + 30  # the original by its first half, the noise by the second
    [first, *_rest] = index.search(typo, pool=1)
    assert first.passage.doc_id == "a_original"
