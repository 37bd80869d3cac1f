"""Speech cues in narration: the verbs, nouns and frames that mark someone's words.

Read on the masked copy of a passage (quotations blanked out), from config/attribution.yaml:
speech verbs (说, 表示, 稱…), opinion verbs (认为), verbs that only introduce quotations (期望“…”),
nouns of speech before a colon (那句名言：), English verbs ("…," said Ek), and frames around a
name (在X看来, 据X介绍, 正如X所言). Look-alikes are dropped here (对…来说, 被称为, 说明, 提出的).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.corpus.attribution.lexicon import CLAUSE_BREAK, COLONS, MASK, Lexicon, alternation

# After a speech noun, the words follow a colon or 是 (名言:“…” / 他的回答是——…).
NOUN_HANDS_OVER = re.compile(rf"(?:[^{CLAUSE_BREAK}{MASK}]{{0,4}}[{COLONS}]|是\s*(?:[{COLONS}，,]|——))")
# A possessed noun may take a few words first (他的回答則十分有意思:).
POSSESSED_NOUN_HANDS_OVER = re.compile(
    rf"(?:[^{CLAUSE_BREAK}{MASK}]{{0,8}}[{COLONS}]|是\s*(?:[{COLONS}，,]|——))"
)


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
        if any(before.endswith(b) for b in lex.not_speech_before.get(word, ())):
            continue
        if any(after.startswith(a) for a in lex.not_speech_after.get(word, ())):
            continue
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
        who = next(i for i, g in enumerate(match.groups()) if g is not None)
        group = _group_name(match, who)
        tail = group.replace("who", "tail")
        cue = Cue(match.start(tail), match.end(tail), match.group(tail), noun=False)
        cues.append(_with_frame(cue, match.start(group), match.end(group)))
    return sorted(_drop_inside_frames(cues), key=lambda c: c.start)


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


def reported_start(masked: str, cue: Cue, lex: Lexicon) -> int | None:
    """Where reported words begin after a cue, or None when the cue does not introduce any."""
    rest = masked[cue.end :]
    if cue.frame is not None:
        match = re.match(rf"^\s*[，,{COLONS}]?\s*", rest)
        return cue.end + match.end()
    if cue.word in lex["opinion_verbs"]:
        match = re.match(rf"^\s*[，,{COLONS}]?\s*", rest)
        return cue.end + match.end()
    if cue.word in lex["speech_verbs"]:
        addressee = rf"(?:{alternation(lex['addressees'])})"
        match = (
            re.match(rf"^[了着著道]?\s*[，,{COLONS}]\s*", rest)
            or re.match(rf"^了[^{CLAUSE_BREAK}{MASK}]{{1,12}}[{COLONS}]\s*", rest)
            or re.match(rf"^[^{CLAUSE_BREAK}{MASK}]{{0,6}}?{addressee}(?:说|說|説|表示)?\s*[，,{COLONS}]\s*", rest)
        )
        return cue.end + match.end() if match else None
    if cue.noun:
        match = POSSESSED_NOUN_HANDS_OVER.match(rest)
        if not match:
            return None
        after = rest[match.end() :]
        return cue.end + match.end() + len(after) - len(after.lstrip())
    return None
