"""Text that remembers where each character stood in the raw seed, so cleaning never loses spans."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Traced:
    """A string plus, for every character, its offset in the raw file it was cleaned from."""

    text: str
    origins: tuple[int, ...]

    @classmethod
    def of(cls, text: str, start: int = 0) -> Traced:
        return cls(text, tuple(range(start, start + len(text))))

    def __len__(self) -> int:
        return len(self.text)

    def __getitem__(self, index: slice) -> Traced:
        return Traced(self.text[index], self.origins[index])

    def raw_span(self, start: int = 0, end: int | None = None) -> tuple[int, int]:
        """The raw-file span covering text[start:end]."""
        end = len(self.text) if end is None else end
        if start >= end or not self.origins:
            anchor = self.origins[min(start, len(self.origins) - 1)] if self.origins else 0
            return anchor, anchor
        return self.origins[start], self.origins[end - 1] + 1

    def replace_spans(self, edits: Iterable[tuple[int, int, str]]) -> Traced:
        """Apply non-overlapping (start, end, new_text) edits; new text inherits the old span's origin."""
        parts: list[str] = []
        origins: list[int] = []
        cursor = 0
        for start, end, new in sorted(edits):
            parts.append(self.text[cursor:start])
            origins.extend(self.origins[cursor:start])
            anchor = self.origins[start] if start < len(self.origins) else (self.origins[-1] + 1 if self.origins else 0)
            parts.append(new)
            origins.extend([anchor] * len(new))
            cursor = end
        parts.append(self.text[cursor:])
        origins.extend(self.origins[cursor:])
        return Traced("".join(parts), tuple(origins))

    def sub(self, pattern: re.Pattern[str], repl: str | Callable[[re.Match[str]], str]) -> Traced:
        """re.sub that keeps origins: kept characters keep theirs, inserted text takes the match's."""
        edits = []
        for match in pattern.finditer(self.text):
            new = repl(match) if callable(repl) else match.expand(repl)
            if new != match.group(0):
                edits.append((match.start(), match.end(), new))
        return self.replace_spans(edits) if edits else self

    def unwrap(self, pattern: re.Pattern[str]) -> Traced:
        """Keep only the first participating group of each match (link text, bold text), origins intact."""
        edits = []
        for match in pattern.finditer(self.text):
            group = next((g for g in range(1, (pattern.groups or 0) + 1) if match.start(g) >= 0), None)
            if group is None:
                edits.append((match.start(), match.end(), ""))
                continue
            edits.append((match.start(), match.start(group), ""))
            edits.append((match.end(group), match.end(), ""))
        edits = [e for e in edits if e[0] < e[1]]
        return self.replace_spans(edits) if edits else self

    def strip(self) -> Traced:
        stripped = self.text.strip()
        if not stripped:
            return self[0:0]
        start = self.text.index(stripped)
        return self[start:start + len(stripped)]
