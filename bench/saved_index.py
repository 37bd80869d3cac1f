"""A prototype of the saved index, to measure what it would buy before anyone builds it.

It pickles the whole loaded ``Library`` (corpus, vocabulary, index) except the jieba
tokenizer, which holds a lock and jieba's 350k-word dictionary and is cheaper to rebuild from
the dictionary jieba caches itself plus our domain words (stored in the file's header).

    python bench/saved_index.py FILE "/quote …"

starts a fresh interpreter, loads FILE, answers the line and prints the JSON reply: the
cold start a bot with a saved index would have, measured by ``bench/scale.py`` from outside.
"""

from __future__ import annotations

import io
import json
import pickle
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TOKENIZER = "jieba-tokenizer"


class _Pickler(pickle.Pickler):
    def persistent_id(self, obj):
        import jieba

        return TOKENIZER if isinstance(obj, jieba.Tokenizer) else None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, tokenizer):
        super().__init__(file)
        self.tokenizer = tokenizer

    def persistent_load(self, pid):
        if pid != TOKENIZER:
            raise pickle.UnpicklingError(f"unknown persistent id {pid!r}")
        return self.tokenizer


def dump(library, path: Path) -> dict:
    """Write ``library`` to ``path``; seconds and bytes, or the reason it cannot be pickled."""
    started = time.perf_counter()
    buffer = io.BytesIO()
    try:
        pickle.dump(list(library.vocabulary.domain_words), buffer, protocol=pickle.HIGHEST_PROTOCOL)
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(library)
    except (pickle.PicklingError, TypeError, AttributeError) as exc:
        return {"error": f"{type(exc).__name__}: {exc}"[:200]}
    Path(path).write_bytes(buffer.getbuffer())
    return {"dump_s": round(time.perf_counter() - started, 3), "bytes": buffer.tell()}


def load(path: Path):
    """The library back from ``path``, with a freshly built tokenizer; (library, stage seconds)."""
    from bot.search.tokenize import make_tokenizer

    seconds = {}
    with open(path, "rb") as file:
        words = pickle.load(file)
        started = time.perf_counter()
        tokenizer = make_tokenizer(words)
        seconds["tokenizer_s"] = time.perf_counter() - started
        started = time.perf_counter()
        library = _Unpickler(file, tokenizer).load()
        seconds["unpickle_s"] = time.perf_counter() - started
    return library, seconds


def main(argv: list[str]) -> int:
    """Answer one line from a saved library; a second JSON line gives the stages and resident memory."""
    started = time.perf_counter()
    from bot.cli import settings_from_env
    from bot.commands.dispatch import ask

    from bench.measure import rss_mb

    seconds = {"imports_s": time.perf_counter() - started}
    path, line = Path(argv[0]), argv[1]
    library, load_seconds = load(path)
    seconds.update(load_seconds)
    started = time.perf_counter()
    reply = ask(line, library, settings_from_env())
    seconds["first_answer_s"] = time.perf_counter() - started
    print(json.dumps(reply.as_json(None), ensure_ascii=False))
    print(json.dumps({"rss_mb": round(rss_mb(), 1), **{k: round(v, 3) for k, v in seconds.items()}}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
