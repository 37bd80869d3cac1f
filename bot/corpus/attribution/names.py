"""Finding the people a text introduces, where nobody listed them (the listed ones are in ``book``).

A person nobody listed is found by structure, never by shape alone: a name standing where a speaker
stands (before a speech verb, as a turn label, inside 在X看来, on a byline) or in apposition to a
role (北岭数据创始人韩立舟). jieba's part-of-speech tags (nr, nrfg, nrt) say where a Chinese name
starts; when jieba splits a rare name (周/鸿/祎), a known surname at the start of the slot does.
Transliterations (努尔·艾哈迈德) and Latin names count in the same places. A person found so is
then recognised everywhere in the article, with the short forms the article may use later
(surname + 总/先生/教授…, the given name).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

import jieba
import jieba.posseg as pseg

from bot.chars import HAN_CLASS
from bot.corpus.attribution.book import People, fold_name
from bot.corpus.attribution.lexicon import CLAUSE_BREAK, MASK, Lexicon, alternation, jieba_frequency
from bot.corpus.attribution.postag import tagger

LATIN_NAME = r"(?<![A-Za-z])[A-Z][a-zà-öø-ÿ]+(?:[ \-][A-Z][a-zà-öø-ÿ]+){0,3}"  # accents too (Tomás Reyes)
# A forum user's handle (kaohsiung_dev, oldcat1999): a speaker only where a reply marker or a
# byline label says a person stands there (推 kaohsiung_dev：…, 作者：blueheron77).
HANDLE = r"[A-Za-z][A-Za-z0-9_.\-]{2,23}"
TRANSLITERATED_NAME = rf"[{HAN_CLASS}]{{1,8}}[·•・][{HAN_CLASS}]{{1,6}}(?:[·•・][{HAN_CLASS}]{{1,6}})?"
PARENTHETICAL = re.compile(r"\s*[（(][^()（）]{1,40}[)）]\s*$")
PERSON_TAGS = ("nr", "nrfg", "nrt")
GLUE_BEFORE_SURNAME = set("上下中里内外前后在向和与與跟对對给給由让讓被把为為从從及")  # 会议上梁/卓谦
NOT_IN_NAMES = set("的了是在和与及说也都还就这那我你他她们其该此每各某等被把将对向跟给从为着过")
SLOT_WINDOW = 12  # characters before a slot's end that jieba reads to find where a name starts
MAX_CHINESE_NAME = 4
COMMON_WORD = 100  # jieba counts a word this often: 老王 (190) is a word, 老冯 (none) a nickname


# ---------------------------------------------------------------------------------------------
# A name ending where a speaker stands


def name_ending_at(masked: str, end: int, lex: Lexicon, people: People | None = None, how: str = "slot") -> str | None:
    """The person's name whose last character is right before ``end``, if one stands there."""
    before = masked[max(0, end - 40) : end]
    before = PARENTHETICAL.sub("", before)  # 努尔·艾哈迈德(Nur Ahmed)说
    if not before or before[-1:] in CLAUSE_BREAK + MASK:
        return None
    latin = re.search(rf"(?:{LATIN_NAME})\s*$", before)
    translit = re.search(rf"{TRANSLITERATED_NAME}$", before)
    if translit:
        name = _strip_role(translit.group(), lex)
        if people is not None:
            people.add(name, "transliterated")
        return name
    if latin:
        name = latin.group().strip()
        if before[latin.start() - 1 : latin.start()] in lex["nickname_prefixes"] and " " not in name:
            name = before[latin.start() - 1] + name  # 阿Ken说
        if people is not None:
            people.add(name, "latin")
        return name
    if (title := re.search(rf"(?:{alternation(lex['honorifics'])}|{lex.roles})$", before)) and len(before) - len(title.group()) >= 2:
        # 叶家朗议员指出, 贺书亭老师写下: a full name opening its clause (or after a role) and its title:
        # the name speaks (韩总 stays a short form; 出租车司机葛伯 is no 司机葛)
        name = chinese_name_ending(before[: title.start()], lex, None, how)
        opening = before[: title.start() - len(name)] if name else ""
        if name and len(name) >= 3 and (not opening or opening[-1] in CLAUSE_BREAK or re.search(rf"(?:{lex.roles})$", opening)):
            return chinese_name_ending(before[: title.start()], lex, people, how)
    return chinese_name_ending(before, lex, people, how)


