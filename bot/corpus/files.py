"""Article files in, text out: which files are articles, how their bytes decode, what a page holds.

People save articles as they find them: UTF-8 from most editors, UTF-8 with a byte-order mark
from Windows, UTF-16 from Notepad's "Unicode", GBK/GB18030 from mainland sites and Big5 from
Taiwanese and Hong Kong ones, as `.txt`, `.md` or a whole saved `.html` page. Strict UTF-8 is
tried first, so a UTF-8 file reads exactly as Python reads it, mojibake included (the repair
stage needs it raw); only bytes that are not UTF-8 are handed to charset-normalizer, limited
to the Chinese encodings the library reads, so that a guess can never turn a Latin-1 letter
into a Han character.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path

from bot.corpus import html
from bot.corpus.models import FileReading

FORMAT_OF_SUFFIX = {".txt": "text", ".md": "Markdown", ".html": "HTML", ".htm": "HTML"}
ARTICLE_SUFFIXES = tuple(FORMAT_OF_SUFFIX)
BINARY_SNIFF_BYTES = 8192
LEGACY_ENCODINGS = ("gb18030", "big5", "cp950")  # GB18030 reads GBK and GB2312 too; cp950 is Big5 as Windows writes it
ENCODING_LABELS = {"gb18030": "GB18030/GBK", "big5": "Big5", "cp950": "Big5"}
DECLARED_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "cp950"}  # what such pages really hold
SUPPORTED = "UTF-8, UTF-16 with BOM, GB18030/GBK, Big5"
ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
MAX_CONTROL_SHARE = 0.01  # text has almost none; decoded binary is full of them
BOMS = (  # longest first: the UTF-32 LE mark begins with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8 with BOM"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)


class UnreadableFile(ValueError):
    """Why a file gives no text, in words a user can act on."""


@dataclass(frozen=True)
class ArticleFile:
    """A file read: the text cleaning starts from, how it was read, and the byline it gave."""

    text: str  # the decoded file; for a web page, the article extracted from it
    reading: FileReading
    metadata: dict[str, str] = field(default_factory=dict)  # Source fields the file itself gives


def article_files(folder: Path) -> list[Path]:
    """The folder's article files in name order; anything else (images, PDFs, dot files) is not read."""
    return sorted(
        p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in ARTICLE_SUFFIXES
    )


def read_article(path: Path) -> ArticleFile:
    """Read and decode one article file; raises `UnreadableFile` with the reason."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"cannot be read: {exc.strerror or exc}") from None
    file_format = FORMAT_OF_SUFFIX.get(path.suffix.lower(), "text")
    declared = html.declared_charset(data) if file_format == "HTML" else None
    text, encoding = decode(data, declared)
    if not text.strip():
        raise UnreadableFile("empty file")
    if file_format != "HTML":
        return ArticleFile(text, FileReading(file_format, encoding, len(text), len(text)))
    try:
        article = html.extract_article(text)
    except html.NoArticle as exc:
        raise UnreadableFile(str(exc)) from None
    metadata = article.metadata()
    reading = FileReading(file_format, encoding, len(text), len(article.text), metadata_from_file=tuple(metadata))
    return ArticleFile(article.text, reading, metadata)


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """(text, encoding label): a byte-order mark, else strict UTF-8, else the charset the page
    declares, else the likeliest Chinese encoding; raises `UnreadableFile` when none fits."""
    if not data.strip():
        raise UnreadableFile("empty file")
    for bom, codec, label in BOMS:
        if data.startswith(bom):
            return _checked(_strict(data, codec, label), label), label
    if b"\x00" in data[:BINARY_SNIFF_BYTES]:
        raise UnreadableFile("binary file (NUL bytes), not text")
    try:
        return _checked(data.decode("utf-8"), "UTF-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    codec = DECLARED_SUPERSETS.get(declared or "", declared)
    if codec and _known_codec(codec):
        label = ENCODING_LABELS.get(codec, codec)
        try:
            return _checked(data.decode(codec), label), label
        except UnicodeDecodeError:
            pass  # the page is wrong about itself: detect instead
    return _detected(data)


def _strict(data: bytes, codec: str, label: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"starts with a {label} byte-order mark but is not {label} (bad bytes at offset {exc.start})") from None


def _detected(data: bytes) -> tuple[str, str]:
    import charset_normalizer

    best = charset_normalizer.from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)).best()
    if best is not None:
        return _checked(str(best), best.encoding), ENCODING_LABELS.get(best.encoding, best.encoding)
    guess = charset_normalizer.from_bytes(data).best()
    hint = f"; it looks like {guess.encoding}, save it as UTF-8" if guess is not None else ""
    raise UnreadableFile(f"not text in a supported encoding ({SUPPORTED}){hint}")


def _checked(text: str, encoding: str) -> str:
    """Bytes that decode are not yet text: binary data decodes to control characters."""
    controls = sum(1 for char in text if char < " " and char not in ALLOWED_CONTROLS)
    if controls > max(1, MAX_CONTROL_SHARE * len(text)):
        raise UnreadableFile(f"binary data, not text ({controls} control characters when read as {encoding})")
    return text


def _known_codec(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True
