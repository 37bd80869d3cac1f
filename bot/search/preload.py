"""What every search process needs before it answers, made once in the process they fork from.

``bot serve``'s search processes (bot/slack/searching.py) start from a ``forkserver`` that
imports this module first. Importing it imports the search stack (numpy, rapidfuzz, OpenCC,
the index and ranking modules) and builds the process-wide tables every answer reads — the
OpenCC converters (``tw2sp`` to fold, ``t2s``/``s2t`` to detect and display a script, and the
conversions a listed word is also spelled by, which the command words and lexicons use: C++
dictionaries of several MB each), the pinyin reading table and syllables, the sound codes — then moves every
object made so far into the collector's permanent generation (``gc.freeze``). The processes
forked afterwards share all of those pages with the forkserver and with each other, copy-on-
write, instead of each building its own: the collector never writes to a frozen object's header,
and C-level tables are only read. What stays private to a search process is its library (mapped
files, shared through the page cache anyway) and its segmenter.

Nothing here holds state of its own: the tables are the ``lru_cache``s of the modules that own
them, filled early.
"""

from __future__ import annotations

import gc

import numpy  # noqa: F401
import rapidfuzz.fuzz  # noqa: F401
import rapidfuzz.process  # noqa: F401

from bot.chars import SCRIPT_CONVERSIONS, TO_SIMPLIFIED, converter
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
    gc.collect()
    gc.freeze()


warm()
