"""The issue's goals, measured on the development articles loaded with the bundled seeds.

who-said top-1 >= 0.95; "not found" for at least 24 of every 25 quotations no article holds (with
the articles, and on the seeds alone); the speaker of quotation passages right >= 90%, wrong <= 3%;
the public dev set's who-said stays at 1.0. Real behaviour, measured the way `bot eval
FILE --with-articles DIR` measures it.
"""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.evaluation import evaluate_cases, library_with_articles, load_cases
from bot.search.library import Library
from tests.conftest import REPO, SHARED

DEV_ARTICLES = REPO / "tests" / "dev_articles"
WHO_SAID = DEV_ARTICLES / "who_said.yaml"
GOLD = DEV_ARTICLES / "speakers_gold.yaml"
NOT_FOUND_SHARE = 24 / 25

pytestmark = pytest.mark.skipif(not WHO_SAID.exists(), reason="no development articles")


@pytest.fixture(scope="module")
def settings():
    return Settings.load(cache_dir=None)


@pytest.fixture(scope="module")
def with_articles(settings):
    return library_with_articles(settings, DEV_ARTICLES / "articles")


@pytest.fixture(scope="module")
def figures(with_articles, settings):
    cases = {**load_cases(WHO_SAID), "speakers": load_cases(GOLD)["speakers"]}
    return evaluate_cases(cases, with_articles, settings)


def test_who_said_names_the_speaker(figures):
    assert figures["who_said"]["overall"]["cases"] >= 80
    assert figures["who_said"]["overall"]["accuracy"] >= 0.95, figures["who_said"]["overall"]["misses"]


def test_quotations_no_article_holds_are_not_found(figures):
    assert figures["not_found"]["overall"]["cases"] >= 25
    assert figures["not_found"]["overall"]["accuracy"] >= NOT_FOUND_SHARE, figures["not_found"]["overall"]["misses"]


def test_speaker_of_quotation_passages(figures):
    speakers = figures["speakers"]
    assert speakers["unfound"] == []
    assert speakers["right_share"] >= 0.90, speakers["wrong"] + speakers["missing"]
    assert speakers["wrong_share"] <= 0.03, speakers["wrong"]
    assert speakers["words"]["right_share"] >= 0.90 and speakers["words"]["wrong_share"] <= 0.03


def test_on_the_seeds_alone(settings):
    library = Library.load(settings)
    cases = load_cases(WHO_SAID)
    figures = evaluate_cases({"not_found": cases["not_found"]}, library, settings)
    assert figures["not_found"]["overall"]["accuracy"] >= NOT_FOUND_SHARE
    dev = SHARED / "eval" / "dev.yaml"
    if dev.exists():
        public = evaluate_cases({"who_said": load_cases(dev).get("who_said") or []}, library, settings)
        assert public["who_said"]["overall"]["accuracy"] == 1.0


QUOTE = DEV_ARTICLES / "quote.yaml"
# /quote recall@1 on the development articles (session 7: 0.912 overall, written before the bot
# was run on them: 0.829; session 8: 0.955 on 200 cases, english 0.938, english-concept 0.974,
# name 0.867). With held-out sets 13 and 14's 120 cases appended (articles 341-360, written by
# someone else; 0.775 on them): 0.894 on 320, english 0.848, english-concept 0.765, name 0.854,
# pinyin 0.844. Floors per kind and overall: just under what is reached on the set as it stands.
QUOTE_FLOORS = {"exact": 0.95, "cross-script": 0.95, "typo": 0.95, "fragment": 0.95, "mixed": 0.95,
                "english": 0.83, "english-concept": 0.75, "name": 0.83, "pinyin": 0.83}


@pytest.mark.skipif(not QUOTE.exists(), reason="no development /quote cases")
def test_quote_finds_the_passage_on_the_development_articles(with_articles, settings):
    figures = evaluate_cases({"quote": load_cases(QUOTE)["quote"]}, with_articles, settings)["quote"]
    assert figures["overall"]["cases"] >= 160
    assert figures["overall"]["recall@1"] >= 0.88, figures["overall"]["misses"]
    below = {kind: (round(f["recall@1"], 3), f["misses"]) for kind, f in figures["kinds"].items()
             if f["recall@1"] < QUOTE_FLOORS[kind]}
    assert below == {}
