"""Turning an index match into a Hit: the reader's script, the speaker's names, the source."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from types import EllipsisType

from bot.commands.results import Hit
from bot.config import Settings
from bot.corpus.models import Corpus, Passage, Source
from bot.search.normalise import detect_script, fold, to_script


def display_script(settings: Settings, query: str, typed: str | None | EllipsisType = ...) -> str:
    """'query' follows the script the question was typed in; English and pinyin keep the original.

    ``typed``: the script the search already found the query typed in (``Match.query_script``),
    so it is not detected twice."""
    if settings.display_script != "query":
        return settings.display_script
    return (detect_script(query) if typed is ... else typed) or "original"


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
    also_in: tuple[str, ...] = (),
    display_text: str | None = None,
) -> Hit:
    """``display_text``: ``to_script(passage.text, script)`` when the caller already has it (a
    search match reads it from the library's saved display columns)."""
    text = to_script(passage.text, script) if display_text is None else display_text
    if len(text) != len(passage.text):
        text = passage.text  # spans index the original; never let them drift
    name = speaker if use_speaker else speaker_at(passage, (quotation,) if quotation else highlights)
    person = corpus.speaker(name)
    document = corpus.document(passage.doc_id)
    aliases = tuple(a for a in person.all_names if a != name) if person else ()
    # An interview-turn label (`Jim Zemlin：…`) is not part of the words: the speaker is shown
    # beside them. Cut it here, once, so every renderer and the JSON's display_text agree.
    first = min((q.start for q in passage.quotations), default=None)
    cut = turn_label_end(text, names=(name, *aliases), first_quotation=first)
    return Hit(
        passage=passage,
        score=max(0.0, min(1.0, score)),
        display_text=text[cut:],
        speaker=name,
        speaker_aliases=aliases,
        speaker_role=person.role if person else None,
        source=document.source if document else Source(),
        highlights=tuple(s for s in (_moved(h, cut) for h in highlights) if s),
        quotation=_moved(quotation, cut),
        stance=stance,
        also_in=also_in,
    )


def _moved(span: tuple[int, int] | None, cut: int) -> tuple[int, int] | None:
    """A span of the text after its first `cut` characters are dropped (None if nothing is left)."""
    if span is None:
        return None
    start, end = max(0, span[0] - cut), max(0, span[1] - cut)
    return (start, end) if end > start else None


# ---------------------------------------------------------------- what a reader is shown

OPENING_QUOTES = "“「『‘\"'"
CLOSING_QUOTES = "”」』’\"'"
LABEL_COLONS = ":："
MAX_LABEL_CHARS = 24  # a turn label is a name or a role, never a sentence


@dataclass(frozen=True)
class Shown:
    """A hit as every renderer shows it (Slack, terminal): one definition of the display rules.

    * The words, without the interview-turn label that opened them (`make_hit` cuts it): the
      speaker is shown beside the quotation, never inside it.
    * `bold` (matched words and the exact quotation) and `focus` are offsets into `text`.
    * Speaker, role, title, outlet and author in the script of the passage shown, so one line
      never mixes Simplified and Traditional.
    """

    text: str
    bold: tuple[tuple[int, int], ...]
    focus: tuple[int, int] | None
    quotation: tuple[int, int] | None
    speaker: str | None
    role: str | None
    title: str | None
    outlet: str | None
    author: str | None
    date: str | None
    url: str | None
    also_in: int = 0
    stance_reason: str | None = None
    translator: str | None = None

    @property
    def quotation_text(self) -> str | None:
        return self.text[self.quotation[0]:self.quotation[1]] if self.quotation else None


def shown(hit: Hit) -> Shown:
    """What to show for `hit`: see `Shown`."""
    text = hit.display_text or ""
    bold = tuple(hit.highlights) + ((hit.quotation,) if hit.quotation else ())
    script = _script_of(text, hit.source)
    source = hit.source
    return Shown(
        text=text,
        bold=bold,
        focus=hit.quotation or (min(hit.highlights) if hit.highlights else None),
        quotation=hit.quotation,
        speaker=in_script(hit.speaker, script),
        role=in_script(hit.speaker_role, script),
        title=in_script(source.title, script),
        outlet=in_script(source.outlet, script),
        author=in_script(source.author, script),
        translator=in_script(source.translator, script) if source.translator != source.author else None,
        date=source.date or (f"saved {source.date_saved}" if source.date_saved else None),
        url=source.url,
        also_in=len(getattr(hit, "also_in", ()) or ()),
        # why a passage sits in a /compare column; a /quote or /who-said hit is in no column
        stance_reason=in_script(hit.passage.stance_reason, script) if hit.stance else None,
    )


def turn_label_end(text: str, names: tuple[str | None, ...] = (), first_quotation: int | None = None) -> int:
    """Where the words start after an opening turn label (0 when there is none).

    A label is a short colon-ended prefix that is one of `names` (either script), or that
    attribution left out of the passage's first quotation (`A：`, `记者：`).
    """
    colon = min((i for i in (text.find(c, 0, MAX_LABEL_CHARS + 2) for c in LABEL_COLONS) if i > 0), default=-1)
    if colon <= 0:
        return 0
    end = colon + 1
    while end < len(text) and text[end].isspace():
        end += 1
    prefix = _label_fold(text[:colon])
    if end < len(text) and prefix and (first_quotation == end or any(_label_fold(n) == prefix for n in names if n)):
        return end
    return 0


@lru_cache(maxsize=4096)
def _label_fold(label: str) -> str:
    """``fold`` of a turn label or a speaker's name (at most ``MAX_LABEL_CHARS`` + 1 characters
    for a label): the same few names and roles open many passages and every hit shown asks, and
    a fold costs an OpenCC call. A pure function of a short string; the cache is bounded."""
    return fold(label)


def quote_marks(text: str) -> tuple[str, str]:
    """The marks to put around `text` so it never shows doubled (`““…””`): none when the text
    opens or closes with its own quotation mark (it then carries its own, and any narration
    around them is not the speaker's), else `“` and `”`."""
    text = text.strip()
    if text and (text[0] in OPENING_QUOTES or text[-1] in CLOSING_QUOTES):
        return "", ""
    return "“", "”"


def in_script(value: str | None, script: str | None) -> str | None:
    return to_script(value, script) if value and script else value


def _script_of(text: str, source: Source) -> str | None:
    script = detect_script(text)
    if script is None and source.script:
        script = source.script.lower()
    return script if script in ("simplified", "traditional") else None
