"""A synthetic library N times the seeds, for scale runs: ``python bench/synth.py --scale 100 --out DIR``.

Why it is built this way:

- A larger library only tells us something if its text looks like the real one: the same
  vocabulary and mix of scripts, the same artifacts the loader has to repair (pinyin reading
  notes, GBK mojibake), and near-duplicates of real paragraphs, which is what a growing library
  of reposted and re-edited articles really holds. So every new document is made of the seeds'
  own paragraphs, perturbed: sentences shuffled, paragraphs spliced from two sources,
  characters swapped, substituted or dropped, and some documents flipped to the other script.
- Every copied sentence is edited every few characters (see ``edit_characters``), so no
  distractor is a twin of a seed paragraph or holds a long stretch of one word for word;
  the dev queries' answers stay where they were (the five seeds are copied in
  byte for byte, under their own names, so ``config/corpus.yaml`` still applies to them), and a
  drop in quality as the library grows is the cost of near-duplicates, which the scale run
  measures separately (see ``bench/scale.py``).
- New documents get new ids (``synNNNNNN``) that no dev case's 3-digit ``doc`` prefix matches,
  and no config entry, so they load with unknown metadata, as an unlisted file would.
- Deterministic: one seeded ``random.Random`` drives every choice, and nothing iterates a set
  or a dict of strings in hash order, so the same ``--seed`` and seeds give the same bytes.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import random
import re
import shutil
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

import opencc

from bot.chars import is_han
GENERATOR_VERSION = 3  # bump when the output for a given (scale, seed) changes
MANIFEST = "SYNTH.json"  # neither .txt nor .md, so the loader never reads it
PROVENANCE = "PROVENANCE.json"  # per new file: [block start offset, [[seed file, line number], ...]]
SEED_SUFFIXES = (".txt", ".md")
# Full-width marks only: in the seeds' GBK damage an ASCII "?" is a lost character and "!" may be a
# folded ！, so cutting there would split a damaged run the loader must see whole.
SENTENCE_END = re.compile(r"(?<=[。！？；…])")
PINYIN_NOTE_MARK = "("  # a reading note such as 開(kāi): never edit the character before it
MARKUP_START = tuple("#|>!-*[=`")
HEADING_MAX = 30
PROSE_MIN = 20

# How much a copied paragraph is disturbed; chosen so distractors share most words with their
# source (hard for the ranker) without being twins of it.
P_SHUFFLE = 0.5
P_SPLICE = 0.3
P_HEADING = 0.15
P_FLIP_SCRIPT = 0.3
EDIT_GAP = (3, 7)  # Han characters between two edits, drawn uniformly


@dataclass(frozen=True)
class Material:
    """What new documents are cut from: the seeds' prose paragraphs and short heading-like lines."""

    paragraphs: tuple[str, ...]
    sources: tuple[tuple[str, int], ...]  # (seed file name, 0-based line number) of each paragraph
    headings: tuple[str, ...]
    han_pool: str  # every Han character of the prose, in order: sampling it follows their frequency
    mean_doc_bytes: int
    seed_bytes: int


@dataclass(frozen=True)
class Manifest:
    scale: int
    seed: int
    version: int
    seeds_digest: str
    seed_files: list[str]
    new_files: list[str]
    total_bytes: int
    kind: str = "synth"  # which generator: "synth" (this module) or "spliced" (bench/spliced.py)


def seed_paths(seeds_dir: Path) -> list[Path]:
    return sorted(p for p in Path(seeds_dir).iterdir() if p.is_file() and p.suffix.lower() in SEED_SUFFIXES)


