"""/who-said: the speaker of the quotation that best matches, the exact sentence as proof, or an honest "not found"."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.commands.display import display_script, make_hit
from bot.commands.faithfulness import MeaningEdits, faithfulness, load_meaning_edits
from bot.commands.help import HELP_TEXT
from bot.commands.query import prepare
from bot.commands.results import WHO_SAID, Reply
from bot.config import ConfigError, Settings
from bot.corpus.models import Corpus, Passage
from bot.punctuation import SENTENCE_END_RE
from bot.search.library import Library
from bot.search.normalise import fold, fold_with_offsets

CANDIDATE_PASSAGES = 30
AMBIGUITY_MARGIN = 0.03  # two speakers this close: say so rather than pick one confidently
AMBIGUITY_PENALTY = 0.85
SHORT_QUERY_CHARS = 6  # a few characters can sit in many mouths
# Raw matches at or below this read as confidence 0. Tuned on the development articles' positives
# (exact, partial, other-script, misspelt) and negatives (sentences no article holds, many of them
# a real sentence with a word changed) together: with who_said_threshold 0.55 the cut falls at a
# raw 0.905, between one changed word in eleven characters and one sound slip in eight.
CONFIDENCE_FLOOR = 0.79
NEAR_EQUAL = 0.02  # matches this close are the same words; the credited copy answers
# Alignments at least this good are checked edit by edit (sound slips vs changed words, asides left
# out). Low on purpose: a remembered quotation that skips a long aside scores ~0.6 in the fuzzy
# alignment, which only looks at a window of the query's own length.
FAITHFUL_FROM = 0.5
NOT_FOUND = "The library does not hold that quotation. The nearest passages are below."
NO_SPEAKER = "The library holds these words, but the article does not say who said them."
NOTHING_CLOSE = "The library does not hold that quotation, nor anything close to it."
NAME_ONLY = "“{name}” is a speaker's name, not a quotation: type `/quote {name}` for what they said, or a few words they said."


@dataclass(frozen=True)
class Voice:
    """A stretch of a passage and whose words it is."""

    start: int
    end: int
    speaker: str | None
    quoted: bool  # a real quotation rather than narration


@dataclass(frozen=True)
class Candidate:
    passage: Passage
    voice: Voice
    confidence: float
    proof: tuple[int, int]
    rank: int


def voices(passage: Passage, narrator: str | None) -> list[Voice]:
    """Quotations with their speakers; the stretches between them are the narrator's."""
    spans, cursor = [], 0
    for q in sorted(passage.quotations, key=lambda q: q.start):
        if q.start > cursor:
            spans.append(Voice(cursor, q.start, narrator, False))
        spans.append(Voice(q.start, q.end, q.speaker, True))
        cursor = max(cursor, q.end)
    if cursor < len(passage.text):
        spans.append(Voice(cursor, len(passage.text), narrator if passage.quotations else passage.speaker, False))
    return [v for v in spans if passage.text[v.start:v.end].strip()]


def align(folded_query: str, text: str, voice: Voice, edits: MeaningEdits | None = None) -> tuple[float, tuple[int, int]]:
    """How well the query matches inside this voice, and where (offsets in the passage text):
    the fuzzy alignment, then how faithfully its words are reproduced (see faithfulness.py)."""
    folded, offsets = fold_with_offsets(text[voice.start:voice.end])
    if not folded or not folded_query:
        return 0.0, (voice.start, voice.end)
    if len(folded_query) > len(folded):
        ratio = fuzz.partial_ratio(folded_query, folded) * len(folded) / len(folded_query)
        return ratio / 100, (voice.start, voice.end)
    alignment = fuzz.partial_ratio_alignment(folded_query, folded)
    start = voice.start + offsets[alignment.dest_start]
    end = voice.start + offsets[max(alignment.dest_start, alignment.dest_end - 1)] + 1
    score = alignment.score / 100
    if score >= FAITHFUL_FROM:
        score = faithfulness(folded_query, folded, (alignment.dest_start, alignment.dest_end), edits)
    return score, (start, end)


def sentence_around(text: str, span: tuple[int, int], bounds: tuple[int, int]) -> tuple[int, int]:
    """Widen a match to whole sentences, never past its voice."""
    lower, upper = bounds
    start = lower
    for m in SENTENCE_END_RE.finditer(text, lower, span[0]):
        start = m.end()
    end_match = SENTENCE_END_RE.search(text, max(span[1] - 1, lower), upper)
    end = end_match.end() if end_match else upper
    while start < end and text[start] in " \u3000":
        start += 1
    return start, max(end, start)


