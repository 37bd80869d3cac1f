"""config/attribution.yaml: the words attribution reads speech by, in both scripts.

The file lists each Chinese word once, in Simplified; loading adds its Traditional spellings
(OpenCC s2t, s2tw, s2hk), so every pattern built here matches either script without folding the
text (offsets into the passage stay true). The patterns are compiled once per loaded lexicon and
handed down explicitly; nothing is kept at module level.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import jieba

from bot.chars import converter, script_spellings
from bot.config import ConfigError, config_file, read_parsed

LEXICON_FILE = "attribution.yaml"
MASK = "\ufffc"  # stands in for quoted characters in the masked copy; matches no pattern
SENTENCE_END = "。！？!?；;"
CLAUSE_BREAK = SENTENCE_END + "，,、：:"
COLONS = ":："
TRAILING_NOISE = ' \t\u3000。！？!?；;，,、：:…”」』"’)）'
DASH = r"(?:——|—|―|--|－－)"  # before the name that signs words: “…”——韩亦舟, 。——韩亦舟（主播）
# Who a description is: one counted (一位, 这家), several (们, 多家, 各), owned by a pronoun (他的发言人),
# or pointed back to (该公司, 这家协会). Read by described.py and by people.py (a body's full name).
COUNTING = re.compile(r"[一这那该某每這該][位名家个個间間所]")
PLURAL = re.compile(r"们|們|多位|几位|幾位|数位|數位|多家|几家|幾家|数家|數家|不少|一些|部分|许多|許多|诸多|諸多|众多|眾多|^有(?!一[位名个個])|^各")
PRONOUN_OWNERS = re.compile(r"[他她它其我你您佢]")  # 他的发言人: whose spokesperson we cannot say
POINTERS = re.compile(r"^(?:[这那该此這該本][家个個间間所]?|其)")  # 该公司, 这家协会: a body pointed back to

LIST_KEYS = (
    "speech_verbs opinion_verbs quoting_verbs english_verbs speech_nouns adverbs roles honorifics "
    "compound_surnames not_names question_labels answer_labels host_labels non_person_labels byline_labels "
    "addressees reporter_labels own_outlet_words unnamed_person_ends next_sentence_markers transcript_markers transcript_openers person_pronouns pronoun_not_before pronoun_not_after "
    "group_pronouns self_pronouns role_anaphors self_introductions reply_markers writer_labels author_notes name_followers salutations opinion_bylines owned_documents opinion_titles nickname_prefixes surname_nickname_prefixes colon_speech_verbs askers reply_verbs narration_labels label_parts sender_labels organisations addressing_verbs hearing_verbs issuing_bodies teacher_credits teacher_labels handle_labels english_roles organisation_kinds reply_labels statement_labels source_prepositions relation_words anonymous_sources comment_headings caps_labels_not_names departments family_titles letter_verbs own_words_nouns saying_nouns spoken_to_words receiving_verbs english_post_labels interviewing_verbs nickname_titles column_sources speech_occasions"
).split()


def alternation(words) -> str:
    """A regex alternative of words, longest first; a Latin word must stand whole (Meta, not metaverse)."""
    return _alternation(frozenset(words))


@functools.lru_cache(maxsize=1024)
def _alternation(words: frozenset[str]) -> str:
    """Built once per word list: readers ask for the same few lists for every passage."""
    return "|".join(word_pattern(w) for w in sorted(words, key=lambda w: (-len(w), w)))


class WordScanner:
    """``finditer`` over alternations of words (``word_pattern``), with the matches re gives, found
    several times faster. Why: a Latin word's guard (a lookbehind) and ignoring case keep re from
    scanning for the words' first letters, so it tries every word at every position of the text;
    this tries them only where one of their first letters stands (a class re does scan for).

    ``parts``: (compiled alternation of ``word_pattern``s, its words in the alternation's order)
    pairs. Several parts stand for one alternation of all their words sorted longest first, an
    earlier part's word first among words of equal length: where two parts match at one position,
    the longest word wins (read from the part compiled again with a group per word, which is rare),
    so a part compiled once (the listed speakers) serves every article's book."""

    def __init__(self, parts: list[tuple[re.Pattern[str], tuple[str, ...]]]):
        self.parts = tuple(parts)
        firsts = {w[:1] for _pattern, words in parts for w in words}
        flags = re.IGNORECASE if any(p.flags & re.IGNORECASE for p, _w in parts) else 0
        self._starts = None if any(not f or f.isspace() for f in firsts) else re.compile(
            "[" + "".join(re.escape(f) for f in sorted(firsts)) + "]", flags)

    def finditer(self, text: str):
        if len(self.parts) == 1 and self._starts is None:
            yield from self.parts[0][0].finditer(text)
            return
        pos, length = 0, len(text)
        while pos <= length:
            if self._starts is not None:
                start = self._starts.search(text, pos)
                if start is None:
                    return
                pos = start.start()
            found = self._match(text, pos)
            if found is None:
                pos += 1
                continue
            yield found
            pos = found.end() if found.end() > pos else pos + 1

    def _match(self, text: str, pos: int) -> re.Match[str] | None:
        if len(self.parts) == 1:
            return self.parts[0][0].match(text, pos)
        matched = [(pattern, words) for pattern, words in self.parts if pattern.match(text, pos)]
        if len(matched) <= 1:
            return matched[0][0].match(text, pos) if matched else None
        best, best_length = None, -1
        for pattern, words in matched:
            found = _grouped(words, pattern.flags).match(text, pos)
            if len(words[found.lastindex - 1]) > best_length:
                best, best_length = found, len(words[found.lastindex - 1])
        return best


@functools.lru_cache(maxsize=16)
def _grouped(words: tuple[str, ...], flags: int) -> re.Pattern[str]:
    """The alternation of ``words`` with a group per word: which one matched."""
    return re.compile("|".join(f"({word_pattern(w)})" for w in words), flags)


def word_pattern(word: str) -> str:
    escaped = re.escape(word).replace(r"\ ", r"\s*")
    before = r"(?<![A-Za-z0-9])" if word[:1].isascii() and word[:1].isalnum() else ""
    after = r"(?![A-Za-z0-9])" if word[-1:].isascii() and word[-1:].isalnum() else ""
    return f"{before}{escaped}{after}"


@dataclass(frozen=True)
class Lexicon:
    """Every word list of config/attribution.yaml, in both scripts, and the patterns built on them."""

    words: dict[str, frozenset[str]]
    not_speech_before: dict[str, tuple[str, ...]]
    not_speech_after: dict[str, tuple[str, ...]]
    frames: tuple[tuple[str, str], ...]
    surnames: frozenset[str]  # single-character surnames; compound ones are in words

    def __getitem__(self, key: str) -> frozenset[str]:
        return self.words[key]

    @functools.cached_property
    def cue_words(self) -> frozenset[str]:
        w = self.words
        return w["speech_verbs"] | w["opinion_verbs"] | w["quoting_verbs"] | w["speech_nouns"] | w["english_verbs"]

    @functools.cached_property
    def cue_re(self) -> WordScanner:
        return WordScanner([(re.compile(alternation(self.cue_words), re.IGNORECASE), tuple(self.cue_words))])

    @functools.cached_property
    def addressee_colon_re(self) -> re.Pattern[str]:
        """An addressee (我, 记者, 大家) and a colon right after a verb that speaks only before a
        colon: 一位老股东当面问我：“…” speaks as 问：“…” does."""
        return re.compile(rf"(?:{alternation(self['addressees'])})\s*[{COLONS}]")

    @functools.cached_property
    def adverbs(self) -> str:
        return f"(?:{alternation(self['adverbs'])})"

    @functools.cached_property
    def roles(self) -> str:
        return f"(?:{alternation(self['roles'])})"

    @functools.cached_property
    def person_role_words(self) -> frozenset[str]:
        """Words that end the description of one person: the roles, and the longer words for
        someone unnamed (官员, 人士; not 者 or 人, which end sentences too: 最怕的是两种人)."""
        return self["roles"] | self["relation_words"] | {w for w in self["unnamed_person_ends"] if len(w) > 1}

    @functools.cached_property
    def compound_role(self) -> str:
        """A role word, and any role words of two characters or more right after it (志愿者代表): the
        description runs to the last of them."""
        longer = alternation(w for w in self.person_role_words if len(w) >= 2)
        return rf"(?:{alternation(self.person_role_words)})(?:{longer})*"

    @functools.cached_property
    def family_title_map(self) -> dict[str, str]:
        """Every word for a family relation (爸爸, 父親, 老媽) -> the relation it names (父亲)."""
        titles = {}
        for entry in self["family_titles"]:
            words = entry.split()
            titles.update({word: words[0] for word in words})
        return titles

    @functools.cached_property
    def family_word_re(self) -> re.Pattern[str]:
        """What a family member is called in a story (老爸, 我妈, 你妈妈): ``family_titles``' words of two
        characters or more after the relation, perhaps after 我/你."""
        words = [w for entry in self["family_titles"] for w in entry.split()[1:] if len(w) >= 2]
        return re.compile(rf"(?:[我你][的]?)?(?P<word>{alternation(words)})" if words else r"(?!x)x")

    @functools.cached_property
    def own_words_re(self) -> re.Pattern[str]:
        """我…发过一句话：“ — the writer, a speech word, a colon: see flow._own_words_again."""
        words = alternation(self["speech_verbs"] | self["speech_nouns"] | self["colon_speech_verbs"] | self["saying_nouns"])
        return re.compile(rf"(?P<before>.?)我(?![们們])(?P<between>[^。！？!?，,；;“”「」]{{0,12}}?)(?:{words})[^。！？!?，,；;“”「」]{{0,4}}[：:]\s*[“「『\"]?$")

    @functools.cached_property
    def heard_re(self) -> re.Pattern[str]:
        """Taking in someone else's words (听到, 看到, 收到…): ``hearing_verbs`` and ``receiving_verbs``."""
        return re.compile(alternation(self["hearing_verbs"] | self["receiving_verbs"]))

    @functools.cached_property
    def person_role_end_re(self) -> re.Pattern[str]:
        """A text ending in one of ``person_role_words`` (部委研究机构的研究员, 一位不愿具名的人士)."""
        return re.compile(rf"(?:{alternation(self.person_role_words)})$")

    @functools.cached_property
    def organisation_word_re(self) -> re.Pattern[str]:
        """The kinds of ``organisations`` of two characters or more, anywhere (协会, 课题组)."""
        return re.compile(alternation(w for w in self["organisations"] if len(w) >= 2))

    @functools.cached_property
    def organisation_end_re(self) -> re.Pattern[str]:
        """A text ending in one of ``organisations`` (课题组, 衛生主管機關, 东岸软件协会): a body that
        speaks as one."""
        return re.compile(rf"(?:{alternation(self['organisations'])})$")

    @functools.cached_property
    def role_anywhere_re(self) -> re.Pattern[str]:
        """Any role word, without ``roles``' word borders: it matches wherever ``roles`` matches in
        any stretch of a text (a quick test that a stretch holds no role at all)."""
        return re.compile("|".join(re.escape(w).replace(r"\ ", r"\s*") for w in self["roles"]))

    @functools.cached_property
    def surname(self) -> str:
        compound = alternation(self["compound_surnames"])
        return f"(?:{compound}|[{''.join(sorted(self.surnames))}])"

    @functools.cached_property
    def person_pronoun_re(self) -> re.Pattern[str]:
        before = "".join(self["pronoun_not_before"])
        after = "".join(self["pronoun_not_after"])
        return re.compile(
            rf"(?<![{before}])(?:{alternation(self['person_pronouns'])})(?![{after}])|\b(?:[Hh]e|[Ss]he)\b"
        )

    @functools.cached_property
    def role_anaphor_re(self) -> re.Pattern[str]:
        """这位Halden AI的联合创始人兼首席执行官: a role named with 这位/该, standing for the person
        named last, as 他/她 does."""
        if not self["role_anaphors"]:
            return re.compile(r"(?!x)x")
        roles = alternation(self.person_role_words)
        # …and 该 right before a role word (该负责人), not 该公司的分析师 (the firm is pointed back to)
        return re.compile(rf"(?:{alternation(self['role_anaphors'])})[^{CLAUSE_BREAK}{MASK}]{{0,20}}?(?:{roles})|(?<![应應])该(?:{roles})|(?<![應])該(?:{roles})")

    @functools.cached_property
    def group_pronoun_re(self) -> re.Pattern[str]:
        return re.compile(rf"{alternation(self['group_pronouns'])}|\b(?:[Tt]hey|[Ii]t)\b")

    @functools.cached_property
    def self_pronoun_re(self) -> re.Pattern[str]:
        return re.compile(rf"{alternation(self['self_pronouns'])}|\b(?:I|[Ww]e|[Yy]ou)\b")

    @functools.cached_property
    def qi_subject_re(self) -> re.Pattern[str]:
        """其 as the subject of a speech verb (其表示, 其坦言): a pronoun for the last person named."""
        verbs = alternation(self["speech_verbs"] | self["opinion_verbs"])
        return re.compile(rf"其(?={self.adverbs}*(?:{verbs}))")

    @functools.cached_property
    def frame_re(self) -> re.Pattern[str]:
        """在X看来 / 据X介绍 / 正如X所言: group ``who`` is the name, ``tail`` the closing word."""
        by_before: dict[str, set[str]] = {}
        for before, after in self.frames:
            by_before.setdefault(before, set()).add(after)
        parts = [
            rf"(?:{word_pattern(b)})(?P<who{i}>[^{CLAUSE_BREAK}{MASK}]{{1,24}}?)(?P<tail{i}>{alternation(a)})"
            for i, (b, a) in enumerate(sorted(by_before.items()))
        ]
        return re.compile("|".join(parts))

    @functools.cached_property
    def frame_openers(self) -> frozenset[str]:
        """The words a frame opens with (在, 据, 正如…), in Simplified."""
        return frozenset(self.simplified(before) for before, _after in self.frames)

    def simplified(self, text: str) -> str:
        """The text in Simplified, character for character (jieba reads Simplified best); the text
        itself when the conversion would change its length, so offsets always carry over."""
        converted = converter("t2s").convert(text)
        return converted if len(converted) == len(text) else text

    def label_role(self, label: str) -> str | None:
        """"question", "answer" or None for a turn label (问, Q, 记者, 答, A…)."""
        folded = label.strip().casefold()
        if folded in {w.casefold() for w in self["question_labels"]}:
            return "question"
        if folded in {w.casefold() for w in self["answer_labels"]}:
            return "answer"
        return None


def asker_labels(config_dir: Path | None = None) -> frozenset[str]:
    """The turn labels that stand for whoever asks (问, Q, 记者, 主持人…), in both scripts, as listed
    in config/attribution.yaml's ``question_labels``: the one definition, which stance's asides
    read too (fold them as you fold the text; Latin ones are matched case-blind)."""
    return load_lexicon(config_dir)["question_labels"]


def jieba_frequency() -> dict[str, int]:
    """jieba's word frequencies (its dictionary loaded on first use): how common a word is."""
    jieba.dt.check_initialized()
    return jieba.dt.FREQ


def parse_lexicon(data: dict, path: Path | str = LEXICON_FILE) -> Lexicon:
    def expand(values, key: str) -> frozenset[str]:
        if not isinstance(values, list):
            raise ConfigError(path, f"'{key}' must be a list of words")
        return frozenset(v for w in values if str(w).strip() for v in script_spellings(str(w).strip()))

    def cue_map(key: str) -> dict[str, tuple[str, ...]]:
        table = data.get(key) or {}
        if not isinstance(table, dict):
            raise ConfigError(path, f"'{key}' must map a word to a list of neighbours")
        result: dict[str, tuple[str, ...]] = {}
        for word, neighbours in table.items():
            for spelling in script_spellings(str(word)):
                result[spelling] = tuple(sorted(expand(neighbours or [], key)))
        return result

    words = {key: expand(data.get(key) or [], key) for key in LIST_KEYS}
    words["speech_verbs"] = words["speech_verbs"] | words["colon_speech_verbs"]
    frames = data.get("frames") or []
    if not all(isinstance(f, list) and len(f) == 2 for f in frames):
        raise ConfigError(path, "each of 'frames' must be a pair [before, after]")
    frame_set = {
        (b, a)
        for before, after in frames
        for b in script_spellings(str(before))
        for a in script_spellings(str(after))
    }
    surnames = "".join(str(data.get("surnames") or "").split())
    return Lexicon(
        words,
        cue_map("not_speech_before"),
        cue_map("not_speech_after"),
        tuple(sorted(frame_set)),
        frozenset(c for s in surnames for c in script_spellings(s)),
    )


def load_lexicon(config_dir: Path | None = None) -> Lexicon:
    """The lexicon in ``config_dir`` (the bundled config/ when None or without it), read once per file version."""
    return read_parsed(config_file(config_dir, LEXICON_FILE), parse_lexicon)
