"""Passages that ask or greet instead of arguing: an interviewer's questions, and small talk.

Why a stage of its own: an interviewer's question often names both sides and repeats what others
claim (记者：有观点认为，开源之后大厂直接拿去用…？), and its words look like an argument to the
rules and to the model alike; a greeting or a word of thanks under a heading that names a side
looks like praise of it. Neither is the speaker's stance, so both are kept out of every column,
by rule, before any other stage reads them (generally: by the shape of the turn, never per
article or per passage).

An interview's asker is recognised from the turns themselves: a turn opens with a label naming
its speaker as attribution found them (``騰訊科技:``, ``溫以晴：``) or a question label
(``记者：``, ``Q:``, ``主持人：``; config/attribution.yaml ``question_labels``, the one list of
turn labels, which attribution reads too), and goes on
over the same speaker's unlabelled passages until one of them asks. The asker is the voice of
the question labels, or a voice with at least ``ASKER_TURNS`` turns, most of which ask (end in a
question, or are short and put a view to the other: 有人认为…). Every turn of the asker is an
aside: its questions, the views it puts, its remarks (是的，也许他们更自由。) and its thanks; in an
interview the asker's words are not the article's argument. A passage that carries its answer
after the question (提问：…？韩骁：…) is the answer's, not an aside. Small talk: a short passage
each of whose sentences is a greeting, thanks or a sign-off (``asides: small_talk``), naming no
side itself.

Measured on the development articles: 116 asides, of which 74 labelled neutral, 2 labelled
argued (an interviewer's remark each) and 40 unlabelled.
"""

from __future__ import annotations

import re

from bot.corpus.models import Document, Passage
from bot.corpus.stance.clauses import QUESTION_END, SENTENCE_END
from bot.corpus.stance.lexicon import PROXY, REPORTED, TARGET, Lexicon

# A turn label at the start of a passage: a name, role or outlet of up to 12 characters, then a colon.
TURN_LABEL = re.compile(r"^\s*[【\[]?(?P<label>[A-Za-z][A-Za-z.\- ]{0,30}[A-Za-z.]|[^\s，。！？、：:,.!?“”「」【】\[\]()（）]{1,12}?)(?:[（(][^）)]{0,20}[）)])?[】\]]?\s*[：:]")
# Another turn inside the passage, right after a question: the answer is in the passage too.
INLINE_ANSWER = re.compile(r"[？?]\s*[^\s，。！？、：:,.!?“”「」]{1,12}[：:]")
ASKER_TURNS = 2  # an unlabelled asker needs this many turns, most of them questions
ASKING_SHARE = 0.5
REPORT_SENTENCES = 2  # a turn this short that reports a view puts it to the other
SMALL_TALK_CHARS = 60  # a greeting or a thank-you is short; a longer passage is read as usual
ASKER = "\0asker"  # the voice of every turn under a question label


def asides(documents: tuple[Document, ...], lexicon: Lexicon) -> frozenset[str]:
    """The ids of the passages that are an asker's question or small talk."""
    found: set[str] = set()
    for document in documents:
        folded = Folded(document.passages, lexicon)
        found.update(_questions(document.passages, folded, lexicon))
        found.update(p.id for p in document.passages if len(p.text) <= SMALL_TALK_CHARS and _small_talk(folded[p.id], lexicon))
    return frozenset(found)


class Folded(dict):
    """Passage id -> folded text, folded on first use (most passages are never looked at)."""

    def __init__(self, passages: tuple[Passage, ...], lexicon: Lexicon):
        super().__init__()
        self._texts = {p.id: p.text for p in passages}
        self._lexicon = lexicon

    def __missing__(self, passage_id: str) -> str:
        text = self[passage_id] = self._lexicon.fold(self._texts[passage_id])
        return text