def candidates_for(query: str, library: Library, edits: MeaningEdits | None = None) -> list[Candidate]:
    folded_query = fold(query)
    found = []
    matches = library.index.search(query, limit=CANDIDATE_PASSAGES)
    for rank, match in enumerate(matches):
        narrator = _narrator(library.corpus, match.passage)
        for voice in voices(match.passage, narrator):
            confidence, span = align(folded_query, match.passage.text, voice, edits)
            if voice.quoted:
                confidence += 0.02  # a quotation is likelier to be what someone "said"
            proof = sentence_around(match.passage.text, span, (voice.start, voice.end))
            found.append(Candidate(match.passage, voice, min(confidence, 1.0), proof, rank))
    found.sort(key=lambda c: (-c.confidence, c.rank))
    return found


def _narrator(corpus: Corpus, passage: Passage) -> str | None:
    document = corpus.document(passage.doc_id)
    return document.source.narrator if document else None


def calibrated(best: Candidate, others: list[Candidate], query: str) -> float:
    """0..1: how sure the bot is that ``best`` holds the query. The raw match is rescaled so that
    what falls below CONFIDENCE_FLOOR (a sentence whose words were changed) reads as 0; two named
    speakers about as likely, or a very short query, lower it further."""
    confidence = max(0.0, (best.confidence - CONFIDENCE_FLOOR) / (1 - CONFIDENCE_FLOOR))
    rival = next((c for c in others if c.voice.speaker not in (None, best.voice.speaker)), None)
    if rival and best.confidence - rival.confidence < AMBIGUITY_MARGIN:
        confidence *= AMBIGUITY_PENALTY
    length = len(fold(query))
    if length < SHORT_QUERY_CHARS:
        confidence *= 0.75 + 0.25 * length / SHORT_QUERY_CHARS
    return min(confidence, 1.0)


def _meaning_edits(settings: Settings) -> MeaningEdits:
    """config/who_said.yaml; a broken file costs the finer judgement, never the answer."""
    try:
        return load_meaning_edits(settings.config_dir)
    except ConfigError:
        return MeaningEdits()


def credited_first(candidates: list[Candidate]) -> list[Candidate]:
    """The same words credited in one article and bare in another: answer from the credited copy."""
    best = candidates[0]
    if best.voice.speaker is not None and best.voice.quoted:
        return candidates
    credited = next(
        (c for c in candidates[1:] if c.voice.speaker and c.voice.quoted and c.confidence >= best.confidence - NEAR_EQUAL),
        None,
    )
    if credited is None:
        return candidates
    return [credited, *(c for c in candidates if c is not credited)]


def who_said(query: str, library: Library, settings: Settings, *, limit: int | None = None, offset: int = 0) -> Reply:
    prepared = prepare(query, settings.max_query_chars)
    if not prepared.searchable:
        return Reply(WHO_SAID, query, found=False, notes=prepared.notes + ("There is no quotation in that to look for.",), help_text=HELP_TEXT)
    name = _speaker_named(prepared.text, library)
    if name:
        return Reply(WHO_SAID, prepared.text, found=False, notes=prepared.notes + (NAME_ONLY.format(name=name),), confidence=0.0)
    candidates = _distinct_passages(candidates_for(prepared.text, library, _meaning_edits(settings)))
    candidates = credited_first(candidates) if candidates else candidates
    if not candidates:
        return Reply(WHO_SAID, prepared.text, found=False, notes=prepared.notes + (NOTHING_CLOSE,), help_text=HELP_TEXT, confidence=0.0)
    confidence = calibrated(candidates[0], candidates[1:], prepared.text)
    named = candidates[0].voice.speaker is not None
    found = confidence >= settings.who_said_threshold and named
    script = display_script(settings, prepared.text)
    page = limit if limit is not None else settings.results_per_page
    hits = tuple(
        make_hit(
            library.corpus, c.passage, score=c.confidence, script=script,
            quotation=c.proof, highlights=(c.proof,), speaker=c.voice.speaker, use_speaker=True,
        )
        for c in candidates[offset:offset + max(0, page)]
    )
    notes = prepared.notes
    if not found:
        notes += (NOT_FOUND if confidence < settings.who_said_threshold else NO_SPEAKER,)
    return Reply(
        WHO_SAID, prepared.text, results=hits, notes=notes, found=found,
        confidence=confidence, offset=offset, total=len(candidates),
    )


def _speaker_named(query: str, library: Library) -> str | None:
    """The query when it is only a speaker's name (either script, any case, in quote marks or not):
    a who, not a what; else None."""
    name = query.strip("\"'“”‘’「」『』《》 ")
    return name if fold(name) in library.folded_speaker_names else None


def _distinct_passages(candidates: list[Candidate]) -> list[Candidate]:
    """The best voice of each passage, so alternatives are different passages."""
    seen, kept = set(), []
    for candidate in candidates:
        if candidate.passage.id not in seen:
            seen.add(candidate.passage.id)
            kept.append(candidate)
    return kept
