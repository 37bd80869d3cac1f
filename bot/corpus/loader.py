"""Seeds and config in, a clean attributed Corpus out; one bad file never stops the others."""

from __future__ import annotations

from pathlib import Path

from bot.config import ConfigError, load_yaml
from bot.corpus.attribution import Lexicon, attribute, load_lexicon
from bot.corpus.blocks import Block, blocks_of, split_lines
from bot.corpus.markup import split_front_matter
from bot.corpus.models import Corpus, Document, LoadProblem, Passage, Source, Speaker
from bot.corpus.mojibake import repair_mojibake
from bot.corpus.passages import split_long
from bot.corpus.pinyin_notes import strip_pinyin_notes
from bot.corpus.speakers import load_speakers
from bot.corpus.traced import Traced

SEED_SUFFIXES = (".txt", ".md")
SOURCE_FIELDS = ("title", "outlet", "author", "translator", "date", "url", "script", "date_saved")
BINARY_SNIFF_BYTES = 8192


def seed_files(seeds_dir: Path) -> list[Path]:
    return sorted(p for p in seeds_dir.iterdir() if p.is_file() and p.suffix.lower() in SEED_SUFFIXES)


def load_corpus(seeds_dir: Path, config_dir: Path) -> Corpus:
    problems: list[LoadProblem] = []
    sources = _load_sources(config_dir / "corpus.yaml", problems)
    speakers = _load_speaker_book(config_dir / "speakers.yaml", problems)
    lexicon = _load_lexicon(config_dir, problems)
    documents = []
    if not seeds_dir.is_dir():
        problems.append(LoadProblem(str(seeds_dir), "seed folder not found"))
        paths: list[Path] = []
    else:
        paths = seed_files(seeds_dir)
    for path in paths:
        raw = _read_seed(path, problems)
        if raw is None:
            continue
        doc_id = path.stem
        document = build_document(doc_id, str(path), raw, sources.get(doc_id, Source()), speakers, lexicon)
        if not document.passages:
            problems.append(LoadProblem(str(path), "no quotable text left after cleaning"))
            continue
        documents.append(document)
    return Corpus(tuple(documents), speakers, tuple(str(p) for p in problems))


def _read_seed(path: Path, problems: list[LoadProblem]) -> str | None:
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.append(LoadProblem(str(path), f"cannot be read: {exc.strerror or exc}"))
        return None
    if not data.strip():
        problems.append(LoadProblem(str(path), "empty file"))
        return None
    if b"\x00" in data[:BINARY_SNIFF_BYTES]:
        problems.append(LoadProblem(str(path), "binary file (NUL bytes), not text"))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(LoadProblem(str(path), f"not UTF-8 (bad byte at offset {exc.start})"))
        return None


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


def _load_lexicon(config_dir: Path, problems: list[LoadProblem]) -> Lexicon | None:
    try:
        return load_lexicon(config_dir)
    except ConfigError as exc:
        problems.append(LoadProblem(exc.path, exc.message, exc.line))
        return None  # attribution falls back to the bundled lexicon


def clean_text(raw: str) -> tuple[Traced, int, int]:
    """Repairs first (they need the pinyin notes as hints), then the notes go."""
    repaired = repair_mojibake(raw)
    text = Traced.of(raw).replace_spans((r.start, r.end, r.recovered) for r in repaired.repairs)
    return strip_pinyin_notes(text), len(repaired.repairs), repaired.dropped


def build_document(
    doc_id: str, path: str, raw: str, source: Source, speakers: tuple[Speaker, ...], lexicon: Lexicon | None = None
) -> Document:
    text, repaired_runs, dropped = clean_text(raw)
    _front, lines = split_front_matter(split_lines(text))
    blocks = blocks_of(lines)
    passages = _passages_of(doc_id, blocks)
    headings = tuple(b.text.text for b in blocks if b.kind == "heading")
    passages = attribute(passages, source, speakers, lexicon, headings=headings)
    return Document(doc_id, path, source, tuple(passages), headings, repaired_runs, dropped)


def _passages_of(doc_id: str, blocks: list[Block]) -> list[Passage]:
    passages: list[Passage] = []
    heading = None
    for block in blocks:
        if block.kind == "heading":
            heading = block.text.text
            continue
        if block.kind == "caption":
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
