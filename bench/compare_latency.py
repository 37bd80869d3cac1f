"""`/compare open closed` latency at 1x and at the 100x synthetic library, beside two peers.

    python bench/compare_latency.py                     # 1x (bundled seeds) and 100x
    python bench/compare_latency.py --scale 100 --synth-dir /tmp/synth100 --repeat 30
    python bench/compare_latency.py --scale 100 --saved CACHE_DIR   # a library `bot index build` saved there
    # e.g. the spliced-halves kind: python bench/spliced.py --scale 100 --out DIR, then
    # BOT_SEEDS=DIR BOT_CACHE_DIR=CACHE_DIR bot index build

Why these figures: stance is read once, when the library is built (``bot/corpus/stance``), so a
`/compare open closed` only gathers and ranks verdicts already on the passages. The goal is
<= 30 ms at 100x. Beside it, on the same passages and for the same two topics:

- peer "rapidfuzz scan": ``process.extract(partial_ratio)`` of each topic over every folded
  passage (a scan in C++, the cheapest way to find what each topic's passages are);
- peer "read at query time": the same stance reader run over every passage per request (what
  judging at query time would cost; timed once at 100x, it is slow).

A second line times the same command as a search process answers it in Slack: the answer and
its Block Kit preview rendered and validated (what a user waits for, before the post).

The build-time cost of the stance stage (seconds per library) is printed too: it is paid once,
by ``bot index build`` or the first load. The 100x library comes from ``bench/synth.py``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import latency_summary, machine, time_calls  # noqa: E402

LINE = "/compare open closed"
TOPICS = ("open", "closed")
REPO = Path(__file__).resolve().parent.parent
GOAL_MS_AT_100X = 30.0


def build(seeds_dir: Path):
    """Settings and the library, the way the bot loads it; the stance stage timed on its own."""
    from bot.config import Settings
    from bot.corpus.loader import load_corpus
    from bot.corpus.stance import judge_documents, load_lexicon
    from bot.search.library import Library

    settings = Settings.load()
    settings = type(settings)(**{**settings.__dict__, "seeds_dir": seeds_dir})
    started = time.perf_counter()
    corpus = load_corpus(seeds_dir, settings.config_dir)
    load_s = time.perf_counter() - started
    lexicon = load_lexicon(settings.config_dir)
    started = time.perf_counter()
    judge_documents(corpus.documents, lexicon)
    stance_s = time.perf_counter() - started
    library = Library.from_corpus(corpus, settings)
    return settings, library, lexicon, {"corpus_load_s": round(load_s, 2), "stance_stage_s": round(stance_s, 2)}


def saved(cache: Path):
    """Settings and the newest library saved in ``cache`` (opened under its own key, so a
    checkout whose build stages are unchanged need not rebuild 100x to time a command)."""
    from bench.diagnose import open_saved
    from bot.config import Settings
    from bot.corpus.stance import load_lexicon

    settings = Settings.load()
    library = open_saved(cache)
    return settings, library, load_lexicon(settings.config_dir), {"corpus_load_s": "n/a (saved)", "stance_stage_s": "n/a (saved)"}


def rapidfuzz_peer(library):
    from rapidfuzz import fuzz, process

    from bot.search.normalise import fold

    folded = [fold(p.text) for p in library.corpus.passages]

    def scan(_line: str) -> object:
        return [process.extract(fold(topic), folded, scorer=fuzz.partial_ratio, limit=5) for topic in TOPICS]

    return scan


def read_at_query_time_peer(library, lexicon):
    from bot.corpus.stance import judge_text

    passages = library.corpus.passages

    def read(_line: str) -> object:
        return [judge_text(p.text, lexicon).stance for p in passages]

    return read


def cpu_p50_ms(call, repeat: int) -> float:
    """CPU time per call: on a machine shared with other jobs, wall time also counts their turns."""
    samples = []
    for _ in range(repeat):
        started = time.process_time()
        call()
        samples.append((time.process_time() - started) * 1000)
    return round(sorted(samples)[len(samples) // 2], 3)


def measure(seeds_dir: Path | None, repeat: int, slow_repeat: int, cache: Path | None = None) -> dict:
    from bot.commands.dispatch import ask

    settings, library, lexicon, build_figures = saved(cache) if cache else build(seeds_dir)
    ours = latency_summary(time_calls(lambda line: ask(line, library, settings), [LINE], repeat))
    ours["cpu_p50_ms"] = cpu_p50_ms(lambda: ask(LINE, library, settings), repeat)
    slack = latency_summary(time_calls(lambda _line: slack_preview(library, settings), [LINE], repeat))
    scan = latency_summary(time_calls(rapidfuzz_peer(library), [LINE], repeat))
    read = latency_summary(time_calls(read_at_query_time_peer(library, lexicon), [LINE], slow_repeat))
    reply = ask(LINE, library, settings, limit=10_000)
    columns = {side.label: len(side.results) for side in reply.sides}
    return {"passages": len(library.corpus.passages), "columns": columns, "ours": ours, "slack": slack, "rapidfuzz": scan,
            "read": read, **build_figures}


def slack_preview(library, settings):
    """What a search process does for `/compare open closed` typed in Slack: the answer and its
    Block Kit preview, rendered and validated (bot/slack/answering.py)."""
    from bot.slack.answering import command_outcome
    from bot.slack.delivery import block_dicts

    return block_dicts(command_outcome("/compare", "open closed", library, settings).message)


def synthetic(scale: int, out: Path | None) -> Path:
    from bench.synth import generate

    folder = out or Path(tempfile.mkdtemp(prefix=f"synth{scale}_"))
    if not any(folder.glob("*.txt")):
        generate(REPO / "seeds", folder, scale, 0)
    return folder


def report(scale: int, figures: dict) -> str:
    ours, scan, read = figures["ours"]["p50_ms"], figures["rapidfuzz"]["p50_ms"], figures["read"]["p50_ms"]
    goal = ""
    if scale >= 100:
        goal = f"  goal <= {GOAL_MS_AT_100X:.0f} ms: {'met' if figures['ours']['p99_ms'] <= GOAL_MS_AT_100X else 'MISSED'}"
    return "\n".join(
        [
            f"{scale}x: {figures['passages']} passages, columns {figures['columns']}; "
            f"corpus load {figures['corpus_load_s']} s, of which stance stage {figures['stance_stage_s']} s",
            f"  /compare open closed   p50 {ours:9.2f} ms  p99 {figures['ours']['p99_ms']:9.2f} ms  "
            f"(CPU p50 {figures['ours']['cpu_p50_ms']:.2f} ms){goal}",
            f"  the same as a Slack preview (Block Kit rendered)  p50 {figures['slack']['p50_ms']:9.2f} ms  "
            f"p99 {figures['slack']['p99_ms']:9.2f} ms",
            f"  rapidfuzz scan (peer)  p50 {scan:9.2f} ms  = {scan / ours:8.1f}x ours",
            f"  read at query time     p50 {read:9.2f} ms  = {read / ours:8.1f}x ours",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, action="append", help="1 (bundled seeds) and/or N (synthetic); default 1 and 100")
    parser.add_argument("--synth-dir", type=Path, help="a bench/synth.py folder to reuse (generated there when empty)")
    parser.add_argument("--saved", type=Path, help="time the library saved in this cache folder (with one --scale, its size)")
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args(argv)
    print(machine())
    for scale in args.scale or [1, 100]:
        if args.saved:
            figures = measure(None, args.repeat, 1, args.saved)
        else:
            seeds = REPO / "seeds" if scale == 1 else synthetic(scale, args.synth_dir)
            figures = measure(seeds, args.repeat, args.repeat if scale == 1 else 1)
        print(report(scale, figures), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
