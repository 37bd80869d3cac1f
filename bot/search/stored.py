"""The corpus as the commands see it, backed by the columnar passage table.

Commands and renderers keep reading ``library.corpus`` (documents, speakers, ``document()``,
``passages``) and get real ``Passage`` objects, made from the table only when touched: a
library of 37k passages holds 37k rows of arrays, not 37k objects in every worker.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, overload

from bot.corpus.models import Corpus, Document, Passage
from bot.search.columns import Table


class PassageList(Sequence):
    """Rows ``start:end`` of the passage table as a read-only sequence of ``Passage``."""

    def __init__(self, table: Table, start: int, end: int):
        self.table, self.start, self.end = table, start, end

    def __len__(self) -> int:
        return self.end - self.start

    @overload
    def __getitem__(self, i: int) -> Passage: ...
    @overload
    def __getitem__(self, i: slice) -> tuple[Passage, ...]: ...

    def __getitem__(self, i: Any):
        if isinstance(i, slice):
            return tuple(self[k] for k in range(*i.indices(len(self))))
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self.table.get(self.start + i)

    def __iter__(self):
        for k in range(self.start, self.end):
            yield self.table.get(k)

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and len(self) == len(other) and all(a == b for a, b in zip(self, other))

    def __hash__(self) -> int:
        return hash((id(self.table), self.start, self.end))

    def __repr__(self) -> str:
        return f"PassageList({len(self)} passages)"


@dataclass(frozen=True)
class StoredCorpus(Corpus):
    """A ``Corpus`` whose passages live in ``table`` (one row per passage, in corpus order)."""

    table: Table | None = field(default=None, compare=False)
    by_id: dict[str, Document] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, corpus: Corpus, table: Table) -> "StoredCorpus":
        documents, start = [], 0
        for document in corpus.documents:
            end = start + len(document.passages)
            documents.append(replace(document, passages=PassageList(table, start, end)))
            start = end
        return cls(tuple(documents), corpus.speakers, corpus.problems, table, {d.doc_id: d for d in documents})

    @property
    def passages(self) -> PassageList:  # type: ignore[override]
        return PassageList(self.table, 0, self.table.size) if self.table is not None else PassageList(_EMPTY, 0, 0)

    def passage(self, number: int) -> Passage:
        return self.table.get(number)

    def document(self, doc_id: str) -> Document | None:
        return self.by_id.get(doc_id)

    def outline(self) -> list[tuple[Document, int]]:
        """Documents without their passages, and how many each has: what a saved library pickles."""
        return [(replace(d, passages=()), len(d.passages)) for d in self.documents]

    @classmethod
    def from_outline(cls, outline: list[tuple[Document, int]], speakers, problems, table: Table) -> "StoredCorpus":
        documents, start = [], 0
        for document, count in outline:
            documents.append(replace(document, passages=PassageList(table, start, start + count)))
            start += count
        if start != table.size:
            raise ValueError(f"documents list {start} passages, the table holds {table.size}")
        return cls(tuple(documents), tuple(speakers), tuple(problems), table, {d.doc_id: d for d in documents})


_EMPTY = Table.of(Passage, [])
