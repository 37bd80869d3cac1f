"""Turning an index match into a Hit: the reader's script, the speaker's names, the source."""

from __future__ import annotations

from bot.commands.results import Hit
from bot.config import Settings
from bot.corpus.models import Corpus, Passage, Source
from bot.search.normalise import detect_script, to_script


def display_script(settings: Settings, query: str) -> str:
    """'query' follows the script the question was typed in; English and pinyin keep the original."""
    if settings.display_script != "query":
        return settings.display_script
    return detect_script(query) or "original"


def speaker_at(passage: Passage, spans: tuple[tuple[int, int], ...]) -> str | None:
    """The speaker of the quotation that the matched words fall in, else the passage's speaker."""
    best, best_overlap = None, 0
    for quotation in passage.quotations:
        overlap = sum(max(0, min(end, quotation.end) - max(start, quotation.start)) for start, end in spans)
        if overlap > best_overlap:
            best, best_overlap = quotation, overlap
    return best.speaker if best else passage.speaker


def make_hit(
    corpus: Corpus,
    passage: Passage,
    *,
    score: float,
    script: str,
    highlights: tuple[tuple[int, int], ...] = (),
    quotation: tuple[int, int] | None = None,
    speaker: str | None = None,
    use_speaker: bool = False,
    stance: str | None = None,
) -> Hit:
    text = to_script(passage.text, script)
    if len(text) != len(passage.text):
        text = passage.text  # spans index the original; never let them drift
    name = speaker if use_speaker else speaker_at(passage, (quotation,) if quotation else highlights)
    person = corpus.speaker(name)
    document = corpus.document(passage.doc_id)
    return Hit(
        passage=passage,
        score=max(0.0, min(1.0, score)),
        display_text=text,
        speaker=name,
        speaker_aliases=tuple(a for a in person.all_names if a != name) if person else (),
        speaker_role=person.role if person else None,
        source=document.source if document else Source(),
        highlights=highlights,
        quotation=quotation,
        stance=stance,
    )
