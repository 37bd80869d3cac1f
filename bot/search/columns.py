"""A columnar table of frozen dataclass records, generic over ``dataclasses.fields``.

Why generic: ``Passage`` and ``Quotation`` gain fields from other work (stance, attribution
form and confidence), always with defaults. The table therefore decides each column's
encoding from the values it is given, not from a list of known fields:

- ints, floats, bools: one numpy array;
- strings (or None): dictionary-encoded (``category``: int32 codes into a value list) when few
  distinct values repeat (doc ids, kinds, speakers, stance labels), else a ``Blob`` (text);
- tuples of ints of one length (``raw_span``): a 2-D int64 array;
- tuples of one dataclass (``quotations``): a nested table plus CSR starts;
- anything else: a pickled list (correct, just not compact).

``get(i)`` materialises one record when a command needs it; nothing per record is kept.
"""

from __future__ import annotations

import dataclasses
import importlib
import pickle
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from bot.search.blob import Blob

CATEGORY_SHARE = 0.25  # at most this many distinct values per record: dictionary-encode


def _kind(values: Sequence[Any]) -> str:
    present = [v for v in values if v is not None]
    if not present:
        return "category"
    if all(type(v) is bool for v in values):
        return "bool"
    if all(type(v) is int for v in values):
        return "int"
    if all(type(v) in (int, float) for v in values):
        return "float"
    if all(isinstance(v, str) for v in present):
        return "category" if len(set(present)) <= max(8, CATEGORY_SHARE * len(values)) else "text"
    if all(type(v) is tuple for v in values):
        if all(type(x) is int for v in values for x in v) and len({len(v) for v in values}) == 1:
            return "ints"
        items = [x for v in values for x in v]
        if items and dataclasses.is_dataclass(items[0]) and len({type(x) for x in items}) == 1:
            return "nested"
        if not items:
            return "ints" if len({len(v) for v in values}) == 1 else "object"
    return "object"