def seeds_digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def read_material(paths: list[Path]) -> Material:
    paragraphs: list[str] = []
    sources: list[tuple[str, int]] = []
    headings: list[str] = []
    sizes = []
    for path in paths:
        data = path.read_bytes()
        sizes.append(len(data))
        for number, line in enumerate(data.decode("utf-8-sig", errors="replace").split("\n")):
            line = line.strip()
            if not line or line.startswith(MARKUP_START) or "http" in line or not any(is_han(c) for c in line):
                continue
            if len(line) >= PROSE_MIN:
                paragraphs.append(line)
                sources.append((path.name, number))
            elif len(line) <= HEADING_MAX:
                headings.append(line)
    pool = "".join(c for p in paragraphs for c in p if is_han(c))
    mean = sum(sizes) // max(len(sizes), 1)
    return Material(tuple(paragraphs), tuple(sources), tuple(headings), pool, mean, sum(sizes))


def sentences(paragraph: str) -> list[str]:
    return [s for s in SENTENCE_END.split(paragraph) if s]


def edit_characters(text: str, rng: random.Random, pool: str) -> str:
    """Swap, substitute, drop or insert a Han character every EDIT_GAP Han characters.

    The spacing, not a rate, is what keeps the benchmark fair: no run of EDIT_GAP[1] + 1 Han
    characters survives from a seed paragraph, so a distractor shares most characters and
    bigrams with its source (hard for the ranker) but never holds a dev query's answer word
    for word; the original passage stays the one best match. A character carrying a reading
    note (the one before ``(``) is left alone, so the loader still strips the note as in the seeds.
    """
    out: list[str] = []
    countdown = rng.randint(*EDIT_GAP)
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if not is_han(ch):
            out.append(ch)
            i += 1
            continue
        countdown -= 1
        noted = i + 1 < n and text[i + 1] == PINYIN_NOTE_MARK
        if countdown > 0 or noted:
            out.append(ch)
            i += 1
            continue
        countdown = rng.randint(*EDIT_GAP)
        roll = rng.random()
        following = text[i + 1] if i + 1 < n else ""
        if roll < 0.4 and following and is_han(following) and text[i + 2:i + 3] != PINYIN_NOTE_MARK:
            out += [following, ch]
            i += 2
            continue
        if roll < 0.75:
            out.append(rng.choice(pool))
        elif roll < 0.9:
            pass  # dropped
        else:
            out += [rng.choice(pool), ch]
        i += 1
    return "".join(out)


