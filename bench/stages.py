"""Where start-up time goes: the library load split into stages, by wrapping functions in this process only.

``Library.load`` is one call; to decide between the levers (faster segmentation, faster
cleaning, a saved index) we need its parts: the character model the mojibake repair loads,
the repair itself, the rest of cleaning and attribution, folding, segmentation, the remaining
analysis (readings), and postings/BM25. The wrappers replace module attributes of this
benchmark process for the duration of one load and are removed afterwards; no source file
changes. A stage whose function is renamed upstream simply reads 0 and is reported as
"not measured" rather than failing the run.
"""

from __future__ import annotations

import time
from contextlib import ExitStack, contextmanager
from typing import Iterator

from bench.measure import Stages


@contextmanager
def _wrapped(module, attribute: str, stages: Stages, name: str) -> Iterator[bool]:
    original = getattr(module, attribute, None)
    if original is None:
        yield False
        return

    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            stages.add(name, time.perf_counter() - started)

    setattr(module, attribute, timed)
    try:
        yield True
    finally:
        setattr(module, attribute, original)


@contextmanager
def _timed_make_tokenizer(module, stages: Stages) -> Iterator[None]:
    """Time building the segmenter (copying jieba's dictionary, adding our words)."""
    with _wrapped(module, "make_tokenizer", stages, "segmenter dictionary"):
        yield


@contextmanager
def _timed_jieba(stages: Stages) -> Iterator[None]:
    """Time jieba's cutting at the class, so the library keeps genuine, picklable tokenizers.

    ``tokenize`` and ``cut_for_search`` call ``cut`` themselves: only the outermost call is
    timed, so every cut counts once whichever entry point the index uses. Generators are
    drained inside the timer.
    """
    import jieba

    names = ("cut", "lcut", "tokenize", "cut_for_search")
    originals = {name: getattr(jieba.Tokenizer, name) for name in names if hasattr(jieba.Tokenizer, name)}
    depth = [0]

    def timing(method):
        def timed(self, *args, **kwargs):
            if depth[0]:
                return method(self, *args, **kwargs)
            depth[0] += 1
            started = time.perf_counter()
            try:
                return list(method(self, *args, **kwargs))
            finally:
                depth[0] -= 1
                stages.add("segmentation (jieba)", time.perf_counter() - started)
        return timed

    for name, method in originals.items():
        setattr(jieba.Tokenizer, name, timing(method))
    try:
        yield
    finally:
        for name, method in originals.items():
            setattr(jieba.Tokenizer, name, method)


@contextmanager
def load_stages(stages: Stages) -> Iterator[None]:
    """Wrap the loader and index functions worth timing for one ``Library.load``."""
    from bot.corpus import loader
    from bot.search import index

    with ExitStack() as stack:
        stack.enter_context(_wrapped(loader, "repair_mojibake", stages, "mojibake repair"))
        stack.enter_context(_wrapped(index, "fold_with_offsets", stages, "fold"))
        stack.enter_context(_wrapped(index, "analyse", stages, "analysis (segmentation + readings)"))
        stack.enter_context(_timed_make_tokenizer(index, stages))
        stack.enter_context(_timed_jieba(stages))
        yield
