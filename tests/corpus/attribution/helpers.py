"""Small documents built in the tests, read with NO listed speakers: the text must name its people."""

from __future__ import annotations

import opencc

from bot.corpus.attribution import attribute
from bot.corpus.models import Passage, Source, Speaker

S2T = opencc.OpenCC("s2t")
SCRIPTS = ("simplified", "traditional")


def in_script(text: str, script: str) -> str:
    return S2T.convert(text) if script == "traditional" else text


def passages_of(*texts: str, kinds: tuple[str, ...] | None = None) -> list[Passage]:
    return [
        Passage(id=f"doc:{n}", doc_id="doc", number=n, text=t, raw_span=(0, len(t)), kind=kinds[n] if kinds else "paragraph")
        for n, t in enumerate(texts)
    ]


def read(*texts: str, script: str = "simplified", source: Source = Source(), speakers: tuple[Speaker, ...] = (), **layout) -> list[Passage]:
    return attribute(passages_of(*(in_script(t, script) for t in texts), **layout), source, speakers)


def quoted(passage: Passage) -> list[tuple[str, str | None]]:
    return [(q.text_of(passage.text), q.speaker) for q in passage.quotations]


def speaker_at(passage: Passage, words: str, script: str = "simplified") -> str | None:
    """Whose quotation holds ``words`` (None: narration)."""
    words = in_script(words, script)
    start = passage.text.index(words)
    holding = [q for q in passage.quotations if q.start <= start and start + len(words) <= q.end]
    return holding[0].speaker if holding else None


def read_document(script: str, texts: list[str], headings: tuple[str, ...] = ()) -> list[Passage]:
    """A document in ``script`` whose headings (title, credit lines) may hold its byline."""
    passages = [
        Passage(id=f"d:{n}", doc_id="d", number=n, text=in_script(t, script), raw_span=(0, len(t))) for n, t in enumerate(texts)
    ]
    return attribute(passages, Source(), (), headings=tuple(in_script(h, script) for h in headings))
