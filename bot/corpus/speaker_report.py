"""What attribution understood: every speaker, how many passages carry their words, by which forms,
and which names were only guessed; and the quotations it could not attribute.

Used by `bot speakers` and `bot corpus --check`, so a user adding articles can see at a glance
whether the bot reads them as they would.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from bot.corpus.attribution.quotations import find_quotes
from bot.corpus.models import Corpus, Passage

NAME_COLUMNS = 26
MIN_QUOTED_CHARS = 8  # shorter quoted terms are names for things (“护城河”), not quotations


@dataclass
class SpeakerRow:
    name: str
    passages: int = 0
    documents: set[str] = field(default_factory=set)
    forms: Counter = field(default_factory=Counter)
    guessed: bool = False
    listed: bool = False

    def as_json(self) -> dict:
        return {
            "speaker": self.name,
            "passages": self.passages,
            "documents": sorted(self.documents),
            "forms": dict(self.forms.most_common()),
            "guessed": self.guessed,
            "listed": self.listed,
        }


def speaker_rows(corpus: Corpus) -> list[SpeakerRow]:
    """Speakers by the number of passages carrying their words, most first."""
    listed = {s.name for s in corpus.speakers}
    rows: dict[str, SpeakerRow] = defaultdict(lambda: SpeakerRow(""))
    for passage in corpus.passages:
        seen = set()
        for quotation in passage.quotations:
            if not quotation.speaker:
                continue
            row = rows[quotation.speaker]
            row.name = quotation.speaker
            row.forms[quotation.form or "unknown"] += 1
            row.guessed = row.guessed or quotation.guessed
            row.listed = quotation.speaker in listed
            row.documents.add(passage.doc_id)
            if quotation.speaker not in seen:
                row.passages += 1
                seen.add(quotation.speaker)
    return sorted(rows.values(), key=lambda r: (-r.passages, r.name))


def unattributed_quotations(corpus: Corpus) -> list[Passage]:
    """Passages holding a real quotation (a quoted sentence, not a quoted term) that nobody is
    credited with."""
    found = []
    for passage in corpus.passages:
        for quote in find_quotes(passage.text):
            inner = passage.text[quote.open + 1 : quote.close].strip()
            if len(inner) < MIN_QUOTED_CHARS:
                continue
            if not any(q.speaker and q.start < quote.close and quote.open < q.end for q in passage.quotations):
                found.append(passage)
                break
    return found


def _padded(text: str, width: int) -> str:
    """Left-aligned in a terminal, where a Han character takes two columns."""
    shown = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - shown)


def format_rows(rows: list[SpeakerRow]) -> str:
    lines = [f"{_padded('speaker', NAME_COLUMNS)} {'passages':>8}  documents  forms"]
    for row in rows:
        forms = ", ".join(f"{form} {count}" for form, count in row.forms.most_common())
        mark = " (guessed: found only by the shape of the name and its place)" if row.guessed else ""
        lines.append(f"{_padded(row.name, NAME_COLUMNS)} {row.passages:>8}  {len(row.documents):>9}  {forms}{mark}")
    guessed = sum(r.guessed for r in rows)
    lines.append(f"{len(rows)} speakers, {sum(r.listed for r in rows)} listed in config/speakers.yaml, {guessed} guessed")
    return "\n".join(lines)
