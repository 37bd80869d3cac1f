"""The generated libraries the benchmarks run on, by kind and size, cached outside the repository.

Two kinds: ``synth`` (``bench/synth.py``: paragraphs reshuffled and edited every few
characters) and ``spliced`` (``bench/spliced.py``: halves of two seed paragraphs, a few
characters changed). At 1x both are the seeds themselves. A library is generated on first use
into ``$TMPDIR/quote-bot-bench/<kind>-<scale>x-seed<seed>/`` (``--root`` elsewhere) and reused
while its manifest matches the kind, generator version, seeds' hash, scale and seed. It is
written under a ``.partial`` name and renamed when complete, so a killed run never leaves a
library that looks finished.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from bench import spliced, synth

KINDS = {
    "synth": (synth.new_document, synth.GENERATOR_VERSION),
    "spliced": (spliced.new_document, spliced.VERSION),
}
DEFAULT_ROOT = Path(tempfile.gettempdir()) / "quote-bot-bench"


def cached(seeds_dir: Path, scale: int, seed: int = 0, root: Path | None = None, kind: str = "synth") -> Path:
    """The folder for (kind, seeds, scale, seed), generated on first use and reused while its manifest matches."""
    if kind not in KINDS:
        raise ValueError(f"unknown library kind {kind!r} (one of {', '.join(KINDS)})")
    make_document, version = KINDS[kind]
    digest = synth.seeds_digest(synth.seed_paths(seeds_dir))
    out_dir = Path(root or DEFAULT_ROOT) / f"{kind}-{scale}x-seed{seed}"
    manifest = out_dir / synth.MANIFEST
    if manifest.exists():
        old = json.loads(manifest.read_text(encoding="utf-8"))
        found = (old.get("kind", "synth"), old.get("version"), old.get("seeds_digest"), old.get("scale"), old.get("seed"))
        if found == (kind, version, digest, scale, seed):
            return out_dir
    partial = out_dir.with_name(out_dir.name + ".partial")  # a run killed mid-way leaves only this behind
    shutil.rmtree(partial, ignore_errors=True)
    synth.generate(seeds_dir, partial, scale, seed, kind=kind, make_document=make_document, version=version)
    shutil.rmtree(out_dir, ignore_errors=True)  # a stale library of ours (the name is this module's)
    partial.rename(out_dir)
    return out_dir


def folder(seeds_dir: Path, kind: str, scale: int, seed: int = 0, root: Path | None = None) -> Path:
    """The library folder to point BOT_SEEDS at: the seeds themselves at 1x."""
    return Path(seeds_dir) if scale == 1 else cached(seeds_dir, scale, seed, root, kind)
