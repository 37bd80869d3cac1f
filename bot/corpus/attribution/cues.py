"""Speech cues in narration: the verbs, nouns and frames that mark someone's words.

Read on the masked copy of a passage (quotations blanked out), from config/attribution.yaml:
speech verbs (说, 表示, 稱…), opinion verbs (认为), verbs that only introduce quotations (期望“…”),
nouns of speech before a colon (那句名言：), English verbs ("…," said Ek), and frames around a
name (在X看来, 据X介绍, 正如X所言). Look-alikes are dropped here (对…来说, 被称为, 说明, 提出的).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.corpus.attribution.lexicon import CLAUSE_BREAK, COLONS, MASK, Lexicon, alternation, jieba_frequency

# After a speech noun, the words follow a colon or 是 (名言:“…” / 他的回答是——…).
NOUN_HANDS_OVER = re.compile(rf"(?:[^{CLAUSE_BREAK}{MASK}]{{0,4}}[{COLONS}]|是\s*(?:[{COLONS}，,]|——))")
IS_COLON = re.compile(rf"是\s*[{COLONS}]")  # 他的建议是：… — whose the words after the colon are
# 讲过一句话, 讲了这样一番话: a verb that speaks only before a colon speaks before the words it said, too
SAYING_WORDS = re.compile(r"[过過了]?(?:这样|這樣|这么|這麼)?一?[句番段][^，,。：:]{0,8}?[话話]")
# A possessed noun may take a few words first (他的回答則十分有意思:).
POSSESSED_NOUN_HANDS_OVER = re.compile(
    rf"(?:[^{CLAUSE_BREAK}{MASK}]{{0,8}}[{COLONS}]|是\s*(?:[{COLONS}，,]|——))"
)


WORD_BEATS_LOOKALIKE = 1.5  # how much commoner the word before must be than the look-alike


@dataclass(frozen=True)
class Cue:
    start: int
    end: int
    word: str
    noun: bool  # used as a noun (他的回答…:, 那句名言:), which speaks only before a colon or 是
    frame: tuple[int, int] | None = None  # 在X看来: where X stands (the only place its speaker may be)


def find_cues(masked: str, lex: Lexicon) -> list[Cue]:
    """Speech words in narration, without the look-alikes, plus the frames, in reading order."""
    cues: list[Cue] = []
    for match in lex.cue_re.finditer(masked):
        word, start, end = match.group(), match.start(), match.end()
        before, after = masked[max(0, start - 4) : start], masked[end : end + 3]
        lookalikes = [b for b in lex.not_speech_before.get(word, ()) if before.endswith(b)]
        handing_over = word in lex["speech_nouns"] and lookalikes == ["的"] and IS_COLON.match(masked, end)  # 他的建议是：
        if lookalikes and (max(map(len, lookalikes)) > 1 or not _ends_a_word(masked, word, start, lex)) and not handing_over:
            continue
        if any(after.startswith(a) for a in lex.not_speech_after.get(word, ())) and not _starts_a_word(masked, word, end, lex):
            continue
        if word in lex["colon_speech_verbs"] and masked[end : end + 1] not in f"{COLONS}，," and not SAYING_WORDS.match(masked, end) \
                and not lex.addressee_colon_re.match(masked, end):
            continue  # Cindy话：“…”, 他讲过一句话 and 当面问我：“…” speak; 这句话 and 电话 do not
        is_verb = word in lex["speech_verbs"] | lex["opinion_verbs"] | lex["quoting_verbs"]
        if word in lex["speech_nouns"] and (before.endswith("的") or not is_verb):
            if _object_of_a_verb(masked, cues, start):
                continue  # 她反驳了王建国的观点: the view is what she answers, not what she says
            if before.endswith("的") or NOUN_HANDS_OVER.match(masked, end):
                cues.append(Cue(start, end, word, noun=True))
            continue
        if before.endswith("的") or after[:1] == "的":
            continue  # a verb used as a noun (他對…的坦承) or as a modifier (提出的目標)
        if cues and cues[-1].end == start and not cues[-1].noun:
            start = cues.pop().start  # one verb made of two (警告稱, 解釋說): its subject is before both
        cues.append(Cue(start, end, word, noun=False))
    for match in lex.frame_re.finditer(masked):
        if _inside_a_word(masked, match.start(), lex):
            continue  # 数据局负责人表示 is no 据…表示
        who = next(i for i, g in enumerate(match.groups()) if g is not None)
        group = _group_name(match, who)
        tail = group.replace("who", "tail")
        cue = Cue(match.start(tail), match.end(tail), match.group(tail), noun=False)
        cues.append(_with_frame(cue, match.start(group), match.end(group)))
    return sorted(_drop_inside_frames(cues), key=lambda c: c.start)


def _starts_a_word(masked: str, word: str, end: int, lex: Lexicon) -> bool:
    """说客户的…: the look-alike (说客) loses to the commoner word its second half starts (客户),
    so the verb speaks after all; 说明书 stays a look-alike (明书 is no word)."""
    following = lex.simplified(masked[end : end + 2])
    lookalike = lex.simplified(word[-1:] + masked[end : end + 1])
    frequency = jieba_frequency()
    return len(following) == 2 and frequency.get(following, 0) > frequency.get(lookalike, 0)


def _ends_a_word(masked: str, word: str, start: int, lex: Lexicon) -> bool:
    """数据说，…: the look-alike (据说) loses to a much commoner word its first half ends (数据),
    so the verb speaks after all; 据说 alone, or 宣传说 (传说 is nearly as common), stays one."""
    preceding = lex.simplified(masked[max(0, start - 2) : start])
    lookalike = lex.simplified(masked[start - 1 : start] + word[:1])
    frequency = jieba_frequency()
    return len(preceding) == 2 and frequency.get(preceding, 0) > WORD_BEATS_LOOKALIKE * frequency.get(lookalike, 0)


def _inside_a_word(masked: str, start: int, lex: Lexicon) -> bool:
    """A frame's opening word that ends a word begun before it (数据, 现在): no frame at all."""
    word = lex.simplified(masked[max(0, start - 1) : start + 1])
    return len(word) == 2 and word not in lex.frame_openers and jieba_frequency().get(word, 0) > 0