def person_tokens(text: str, lex: Lexicon, wanted: Callable[[int, int], bool] | None = None) -> list[tuple[int, int, str]]:
    """Person names jieba tags in ``text`` as (start, end, name), with a surname it kept apart
    joined back on (邵/博文, 欧阳/明哲, 钱/卫东), and a last character it cut off and tagged as a
    name of its own (施乐/恒: both halves tagged, the first a surname and one character).

    jieba's tagger cuts each run of Han letters and digits (its ``re_han_internal``) on its own,
    and nothing here joins tokens across the punctuation between runs, so the text is tagged run
    by run: a run's tags are cached (the same runs recur across a library's articles), and a
    caller that only cares about some stretches passes ``wanted(start, end)`` to skip the rest
    untagged. The result is the same as tagging the whole text at once."""
    simplified = lex.simplified(text)
    found: list[tuple[int, int, str]] = []
    for run in pseg.re_han_internal.finditer(simplified):
        begin, end = run.span()
        if wanted is not None and not wanted(begin, end):
            continue
        # the character before a run is a punctuation or space token tagged "x"
        previous = (begin - 1, begin, text[begin - 1], "x") if begin else None
        position = begin
        for word, flag in _tagged_run(run.group()):
            start, position = position, position + len(word)
            word = text[start:position]
            if flag in PERSON_TAGS and 1 <= len(word) <= MAX_CHINESE_NAME:
                if previous and _is_surname(previous[2], lex) and previous[3][:1] not in "pcdvu" and len(word) <= 2 and previous[1] == start:
                    found.append((previous[0], position, previous[2] + word))
                elif len(word) == 2 and previous and _glued_surname(previous, start, lex):
                    found.append((start - 1, position, text[start - 1] + word))  # 会议上梁/卓谦: 上梁 took the surname
                elif len(word) >= 2 and _starts_with_surname(word, lex):
                    found.append((start, position, word))
                elif len(word) == 1 and found and found[-1][1] == start and len(found[-1][2]) == 2:
                    found[-1] = (found[-1][0], position, found[-1][2] + word)
            previous = (start, position, word, flag)
    return [(a, b, n) for a, b, n in found if plausible_name(n, lex)]


def _glued_surname(previous: tuple[int, int, str, str], start: int, lex: Lexicon) -> bool:
    """立法会会议上梁/卓谦议员: jieba glued the surname to the word before (上梁) and tagged the given
    name alone: the word is a place word or a preposition (上, 向, 和…) and a surname; 主管/谭敏 is a
    role and a name."""
    word = previous[2]
    return previous[1] == start and len(word) == 2 and word[0] in GLUE_BEFORE_SURNAME and previous[3] not in PERSON_TAGS and _is_surname(word[1], lex)


@lru_cache(maxsize=1 << 16)
def _tagged_run(run: str) -> tuple[tuple[str, str], ...]:
    """jieba's (word, tag) pairs for one run of Han letters and digits (its HMM pass is the
    slowest part of a build: see ``postag``; runs repeat, names most of all)."""
    return tuple((pair.word, pair.flag) for pair in tagger().cut(run))


def chinese_name_ending(before: str, lex: Lexicon, people: People | None, how: str) -> str | None:
    window = before[-SLOT_WINDOW:]
    tagged = [n for _a, b, n in person_tokens(window, lex) if b == len(window)]
    if tagged and len(tagged[-1]) == 2 and len(window) >= 3 and _is_surname(window[-3], lex):
        if re.search(rf"(?:{lex.roles})$", window[:-3]):  # 技术长白/孟哲: the role ends where the name starts
            tagged[-1] = window[-3:]
    if tagged and len(tagged[-1]) == 3 and re.search(rf"(?:{lex.roles})$", window[: len(window) - 2]) and _starts_with_surname(tagged[-1][1:], lex):
        tagged[-1] = tagged[-1][1:]  # 工程/师苏可: the role's last character is no part of the name (苏可)
    if tagged:
        if people is not None:
            people.add(tagged[-1], "jieba")
            people.add(tagged[-1], how)
        return tagged[-1]
    if len(window) >= 2 and (nickname := nickname_at(window, len(window) - 2, lex)):
        if people is not None:
            people.add(nickname, how)
        return nickname
    simplified = lex.simplified(window)
    tokens = jieba.lcut(simplified)
    starts, position = set(), 0
    for token in tokens:
        starts.add(position)
        position += len(token)
    for length in (3, 2):
        start = len(window) - length
        candidate = window[start:]
        single_word = len(tokens[-1]) == length and bool(jieba.dt.FREQ.get(simplified[start:]))  # 时间轴, not 周鸿祎
        after_role = re.search(rf"(?:{lex.roles})$", window[:start]) is not None  # 首席财务官温/叙白
        if (start in starts or after_role) and _starts_with_surname(candidate, lex) and plausible_name(candidate, lex) and not single_word:
            if people is not None:
                people.add(candidate, how)
            return candidate
    return None


