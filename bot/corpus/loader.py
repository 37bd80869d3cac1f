"""Seeds and config in, a clean attributed Corpus out; one bad file never stops the others."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, TypeVar

from bot.config import ConfigError, load_yaml
from bot.corpus import stance
from bot.corpus.attribution import Lexicon, attribute, load_lexicon
from bot.corpus.blocks import Block, blocks_of, split_lines
from bot.corpus.file_metadata import (
    CONFIG, PAGE, SOURCE_FIELDS, HeaderLabels, as_headings, document_sources, header_lines, load_header_labels,
    own_source, read_header,
)
from bot.corpus.files import ARTICLE_SUFFIXES, ArticleFile, UnreadableFile, article_files, read_article
from bot.corpus.markup import split_front_matter
from bot.corpus.models import Corpus, Document, LoadProblem, Passage, Source, Speaker
from bot.corpus.mojibake import repair_mojibake
from bot.corpus.passages import split_long
from bot.corpus.pinyin_notes import strip_pinyin_notes
from bot.corpus.speakers import load_speakers
from bot.corpus.traced import Traced

T = TypeVar("T")


def load_corpus(seeds_dir: Path, config_dir: Path) -> Corpus:
    """The library's corpus: each document read on its own, then what is read across documents."""
    return judge_stances(load_documents(seeds_dir, config_dir), config_dir)


def load_documents(seeds_dir: Path, config_dir: Path) -> Corpus:
    """Every article read, cleaned, split and attributed, each on its own (so shares of a big
    library can be loaded on several processes); no stance yet, which reads across documents."""
    config = load_article_config(config_dir)
    problems = list(config.problems)
    documents: list[Document] = []
    for path in unique_article_paths(seeds_dir, problems):
        document = read_document(path, config)
        if isinstance(document, LoadProblem):
            problems.append(document)
        else:
            documents.append(document)
    return Corpus(tuple(documents), config.speakers, tuple(str(p) for p in problems))


@dataclass(frozen=True)
class ArticleConfig:
    """What reading one article takes from config: its source entries, the speaker book, the
    attribution lexicon (None: the bundled one), and the problems met reading them."""

    sources: dict[str, Source]
    speakers: tuple[Speaker, ...]
    lexicon: Lexicon | None
    problems: tuple[LoadProblem, ...] = ()
    header_labels: HeaderLabels | None = None  # config/headers.yaml (None: the bundled one)


def load_article_config(config_dir: Path) -> ArticleConfig:
    problems: list[LoadProblem] = []
    sources = _load_sources(config_dir / "corpus.yaml", problems)
    speakers = _load_speaker_book(config_dir / "speakers.yaml", problems)
    lexicon = _load_or_report(load_lexicon, config_dir, problems)
    header_labels = _load_or_report(load_header_labels, config_dir, problems)
    return ArticleConfig(sources, speakers, lexicon, tuple(problems), header_labels)


def unique_article_paths(seeds_dir: Path, problems: list[LoadProblem]) -> list[Path]:
    """The article files in order, the second of two with the same id (``a.txt``, ``a.md``) named
    in ``problems`` and left out."""
    paths: list[Path] = []
    seen: dict[str, str] = {}
    for path in _article_paths(seeds_dir, problems):
        doc_id = path.stem
        if doc_id in seen:
            problems.append(LoadProblem(str(path), f"same id {doc_id!r} as {seen[doc_id]}; rename one of them"))
            continue
        seen[doc_id] = path.name
        paths.append(path)
    return paths


def read_document(path: Path, config: ArticleConfig) -> Document | LoadProblem:
    """One article file to its document (cleaned, split, attributed), or why it cannot be used.
    Depends only on the file, its entry in ``config.sources``, the speakers and the lexicon."""
    doc_id = path.stem
    try:
        article = read_article(path)
    except UnreadableFile as exc:
        return LoadProblem(str(path), str(exc))
    document = build_document(doc_id, str(path), article.text, config.sources.get(doc_id), config.speakers,
                              article, config.lexicon, config.header_labels)
    if not document.passages:
        return LoadProblem(str(path), "no quotable text left after cleaning")
    return document


def judge_stances(corpus: Corpus, config_dir: Path, alone: stance.OwnReadings | None = None) -> Corpus:
    """What each passage argues, read once over the whole library: a speaker's clear stance in one
    article informs their passages in another, so this runs after every document is loaded
    (``alone``: what each article says on its own, already read per article; see ``stance.read_alone``)."""
    problems: list[LoadProblem] = []
    judged = stance.with_stances(corpus.documents, config_dir, problems, alone)
    return replace(corpus, documents=judged, problems=corpus.problems + tuple(str(p) for p in problems))