def _group_name(match: re.Match[str], index: int) -> str:
    names = {v: k for k, v in match.re.groupindex.items()}
    return names[index + 1]


def _with_frame(cue: Cue, start: int, end: int) -> Cue:
    return Cue(cue.start, cue.end, cue.word, cue.noun, (start, end))


def _drop_inside_frames(cues: list[Cue]) -> list[Cue]:
    """A cue word inside a frame's name slot (据X表示: 表示 closes the frame) is the frame's."""
    frames = [c for c in cues if c.frame]
    return [c for c in cues if c.frame or not any(f.frame[0] <= c.start < f.end for f in frames)]


def _object_of_a_verb(masked: str, cues: list[Cue], start: int) -> bool:
    previous = cues[-1] if cues else None
    return bool(
        previous and not previous.noun and not any(c in CLAUSE_BREAK for c in masked[previous.end : start])
    )


MAX_ADDRESSEE = 10  # 告诉前来调研的研究人员，…: whom a verb that always speaks to someone speaks to


def reported_start(masked: str, cue: Cue, lex: Lexicon) -> int | None:
    """Where reported words begin after a cue, or None when the cue does not introduce any."""
    rest = masked[cue.end :]
    if cue.frame is not None:
        match = re.match(rf"^\s*[，,{COLONS}]?\s*", rest)
        return cue.end + match.end()
    if cue.word in lex["opinion_verbs"] and not cue.noun:
        match = re.match(rf"^\s*[，,{COLONS}]?\s*", rest)
        return cue.end + match.end()
    if cue.word in lex["quoting_verbs"] and not cue.noun and (colon := re.match(rf"^\s*[{COLONS}]\s*", rest)):
        return cue.end + colon.end()  # 有一位投资者通过网络平台提问：… (words after a colon, quoted or not)
    if cue.word in lex["speech_verbs"]:
        addressee = rf"(?:{alternation(lex['addressees'])})"
        match = (
            re.match(rf"^[了着著道]?\s*[，,{COLONS}]\s*", rest)
            or re.match(rf"^了?[^{CLAUSE_BREAK}{MASK}]{{1,12}}[{COLONS}]\s*", rest)  # 建议采用分层做法：…
            or re.match(rf"^[^{CLAUSE_BREAK}{MASK}]{{0,6}}?{addressee}(?:说|說|説|表示)?\s*[，,{COLONS}]\s*", rest)
            or (cue.word in lex["addressing_verbs"] and re.match(rf"^[^{CLAUSE_BREAK}{MASK}]{{1,{MAX_ADDRESSEE}}}[，,{COLONS}]\s*", rest))
            or re.match(r"^(?=自己)", rest)  # 她说自己大学读的是…: what she says of herself
        )
        return cue.end + match.end() if match else None
    if cue.noun:
        match = POSSESSED_NOUN_HANDS_OVER.match(rest)
        if not match:
            return None
        after = rest[match.end() :]
        return cue.end + match.end() + len(after) - len(after.lstrip())
    return None
