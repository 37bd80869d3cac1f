"""Held-out /quote cases: made by rule, reproducible, each one answerable only by its original passage.

The size benchmark's recall figures mean something only if every case has exactly one right
passage in the seeds, each kind is what its name says, and no dev-set string leaks in.
"""

from __future__ import annotations

from collections import Counter

import pytest
from rapidfuzz.distance import Levenshtein

from bench.cases import StoredPassage, contains
from bench.held_out import KINDS, dev_strings, from_json, make_cases, other_script, to_json
from bot.search.normalise import fold

TEXTS = [  # invented passages, in both scripts, long enough to cut from
    ("900_a", "林晓雯认为，开放模型的权重能让小公司在本地部署，也让研究者检查训练数据里的偏差。她说闭源团队的优势在于集中算力。"),
    ("900_a", "周启明表示：「我們不會公開全部權重，因為安全評估還沒有完成，但是會開放接口給合作夥伴使用。」"),
    ("901_b", "星河智算的工程师说，开源社区在三个月内修复了两百多个问题，这种速度是内部团队很难达到的。"),
    ("901_b", "評論者指出，所謂的半開源往往只公開推理代碼，訓練流程與數據配方仍然保密，外部很難復現結果。"),
    ("902_c", "对于监管机构来说，模型是否开放并不是唯一的问题，更重要的是部署之后出了事故由谁负责。"),
]


@pytest.fixture(scope="module")
def passages():
    return [StoredPassage(doc, text) for doc, text in TEXTS]


@pytest.fixture(scope="module")
def cases(passages):
    return make_cases(passages, per_kind=6, seed=3)


def test_counts_and_kinds(cases):
    assert Counter(c.kind for c in cases) == {kind: 6 for kind in KINDS}
    assert len({c.id for c in cases}) == len(cases)


def test_every_answer_is_in_exactly_one_passage_its_own(cases, passages):
    for case in cases:
        holders = [p for p in passages if contains(p, "", case.expect)]
        assert len(holders) == 1 and holders[0].doc_id == case.doc


def test_each_kind_is_what_it_says(cases, passages):
    folded = [fold(p.text) for p in passages]
    for case in cases:
        if case.kind == "exact":
            assert case.query == case.expect
        elif case.kind == "cross-script":
            assert case.query != case.expect and fold(case.query) == fold(case.expect)
        elif case.kind == "typo":
            assert Levenshtein.distance(case.query, case.expect, weights=(1, 1, 1)) in (1, 2)  # a swap costs 2
            assert not any(fold(case.query) in text for text in folded)
        else:
            head, tail = case.query.split("…")
            assert case.expect.startswith(head) and case.expect.endswith(tail)
            assert len(head) + len(tail) < len(case.expect)


def test_same_seed_same_cases_other_seed_other_cases(passages, cases):
    assert make_cases(passages, per_kind=6, seed=3) == cases
    assert make_cases(passages, per_kind=6, seed=4) != cases


def test_excluded_strings_never_appear(passages):
    banned = fold(TEXTS[2][1][5:15])
    for case in make_cases(passages, per_kind=6, seed=3, exclude=[banned]):
        assert banned not in fold(case.expect) and fold(case.expect) not in banned


def test_dev_strings_reads_queries_and_answers(tmp_path):
    dev = tmp_path / "dev.yaml"
    dev.write_text("quote:\n  - {query: 'ABC 甲乙', expect: '丙丁'}\nwho_said:\n  - {query: '戊己'}\n", encoding="utf-8")
    assert dev_strings(dev) == [fold("ABC 甲乙"), fold("丙丁"), fold("戊己")]
    assert dev_strings(tmp_path / "missing.yaml") == []


def test_json_round_trip_and_script_conversion(cases):
    assert from_json(to_json(cases)) == cases
    assert other_script("开放") == "開放" and other_script("開放") == "开放"
    assert other_script("abc") is None


def test_no_usable_passage_is_a_clear_error():
    with pytest.raises(ValueError):
        make_cases([StoredPassage("x", "too short")], per_kind=1)
