"""Word segmentation for the peers: jieba's default dictionary, HMM off, through rjieba when installed.

rjieba (jieba-rs) gives the same tokens as jieba with HMM off and is ~10x faster, so the tantivy
peer gets the fastest honest segmenter; that only makes its latency, and our ratio to it,
harder to beat. ``bench/scale.py`` checks the token agreement on the corpus it measures.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Callable


@lru_cache(maxsize=2)
def segmenter(name: str = "auto") -> tuple[str, Callable[[str], list[str]]]:
    """(name, cut) where cut(text) -> words; ``name`` is "auto", "rjieba" or "jieba"."""
    if name in ("auto", "rjieba"):
        try:
            import rjieba

            return "rjieba", lambda text: rjieba.cut(text, False)
        except ImportError:
            if name == "rjieba":
                raise
    import jieba

    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return "jieba", lambda text: tokenizer.lcut(text, HMM=False)
