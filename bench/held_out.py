"""Held-out /quote cases made by rule from the seed passages, for libraries of any size.

The dev set (``../shared/eval/dev.yaml``) is public and was tuned on; a benchmark of how the
bot scales must not reuse its strings. These cases are cut from the seeds' own cleaned
passages by a seeded rule, so they are as many as asked for, the same on every run, and say
nothing about any one passage. Every case's answer is the ORIGINAL seed passage: in a
generated library the same words also sit in edited copies, and the point is to find the
source, not a copy.

Kinds (each a way a user half-remembers a sentence):

- ``exact``: 12-24 characters copied from the passage;
- ``cross-script``: the same, converted to the other script (Simplified <-> Traditional);
- ``typo``: 14-26 characters with one character substituted, dropped or swapped with its
  neighbour, so that no passage holds the query as it is;
- ``fragment``: the start and the end of a 20-36 character stretch with its middle left out
  (a user who remembers how a sentence began and ended).

A stretch is only used when it occurs in exactly one seed passage (after folding), is mostly
Han text, and shares no string with the dev set's queries and answers (checked when the dev
file is given): the cases stay held out.
"""

from __future__ import annotations

import functools
import random
from dataclasses import asdict
from pathlib import Path
from typing import Iterable, Sequence

import opencc
import yaml

from bench.cases import QuoteCase
from bot.chars import is_han
from bot.search.normalise import fold

KINDS = ("exact", "cross-script", "typo", "fragment")
LENGTHS = {"exact": (12, 24), "cross-script": (12, 24), "typo": (14, 26), "fragment": (20, 36)}
FRAGMENT_KEEP = (6, 9)  # characters kept at each end of a fragment's stretch
MIN_HAN_SHARE = 0.7
MIN_PASSAGE_HAN = 30
ATTEMPTS_PER_CASE = 200


@functools.lru_cache(maxsize=None)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def other_script(text: str) -> str | None:
    """``text`` in the other script, or None when neither direction changes it."""
    for config in ("s2t", "t2s"):
        converted = _converter(config).convert(text)
        if converted != text:
            return converted
    return None


def misspell(text: str, rng: random.Random, pool: str) -> str:
    """One typo on a Han character away from the ends: substituted (60 %), dropped (20 %) or swapped (20 %)."""
    inner = [i for i in range(1, len(text) - 1) if is_han(text[i])]
    if not inner:
        return text
    i = rng.choice(inner)
    roll = rng.random()
    if roll < 0.2 and is_han(text[i + 1]) and text[i + 1] != text[i]:
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    if roll < 0.4:
        return text[:i] + text[i + 1:]
    replacement = rng.choice(pool)
    while replacement == text[i]:
        replacement = rng.choice(pool)
    return text[:i] + replacement + text[i + 1:]


def dev_strings(dev: Path | None) -> list[str]:
    """Every query and answer of the dev set, folded (empty when there is no dev file)."""
    if dev is None or not Path(dev).exists():
        return []
    data = yaml.safe_load(Path(dev).read_text(encoding="utf-8")) or {}
    found = []
    for section in data.values():
        for case in section if isinstance(section, list) else []:
            if isinstance(case, dict):
                found += [fold(str(case[k])) for k in ("query", "expect") if case.get(k)]
    return [s for s in found if s]


def _stretch(text: str, rng: random.Random, length: int) -> str | None:
    """A stretch of ``length`` characters starting on a Han character and mostly Han, or None."""
    if len(text) < length:
        return None
    starts = [i for i in range(len(text) - length + 1) if is_han(text[i])]
    if not starts:
        return None
    start = rng.choice(starts)
    stretch = text[start:start + length].strip()
    han = sum(1 for ch in stretch if is_han(ch))
    return stretch if han >= MIN_HAN_SHARE * len(stretch) else None


def make_cases(passages: Sequence, per_kind: int = 25, seed: int = 0, exclude: Iterable[str] = ()) -> list[QuoteCase]:
    """``per_kind`` cases of each kind from ``passages`` (objects with ``doc_id`` and ``text``)."""
    rng = random.Random(f"held-out:{seed}")
    folded = [fold(p.text) for p in passages]
    usable = [i for i, p in enumerate(passages) if sum(1 for ch in p.text if is_han(ch)) >= MIN_PASSAGE_HAN]
    if not usable:
        raise ValueError("no passage has enough Han text to cut cases from")
    pool = "".join(ch for i in usable for ch in passages[i].text if is_han(ch))
    excluded = [e for e in exclude if e]
    seen: set[str] = set()
    cases: list[QuoteCase] = []
    for kind in KINDS:
        made = 0
        for _attempt in range(per_kind * ATTEMPTS_PER_CASE):
            if made == per_kind:
                break
            number = rng.choice(usable)
            stretch = _stretch(passages[number].text, rng, rng.randint(*LENGTHS[kind]))
            key = fold(stretch or "")
            if not key or key in seen or sum(key in text for text in folded) != 1:
                continue
            if any(key in e or e in key for e in excluded):
                continue
            query = _query(kind, stretch, rng, pool)
            if query is None or (kind == "typo" and any(fold(query) in text for text in folded)):
                continue
            seen.add(key)
            made += 1
            cases.append(QuoteCase(f"{kind}-{made:02d}", kind, query, passages[number].doc_id, stretch))
    return cases


def _query(kind: str, stretch: str, rng: random.Random, pool: str) -> str | None:
    if kind == "exact":
        return stretch
    if kind == "cross-script":
        return other_script(stretch)
    if kind == "typo":
        typo = misspell(stretch, rng, pool)
        return typo if typo != stretch else None
    keep = rng.randint(*FRAGMENT_KEEP)
    return f"{stretch[:keep]}…{stretch[-keep:]}" if len(stretch) > 2 * keep + 3 else None


def seed_cases(seeds_dir: Path, config_dir: Path, dev: Path | None, per_kind: int = 25, seed: int = 0) -> list[QuoteCase]:
    """Cases from the seeds' cleaned passages, as the bot's own loader cleans them."""
    from bot.corpus.loader import load_corpus

    corpus = load_corpus(seeds_dir, config_dir)
    return make_cases(list(corpus.passages), per_kind, seed, dev_strings(dev))


def to_json(cases: list[QuoteCase]) -> list[dict]:
    return [asdict(c) for c in cases]


def from_json(items: list[dict]) -> list[QuoteCase]:
    return [QuoteCase(**item) for item in items]