def nickname_at(text: str, start: int, lex: Lexicon) -> str | None:
    """阿杰, 阿诗, 阿Ken, 老冯, 小陈: what friends call someone (a column, a feature), found only where a
    person stands. 阿 (``nickname_prefixes``) takes any one character or a Latin name, 老/小
    (``surname_nickname_prefixes``) a surname; never a common word (阿里, 老师, 小时), and the
    character after may not make a word with the name's last one (老马上) or the whole (阿拉伯)."""
    if text[start : start + 1] in lex["nickname_prefixes"] and (latin := re.match(r"[A-Z][a-z]{1,9}(?![A-Za-z])", text[start + 1 :])):
        return text[start] + latin.group()  # 阿Ken, 阿May
    nickname = text[start : start + 2]
    if len(nickname) != 2 or not re.fullmatch(f"[{HAN_CLASS}]{{2}}", nickname):
        return None
    prefix, rest = nickname
    if not (prefix in lex["nickname_prefixes"] or prefix in lex["surname_nickname_prefixes"] and _is_surname(rest, lex)):
        return None
    frequency = jieba_frequency()
    simplified = lex.simplified(text[start : start + 3])
    # the character after may make a word with the whole or the name's last one (阿拉伯, 老马上);
    # a name right at the end of the text (阿杰|认为, cut at the verb) has none after it
    after_too = len(simplified) == 3 and (frequency.get(simplified, 0) or frequency.get(simplified[1:], 0))
    if frequency.get(simplified[:2], 0) >= COMMON_WORD or after_too:
        return None
    if rest in NOT_IN_NAMES or nickname in lex["not_names"]:
        return None
    return nickname


def _is_surname(text: str, lex: Lexicon) -> bool:
    return text in lex.surnames or text in lex["compound_surnames"]


def _starts_with_surname(name: str, lex: Lexicon) -> bool:
    return name[:1] in lex.surnames or name[:2] in lex["compound_surnames"]


def plausible_name(name: str, lex: Lexicon) -> bool:
    return (
        all(re.match(f"[{HAN_CLASS}]", c) for c in name)
        and not set(lex.simplified(name)) & NOT_IN_NAMES
        and name not in lex["not_names"]
        and name not in lex["speech_nouns"]  # 【嘉宾金句】: what was said, not who
        and not re.search(lex.roles + "$", name)
        and not lex.organisation_end_re.search(name)  # 江证券 (澂江证券) is a firm
    )


def _strip_role(name: str, lex: Lexicon) -> str:
    """研究员努尔·艾哈迈德 -> 努尔·艾哈迈德: titles and modifiers stuck to the front come off."""
    given, rest = re.split(r"(?=[·•・])", name, maxsplit=1)
    given = re.sub(rf"^.*(?:{lex.roles}|的)", "", given) or given
    tokens = jieba.lcut(lex.simplified(given))
    kept = [tokens.pop()]
    while tokens and len("".join(kept)) < 6 and (
        not jieba.dt.FREQ.get(tokens[-1]) or (len(tokens[-1]) == 1 and tokens[-1] not in NOT_IN_NAMES)
    ):
        kept.insert(0, tokens.pop())  # 克里斯蒂/安娜 and 阿/玛拉 are one name each
    kept = [given[len(given) - len("".join(kept)) :]]  # back to the text's own script  # 克里斯蒂/安娜 is one name; 正如/亨利 is not
    return "".join(kept) + rest


