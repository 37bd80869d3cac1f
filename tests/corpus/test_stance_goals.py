"""The stance reader measured on the labelled development articles and on the public dev set;
and `bot eval`'s `neutral` label.

The labels are in tests/dev_articles/stance.yaml (passages of articles written for development,
never of the seeds). Goals from issue 10: exactly-right column >= 0.9, wrong column <= 5%,
neutral passages kept out >= 0.9. Since the reader learns from these labels
(config/stance_model.json), the goals are judged LEAVE-ONE-ARTICLE-OUT: each article's
passages predicted by a model trained on the other articles (features computed once, so the
whole cross-validation takes seconds). The articles as a library judges them (saved model)
is measured too: that figure is in-sample and only guards the build. The first goal is not
met (docs/STANCE.md gives the figures); it is a strict xfail, with a floor below it.
"""

import json
import shutil

import pytest
import yaml

from bot.config import DEFAULT_CONFIG_DIR, Settings
from bot.corpus.stance import MODEL_FILE, load_model
from bot.evaluation import contains, evaluate
from bot.search.library import Library
from bot.evaluation.stance import goal_figures, learned_figures, stance_figures
from tests.conftest import REPO, SHARED
from tests.corpus.stance_cv import examples_of, held_out_probabilities

LABELLED = REPO / "tests" / "dev_articles" / "stance.yaml"
ARTICLES = REPO / "tests" / "dev_articles" / "articles"
DEV = SHARED / "eval" / "dev.yaml"
EXACTLY_RIGHT_FLOOR = 0.30  # cross-validated, measured 0.306 on 986 argued passages of 177 articles with one threshold for every column (rules alone 0.144); the goal is 0.9


def _cases():
    return yaml.safe_load(LABELLED.read_text(encoding="utf-8"))["stance"]


@pytest.fixture(scope="module")
def articles(dev_articles_documents):
    if not LABELLED.exists():
        pytest.skip("no labelled development articles")
    return dev_articles_documents  # tests/conftest.py: load_documents(ARTICLES, DEFAULT_CONFIG_DIR), once per session


@pytest.fixture(scope="module")
def judged(articles, dev_articles_corpus):
    return dev_articles_corpus  # judge_stances(articles, DEFAULT_CONFIG_DIR), shared with tests/test_dev_articles.py


@pytest.fixture(scope="module")
def figures(judged):
    """The articles as a library would judge them, with the saved model (in-sample)."""
    return goal_figures(_cases(), judged, contains)


def test_every_placed_passage_says_why_in_its_own_words(judged):
    placed = [p for p in judged.passages if p.stance]
    assert len(placed) >= 200
    for passage in placed:
        assert passage.stance_reason, passage.id
        for part in passage.stance_reason.split("; "):
            if part.startswith("under the heading") or " elsewhere" in part:
                continue  # context: the heading or the speaker, named
            for words in part.split("…"):
                assert " ".join(words.split()) in " ".join(passage.text.split()), (passage.id, words)


@pytest.fixture(scope="module")
def learned(articles, stance_cross_validation):
    """Leave-one-article-out figures of the saved model's recipe on the labelled articles. The
    fits (``cross_validated``) ran in tests/corpus/stance_cv.py's process, started with the
    session (tests/conftest.py), on the same articles and examples as these."""
    if load_model(DEFAULT_CONFIG_DIR) is None:
        pytest.skip("no stance model in config/")
    examples, model, found, unfound = examples_of(articles)
    held_out = stance_cross_validation.result() if stance_cross_validation else held_out_probabilities(articles)
    return {"figures": learned_figures(examples, model, held_out), "unfound": unfound, "model": model, "found": found}


def test_every_labelled_passage_is_found(figures, learned):
    assert figures["unfound"] == [] and learned["unfound"] == []
    assert figures["argued"] >= 80 and figures["neutral"] >= 20


def test_the_saved_model_was_trained_on_the_labels_as_they_are(learned):
    about = learned["model"].about
    assert about["passages"] == len(learned["found"]), "labels changed: retrain with `bot stance train tests/dev_articles/stance.yaml`"
    assert about["cross_validated"] == {k: learned["figures"]["cross_validated"][k] for k in about["cross_validated"]}


def test_a_wrong_column_is_rare_on_articles_the_model_has_not_seen(learned):
    assert learned["figures"]["cross_validated"]["wrong_column"] <= 0.05


def test_neutral_passages_stay_out_on_articles_the_model_has_not_seen(learned):
    assert learned["figures"]["cross_validated"]["neutral_kept_out"] >= 0.9


def test_exactly_right_column_does_not_fall_below_what_it_reaches(learned):
    assert learned["figures"]["cross_validated"]["exactly_right"] >= EXACTLY_RIGHT_FLOOR


@pytest.mark.xfail(strict=True, reason="goal not met: about 0.31 of the argued passages of unseen articles land in the right column (docs/STANCE.md)")
def test_exactly_right_column_reaches_the_goal(learned):
    assert learned["figures"]["cross_validated"]["exactly_right"] >= 0.9


def test_the_library_as_built_keeps_wrong_columns_rare_and_neutrals_out(figures):
    assert figures["wrong_column"] <= 0.05
    assert figures["neutral_kept_out"] >= 0.9


def test_the_model_file_is_plain_json_with_its_figures():
    data = json.loads((DEFAULT_CONFIG_DIR / MODEL_FILE).read_text(encoding="utf-8"))
    assert data["about"]["cross_validated"]["argued"] >= 80


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
