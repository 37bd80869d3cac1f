"""Near-duplicate passages grouped at build time, so a copy never pushes its original out.

A growing library holds reposts and lightly edited copies of the same paragraph; without
grouping, ten copies of one paragraph fill the first page and the attributed original can
fall below them. Each passage gets a MinHash signature over its folded text's character
bigrams; locality-sensitive hashing (bands of the signature) proposes passages that may be
alike, and a passage joins a group only when its signature agrees with the group's *leader*
on at least ``THRESHOLD`` of its slots (an estimate of bigram Jaccard similarity). Comparing
with the leader, never with any member, means no chains: A~B and B~C never put A with C.

Why bigrams at 0.35: a copy edited every few characters (typos fixed or made, a word swapped,
sentences reordered) keeps 40-55 % of its original's bigrams but only 25-40 % of its
3-shingles, while two different passages of one library rarely share 25 % (measured on the
100x synthetic library: 99.9th percentile of random pairs 0.24). A grouping is only a claim
that the leader can stand for the member: the index shows the leader only when its own score is
close to the member's (``index.GROUP_MARGIN``), so a wrong grouping can never show a passage
that does not match.

Why the signatures are not enough: a passage that reprints the first half of another and goes
on with words of its own (a later article quoting a paragraph, then commenting) shares about a
third of its bigrams with it, as much as a lightly edited copy does. It is not a copy: it is a
different passage that quotes the first, and grouping them would let it stand for the source
(or the source for it). So a pair the signatures propose is checked on the texts themselves:
they must align on at least ``MIN_ALIGNED`` of their characters (rapidfuzz ``fuzz.ratio``, the
normalised Indel similarity: a substitution every five characters keeps 0.8, a copy that keeps
only half of the other text stays near 0.5-0.65). Passages longer than ``ALIGN_CHARS`` are
compared on their first ``ALIGN_CHARS`` characters, so a 1 MB paragraph costs no more than a long one.

Leaders are chosen first in priority order (the caller's: an attributed passage, else the
earliest), so the leader is the member a reply shows.

Written with numpy rather than ``datasketch``: datasketch hashes shingles one Python call at
a time (~9M calls at 100x the seeds, several seconds); here all shingles of the library are
hashed and min-reduced as arrays in well under a second.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
from rapidfuzz import fuzz, process

SHINGLE = 2
PERMUTATIONS = 62
BANDS = 31  # 31 bands of 2 rows: pairs at 0.35 meet in a bucket 98 % of the time, at 0.1 27 %
THRESHOLD = 0.35  # estimated Jaccard similarity of bigram sets to count as copies of one passage
MAX_CHECKS = 128  # leaders compared per passage at most: keeps a library of look-alike passages linear
MIN_ALIGNED = 0.75  # share of two texts' characters that align for them to be copies of one passage
ALIGN_CHARS = 2000
MIN_CHARS = 20  # shorter passages ("对。", a name) say too little to call two of them copies
MERSENNE = np.uint64((1 << 61) - 1)


def signatures(texts: Sequence[str], seed: int = 7) -> np.ndarray:
    """(len(texts), PERMUTATIONS) uint64 MinHash signatures; rows of too-short texts are 0."""
    count = len(texts)
    result = np.zeros((count, PERMUTATIONS), dtype=np.uint64)
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=count)
    usable = lengths >= max(MIN_CHARS, SHINGLE)
    if not usable.any():
        return result
    chosen = [t for t, ok in zip(texts, usable) if ok]
    codes = np.frombuffer("".join(chosen).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    sizes = lengths[usable]
    ends = np.cumsum(sizes)
    # a bigram at every position, then drop those that run past their text's end
    shingles = codes[:-1] * np.uint64(0x9E3779B97F4A7C15) ^ codes[1:]
    valid = np.ones(len(shingles), dtype=bool)
    for k in range(1, SHINGLE):
        valid[ends[ends - k < len(valid)] - k] = False
    owner = np.repeat(np.arange(len(sizes)), sizes)[: len(shingles)]
    shingles, owner = shingles[valid], owner[valid]
    first = np.searchsorted(owner, np.arange(len(sizes)))
    rng = np.random.default_rng(seed)
    a = rng.integers(1, int(MERSENNE), PERMUTATIONS, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, int(MERSENNE), PERMUTATIONS, dtype=np.uint64)
    rows = np.flatnonzero(usable)
    for k in range(PERMUTATIONS):
        hashed = (shingles * a[k] + b[k]) >> np.uint64(3)  # wraps mod 2**64: a fine universal-ish hash
        result[rows, k] = np.minimum.reduceat(hashed, first)
    return result


def aligned(a: str, b: str) -> bool:
    """Do ``a`` and ``b`` align on at least ``MIN_ALIGNED`` of their characters (see the module's docstring)?"""
    a, b = a[:ALIGN_CHARS], b[:ALIGN_CHARS]
    if 2 * min(len(a), len(b)) < MIN_ALIGNED * (len(a) + len(b)):  # too unequal in length to align that well
        return False
    return fuzz.ratio(a, b, score_cutoff=MIN_ALIGNED * 100) > 0


def _proposed(n: int, buckets: list[dict[bytes, list[int]]], keys: list[list[bytes]]) -> list[int]:
    """Leaders sharing a band bucket with passage ``n``, in band order, at most ``MAX_CHECKS``."""
    found: dict[int, None] = {}
    for band, bucket in enumerate(buckets):
        members = bucket.get(keys[band][n])
        if members:
            found.update(dict.fromkeys(members))  # in C: a bucket at a time
            if len(found) >= MAX_CHECKS:
                return list(found)[:MAX_CHECKS]
    return list(found)


def _first_copy(n: int, proposed: list[int], sigs: np.ndarray, need: int, folded: Sequence[str]) -> int:
    """The proposed leader whose signature agrees on ``need`` slots and whose text aligns best
    (``aligned``'s measure, in one rapidfuzz call); -1 if none aligns well enough."""
    if not proposed:
        return -1
    agreeing = np.asarray(proposed)[(sigs[proposed] == sigs[n]).sum(axis=1) >= need].tolist()
    if not agreeing:
        return -1
    texts = [folded[other][:ALIGN_CHARS] for other in agreeing]
    best = process.extractOne(folded[n][:ALIGN_CHARS], texts, scorer=fuzz.ratio, score_cutoff=MIN_ALIGNED * 100)
    return agreeing[best[2]] if best else -1


@dataclass(frozen=True)
class Groups:
    """Which passages are copies of which: ``leader[n]`` is the passage shown for passage ``n``."""

    leader: np.ndarray  # int32, one per passage (a passage alone leads itself)
    members: np.ndarray  # int32 passage numbers sorted by leader, then number
    starts: np.ndarray  # int64: members of the group led by L are members[starts[L]:starts[L+1]]

    ARRAYS = ("leader", "members", "starts")

    @classmethod
    def alone(cls, count: int) -> "Groups":
        numbers = np.arange(count, dtype=np.int32)
        return cls(numbers, numbers, np.arange(count + 1, dtype=np.int64))

    @classmethod
    def build(cls, folded: Sequence[str], priority: Sequence[int]) -> "Groups":
        """Group ``folded`` texts; ``priority`` gives each passage's claim to lead (lower leads)."""
        count = len(folded)
        leader = np.arange(count, dtype=np.int32)
        sigs = signatures(folded)
        rows = PERMUTATIONS // BANDS
        bands = [sigs[:, i * rows:(i + 1) * rows].copy().view(np.dtype((np.void, 8 * rows))).ravel()
                 for i in range(BANDS)]
        keys = [band.tolist() for band in bands]  # bytes per row and band: hashable bucket keys
        buckets: list[dict[bytes, list[int]]] = [{} for _ in range(BANDS)]
        need = int(np.ceil(THRESHOLD * PERMUTATIONS))
        for n in sorted(range(count), key=lambda i: (priority[i], i)):
            if len(folded[n]) < MIN_CHARS:
                continue
            found = _first_copy(n, _proposed(n, buckets, keys), sigs, need, folded)
            if found >= 0:
                leader[n] = found
            else:
                for band in range(BANDS):
                    buckets[band].setdefault(keys[band][n], []).append(n)
        order = np.lexsort((np.arange(count), leader)).astype(np.int32)
        starts = np.zeros(count + 1, dtype=np.int64)
        np.cumsum(np.bincount(leader, minlength=count), out=starts[1:])
        return cls(leader, order, starts)

    def members_of(self, leader: int) -> np.ndarray:
        return self.members[self.starts[leader]:self.starts[leader + 1]]

    def arrays(self) -> dict[str, np.ndarray]:
        return {name: getattr(self, name) for name in self.ARRAYS}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> "Groups":
        return cls(*(arrays[name] for name in cls.ARRAYS))
