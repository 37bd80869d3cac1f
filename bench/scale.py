"""One library size, measured in one fresh process: ``python bench/scale.py --seeds DIR [DEV] [--json]``.

What it reports, and why each figure is here:

- load stages (character model, mojibake repair, rest of cleaning, segmentation, analysis,
  postings): to see which lever start-up time calls for;
- resident memory after load and after the index build (psutil), and the peak;
- p50/p99 per command (/quote, /who-said, /compare) through ``bot.commands.dispatch.ask``,
  the same call Slack and the CLI make;
- quality on the dev set: recall@1/@3/MRR for /quote, strictly (the seed passage) and
  counting any passage that holds the expected text (a near-duplicate a synthetic document
  carries); how many expected texts also occur in synthetic documents tells how much of a
  drop the distractors explain;
- jieba against rjieba on a sample of the corpus: throughput and token agreement;
- the saved library as ``bot index build`` writes it (``bench/saved_index.py``): its size, save and
  open time, and the restart it gives;
- the real cold start (``python -m bot ask --json``) with BOT_SEEDS set.

A fresh process per size keeps the memory figures honest; ``bench/run_all.py`` runs this
several times per size and takes medians.
"""

from __future__ import annotations

import argparse
import bisect
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import DEFAULT_DEV, Stages, latency_summary, peak_rss_mb, rss_mb, time_calls  # noqa: E402

COMPARE_TOPICS = Path(__file__).resolve().parent / "compare_topics.txt"
SAMPLE_CHARS = 400_000  # segmenter comparison sample: enough for a stable rate, seconds not minutes
SYNTHETIC_PREFIX = "syn"
COMMAND_BUDGET_S = 60.0  # timed seconds per command per run, at most (after one full pass)


def compare_lines() -> list[str]:
    lines = COMPARE_TOPICS.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def load_library(seeds_dir: Path, stages: Stages):
    """Settings and library, with every stage timed; the same calls ``Library.load`` makes."""
    with stages.stage("imports"):
        from bot.config import Settings
        from bot.corpus import mojibake
        from bot.corpus.loader import load_corpus
        from bot.search.library import Library

        from bench.stages import load_stages
    settings = Settings.load(seeds_dir=seeds_dir)
    if hasattr(mojibake, "load_char_model"):
        with stages.stage("character model (mojibake)"):
            mojibake.load_char_model()
    memory = {}
    with load_stages(stages):
        with stages.stage("corpus load"):
            corpus = load_corpus(settings.seeds_dir, settings.config_dir)
        memory["rss_after_load_mb"] = round(rss_mb(), 1)
        with stages.stage("vocabulary + index build"):
            library = Library.from_corpus(corpus, settings)
    memory["rss_after_build_mb"] = round(rss_mb(), 1)
    memory["full_gc_s"] = full_collection_s()
    return settings, library, memory


def corpus_size(seeds_dir: Path, library) -> dict:
    passages = library.corpus.passages
    return {
        "documents": len(library.corpus.documents),
        "passages": len(passages),
        "chars": sum(len(p.text) for p in passages),
        "seed_mb": round(sum(p.stat().st_size for p in seeds_dir.iterdir() if p.suffix in (".txt", ".md")) / 1e6, 2),
        "problems": len(library.corpus.problems),
    }


class Origins:
    """Which seed line every passage comes from: its own for a seed, its sources for a synthetic one.

    A synthetic passage made from the answer's paragraph is a near-duplicate of the answer; a
    ranker that puts one first has not failed in the way a miss fails, and the report counts
    such cases apart ("what the distractors explain").
    """

    def __init__(self, seeds_dir: Path, paths: dict[str, str]):
        from bench.synth import load_provenance

        self.paths = paths  # doc id -> file the loader read
        self.provenance = load_provenance(seeds_dir)
        self.starts = {doc: [block[0] for block in blocks] for doc, blocks in self.provenance.items()}
        self.raw: dict[str, str] = {}

    def of(self, passage) -> set[tuple[str, int]]:
        blocks = self.provenance.get(passage.doc_id)
        if blocks is not None:
            index = bisect.bisect_right(self.starts[passage.doc_id], passage.raw_span[0]) - 1
            return {tuple(o) for o in blocks[index][1]} if index >= 0 else set()
        return {(Path(self.paths.get(passage.doc_id, "")).name, self._line(passage))}

    def _line(self, passage) -> int:
        if passage.doc_id not in self.raw:
            path = Path(self.paths.get(passage.doc_id, ""))
            self.raw[passage.doc_id] = path.read_bytes().decode("utf-8-sig", errors="replace") if path.is_file() else ""
        return self.raw[passage.doc_id].count("\n", 0, passage.raw_span[0])


