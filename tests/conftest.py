"""Shared fixtures: small corpora built in tmp_path, the bundled library and the development
articles loaded once, and the stance goal's cross-validation started early in a process of its own."""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
DEV_ARTICLES = REPO / "tests" / "dev_articles" / "articles"
STANCE_GOALS = "tests/corpus/test_stance_goals.py"
WANTS_STANCE_CV = pytest.StashKey[bool]()
STANCE_CV_TIMEOUT = 1800.0  # a bound, not a goal: 60 s of CPU on a busy 2-core machine


def pytest_collection_modifyitems(config, items):
    config.stash[WANTS_STANCE_CV] = any(item.nodeid.startswith(STANCE_GOALS) for item in items)


@pytest.fixture(scope="session")
def bundled_settings():
    from bot.config import Settings

    return Settings.load()


@pytest.fixture(scope="session")
def bundled_corpus(bundled_settings):
    from bot.corpus.loader import load_corpus

    return load_corpus(bundled_settings.seeds_dir, bundled_settings.config_dir)


@pytest.fixture(scope="session")
def bundled_library(bundled_settings):
    from bot.search.library import Library

    return Library.load(bundled_settings)


@pytest.fixture
def make_library_dir(tmp_path):
    """Write seed files (name -> text) and optional config files into tmp_path; return (seeds, config)."""

    def build(seeds: dict[str, str | bytes], config: dict[str, str] | None = None) -> tuple[Path, Path]:
        seeds_dir, config_dir = tmp_path / "seeds", tmp_path / "config"
        seeds_dir.mkdir(exist_ok=True)
        config_dir.mkdir(exist_ok=True)
        for name, content in seeds.items():
            path = seeds_dir / name
            path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        for name, content in (config or {}).items():
            (config_dir / name).write_text(content, encoding="utf-8")
        return seeds_dir, config_dir

    return build


@pytest.fixture(scope="session")
def dev_articles_documents():
    """tests/dev_articles/articles read, cleaned and attributed (no stance yet), once for every
    test that reads them (5 s of CPU each time)."""
    from bot.config import DEFAULT_CONFIG_DIR
    from bot.corpus.loader import load_documents

    return load_documents(DEV_ARTICLES, DEFAULT_CONFIG_DIR)


@pytest.fixture(scope="session")
def dev_articles_corpus(dev_articles_documents):
    """The development articles with their stances judged: ``load_corpus(DEV_ARTICLES, config/)``
    (which is ``judge_stances(load_documents(...))``), from the documents read once."""
    from bot.config import DEFAULT_CONFIG_DIR
    from bot.corpus.loader import judge_stances

    return judge_stances(dev_articles_documents, DEFAULT_CONFIG_DIR)


@dataclass
class BackgroundCrossValidation:
    """``python -m tests.corpus.stance_cv`` running beside the tests (see that module)."""

    process: subprocess.Popen
    out: Path
    log: Path

    def result(self) -> np.ndarray:
        deadline = time.monotonic() + STANCE_CV_TIMEOUT
        while self.process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        if self.process.poll() != 0 or not self.out.exists():
            pytest.fail(f"the stance cross-validation process failed ({self.process.poll()}):\n"
                        f"{self.log.read_text(encoding='utf-8', errors='replace')[-3000:]}")
        return np.load(self.out)


@pytest.fixture(scope="session", autouse=True)
def stance_cross_validation(request, tmp_path_factory):
    """Started with the session's first test when tests/corpus/test_stance_goals.py is selected,
    so that its 145 fits overlap with the tests before it (None otherwise)."""
    if not request.config.stash.get(WANTS_STANCE_CV, False):
        yield None
        return
    folder = tmp_path_factory.mktemp("stance-cv")
    log = folder / "log.txt"
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, "-m", "tests.corpus.stance_cv", str(folder / "held_out.npy")],
                                   cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
    yield BackgroundCrossValidation(process, folder / "held_out.npy", log)
    if process.poll() is None:
        process.kill()
        process.wait()