def label_name(label: str, lex: Lexicon, people: People | None, how: str) -> str | None:
    """The person a turn label or byline names: the whole label must be a name (or role + name),
    perhaps with a note in brackets (韩骁（织机作者）)."""
    label = re.sub(r"\s*[（(][^()（）]{1,30}[)）]\s*$", "", label.strip())
    if not label or label in lex["non_person_labels"] or lex.label_role(label) or re.search(r"\d", label):
        return None
    if re.fullmatch(TRANSLITERATED_NAME, label) or re.fullmatch(LATIN_NAME, label):
        if people is not None:
            people.add(label, how)
        return label
    if not re.fullmatch(f"[{HAN_CLASS}A-Za-z 、]{{2,20}}", label):
        return None
    titled = re.fullmatch(rf"(?P<name>[{HAN_CLASS}]{{2,4}}?)\s?(?:{lex.roles}|{alternation(lex['honorifics'])})", label)
    if titled:  # 祁凯琳议员：…, 林教授 is a short form, not this (the name must have two characters)
        name = name_ending_at(titled.group("name"), len(titled.group("name")), lex, people, how)
        if name == titled.group("name"):
            return name
    name = name_ending_at(label, len(label), lex, people, how)
    if name and (name == label or re.fullmatch(rf".*(?:{lex.roles})\s?", label[: -len(name)])):
        return name
    member = re.fullmatch(rf"[{HAN_CLASS}]{{1,8}}?(?:{alternation(lex['departments'])})(?P<name>{lex.surname}[{HAN_CLASS}]{{1,2}})", label)
    if member and not lex.label_role(member.group("name")) and member.group("name") not in lex["not_names"]:
        if people is not None:
            people.add(member.group("name"), how)
        return member.group("name")  # 资安组方舒婷：a department, then its member
    bare = re.sub(rf"\s?(?:{lex.roles}|{alternation(lex['honorifics'])})$", "", label)  # 原告诉讼代理人孟绍庭律师
    name = name_ending_at(bare, len(bare), lex, people, how) if bare != label and len(bare) >= 2 else None
    if name and re.fullmatch(rf".*(?:{lex.roles})[\s、]?", bare[: -len(name)]):
        return name
    return None


# ---------------------------------------------------------------------------------------------
# Short forms


def short_forms(people: list[str], lex: Lexicon, taken: set[str]) -> dict[str, str]:
    """韩立舟 -> 韩总, 韩先生, 立舟; 努尔·艾哈迈德 -> 艾哈迈德; Jane Doe -> Doe, Jane. A short form two
    people could share (two 王s: 王总) names nobody."""
    forms: dict[str, set[str]] = {}
    for name in people:
        for form in _forms_of(name, lex):
            if fold_name(form) not in taken and form != name:
                forms.setdefault(form, set()).add(name)
    return {form: next(iter(owners)) for form, owners in forms.items() if len(owners) == 1}


def plausible_surname_label(label: str, lex: Lexicon) -> bool:
    return _is_surname(label, lex)


def surname_labels(labels: set[str], people: set[str], lex: Lexicon) -> dict[str, str]:
    """A script's or an interview's turn label that is a bare surname (侯：, 李：) after the article
    introduced 侯小川 or 李某某: the one person of the article with that surname. Two people sharing
    it (two 李s) leave the label as written. Only a label, never a surname in running text."""
    owners: dict[str, set[str]] = {}
    for name in people:
        if re.fullmatch(f"[{HAN_CLASS}]{{2,4}}", name):
            surname = name[:2] if name[:2] in lex["compound_surnames"] else name[:1]
            if len(name) > len(surname):
                owners.setdefault(surname, set()).add(name)
    return {
        label: next(iter(owners[label]))
        for label in labels
        if _is_surname(label, lex) and len(owners.get(label, ())) == 1
    }


def _forms_of(name: str, lex: Lexicon) -> list[str]:
    if re.search(r"[·•・]", name):
        return [re.split(r"[·•・]", name)[-1]] if len(re.split(r"[·•・]", name)[-1]) >= 2 else []
    if re.fullmatch(LATIN_NAME, name) and " " in name:  # Doe, and the first word (a Chinese surname: Tang Weiran -> Tang)
        words = name.split()
        return [w for w in (words[-1], words[0]) if len(w) >= (3 if w == words[-1] else 2)]
    if not re.fullmatch(f"[{HAN_CLASS}]{{2,4}}", name):
        return []
    surname = name[:2] if name[:2] in lex["compound_surnames"] else name[:1]
    given = name[len(surname) :]
    forms = [surname + h for h in lex["honorifics"]]
    if len(given) == 2 and not jieba.dt.FREQ.get(lex.simplified(given)):  # 立舟, but not 海洋 (a word of its own)
        forms.append(given)
    return forms