def quality(library, settings, dev: Path) -> dict:
    from bot.commands.dispatch import answer
    from bot.commands.parse import Request
    from bot.commands.results import QUOTE, WHO_SAID
    from bot.search.normalise import fold

    from bench.cases import RANK_DEPTH, contains, judge, quote_cases, rank_of, who_said_cases

    cases = quote_cases(dev)
    synthetic = [fold(p.text) for p in library.corpus.passages if p.doc_id.startswith(SYNTHETIC_PREFIX)]
    origins = Origins(settings.seeds_dir, {d.doc_id: d.path for d in library.corpus.documents})
    seed_passages = [p for p in library.corpus.passages if not p.doc_id.startswith(SYNTHETIC_PREFIX)]
    strict, lenient, near, copies = [], [], [], {}
    for case in cases:
        passages = [h.passage for h in answer(Request(QUOTE, case.query), library, settings, limit=RANK_DEPTH).results]
        strict.append((case, rank_of(passages, case)))
        lenient.append((case, rank_of(passages, case, any_doc=True)))
        lines = set().union(*(origins.of(p) for p in seed_passages if contains(p, case.doc, case.expect)))
        near.append((case, next((r for r, p in enumerate(passages, 1) if origins.of(p) & lines), None)))
        expect = fold(case.expect)
        copies[case.id] = sum(1 for text in synthetic if expect in text)
    right = 0
    who = who_said_cases(dev)
    for case in who:
        reply = answer(Request(WHO_SAID, case.query), library, settings, limit=1)
        top = reply.results[0] if reply.results else None
        names = {top.speaker, *top.speaker_aliases} if top and top.speaker else set()
        right += bool(reply.found and names & set(case.speakers))
    return {
        "quote": judge(strict),
        "quote_any_doc": judge(lenient),
        "quote_or_near_duplicate": judge(near),
        "cases_with_synthetic_copies": sum(1 for n in copies.values() if n),
        "who_said_top1": round(right / max(len(who), 1), 4),
        "who_said_cases": len(who),
    }


def latencies(library, settings, dev: Path, repeat: int) -> dict:
    from bot.commands.dispatch import ask

    from bench.cases import quote_cases, who_said_cases

    lines = {
        "quote": ["/quote " + c.query for c in quote_cases(dev)],
        "who-said": ["/who-said " + c.query for c in who_said_cases(dev)],
        "compare": ["/compare " + line for line in compare_lines()],
    }
    result = {}
    for command, queries in lines.items():
        samples = time_calls(lambda line: ask(line, library, settings), queries, repeat, COMMAND_BUDGET_S)
        result[command] = latency_summary(samples)
    return result


def quote_gc_frozen(library, settings, dev: Path, repeat: int) -> dict:
    """/quote again after ``gc.freeze()``: how much of the tail is the collector walking the index.

    A loaded library is millions of long-lived objects; every full collection walks them all.
    Freezing moves them out of the collector's sight, which a server can do once after loading.
    """
    import gc

    from bot.commands.dispatch import ask

    from bench.cases import quote_cases

    gc.collect()
    gc.freeze()
    started = time.perf_counter()
    gc.collect()
    collect_after_freeze_s = time.perf_counter() - started
    queries = ["/quote " + c.query for c in quote_cases(dev)]
    samples = time_calls(lambda line: ask(line, library, settings), queries, repeat, COMMAND_BUDGET_S)
    gc.unfreeze()
    return {**latency_summary(samples), "gc_tracked_objects": len(gc.get_objects()),
            "collect_after_freeze_s": round(collect_after_freeze_s, 3)}


def full_collection_s() -> float:
    import gc

    started = time.perf_counter()
    gc.collect()
    return round(time.perf_counter() - started, 3)


