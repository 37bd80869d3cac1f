"""A library saved as a folder of files that load by mapping, not by unpickling.

Why a folder: the index is a few dozen flat arrays and UTF-8 buffers. Saved as ``.npy`` and
``.bin`` files they open with ``mmap`` in milliseconds whatever their size, nothing is copied
into the process, and every worker process on the machine shares one copy of the pages.
Only small Python values (vocabulary, document outlines, speakers, the pinyin word table) go
in one pickle.

Why ``header.json`` is written last and the folder renamed into place: a build killed half
way leaves a temporary folder nobody reads, never a folder that looks complete. A folder whose
header is missing, of another format, for another key, or whose files do not have the sizes
the header lists is refused with a one-line reason (``SavedLibraryError``) and rebuilt.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import tempfile
from pathlib import Path

import numpy as np

from bot.search.blob import Blob
from bot.search.columns import Table
from bot.search.display_columns import DisplayColumns
from bot.search.duplicates import Groups
from bot.search.index import Index
from bot.search.library import Library
from bot.search.postings import Postings
from bot.search.query import Lexicon
from bot.search.stored import StoredCorpus
from bot.search.tokenize import make_tokenizer

FORMAT = 3  # bump whenever the files or their meaning change
HEADER = "header.json"
PYTHON = "python.pickle"


class SavedLibraryError(Exception):
    """A saved library that cannot be used; the message is one line saying why."""


def save(library: Library, folder: Path, key: str) -> int:
    """Write ``library`` into ``folder`` atomically (a temporary sibling, then a rename); bytes written."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=folder.parent))
    try:
        _write(library, temporary, key)
        try:
            os.rename(temporary, folder)
        except OSError:
            if not (folder / HEADER).exists():  # not another process that saved the same library first
                raise
            shutil.rmtree(temporary, ignore_errors=True)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    return sum(p.stat().st_size for p in folder.iterdir())


def _write(library: Library, folder: Path, key: str) -> None:
    index = library.index
    corpus = library.corpus
    if not isinstance(corpus, StoredCorpus):
        corpus = StoredCorpus.of(corpus, index.passages)
    arrays: dict[str, np.ndarray] = {}
    table_meta, table_arrays = index.passages.save(folder, "passage")
    arrays.update(table_arrays)
    arrays.update({f"postings.{k}": v for k, v in index.postings.arrays().items()})
    arrays.update({f"groups.{k}": v for k, v in index.groups.arrays().items()})
    arrays.update({k: getattr(index, k) for k in Index.ARRAYS})
    arrays.update(index.folded.save(folder, "folded"))
    arrays.update(index.sound.save(folder, "sound"))
    arrays.update(index.display.save(folder) if index.display is not None else {})
    for name, array in arrays.items():
        np.save(folder / f"{name}.npy", np.ascontiguousarray(array), allow_pickle=False)
    lexicon = index.lexicon
    python = {
        "vocabulary": library.vocabulary,
        "outline": corpus.outline(),
        "speakers": corpus.speakers,
        "problems": corpus.problems,
        "latin_words": sorted(lexicon.latin_words),
        "latin_list": lexicon.latin_list,
        "pinyin_words": lexicon.pinyin_words,
    }
    (folder / PYTHON).write_bytes(pickle.dumps(python, protocol=pickle.HIGHEST_PROTOCOL))
    header = {
        "format": FORMAT,
        "key": key,
        "passages": index.size,
        "table": table_meta,
        "arrays": sorted(arrays),
        "files": {p.name: p.stat().st_size for p in sorted(folder.iterdir())},
    }
    (folder / HEADER).write_text(json.dumps(header, ensure_ascii=False), encoding="utf-8")


def read_header(folder: Path) -> dict:
    path = folder / HEADER
    try:
        header = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SavedLibraryError(f"{folder.name} has no {HEADER} (half-written: a build was stopped)") from None
    except (OSError, ValueError) as exc:
        raise SavedLibraryError(f"{folder.name}: unreadable {HEADER} ({exc})") from None
    if not isinstance(header, dict):
        raise SavedLibraryError(f"{folder.name}: {HEADER} is not a JSON object")
    return header


def open_library(folder: Path, key: str) -> Library:
    """The library saved in ``folder``, its arrays mapped read-only; SavedLibraryError if it cannot be trusted."""
    header = read_header(folder)
    if header.get("format") != FORMAT:
        raise SavedLibraryError(f"{folder.name} is format {header.get('format')!r}, this bot reads format {FORMAT}")
    if header.get("key") != key:
        raise SavedLibraryError(f"{folder.name} was saved for other seeds, config or code")
    for name, size in (header.get("files") or {}).items():
        path = folder / name
        actual = path.stat().st_size if path.exists() else -1
        if actual != size:
            raise SavedLibraryError(f"{folder.name}/{name} is {actual} bytes, expected {size} (damaged or half-written)")
    try:
        return _open(folder, header)
    except SavedLibraryError:
        raise
    except Exception as exc:  # a file that passed the size check but does not parse
        raise SavedLibraryError(f"{folder.name} cannot be read: {type(exc).__name__}: {exc}") from None


def _mapped(path: Path) -> np.ndarray:
    """The array in ``path``, mapped read-only; a plain ndarray view, since ``np.memmap``'s Python-level
    ``__getitem__`` costs ~3 µs per element read and the ranker reads thousands per query."""
    array = np.load(path, mmap_mode="r", allow_pickle=False)
    return array.view(np.ndarray) if isinstance(array, np.memmap) else array


def _open(folder: Path, header: dict) -> Library:
    arrays = {name: _mapped(folder / f"{name}.npy") for name in header["arrays"]}
    python = pickle.loads((folder / PYTHON).read_bytes())
    table = Table.open(folder, "passage", header["table"], arrays)
    size = int(header["passages"])
    postings = Postings.from_arrays({k.split(".", 1)[1]: v for k, v in arrays.items() if k.startswith("postings.")}, size)
    vocabulary = python["vocabulary"]
    lexicon = Lexicon(
        vocabulary=vocabulary,
        tokenizer=make_tokenizer(vocabulary.domain_words),
        latin_words=frozenset(python["latin_words"]),
        latin_list=tuple(python["latin_list"]),
        pinyin_words=python["pinyin_words"],
        postings=postings,
    )
    index = Index(
        passages=table,
        documents=arrays["documents"],
        doc_ids=tuple(document.doc_id for document, _count in python["outline"]),
        folded=Blob.open(folder, "folded", arrays),
        sound=Blob.open(folder, "sound", arrays),
        scripts=arrays["scripts"],
        postings=postings,
        groups=Groups.from_arrays({k.split(".", 1)[1]: v for k, v in arrays.items() if k.startswith("groups.")}),
        lexicon=lexicon,
        display=DisplayColumns.open(folder, arrays),
    )
    corpus = StoredCorpus.from_outline(python["outline"], python["speakers"], python["problems"], table)
    return Library(corpus, vocabulary, index)