def sentences(folded: str) -> list[str]:
    """The text's sentences (as the reader splits them), blank ones left out."""
    out, start = [], 0
    for end in [m.end() for m in SENTENCE_END.finditer(folded)] + [len(folded)]:
        if folded[start:end].strip():
            out.append(folded[start:end])
        start = max(start, end)
    return out


def asks(folded: str) -> bool:
    """A sentence of the text is a question."""
    return any(QUESTION_END.search(s.rstrip()) for s in sentences(folded))


def _turns(passages: tuple[Passage, ...], folded: dict[str, str], lexicon: Lexicon) -> list[tuple[str, list[Passage]]]:
    """(voice, passages) of each labelled turn: a passage opening with its speaker's name (as
    attribution found it) or a question label, and the passages after it with the same speaker
    until one of them asks (a question set up over two paragraphs is one turn; what follows a
    question unlabelled is its answer). A colon after other words (我想先讲一个判断：) opens no turn."""
    turns: list[tuple[str, list[Passage]]] = []
    for passage in passages:
        voice = _voice(passage, lexicon)
        last = turns[-1][1][-1] if turns else None
        if voice:
            turns.append((voice, [passage]))
        elif last is not None and passage.speaker and last.speaker == passage.speaker and not asks(folded[last.id]):
            turns[-1][1].append(passage)
        elif turns:
            turns.append(("", [passage]))  # narration, or the answer after a question, ends the turn
    return [(voice, members) for voice, members in turns if voice]


def _voice(passage: Passage, lexicon: Lexicon) -> str | None:
    """Who opens a turn with this passage: a question label stands for the asker, whoever
    attribution named; else the speaker, when the label names them."""
    match = TURN_LABEL.match(passage.text)
    if match is None:
        return None
    label = lexicon.fold(match.group("label")).strip()
    if label in lexicon.question_labels:
        return ASKER
    speaker = lexicon.fold(passage.speaker or "")
    return passage.speaker if speaker and (speaker in label or label in speaker) else None


def _asking(members: list[Passage], folded: dict[str, str], lexicon: Lexicon) -> bool:
    """The turn ends in a question, or is a short one that puts a view to the other (有人认为…);
    a turn that carries its answer (提问：…？韩骁：…) does not ask."""
    texts = [folded[p.id] for p in members]
    if any(INLINE_ANSWER.search(t) for t in texts):
        return False
    said = [s for t in texts for s in sentences(t)]
    if said and QUESTION_END.search(said[-1].rstrip()):
        return True
    return len(said) <= REPORT_SENTENCES and any(_reports(t, lexicon) for t in texts)


def _reports(folded: str, lexicon: Lexicon) -> bool:
    return any(e.category == REPORTED for m in lexicon.pattern.finditer(folded) for e in lexicon.entries.get(m.group(), ()))


def _questions(passages: tuple[Passage, ...], folded: dict[str, str], lexicon: Lexicon) -> set[str]:
    """Every turn of an asker: its questions, the views it puts to the other, its remarks and
    thanks. In an interview the asker's words are not the article's argument."""
    turns = _turns(passages, folded, lexicon)
    flags: dict[str, list[bool]] = {}
    for voice, members in turns:
        flags.setdefault(voice, []).append(_asking(members, folded, lexicon))
    askers = {v for v, f in flags.items() if v == ASKER or (len(f) >= ASKER_TURNS and sum(f) / len(f) >= ASKING_SHARE)}
    return {p.id for voice, members in turns if voice in askers for p in members if not INLINE_ANSWER.search(folded[p.id])}


def _small_talk(folded: str, lexicon: Lexicon) -> bool:
    """Every sentence greets, thanks or signs off, and no side is named (the lexicon's words are
    looked up only in a passage that passed the cheap test)."""
    if not lexicon.small_talk.search(folded):
        return False
    parts = sentences(folded)
    if not parts or not all(lexicon.small_talk.search(s) for s in parts):
        return False
    named = {e.category for m in lexicon.pattern.finditer(folded) for e in lexicon.entries.get(m.group(), ())}
    return not named & {TARGET, PROXY}
