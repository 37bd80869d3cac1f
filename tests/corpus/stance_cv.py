"""The leave-one-article-out probabilities that tests/corpus/test_stance_goals.py judges, computed
in a process of its own while the first tests run.

`cross_validated` fits one model per development article (145 fits, about 30 s of CPU on a quiet
machine, 60 s on a busy one): the longest single step of the suite. tests/conftest.py starts
``python -m tests.corpus.stance_cv OUT`` at the start of a session that holds the stance goal
tests, so the fits run on the second core beside the tests before them; the `learned` fixture
then reads OUT. The same functions, on the same articles, as the fixture would call itself:
the goal test compares the figures with the model file's to the last digit, so a difference
between the two processes could not pass unseen.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from bot.config import DEFAULT_CONFIG_DIR
from bot.corpus.models import Corpus

REPO = Path(__file__).resolve().parent.parent.parent
DEV_ARTICLES = REPO / "tests" / "dev_articles" / "articles"
LABELLED = REPO / "tests" / "dev_articles" / "stance.yaml"


def examples_of(articles: Corpus):
    """(examples, the saved model, labelled passages found, cases not found): what the goal test
    trains and judges on; None for the model when config/ has none."""
    import yaml

    from bot.corpus.stance import load_lexicon, load_model
    from bot.corpus.stance.train import examples_from
    from bot.evaluation import contains
    from bot.evaluation.stance import labelled_passages

    model = load_model(DEFAULT_CONFIG_DIR)
    cases = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))["stance"]
    found, unfound = labelled_passages(cases, articles, contains)
    return examples_from(articles.documents, found, load_lexicon(DEFAULT_CONFIG_DIR)), model, found, unfound


def held_out_probabilities(articles: Corpus) -> np.ndarray:
    """Each article's passages as predicted by a model fitted on the other articles, with the
    saved model's options."""
    from bot.corpus.stance.train import Options, cross_validated

    examples, model, _, _ = examples_of(articles)
    return cross_validated(examples, Options(**model.about["options"]))


def main(out: str) -> int:
    from bot.corpus.loader import load_documents

    probabilities = held_out_probabilities(load_documents(DEV_ARTICLES, DEFAULT_CONFIG_DIR))
    partial = Path(out + ".partial.npy")
    np.save(partial, probabilities)
    partial.rename(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