def new_paragraph(material: Material, rng: random.Random) -> tuple[str, list[tuple[str, int]]]:
    """A perturbed paragraph and the seed lines it was made from."""
    first = rng.randrange(len(material.paragraphs))
    parts = sentences(material.paragraphs[first])
    origin = [material.sources[first]]
    if rng.random() < P_SPLICE:
        second = rng.randrange(len(material.paragraphs))
        other = sentences(material.paragraphs[second])
        parts = parts[: max(1, len(parts) // 2)] + other[len(other) // 2:]
        origin.append(material.sources[second])
    if len(parts) > 1 and rng.random() < P_SHUFFLE:
        rng.shuffle(parts)
    return edit_characters("".join(parts), rng, material.han_pool), origin


@functools.lru_cache(maxsize=None)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def flip_script(paragraphs: list[str], rng: random.Random) -> list[str]:
    """One document in the other script; paragraphs with notes or damage markers stay as they are."""
    convert = _converter(rng.choice(("s2t", "t2s"))).convert
    return [p if ("(" in p or "?" in p or "\ufffd" in p) else convert(p) for p in paragraphs]


def new_document(material: Material, rng: random.Random, make_paragraph: Callable = None,
                 p_flip: float = P_FLIP_SCRIPT) -> tuple[str, list]:
    """The text of one new document and, per block, its start offset and the seed lines it came from.

    ``make_paragraph(material, rng) -> (text, seed lines)`` makes each paragraph (this module's
    ``new_paragraph`` unless another kind passes its own); ``p_flip`` 0 keeps every script.
    """
    make_paragraph = make_paragraph or new_paragraph
    target = int(material.mean_doc_bytes * rng.uniform(0.5, 1.5))
    blocks: list[str] = []
    origins: list[list[tuple[str, int]]] = []
    size = 0
    while size < target:
        if material.headings and rng.random() < P_HEADING:
            blocks.append(rng.choice(material.headings))
            origins.append([])
        text, origin = make_paragraph(material, rng)
        blocks.append(text)
        origins.append(origin)
        size += len(text.encode())
    if p_flip and rng.random() < p_flip:
        blocks = flip_script(blocks, rng)
    provenance, offset = [], 0
    for block, origin in zip(blocks, origins):
        if origin:
            provenance.append([offset, [list(o) for o in origin]])
        offset += len(block) + 2
    return "\n\n".join(blocks) + "\n", provenance


def generate(seeds_dir: Path, out_dir: Path, scale: int, seed: int = 0, *, kind: str = "synth",
             make_document: Callable = None, version: int = GENERATOR_VERSION) -> Manifest:
    """Write the seeds plus new documents totalling about ``scale`` times the seeds' bytes into ``out_dir``.

    ``make_document(material, rng) -> (text, provenance)`` makes one new document (this module's
    ``new_document`` unless another kind, e.g. ``bench/spliced.py``, passes its own).
    """
    if scale < 1:
        raise ValueError("scale must be 1 or more")
    paths = seed_paths(seeds_dir)
    if not paths:
        raise ValueError(f"no seed files in {seeds_dir}")
    make_document = make_document or new_document
    out_dir = Path(out_dir)
    _clear(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for path in paths:
        shutil.copyfile(path, out_dir / path.name)
    material = read_material(paths)
    rng = random.Random(f"{kind}:{seed}")
    target = material.seed_bytes * (scale - 1)
    written = 0
    names: list[str] = []
    provenance: dict[str, list] = {}
    while written < target:
        name = f"syn{len(names):06d}.txt"
        text, provenance[name] = make_document(material, rng)
        data = text.encode()
        (out_dir / name).write_bytes(data)
        names.append(name)
        written += len(data)
    (out_dir / PROVENANCE).write_text(json.dumps(provenance, separators=(",", ":")), encoding="utf-8")
    manifest = Manifest(scale, seed, version, seeds_digest(paths), [p.name for p in paths], names,
                        written + material.seed_bytes, kind)
    (out_dir / MANIFEST).write_text(json.dumps(asdict(manifest), indent=1), encoding="utf-8")
    return manifest


def _clear(out_dir: Path) -> None:
    """Remove a previous run's files; refuse to touch a folder this generator did not make."""
    if not out_dir.exists():
        return
    manifest = out_dir / MANIFEST
    if not manifest.exists():
        if any(out_dir.iterdir()):
            raise ValueError(f"{out_dir} is not empty and holds no {MANIFEST}: not overwriting it")
        return
    old = json.loads(manifest.read_text(encoding="utf-8"))
    for name in [*old.get("seed_files", []), *old.get("new_files", [])]:
        (out_dir / name).unlink(missing_ok=True)
    manifest.unlink()
    (out_dir / PROVENANCE).unlink(missing_ok=True)


def load_provenance(out_dir: Path) -> dict[str, list]:
    """Per new file (name without extension): sorted block starts and their seed lines; {} if absent."""
    path = Path(out_dir) / PROVENANCE
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {Path(name).stem: blocks for name, blocks in data.items()}


def main(argv: list[str] | None = None, make: Callable = None, description: str = __doc__) -> int:
    """The command line of this generator, or of another kind's (``make`` as ``generate``)."""
    make = make or generate
    parser = argparse.ArgumentParser(description=description.splitlines()[0])
    parser.add_argument("--scale", type=int, required=True, help="total size as a multiple of the seeds (10, 100, 1000)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write (usable as BOT_SEEDS)")
    parser.add_argument("--seeds", type=Path, default=Path(__file__).resolve().parent.parent / "seeds")
    parser.add_argument("--seed", type=int, default=0, help="random seed (same seed, same bytes)")
    args = parser.parse_args(argv)
    try:
        manifest = make(args.seeds, args.out, args.scale, args.seed)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{args.out}: {len(manifest.seed_files)} seeds + {len(manifest.new_files)} new documents, "
          f"{manifest.total_bytes / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
