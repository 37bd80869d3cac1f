"""What showing a hit needs, worked out once at build time and saved as memory-mapped columns.

Every hit /quote shows needs two things that depend only on the passage, never on the query:

- **where each folded character came from** in the passage's text (the highlights are found in
  folded text and bolded in the original): ``fold_with_offsets`` per shown hit cost a Python
  step per character and, for Traditional text, an OpenCC call;
- **the passage in the reader's script** (a query typed in Traditional shows Traditional):
  ``to_script`` per shown hit cost one or two OpenCC calls.

Both are the same for every query, so the build makes them once: one flat array of offsets
(uint16 while every passage is shorter than 65,535 characters, else int32) sliced per passage,
and for each script the display texts that differ from the original, in a ``Blob``. Showing a
hit is then slicing. A passage whose saved offsets cannot be trusted (the index folded other
text than the passage's, never expected) is marked and takes the old path.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from bot.search.blob import Blob
from bot.search.normalise import fold_with_offsets_as, to_script

DISPLAY_SCRIPTS = ("simplified", "traditional")
PREFIX = "display"


@dataclass(frozen=True)
class DisplayColumns:
    offsets: np.ndarray  # uint16 or int32: for each folded character of every passage, its offset in the passage's text
    starts: np.ndarray  # int64, passages + 1: where each passage's offsets begin (its folded length apart)
    exact: np.ndarray  # bool per passage: the offsets are those of the folded text the index holds
    texts: tuple[Blob, ...]  # per DISPLAY_SCRIPTS: the display texts that differ from the passage's own
    at: tuple[np.ndarray, ...]  # per DISPLAY_SCRIPTS: int32 per passage, its row in ``texts``, -1 = the text itself

    @classmethod
    def build(cls, texts: Sequence[str], folded: Sequence[str]) -> "DisplayColumns":
        """From every passage's text and the folded text the index holds for it, in index order."""
        pieces: list[list[int]] = []
        exact = np.zeros(len(texts), dtype=np.bool_)
        for n, (text, held) in enumerate(zip(texts, folded)):
            again, offsets = fold_with_offsets_as(text, held)
            exact[n] = again == held
            pieces.append(offsets if exact[n] else [])
        lengths = np.fromiter((len(p) for p in pieces), dtype=np.int64, count=len(pieces))
        starts = np.zeros(len(pieces) + 1, dtype=np.int64)
        np.cumsum(lengths, out=starts[1:])
        widest = max((len(t) for t in texts), default=0)
        dtype = np.uint16 if widest < np.iinfo(np.uint16).max else np.int32
        flat = np.fromiter((o for p in pieces for o in p), dtype=dtype, count=int(starts[-1]))
        blobs, rows = [], []
        for script in DISPLAY_SCRIPTS:
            shown = [to_script(text, script) for text in texts]
            differ = [n for n, (text, other) in enumerate(zip(texts, shown)) if other != text]
            at = np.full(len(texts), -1, dtype=np.int32)
            at[differ] = np.arange(len(differ), dtype=np.int32)
            blobs.append(Blob.of(shown[n] for n in differ))
            rows.append(at)
        return cls(flat, starts, exact, tuple(blobs), tuple(rows))

    def offsets_of(self, number: int) -> np.ndarray | None:
        """Offsets in the passage's text of each character of its folded text; None: not saved for it."""
        if not self.exact[number]:
            return None
        return self.offsets[int(self.starts[number]):int(self.starts[number + 1])]

    def text_in(self, number: int, script: str, text: str) -> str:
        """``to_script(text, script)`` for passage ``number`` whose text is ``text``, read, not converted."""
        if script not in DISPLAY_SCRIPTS:
            return text
        which = DISPLAY_SCRIPTS.index(script)
        row = int(self.at[which][number])
        return text if row < 0 else self.texts[which][row]

    # -- saving (arrays go with the library's other .npy files; the blobs are .bin files beside them)
    def save(self, folder: Path) -> dict[str, np.ndarray]:
        arrays = {f"{PREFIX}.offsets": self.offsets, f"{PREFIX}.starts": self.starts, f"{PREFIX}.exact": self.exact}
        for script, blob, at in zip(DISPLAY_SCRIPTS, self.texts, self.at):
            arrays.update(blob.save(folder, f"{PREFIX}.{script}"))
            arrays[f"{PREFIX}.{script}.at"] = at
        return arrays

    @classmethod
    def open(cls, folder: Path, arrays: dict[str, np.ndarray]) -> "DisplayColumns | None":
        """The columns saved in ``folder``; None for a library saved without them (hits then compute both)."""
        if f"{PREFIX}.offsets" not in arrays:
            return None
        return cls(arrays[f"{PREFIX}.offsets"], arrays[f"{PREFIX}.starts"], arrays[f"{PREFIX}.exact"],
                   tuple(Blob.open(folder, f"{PREFIX}.{s}", arrays) for s in DISPLAY_SCRIPTS),
                   tuple(arrays[f"{PREFIX}.{s}.at"] for s in DISPLAY_SCRIPTS))