class Table:
    """Records of one dataclass ``cls`` stored column by column."""

    def __init__(self, cls: type, size: int, columns: dict[str, tuple[str, Any]]):
        self.cls = cls
        self.size = size
        self.columns = columns  # field name -> (kind, data)
        self.names = [f.name for f in dataclasses.fields(cls) if f.name in columns]
        self._positional = self.names == [f.name for f in dataclasses.fields(cls)]  # every field stored, in order

    @classmethod
    def of(cls, record_cls: type, records: Sequence[Any]) -> "Table":
        columns: dict[str, tuple[str, Any]] = {}
        for field in dataclasses.fields(record_cls):
            values = [getattr(r, field.name) for r in records]
            kind = _kind(values)
            if kind == "int":
                data: Any = np.array(values, dtype=np.int64)
            elif kind == "float":
                data = np.array(values, dtype=np.float64)
            elif kind == "bool":
                data = np.array(values, dtype=np.bool_)
            elif kind == "category":
                labels = sorted({v for v in values if v is not None})
                code = {v: n for n, v in enumerate(labels)}
                data = (np.array([code.get(v, -1) for v in values], dtype=np.int32), labels)
            elif kind == "text":
                data = (Blob.of(v or "" for v in values), np.array([v is None for v in values], dtype=np.bool_))
            elif kind == "ints":
                width = len(values[0]) if values else 0
                data = np.array(values, dtype=np.int64).reshape(len(values), width)
            elif kind == "nested":
                items = [x for v in values for x in v]
                starts = np.zeros(len(values) + 1, dtype=np.int64)
                np.cumsum([len(v) for v in values], out=starts[1:])
                data = (Table.of(type(items[0]), items), starts)
            else:
                data = list(values)
            columns[field.name] = (kind, data)
        return cls(record_cls, len(records), columns)

    def value(self, name: str, i: int) -> Any:
        kind, data = self.columns[name]
        if kind in ("int", "float", "bool"):
            return data[i].item()
        if kind == "category":
            code = int(data[0][i])
            return None if code < 0 else data[1][code]
        if kind == "text":
            return None if data[1][i] else data[0][i]
        if kind == "ints":
            return tuple(int(x) for x in data[i])
        if kind == "nested":
            table, starts = data
            return tuple(table.get(k) for k in range(int(starts[i]), int(starts[i + 1])))
        return data[i]

    def get(self, i: int) -> Any:
        getters = self.__dict__.get("_getters")
        if getters is None:  # made on first use: a shown hit builds its record from these, no dispatch per field
            getters = self._getters = [self._getter(name) for name in self.names]
        return self.cls(*[get(i) for get in getters]) if self._positional else \
            self.cls(**{name: get(i) for name, get in zip(self.names, getters)})

    def _getter(self, name: str) -> Callable[[int], Any]:
        """``lambda i: self.value(name, i)`` with the column's kind decided once."""
        kind, data = self.columns[name]
        if kind in ("int", "float", "bool"):
            return lambda i: data[i].item()
        if kind == "category":
            codes, labels = data
            return lambda i: None if (code := int(codes[i])) < 0 else labels[code]
        if kind == "text":
            blob, none = data
            return lambda i: None if none[i] else blob[i]
        if kind == "ints":
            return lambda i: tuple(data[i].tolist())
        if kind == "nested":
            table, starts = data
            return lambda i: tuple(table.get(k) for k in range(int(starts[i]), int(starts[i + 1])))
        return lambda i: data[i]

    def numbers(self, name: str) -> np.ndarray | None:
        """The array of an int, float or bool column, for vectorised sorts; None otherwise."""
        kind, data = self.columns.get(name, ("", None))
        return data if kind in ("int", "float", "bool") else None

    def codes(self, name: str) -> tuple[np.ndarray, list] | None:
        """(codes, labels) of a dictionary-encoded column, for vectorised filters; None otherwise."""
        kind, data = self.columns.get(name, ("", None))
        return data if kind == "category" else None

    # -- saving
    def save(self, folder: Path, prefix: str) -> tuple[dict, dict[str, np.ndarray]]:
        meta: dict = {"class": f"{self.cls.__module__}:{self.cls.__qualname__}", "size": self.size, "columns": {}}
        arrays: dict[str, np.ndarray] = {}
        for name, (kind, data) in self.columns.items():
            key = f"{prefix}.{name}"
            entry: dict = {"kind": kind}
            if kind in ("int", "float", "bool", "ints"):
                arrays[key] = data
            elif kind == "category":
                arrays[key] = data[0]
                entry["labels"] = data[1]
            elif kind == "text":
                arrays.update(data[0].save(folder, key))
                arrays[key + ".none"] = data[1]
            elif kind == "nested":
                sub_meta, sub_arrays = data[0].save(folder, key)
                entry["table"] = sub_meta
                arrays.update(sub_arrays)
                arrays[key + ".starts"] = data[1]
            else:
                (folder / f"{key}.pickle").write_bytes(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
            meta["columns"][name] = entry
        return meta, arrays

    @classmethod
    def open(cls, folder: Path, prefix: str, meta: dict, arrays: dict[str, np.ndarray]) -> "Table":
        module, _, qualname = meta["class"].partition(":")
        record_cls: Any = importlib.import_module(module)
        for part in qualname.split("."):
            record_cls = getattr(record_cls, part)
        known = {f.name for f in dataclasses.fields(record_cls)}
        if set(meta["columns"]) != known:
            raise ValueError(f"{qualname} fields changed since the library was saved")
        columns: dict[str, tuple[str, Any]] = {}
        for name, entry in meta["columns"].items():
            kind, key = entry["kind"], f"{prefix}.{name}"
            if kind in ("int", "float", "bool", "ints"):
                data: Any = arrays[key]
            elif kind == "category":
                data = (arrays[key], entry["labels"])
            elif kind == "text":
                data = (Blob.open(folder, key, arrays), arrays[key + ".none"])
            elif kind == "nested":
                data = (cls.open(folder, key, entry["table"], arrays), arrays[key + ".starts"])
            else:
                data = pickle.loads((folder / f"{key}.pickle").read_bytes())
            columns[name] = (kind, data)
        return cls(record_cls, int(meta["size"]), columns)
