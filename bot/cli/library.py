"""The library a `bot` command reads: the cleaned corpus, or the saved index, with one warning per problem."""

from __future__ import annotations

import sys
from pathlib import Path

from bot.config import Settings
from bot.corpus.models import Corpus


def load_library_corpus(settings: Settings) -> Corpus:
    from bot.corpus.loader import load_corpus  # here, not at the top: reading articles loads attribution and
    # jieba's tagger (0.6 s), which `bot ask` on a saved library, `bot --help` and every usage error never need

    corpus = load_corpus(settings.seeds_dir, settings.config_dir)
    for problem in corpus.problems:
        print(f"warning: {problem}", file=sys.stderr)
    return corpus


def load_library(settings: Settings):
    """The saved library when it matches the seeds, config and code (see `bot index build`).

    A seeds folder that is missing or holds no article gets one warning, not one per problem:
    every answer will then be empty, and the user should know why before reading it.
    """
    from bot.search.cache import load_library as load_saved_library

    library = load_saved_library(settings)
    folder = str(settings.seeds_dir)
    problems = list(library.corpus.problems)
    if not library.corpus.documents:
        missing = not Path(folder).is_dir()
        problems = [p for p in problems if not str(p).startswith(folder + ":")]
        why = "not found" if missing else "holds no article the bot can read (.txt, .md, .html)"
        problems.insert(0, f"the seeds folder {folder} {why}: the library is empty (set BOT_SEEDS to a folder of articles)")
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    return library
