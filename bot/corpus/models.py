"""The corpus as plain, immutable values: what every layer above reads and none may change."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    """Where a document comes from; every field is None when the document does not say."""

    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    translator: str | None = None
    date: str | None = None
    url: str | None = None
    script: str | None = None  # "Traditional" or "Simplified"
    date_saved: str | None = None
    # Fields read from the article's own words (its header, or a page's byline filling a gap in
    # a config entry) rather than from what attribution reads: shown, never a narrator.
    read_from_text: tuple[str, ...] = ()

    @property
    def narrator(self) -> str | None:
        """Whose the unquoted words are: the author config/corpus.yaml (or a page's byline, for a
        document without an entry) names. A byline read from the header names the article's
        author or reporter, whose narration is nobody's quotation."""
        return None if "author" in self.read_from_text else self.author

    def as_dict(self) -> dict[str, str | None]:
        return {
            "title": self.title,
            "outlet": self.outlet,
            "author": self.author,
            "translator": self.translator,
            "date": self.date,
            "url": self.url,
            "script": self.script,
        }


@dataclass(frozen=True)
class Speaker:
    """A person or organisation quoted in the library, with every way the texts and users spell them."""

    name: str
    aliases: tuple[str, ...] = ()
    name_en: str | None = None
    role: str | None = None

    @property
    def all_names(self) -> tuple[str, ...]:
        names = [self.name, *self.aliases]
        if self.name_en:
            names.append(self.name_en)
        return tuple(dict.fromkeys(n for n in names if n))


@dataclass(frozen=True)
class Quotation:
    """A stretch of a passage spoken by one speaker, so /who-said can point at the exact words."""

    start: int  # offsets into Passage.text
    end: int
    speaker: str | None
    form: str | None = None  # how attribution found the speaker: "verb", "tag", "turn", "frame", "lead-in"…
    guessed: bool = False  # the speaker's name was found only by its shape and place, never confirmed

    def text_of(self, passage_text: str) -> str:
        return passage_text[self.start:self.end]


@dataclass(frozen=True)
class Passage:
    """One quotable paragraph (or a piece of a very long one) in its cleaned, original-script form."""

    id: str  # "doc_id:N"
    doc_id: str
    number: int
    text: str
    raw_span: tuple[int, int]  # character span in the raw seed file
    speaker: str | None = None
    quotations: tuple[Quotation, ...] = ()
    heading: str | None = None  # the section heading the passage sits under
    kind: str = "paragraph"  # "paragraph", "table-row", "list-item", "quote"
    stance: str | None = None  # "open", "closed", "both": what it argues (bot/corpus/stance)
    stance_score: float = 0.0  # how strongly
    stance_reason: str | None = None  # the words that decided it, quoted from the passage


@dataclass(frozen=True)
class Paragraph:
    """A cleaned block before it becomes passages: the unit attribution reasons about."""

    text: str
    raw_span: tuple[int, int]
    kind: str = "paragraph"  # also "heading", "table-row", "list-item", "quote"
    label: str | None = None  # an interview-turn label such as "Jim Zemlin" or "Q"/"A"


@dataclass(frozen=True)
class FileReading:
    """How a file was read (detected format and encoding) and how much of it the library kept."""

    format: str  # "text", "Markdown" or "HTML"
    encoding: str  # "UTF-8", "UTF-8 with BOM", "UTF-16", "GB18030/GBK", "Big5", or a page's declared charset
    file_chars: int  # characters in the decoded file
    text_chars: int  # characters handed to cleaning: for HTML, the article extracted from the page
    kept_chars: int = 0  # characters in passages
    metadata_from_file: tuple[str, ...] = ()  # Source fields the file itself gave (a page's byline)
    title_from: str | None = None  # "the first heading", "the first line", … where no config entry gave one
    fields_from: tuple[tuple[str, str], ...] = ()  # (source field, where it came from) for the header's and config's

    def summary(self) -> str:
        """One line for `bot corpus --check`: what was detected, what was kept."""
        parts = [f"{self.format}, {self.encoding}"]
        if self.format == "HTML":
            parts.append(f"article text {self.text_chars:,} of the page's {self.file_chars:,} characters")
        parts.append(f"{self.kept_chars:,} of {self.text_chars:,} characters kept in passages")
        if self.metadata_from_file:
            parts.append(f"{', '.join(self.metadata_from_file)} from the file")
        if self.title_from:
            parts.append(f"title from {self.title_from}")
        for origin in dict.fromkeys(origin for _name, origin in self.fields_from):
            parts.append(f"{', '.join(n for n, o in self.fields_from if o == origin)} from {origin}")
        return "; ".join(parts)


@dataclass(frozen=True)
class Document:
    doc_id: str
    path: str
    source: Source
    passages: tuple[Passage, ...]
    headings: tuple[str, ...] = ()
    repaired_runs: int = 0
    dropped_chars: int = 0
    reading: FileReading | None = None  # None for documents built from text rather than a file


@dataclass(frozen=True)
class Corpus:
    documents: tuple[Document, ...]
    speakers: tuple[Speaker, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def passages(self) -> tuple[Passage, ...]:
        return tuple(p for d in self.documents for p in d.passages)

    def document(self, doc_id: str) -> Document | None:
        return next((d for d in self.documents if d.doc_id == doc_id), None)

    def speaker(self, name: str | None) -> Speaker | None:
        if not name:
            return None
        return next((s for s in self.speakers if s.name == name), None)


@dataclass(frozen=True)
class LoadProblem:
    """Why one file could not be used; the rest of the library still loads."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


__all__ = [
    "Corpus",
    "Document",
    "FileReading",
    "LoadProblem",
    "Paragraph",
    "Passage",
    "Quotation",
    "Source",
    "Speaker",
]
