"""The "spliced halves" library: the seeds plus paragraphs made of two seed paragraphs' halves.

    python bench/spliced.py --scale 100 --out DIR

Why a second kind beside ``bench/synth.py``: synth edits a copied sentence every 3-7
characters, so no distractor holds a long run of a seed word for word. Real libraries are
harsher: reposts, excerpts and re-edits keep whole half-paragraphs verbatim and change only a
few characters. Here every new paragraph is the first half of one seed paragraph followed by
the second half of another, with a few characters changed (about one per 40), so each half
of the original has copies that compete with it on every word; at 1000x each half has
~1000 of them. A ranker that keeps the original first here does so because it is the better
(complete, attributed) match, not because the copies are far off.

Same contract as synth: deterministic (one seeded ``random.Random``), the seeds copied in byte
for byte, new documents named ``synNNNNNN.txt`` with no config entry, ``PROVENANCE.json``
giving the seed lines of each new paragraph.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import synth  # noqa: E402
from bench.synth import PINYIN_NOTE_MARK, SENTENCE_END, Material  # noqa: E402
from bot.chars import is_han  # noqa: E402

KIND = "spliced"
VERSION = 1  # bump when the output for a given (scale, seed) changes
CHARS_PER_EDIT = 40  # "a few characters changed": one edit per this many Han characters, at least one
P_SWAP = 0.3  # an edit swaps two neighbours; otherwise it substitutes a character
EDGE = 0.25  # a sentence end further than this share of the length from the middle is not used as the cut


def cut_point(paragraph: str) -> int:
    """Where to halve a paragraph: the sentence end nearest the middle, else a Han-Han seam near it.

    Never inside a reading note such as 開(kāi) or a damaged run the loader must see whole.
    """
    n = len(paragraph)
    middle = n // 2
    ends = [m.start() for m in SENTENCE_END.finditer(paragraph) if 0 < m.start() < n]
    near = [e for e in ends if abs(e - middle) <= EDGE * n]
    if near:
        return min(near, key=lambda e: abs(e - middle))
    for offset in range(n):
        for cut in (middle - offset, middle + offset):
            if 0 < cut < n - 1 and is_han(paragraph[cut - 1]) and is_han(paragraph[cut]) \
                    and paragraph[cut + 1] != PINYIN_NOTE_MARK:
                return cut
    return middle


def change_a_few(text: str, rng: random.Random, pool: str) -> str:
    """Substitute or swap about one Han character in CHARS_PER_EDIT (at least one), never a noted one."""
    chars = list(text)
    editable = [i for i, ch in enumerate(chars)
                if is_han(ch) and chars[i + 1:i + 2] != [PINYIN_NOTE_MARK]]
    if not editable:
        return text
    count = 1 + len(editable) // CHARS_PER_EDIT
    for i in sorted(rng.sample(editable, min(count, len(editable)))):
        following = i + 1
        swappable = following < len(chars) and is_han(chars[following]) and chars[following + 1:following + 2] != [PINYIN_NOTE_MARK]
        if swappable and rng.random() < P_SWAP and chars[following] != chars[i]:
            chars[i], chars[following] = chars[following], chars[i]
        else:
            replacement = rng.choice(pool)
            while replacement == chars[i] and len(set(pool)) > 1:
                replacement = rng.choice(pool)
            chars[i] = replacement
    return "".join(chars)


def spliced_paragraph(material: Material, rng: random.Random) -> tuple[str, list[tuple[str, int]]]:
    """First half of one seed paragraph + second half of another, a few characters changed."""
    first, second = rng.sample(range(len(material.paragraphs)), 2)
    head = material.paragraphs[first]
    tail = material.paragraphs[second]
    text = head[:cut_point(head)] + tail[cut_point(tail):]
    return change_a_few(text, rng, material.han_pool), [material.sources[first], material.sources[second]]


def new_document(material: Material, rng: random.Random) -> tuple[str, list]:
    """One new document of spliced paragraphs (and the odd seed heading), every script kept."""
    return synth.new_document(material, rng, make_paragraph=spliced_paragraph, p_flip=0.0)


def generate_spliced(seeds_dir: Path, out_dir: Path, scale: int, seed: int = 0):
    return synth.generate(seeds_dir, out_dir, scale, seed, kind=KIND, make_document=new_document, version=VERSION)


def main(argv: list[str] | None = None) -> int:
    return synth.main(argv, make=generate_spliced, description=__doc__)


if __name__ == "__main__":
    raise SystemExit(main())
