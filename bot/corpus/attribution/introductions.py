"""People and bodies an article introduces without a speech verb at their name: the full name
of a body its bare kind later stands for (协会, 课题组), a role with a code letter (审查委员甲,
受访者A), someone brought in by 叫/名叫, a name right after a role where jieba tags no person
(院长贺明远在…), a short name the article says it will use (以下简称“郑”), and a romanised name
with its Chinese one in brackets. people.py's discovery adds them to the article's book.
"""

from __future__ import annotations

import functools
import re

import jieba

from bot.chars import HAN_CLASS
from bot.corpus.attribution.lexicon import (
    CLAUSE_BREAK,
    COUNTING,
    PLURAL,
    POINTERS,
    PRONOUN_OWNERS,
    MASK,
    Lexicon,
    WordScanner,
    alternation,
    jieba_frequency,
)
from bot.corpus.attribution.names import COMMON_WORD, LATIN_NAME, name_ending_at, plausible_name

# X（以下简称“郑”） / X（下称Y）: the name the rest of the article uses for X.
HEREAFTER = re.compile(r"[（(](?:以下|下文|下)?(?:简称|簡稱|称|稱)[“\"「『]?(?P<alias>[^”\"」』）)，,]{1,8})[”\"」』]?[)）]")
MAX_BODY_NAME = 10  # characters of a body's own name before its kind (鲤门数智产业 + 协会)
BODY_NAME_OPENERS = CLAUSE_BREAK + " \t\u3000）)」』”】和与與及"  # where a body's full name may start
CODES = "甲乙丙丁戊己庚辛"  # reviewers or witnesses the text keeps anonymous: 審查委員甲, 证人乙
CODE = rf"(?:[{CODES}]|[A-Z](?![A-Za-z0-9]))"  # … or a capital letter: 受访者A, 用户B


# Words that make what stands before a body's kind a clause, not its name (开放模型可由政府人员检视).
CLAUSE_WORDS = re.compile(r"[由被把将將可让讓给給是]")


def named_bodies(maskeds: list[str], lex: Lexicon) -> dict[str, str]:
    """鲤门数智产业协会今日发表…。…协会建议… — the full name of each kind of body the article names
    where a clause starts or after 和/与 (``organisations``: 协会, 课题组), so the bare word later stands
    for it; a kind two bodies of the article share stands for neither. kind -> full name (read from
    the masked copies of the article's passages)."""
    found: dict[str, set[str]] = {}
    for masked in maskeds:
        for kind in lex.organisation_word_re.finditer(masked):
            before = masked[max(0, kind.start() - MAX_BODY_NAME) : kind.start()]
            opened = max((before.rfind(c) for c in BODY_NAME_OPENERS), default=-1)
            if opened < 0 and kind.start() > MAX_BODY_NAME:
                continue  # no clause starts close enough before it
            name = before[opened + 1 :]
            if len(name) >= 2 and re.fullmatch(f"[{HAN_CLASS}]+", name) and not (
                POINTERS.match(name) or PLURAL.search(name) or PRONOUN_OWNERS.search(name) or COUNTING.search(name)
                or CLAUSE_WORDS.search(name)  # 开放模型可由政府人员…: a clause, not a body's name
            ):
                found.setdefault(kind.group(), set()).add(name + kind.group())
    return {kind: names.pop() for kind, names in found.items() if len(names) == 1}


def coded_names(masked: str, lex: Lexicon) -> dict[str, str]:
    """審查委員甲 / 证人乙 / 受访者A: a role and a code letter (甲乙丙…, or a capital) at a clause's start stand for one
    person the text will not name; the name is the phrase as written (up to four characters before
    the role), and the role with its letter (委員甲) its short form. short form -> name."""
    found: dict[str, str] = {}
    if not re.search(CODE, masked):
        return found
    pattern = rf"(?:^|(?<=[{CLAUSE_BREAK}{MASK}\s」』”】]))(?P<name>[{HAN_CLASS}]{{0,4}}?(?P<short>(?:{alternation(lex.person_role_words)}){CODE}))(?![{CODES}])"
    for match in re.finditer(pattern, masked):
        found.setdefault(match.group("short"), match.group("name"))
    return found


@functools.lru_cache(maxsize=8)
def opening_with(pattern: str, words: frozenset[str]) -> WordScanner:
    """``pattern``, which opens with an alternation of ``words``, compiled once and scanned only
    where one of the words' first letters stands (the same matches as ``re.finditer``, faster)."""
    return WordScanner([(re.compile(pattern), tuple(words))])


