"""Why a held-out /quote case misses: what ranked first, with its score parts, beside the original.

    python bench/diagnose.py --library DIR --cache CACHE_DIR [--kind typo] [--all]

Opens the newest library saved in CACHE_DIR (by ``bot index build`` with ``BOT_SEEDS=DIR``),
even when the bot's code has changed since (the ranker runs at query time, so a saved library
answers with the code of this checkout; rebuild when the build stages change). The cases are
``bench/held_out.py``'s, as ``bench/sizes.py`` makes them. For each miss it prints the first
hit and the original seed passage: score, lexical and conceptual parts, BM25, script, group
leader, and whether the original was in the candidate pool at all. Not a benchmark: it times
nothing; it is the loop to run while changing the ranker.
"""

from __future__ import annotations

import argparse
import tempfile
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import held_out  # noqa: E402
from bench.cases import judge, rank_of  # noqa: E402
from bench.measure import DEFAULT_DEV, REPO  # noqa: E402


def open_saved(cache: Path):
    """The newest complete library in ``cache``, opened under its own key."""
    from bot.search.cache import PREFIX
    from bot.search.saved import HEADER, open_library

    folders = sorted((p for p in cache.glob(f"{PREFIX}*") if (p / HEADER).exists()), key=lambda p: p.stat().st_mtime)
    if not folders:
        raise SystemExit(f"no saved library in {cache}: run `BOT_SEEDS=... BOT_CACHE_DIR={cache} bot index build`")
    header = json.loads((folders[-1] / HEADER).read_text(encoding="utf-8"))
    return open_library(folders[-1], header["key"])


def regrouped(library):
    """The library with its near-duplicate groups made again by this checkout's ``duplicates``
    (a build-stage change tried without a rebuild)."""
    import dataclasses

    import numpy as np

    from bot.search.duplicates import Groups

    import hashlib

    from bot.search import duplicates

    index = library.index
    version = hashlib.sha256(Path(duplicates.__file__).read_bytes()).hexdigest()[:12]
    saved = Path(tempfile.gettempdir()) / f"quote-bot-regrouped-{index.size}-{version}.npz"
    if saved.exists():
        with np.load(saved) as arrays:
            groups = Groups.from_arrays(dict(arrays))
        return dataclasses.replace(library, index=dataclasses.replace(index, groups=groups))
    table = index.passages
    speakers = table.codes("speaker")[0]
    kind, data = table.columns["quotations"]
    quoted = np.diff(data[1]) > 0 if kind == "nested" else np.zeros(index.size, dtype=bool)
    priority = [0 if attributed else 1 for attributed in ((speakers >= 0) | quoted).tolist()]
    groups = Groups.build([index.folded[n] for n in range(index.size)], priority)
    np.savez(saved, **groups.arrays())
    return dataclasses.replace(library, index=dataclasses.replace(index, groups=groups))


def original_number(index, case) -> int | None:
    from bot.search.normalise import fold

    want = fold(case.expect)
    for d, doc_id in enumerate(index.doc_ids):
        if doc_id.startswith(case.doc):
            for n in range(index.size):
                if index.documents[n] == d and want in index.folded[n]:
                    return n
    return None


def describe(index, plan, number: int, bm25: dict) -> str:
    from bot.search.analysis import SCRIPTS
    from bot.search.rank import entry_of, score

    scored = score(plan, entry_of(index, number, index.folded[number], index.sound[number]))
    script = SCRIPTS[int(index.scripts[number])] if 0 <= int(index.scripts[number]) < len(SCRIPTS) else "?"
    leader = int(index.groups.leader[number])
    return (f"#{number} {index.doc_ids[int(index.documents[number])]} score {scored.score:.4f} "
            f"(lex {scored.lexical:.3f} con {scored.conceptual:.3f}) bm25 {bm25.get(number, float('nan')):.2f} "
            f"{script} leader {'self' if leader == number else leader} "
            f"group {len(index.groups.members_of(leader))}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library", type=Path, help="(unused but for the record) the BOT_SEEDS folder")
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--kind", help="only this kind of case")
    parser.add_argument("--all", action="store_true", help="describe hits too, not only misses")
    parser.add_argument("--quiet", action="store_true", help="figures only")
    parser.add_argument("--regroup", action="store_true", help="group near-duplicates again with this checkout's code")
    parser.add_argument("--per-kind", type=int, default=25)
    args = parser.parse_args(argv)

    import numpy as np

    from bot.config import Settings

    library = open_saved(args.cache)
    if args.regroup:
        library = regrouped(library)
        moved = int((library.index.groups.leader != np.arange(library.index.size)).sum())
        print(f"regrouped: {moved} of {library.index.size} passages are members of another's group")
    index = library.index
    settings = Settings.load()
    cases = held_out.seed_cases(REPO / "seeds", REPO / "config", DEFAULT_DEV, args.per_kind, 0)
    if args.kind:
        cases = [c for c in cases if c.kind == args.kind]
    ranks = []
    why = Counter()
    for case in cases:
        matches = index.search(case.query, limit=10, pool=settings.candidate_pool)
        rank = rank_of([m.passage for m in matches], case)
        ranks.append((case, rank))
        if (rank == 1 and not args.all) or args.quiet:
            continue
        plan = index.plan(case.query)
        numbers, bm25 = index.postings.top(plan.terms, settings.candidate_pool)
        containing = index._containing(plan)
        pool = set(int(n) for n in numbers) | set(int(n) for n in containing)
        totals = index.postings.scores(plan.terms)
        bm = {n: float(totals[n]) for n in pool}
        original = original_number(index, case)
        in_pool = original in pool
        why["original not in pool" if not in_pool else "outranked"] += rank != 1
        print(f"\n== {case.id} rank {rank} query {case.query!r} pool {len(pool)} original in pool: {in_pool}")
        for i, m in enumerate(matches[:3], 1):
            n = m._number
            print(f"  {i}. {describe(index, plan, n, bm)} shown {m.score}")
        if original is not None:
            print(f"  original {describe(index, plan, original, bm)}")
    result = judge(ranks)
    print("\nrecall@1", result["overall"]["recall@1"], {k: v["recall@1"] for k, v in result["kinds"].items()}, dict(why))
    np.seterr(all="ignore")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
