"""What every search process needs before it answers, made once in the process they fork from.

``bot serve``'s search processes (bot/slack/searching.py) start from a ``forkserver`` that
imports this module first. Importing it imports the search stack (numpy, rapidfuzz, OpenCC,
the index and ranking modules) and builds the process-wide tables every answer reads — the
OpenCC converters (``tw2sp`` to fold, ``t2s``/``s2t`` to detect and display a script, and the
conversions a listed word is also spelled by, which the command words and lexicons use: C++
dictionaries of several MB each), the pinyin reading table and syllables, the sound codes, and, when
the library the environment names (``BOT_SEEDS``, ``BOT_CONFIG``, ``BOT_CACHE_DIR``) is saved, what
opening it builds that is not mapped: its segmenter's dictionary (rjieba's default one plus the
library's words, ~30 MB) and /compare's topic words (``cache.warm``) — then moves every
object made so far into the collector's permanent generation (``gc.freeze``). The processes
forked afterwards share all of those pages with the forkserver and with each other, copy-on-
write, instead of each building its own: the collector never writes to a frozen object's header,
and C-level tables are only read. What stays private to a search process is its library's small
Python part (the mapped files are shared through the page cache anyway). With no saved library
yet (a first start builds it) the processes make their own, as before.

Nothing here holds state of its own: the tables are the ``lru_cache``s of the modules that own
them, filled early.
"""

from __future__ import annotations

import gc

import numpy  # noqa: F401
import rapidfuzz.fuzz  # noqa: F401
import rapidfuzz.process  # noqa: F401

from bot.chars import SCRIPT_CONVERSIONS, TO_SIMPLIFIED, converter
from bot.config import settings_from_env
from bot.search import cache, highlight, index  # noqa: F401
from bot.search.pinyin import readings_table, syllables
from bot.search.sound import syllables_sound
from bot.search.tokenize import rjieba_class

CONVERTERS = tuple(dict.fromkeys((TO_SIMPLIFIED, "t2s", "s2t", *SCRIPT_CONVERSIONS)))


def warm() -> None:
    """Build the shared tables now, then freeze what exists so forked processes never copy it."""
    for config in CONVERTERS:
        converter(config).convert("開源")
    readings_table()
    syllables()
    syllables_sound(["kai", "yuan"])
    rjieba_class()
    try:
        cache.warm(settings_from_env())
    except Exception:  # noqa: BLE001 (a bad config or cache is the search processes' to report, with their library)
        pass
    gc.collect()
    gc.freeze()


warm()
