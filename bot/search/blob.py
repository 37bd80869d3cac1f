"""Many strings held as one UTF-8 buffer plus offsets: the text once, shareable between processes.

One Python ``str`` per passage costs ~50 bytes of header each and lives in every worker's own
heap; one buffer costs nothing per passage and, loaded from a file with ``mmap``, is shared by
every worker on the machine (the kernel keeps one copy of the pages). A string is decoded only
when asked for (~1 µs for a passage), and ``find`` searches the whole buffer at C speed:
UTF-8 is self-synchronising, so a byte match of a whole encoded needle is a character match.
"""

from __future__ import annotations

import mmap
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import numpy as np


@dataclass(frozen=True)
class Blob:
    data: bytes | mmap.mmap  # UTF-8 of every string, back to back
    offsets: np.ndarray  # int64, len(strings) + 1: byte offsets into data

    @classmethod
    def of(cls, strings: Iterable[str]) -> "Blob":
        encoded = [s.encode("utf-8") for s in strings]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(e) for e in encoded], out=offsets[1:])
        return cls(b"".join(encoded), offsets)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, number: int) -> str:
        return self.data[int(self.offsets[number]):int(self.offsets[number + 1])].decode("utf-8")

    def many(self, numbers: np.ndarray) -> list[str]:
        """The strings at ``numbers``, in that order: the offsets read as one array, not two numpy scalars per string."""
        numbers = np.asarray(numbers, dtype=np.int64)
        data = self.data
        return [data[a:b].decode("utf-8")
                for a, b in zip(self.offsets[numbers].tolist(), self.offsets[numbers + 1].tolist())]

    def find_all(self, needle: str, most: int) -> list[int]:
        """Numbers of the strings holding ``needle`` (at most ``most``), in order."""
        pattern = needle.encode("utf-8")
        found: list[int] = []
        if not pattern:
            return found
        start = self.data.find(pattern)
        while start >= 0 and len(found) < most:
            number = int(np.searchsorted(self.offsets, start, side="right")) - 1
            end = int(self.offsets[number + 1])
            if start + len(pattern) <= end:
                found.append(number)
                start = self.data.find(pattern, end)
            else:  # straddles two strings: not a match in either
                start = self.data.find(pattern, start + 1)
        return found

    def save(self, folder: Path, name: str) -> dict[str, np.ndarray]:
        """Write the buffer as ``name.bin``; the offsets are returned to be saved with the other arrays."""
        (folder / f"{name}.bin").write_bytes(bytes(self.data))
        return {f"{name}.offsets": self.offsets}

    @classmethod
    def open(cls, folder: Path, name: str, arrays: dict[str, np.ndarray]) -> "Blob":
        offsets = arrays[f"{name}.offsets"]
        path = folder / f"{name}.bin"
        size = path.stat().st_size
        if size != int(offsets[-1]):
            raise ValueError(f"{path.name} is {size} bytes, expected {int(offsets[-1])} (half-written?)")
        if size == 0:
            return cls(b"", offsets)
        with path.open("rb") as handle:
            data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        return cls(data, offsets)
