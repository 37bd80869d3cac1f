"""tests/dev_articles/quote.yaml points at what it means to: each expected text is in one place of
one article (its own), every query kind is there in numbers, and no query is the expected text
itself (a case the bot passes by copying would measure nothing)."""

from __future__ import annotations

from collections import Counter

import yaml

from tests.conftest import REPO

HERE = REPO / "tests" / "dev_articles"
KINDS = {"exact", "cross-script", "typo", "english", "english-concept", "mixed", "fragment", "pinyin", "name"}


def test_quote_cases_point_at_one_place_of_their_own_article():
    cases = yaml.safe_load((HERE / "quote.yaml").read_text(encoding="utf-8"))["quote"]
    texts = {p.name[:3]: p.read_text(encoding="utf-8") for p in (HERE / "articles").iterdir() if p.is_file()}
    assert len({c["id"] for c in cases}) == len(cases) >= 160
    kinds = Counter(c["kind"] for c in cases)
    assert set(kinds) == KINDS and min(kinds.values()) >= 14
    wrong = [c["id"] for c in cases
             if sum(t.count(c["expect"]) for t in texts.values()) != 1 or c["expect"] not in texts[c["doc"]]
             or sum(c["expect"] in line for line in texts[c["doc"]].splitlines()) != 1
             or c["query"] == c["expect"]]
    assert wrong == []