def called_names(masked: str, lex: Lexicon) -> list[str]:
    """我有个朋友叫杭小舟，他… / 一位名叫苏婉清的护士: a person brought in by 叫 or 名叫 and a name
    (a surname and one or two characters) that ends its clause or comes before 的: a name no verb
    stands after, so a later 他 is them. 大家叫他古老板: what others call someone (叫他/她), a surname
    and a title of ``honorifics``, is their name in the text too."""
    titled = rf"{lex.surname}(?:{alternation(lex['honorifics'])})"
    pattern = (
        rf"(?:名叫|叫做|叫作|(?<![大都也还還就])叫)(?:(?P<name>{lex.surname}[{HAN_CLASS}]{{1,2}}?)|(?:他|她)(?P<titled>{titled}))"
        rf"(?=[{CLAUSE_BREAK}]|的|$)"
    )
    return [
        m.group("titled") or m.group("name")
        for m in re.finditer(pattern, masked)
        if m.group("titled") or plausible_name(m.group("name"), lex)
    ]


def role_names(masked: str, lex: Lexicon) -> list[tuple[int, int, str]]:
    """营运总裁邓浩然则持相反看法 / 院长贺明远在典礼上: a surname and one or two characters right
    after a role, where jieba tagged no person (浩然 is also a word). The name's length is the one
    that a listed follower (则, 在, 表示, …) comes right after, three characters first; a follower
    is never the name's last character (总裁王强则表示 is 王强)."""
    followers = lex["name_followers"]
    longest = max((len(f) for f in followers), default=1)
    found = []
    for match in opening_with(rf"(?:{lex.roles})\s?(?={lex.surname})", lex["roles"]).finditer(masked):
        start = match.end()
        for size in (3, 2):
            name = masked[start : start + size]
            after = masked[start + size : start + size + longest]
            if (
                len(name) == size
                and re.fullmatch(rf"{lex.surname}[{HAN_CLASS}]+", name)
                and name[-1] not in followers
                and any(after.startswith(f) for f in followers)
                and name not in lex["not_names"]
                and not re.search(lex.roles, name)
            ):
                found.append((start, start + size, name))
                break
        else:
            if name := _name_standing_alone(masked, start, lex):
                found.append((start, start + len(name), name))
    return found


def _name_standing_alone(masked: str, start: int, lex: Lexicon) -> str | None:
    """研究生高若绮上台时哭了: a surname and two characters right after a role, with no listed
    follower, are a name when they make no common word (neither half is one) and jieba's cut of the
    words after them starts a new word right where the name ends."""
    name = masked[start : start + 3]
    if len(name) < 3 or not re.fullmatch(rf"{lex.surname}[{HAN_CLASS}]{{2}}", name) or not plausible_name(name, lex):
        return None
    simplified = lex.simplified(masked[start : start + 6])
    frequency = jieba_frequency()
    if frequency.get(simplified[:2], 0) >= COMMON_WORD or frequency.get(simplified[1:3], 0) >= COMMON_WORD:
        return None
    cut, position = set(), 0
    for token in jieba.lcut(simplified):
        position += len(token)
        cut.add(position)
    return name if 3 in cut else None


def called_hereafter(texts: list[str], lex: Lexicon) -> dict[str, str]:
    """创始人郑羽川（以下简称“郑”）: the short name the article will use for a person, alias -> name.
    The name is the one standing right before the bracket; an alias two people would share is dropped."""
    found: dict[str, set[str]] = {}
    for text in texts:
        for match in HEREAFTER.finditer(text):
            name = name_ending_at(text, match.start(), lex, None, "alias")
            if name:
                found.setdefault(match.group("alias"), set()).add(name)
    return {alias: names.pop() for alias, names in found.items() if len(names) == 1}


def romanised_names(texts: list[str], lex: Lexicon) -> dict[str, str]:
    """chairman Gao Mingze (高明泽) said: an English text giving a person's Chinese name in brackets;
    the Latin spelling (given and family name, two words at least) -> the Chinese name (a surname
    and one or two characters)."""
    pattern = re.compile(rf"({LATIN_NAME})\s*[（(]({lex.surname}[{HAN_CLASS}]{{1,2}})[)）]")
    return {
        m.group(1): m.group(2)
        for text in texts
        for m in pattern.finditer(text)
        if " " in m.group(1) and m.group(2) not in lex["not_names"]  # Kingsoft (金山) is a firm, not a person
    }