def _article_paths(seeds_dir: Path, problems: list[LoadProblem]) -> list[Path]:
    if not seeds_dir.is_dir():
        problems.append(LoadProblem(str(seeds_dir), "seed folder not found"))
        return []
    paths = article_files(seeds_dir)
    if not paths:
        problems.append(LoadProblem(str(seeds_dir), f"no article files ({', '.join(ARTICLE_SUFFIXES)}) in the folder"))
    return paths


def _load_sources(path: Path, problems: list[LoadProblem]) -> dict[str, Source]:
    try:
        data = load_yaml(path)
    except ConfigError as exc:
        problems.append(LoadProblem(exc.path, exc.message, exc.line))
        return {}
    entries = data.get("documents") or {}
    if not isinstance(entries, dict):
        problems.append(LoadProblem(str(path), "'documents' must be a mapping of doc id to fields"))
        return {}
    sources = {}
    for doc_id, fields in entries.items():
        fields = fields if isinstance(fields, dict) else {}
        values = {k: (str(fields[k]) if fields.get(k) is not None else None) for k in SOURCE_FIELDS}
        sources[str(doc_id)] = Source(**values)
    return sources


def _load_speaker_book(path: Path, problems: list[LoadProblem]) -> tuple[Speaker, ...]:
    try:
        return load_speakers(path)
    except ConfigError as exc:
        problems.append(LoadProblem(exc.path, exc.message, exc.line))
        return ()


def _load_or_report(load: Callable[[Path], T], config_dir: Path, problems: list[LoadProblem]) -> T | None:
    """A config file's words (attribution's lexicon, the header labels), or None, the problem
    named, when the file is broken: the bundled words are then used."""
    try:
        return load(config_dir)
    except ConfigError as exc:
        problems.append(LoadProblem(exc.path, exc.message, exc.line))
        return None


def clean_text(raw: str) -> tuple[Traced, int, int]:
    """Repairs first (they need the pinyin notes as hints), then the notes go."""
    repaired = repair_mojibake(raw)
    text = Traced.of(raw).replace_spans((r.start, r.end, r.recovered) for r in repaired.repairs)
    return strip_pinyin_notes(text), len(repaired.repairs), repaired.dropped


def build_document(
    doc_id: str,
    path: str,
    raw: str,
    source: Source | None,
    speakers: tuple[Speaker, ...],
    article: ArticleFile | None = None,
    lexicon: Lexicon | None = None,
    header_labels: HeaderLabels | None = None,
) -> Document:
    """`source` None: the document has no config entry; either way the file fills the fields
    the entry leaves empty (see file_metadata)."""
    text, repaired_runs, dropped = clean_text(raw)
    front, lines = split_front_matter(split_lines(text))
    header = read_header(header_lines(lines), header_labels or load_header_labels(), lexicon or load_lexicon())
    blocks = as_headings(blocks_of(lines), header)
    own = own_source(article.metadata if article else {}, front, blocks, header.fields, header.lines)
    sources = document_sources(source, own)
    passages = _passages_of(doc_id, blocks)
    headings = tuple(b.text.text for b in blocks if b.kind in ("heading", "header"))  # header: bylines attribution reads
    passages = attribute(passages, sources.attributed, speakers, lexicon, headings=headings)
    reading = None
    if article is not None:
        origins = sources.origins
        reading = replace(
            article.reading,
            kept_chars=sum(len(p.text) for p in passages),
            title_from=origins["title"] if origins.get("title") not in (None, CONFIG) else None,
            # a page's fields are metadata_from_file, a title guessed or read from the file title_from
            fields_from=tuple((n, o) for n, o in origins.items() if o != PAGE and (n != "title" or o == CONFIG)),
        )
    return Document(doc_id, path, sources.shown, tuple(passages), headings, repaired_runs, dropped, reading)


def _passages_of(doc_id: str, blocks: list[Block]) -> list[Passage]:
    passages: list[Passage] = []
    heading = None
    for block in blocks:
        if block.kind == "heading":
            heading = block.text.text
            continue
        if block.kind in ("caption", "header"):  # a header line is metadata, never a section's heading
            continue
        for piece in split_long(block.text):
            passages.append(
                Passage(
                    id=f"{doc_id}:{len(passages)}",
                    doc_id=doc_id,
                    number=len(passages),
                    text=piece.text,
                    raw_span=piece.raw_span(),
                    heading=heading,
                    kind=block.kind,
                )
            )
    return passages