def segmenters(library, stages: Stages) -> dict:
    """jieba (our tokenizer, HMM off) against rjieba with the same user words, on a sample of passages."""
    from bot.search.normalise import fold
    from bot.search.tokenize import make_tokenizer

    passages = library.corpus.passages
    step = max(1, sum(len(p.text) for p in passages) // SAMPLE_CHARS)
    texts = [fold(p.text) for p in passages[::step]]
    size_mb = sum(len(t.encode()) for t in texts) / 1e6
    words = library.vocabulary.domain_words
    tokenizer = make_tokenizer(words)
    started = time.perf_counter()
    expected = [[w for w, _s, _e in tokenizer.tokenize(t, HMM=False)] for t in texts]
    jieba_s = time.perf_counter() - started
    result = {"sample_mb": round(size_mb, 2), "jieba_mb_s": round(size_mb / jieba_s, 2)}
    try:
        import rjieba
    except ImportError:
        return {**result, "rjieba": "not installed"}
    started = time.perf_counter()
    fast = rjieba.Jieba()
    for word in words:  # rjieba's bundled dictionary plus our words (frequency suggested, as jieba's add_word does)
        fast.add_word(word, None, None)
    result["rjieba_dictionary_s"] = round(time.perf_counter() - started, 3)
    started = time.perf_counter()
    got = [[w for w, _s, _e in fast.tokenize(t, "default", False)] for t in texts]
    rjieba_s = time.perf_counter() - started
    result["rjieba_mb_s"] = round(size_mb / rjieba_s, 2)
    result["token_agreement"] = round(sum(a == b for a, b in zip(expected, got)) / max(len(texts), 1), 4)
    return result


def saved_index(library, seeds_dir: Path, line: str, cold: bool, keep: Path | None = None) -> dict:
    from bench import cold as cold_start
    from bench import saved_index as prototype

    with tempfile.TemporaryDirectory(prefix="quote-bench-") as folder:
        path = keep or Path(folder) / "library"
        result = prototype.dump(library, path)
        if "error" in result:
            return result
        _library, seconds = prototype.load(path)
        del _library
        result.update({k: round(v, 3) for k, v in seconds.items()})
        if cold:
            result["cold_start"] = cold_start.saved_index_cold_start(seeds_dir, path, line)
    return result


def measure(seeds_dir: Path, dev: Path, repeat: int, cold: bool, keep: Path | None = None) -> dict:
    stages = Stages()
    started = time.perf_counter()
    settings, library, memory = load_library(seeds_dir, stages)
    memory["load_total_s"] = round(time.perf_counter() - started, 3)
    result = {"seeds": str(seeds_dir), "size": corpus_size(seeds_dir, library), "memory": memory}
    result["latency"] = latencies(library, settings, dev, repeat)
    result["quality"] = quality(library, settings, dev)
    result["quote_gc_frozen"] = quote_gc_frozen(library, settings, dev, repeat)
    result["memory"]["peak_rss_mb"] = round(peak_rss_mb(), 1)
    result["stages_s"] = {k: round(v, 3) for k, v in stages.seconds.items()}
    result["segmenters"] = segmenters(library, stages)
    from bench.cases import quote_cases

    first_line = "/quote " + quote_cases(dev)[0].query
    result["saved_index"] = saved_index(library, seeds_dir, first_line, cold, keep)
    if cold:
        from bench.cold import bot_cold_start

        result["cold_start"] = bot_cold_start(seeds_dir, first_line)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dev", nargs="?", type=Path, default=DEFAULT_DEV, help="dev set (default ../shared/eval/dev.yaml)")
    parser.add_argument("--seeds", type=Path, required=True, help="library folder (as BOT_SEEDS)")
    parser.add_argument("--repeat", type=int, default=5, help="timed passes over each command's queries")
    parser.add_argument("--no-cold", action="store_true", help="skip the cold-start subprocesses")
    parser.add_argument("--json", action="store_true", help="print one JSON object (for run_all)")
    parser.add_argument("--save-library", type=Path, help="keep the saved library in this folder (vs_peers.py --library)")
    args = parser.parse_args(argv)
    result = measure(args.seeds, args.dev, args.repeat, cold=not args.no_cold, keep=args.save_library)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        from bench.report import scale_report

        print(scale_report({"runs": 1, "sizes": {args.seeds.name: result}}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
