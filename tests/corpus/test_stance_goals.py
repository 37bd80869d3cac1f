"""The stance reader measured on the labelled development articles (loaded with the seeds, as
the library would hold them) and on the public dev set; and `bot eval`'s `neutral` label.

The labels are in tests/dev_articles/stance.yaml (passages of articles written for development,
never of the seeds). Goals from issue 10: exactly-right column >= 0.9, wrong column <= 5%,
neutral passages kept out >= 0.9. The first is not met (see docs/STANCE.md for the figures);
it is kept here as a strict xfail so that meeting it shows up, with a floor below it that
guards what the reader does reach.
"""

import shutil

import pytest
import yaml

from bot.config import DEFAULT_CONFIG_DIR, Settings
from bot.corpus.loader import load_corpus
from bot.evaluation import contains, evaluate
from bot.search.library import Library
from bot.stance_eval import goal_figures, stance_figures
from tests.conftest import REPO, SHARED

LABELLED = REPO / "tests" / "dev_articles" / "stance.yaml"
ARTICLES = REPO / "tests" / "dev_articles" / "articles"
DEV = SHARED / "eval" / "dev.yaml"
EXACTLY_RIGHT_FLOOR = 0.46  # measured 0.482 on 114 argued passages (0.606 on articles 101-114, tuned on; 0.279 on the rest); the goal is 0.9


@pytest.fixture(scope="module")
def figures(tmp_path_factory):
    if not LABELLED.exists():
        pytest.skip("no labelled development articles")
    seeds = tmp_path_factory.mktemp("seeds_and_articles")
    for folder in (SHARED / "seeds", ARTICLES):
        for path in folder.iterdir():
            if path.is_file():
                shutil.copy(path, seeds / path.name)
    corpus = load_corpus(seeds, DEFAULT_CONFIG_DIR)
    cases = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))["stance"]
    return goal_figures(cases, corpus, contains)


def test_every_labelled_passage_is_found(figures):
    assert figures["unfound"] == []
    assert figures["argued"] >= 80 and figures["neutral"] >= 20


def test_a_wrong_column_is_rare(figures):
    assert figures["wrong_column"] <= 0.05


def test_neutral_passages_stay_out_of_every_column(figures):
    assert figures["neutral_kept_out"] >= 0.9


def test_exactly_right_column_does_not_fall_below_what_it_reaches(figures):
    assert figures["exactly_right"] >= EXACTLY_RIGHT_FLOOR


@pytest.mark.xfail(strict=True, reason="goal not met: the reader places about 0.48 of argued passages in the right column (docs/STANCE.md)")
def test_exactly_right_column_reaches_the_goal(figures):
    assert figures["exactly_right"] >= 0.9


@pytest.mark.skipif(not DEV.exists(), reason="no ../shared/eval/dev.yaml")
def test_public_dev_set_stance_stays_at_or_above_the_goal(bundled_corpus):
    cases = yaml.safe_load(DEV.read_text(encoding="utf-8"))["stance"]
    assert stance_figures(cases, bundled_corpus, contains)["overall"]["accuracy"] >= 0.9


def test_bot_eval_scores_neutral_as_in_no_column(tmp_path):
    seeds, config = tmp_path / "seeds", tmp_path / "config"
    seeds.mkdir()
    config.mkdir()
    shutil.copy(DEFAULT_CONFIG_DIR / "stance.yaml", config / "stance.yaml")
    (seeds / "900_news.txt").write_text("开源模型比闭源模型便宜得多，也更透明。\n\n这家公司周二发布了一个新的开源模型。\n", encoding="utf-8")
    cases = tmp_path / "cases.yaml"
    cases.write_text(
        "stance:\n"
        "  - {id: a, doc: '900', expect: 便宜得多, stance: open}\n"
        "  - {id: b, doc: '900', expect: 周二发布了, stance: neutral}\n"
        "  - {id: c, doc: '900', expect: 便宜得多, stance: neutral}\n"
        "  - {id: d, doc: '900', expect: 不在库里的话, stance: neutral}\n",
        encoding="utf-8",
    )
    settings = Settings(config_dir=config, seeds_dir=seeds)
    report = evaluate(cases, Library.load(settings), settings)["stance"]
    assert report["kinds"]["open"]["accuracy"] == 1.0
    assert report["kinds"]["neutral"]["cases"] == 3
    assert report["kinds"]["neutral"]["misses"] == ["c", "d"]  # placed, and not found at all
