"""Are two saved libraries the same library? Field by field, whatever built them.

    python bench/same_library.py FOLDER_A FOLDER_B

A saved library (``bot.search.saved``) is arrays (passage table, postings, groups, folded and
sound texts, scripts, documents) and one pickle of Python values (vocabulary, document outlines,
speakers, problems, Latin and pinyin word tables). Two builds of the same seeds and config must
give equal arrays (same dtype, shape and values) and equal Python values; the header's key (which
hashes the code) and file sizes may differ, and documents' paths are compared by file name (a
copy of the folder elsewhere gives the same library). Each difference is one line naming the field; exit
status 1 when there is any. Used to check that a rebuild from the per-article cache, or a faster
stage, changes nothing (``bench/incremental.py``, ``tests/search/test_articles.py``).
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.search.saved import HEADER, PYTHON  # noqa: E402

IGNORED_HEADER = ("key", "files")  # the key hashes the code; sizes follow from the arrays compared below


def differences(a: Path, b: Path, limit: int = 20) -> list[str]:
    """One line per field that differs between the libraries saved in ``a`` and ``b`` (at most ``limit``)."""
    found: list[str] = []
    header_a = json.loads((a / HEADER).read_text(encoding="utf-8"))
    header_b = json.loads((b / HEADER).read_text(encoding="utf-8"))
    for field in sorted(set(header_a) | set(header_b)):
        if field not in IGNORED_HEADER and header_a.get(field) != header_b.get(field):
            found.append(f"header {field}: {str(header_a.get(field))[:80]} != {str(header_b.get(field))[:80]}")
    names = sorted(set(header_a.get("arrays", [])) | set(header_b.get("arrays", [])))
    for name in names:
        path_a, path_b = a / f"{name}.npy", b / f"{name}.npy"
        if not (path_a.exists() and path_b.exists()):
            found.append(f"array {name}: only in {'the first' if path_a.exists() else 'the second'}")
            continue
        x = np.load(path_a, mmap_mode="r", allow_pickle=False)
        y = np.load(path_b, mmap_mode="r", allow_pickle=False)
        if x.dtype != y.dtype or x.shape != y.shape:
            found.append(f"array {name}: {x.dtype}{x.shape} != {y.dtype}{y.shape}")
        elif not np.array_equal(x, y, equal_nan=x.dtype.kind == "f"):
            first = int(np.flatnonzero(np.asarray(x != y).reshape(-1))[0]) if x.size else 0
            found.append(f"array {name}: values differ (first at flat index {first})")
    python_a = _by_file_name(pickle.loads((a / PYTHON).read_bytes()))
    python_b = _by_file_name(pickle.loads((b / PYTHON).read_bytes()))
    for field in sorted(set(python_a) | set(python_b)):
        value_a, value_b = python_a.get(field), python_b.get(field)
        if value_a == value_b:
            continue
        if field == "outline" and value_a and value_b and len(value_a) == len(value_b):
            for (doc_a, count_a), (doc_b, count_b) in zip(value_a, value_b):
                if (doc_a, count_a) != (doc_b, count_b):
                    found.append(f"outline {doc_a.doc_id}: {_first_field(doc_a, doc_b) or 'passage count'} differs")
        else:
            found.append(f"python {field} differs")
    return found[:limit]


def _by_file_name(python: dict) -> dict:
    """Documents' paths cut to their file names: the same library built from a copy of the folder
    elsewhere is the same library."""
    outline = python.get("outline")
    if outline:
        python = {**python, "outline": [(replace(doc, path=Path(doc.path).name), count) for doc, count in outline]}
    return python


def _first_field(x, y) -> str | None:
    for name in getattr(x, "__dataclass_fields__", {}):
        if getattr(x, name) != getattr(y, name):
            return name
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("first", type=Path)
    parser.add_argument("second", type=Path)
    args = parser.parse_args(argv)
    found = differences(args.first, args.second)
    for line in found:
        print(line)
    print("identical" if not found else f"{len(found)} difference(s) shown")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
