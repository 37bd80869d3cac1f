"""The library's articles: each one's entry read from the store when its key is there, computed
(on every core given) when not, then the stances judged across all of them. What the stance rules
read in each article on its own is computed with the article (and stored under its own key), so
only the reading across documents is left for the end, on one core.

The result is the corpus and per-document analyses a full build gives, in the same order (by
file name), whatever was reused: an entry holds exactly what computing it again would give.
"""

from __future__ import annotations

from concurrent.futures import as_completed
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from bot.corpus.loader import judge_stances, load_article_config, unique_article_paths
from bot.corpus.models import Corpus, LoadProblem
from bot.search.analysis import Batch
from bot.corpus.stance import OwnReadings, joined
from bot.search.articles.keys import article_key, article_stage_digest, stance_key, stance_reading_digest
from bot.search.articles.store import ArticleStore
from bot.search.articles.work import Outcome, StanceWords, compute_share, stance_alone, warm_up
from bot.search.build import PendingParts, forks, process_pool, start_index_parts
from bot.search.vocabulary import Vocabulary

Progress = Callable[[str, int, int], None]  # (stage, done, total)
SHARES_PER_WORKER = 4  # smaller shares balance the cores and move the progress bar; each costs a pickled config
MIN_ARTICLES_PER_WORKER = 4  # fewer, and a second process costs more than it saves


@dataclass(frozen=True)
class LoadedArticles:
    corpus: Corpus  # stances judged
    analysed: list[Batch]  # one per document of ``corpus``, in its order
    reused: int  # articles read from the store
    computed: int  # articles cleaned, attributed and analysed now
    pending: PendingParts | None = None  # the index's cross-document parts, started before the stances


def domain_words(config_dir: Path, corpus: Corpus) -> tuple[str, ...]:
    """The segmenter's extra words: what ``Library.from_corpus``'s vocabulary gives for these speakers."""
    return Vocabulary.load(config_dir, corpus, use_dictionary=False).domain_words


def load_articles(seeds_dir: Path, config_dir: Path, cache_dir: Path | None, *, workers: int = 1,
                  progress: Progress | None = None) -> LoadedArticles:
    """Every article's document and analysis, reused from ``cache_dir``'s store where the key
    matches (no store when ``cache_dir`` is None), then stances over the whole corpus."""
    seeds_dir, config_dir = Path(seeds_dir), Path(config_dir)
    config = load_article_config(config_dir)
    problems: list[LoadProblem] = list(config.problems)
    paths = unique_article_paths(seeds_dir, problems)
    words = domain_words(config_dir, Corpus((), config.speakers))
    stage_digest = article_stage_digest(config_dir) if cache_dir is not None else ""
    store = ArticleStore(cache_dir, stage_digest) if cache_dir is not None else None
    stance = StanceWords(str(config_dir), stance_reading_digest(config_dir))
    outcomes: list[Outcome | None] = [None] * len(paths)
    alone: list[OwnReadings | None] = [None] * len(paths)
    keys: list[str | None] = [None] * len(paths)
    if store is not None:
        for position, path in enumerate(paths):
            keys[position] = key = _key_of(path, config, stage_digest)
            entry = store.get(key) if key else None
            if entry is not None:
                document, batch = entry
                outcomes[position] = (replace(document, path=str(path)), batch)
                alone[position] = store.get(stance_key(key, stance.digest))
            if progress:
                progress("look up saved articles", position + 1, len(paths))
    missing = [(position, path, keys[position]) for position, path in enumerate(paths) if outcomes[position] is None]
    for position, outcome, own in _compute(missing, config, words, store, workers, progress, stance):
        outcomes[position], alone[position] = outcome, own
    documents, analysed, readings = [], [], []
    for position, outcome in enumerate(outcomes):
        if isinstance(outcome, LoadProblem):
            problems.append(outcome)
        else:
            documents.append(outcome[0])
            analysed.append(outcome[1])
            readings.append(_stance_reading(outcome[0], alone[position], stance, store, keys[position]))
    # postings, near-duplicates and the English dictionary need no stance: on the other cores meanwhile
    pending = start_index_parts(analysed, [p for d in documents for p in d.passages], workers)
    if progress:
        progress("stance", 0, 1)
    try:
        read = joined(readings) if readings and all(r is not None for r in readings) else None
        corpus = judge_stances(Corpus(tuple(documents), config.speakers, tuple(str(p) for p in problems)), config_dir, read)
    except BaseException:
        if pending is not None:
            pending.cancel()
        raise
    if store is not None:
        store.prune({k for k in keys if k} | {stance_key(k, stance.digest) for k in keys if k})
    return LoadedArticles(corpus, analysed, len(paths) - len(missing), len(missing), pending)


def _stance_reading(document, own: OwnReadings | None, stance: StanceWords, store: ArticleStore | None,
                    key: str | None) -> OwnReadings | None:
    """An article's stance reading: as computed or stored, else read now (its entry was reused
    but the stance words changed) and stored; None without a usable stance lexicon."""
    if own is None:
        own = stance_alone(document, stance)
        if own is not None and store is not None and key is not None:
            store.put(stance_key(key, stance.digest), own)
    return own


def _key_of(path: Path, config, stage_digest: str) -> str | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None  # reading it again reports why
    return article_key(stage_digest, path, data, config.sources.get(path.stem))


def _compute(missing: list[tuple[int, Path, str | None]], config, words: tuple[str, ...], store: ArticleStore | None,
             workers: int, progress: Progress | None, stance: StanceWords) -> list[tuple[int, Outcome, OwnReadings | None]]:
    """The missing articles' outcomes, on up to ``workers`` processes in shares of about equal bytes."""
    stage = "clean, attribute and analyse articles"
    workers = min(workers, len(missing) // MIN_ARTICLES_PER_WORKER)
    if workers <= 1:
        done = []
        for n, item in enumerate(missing):
            done.extend(compute_share([item], config, words, store, stance))
            if progress:
                progress(stage, n + 1, len(missing))
        return done
    shares = _shares(missing, workers * SHARES_PER_WORKER)
    if forks():
        warm_up(words, stance)
    done = []
    with process_pool(workers) as pool:
        futures = [pool.submit(compute_share, share, config, words, store, stance) for share in shares]
        for future in as_completed(futures):
            done.extend(future.result())
            if progress:
                progress(stage, len(done), len(missing))
    return done


def _shares(items: list[tuple[int, Path, str | None]], count: int) -> list[list[tuple[int, Path, str | None]]]:
    """``items`` dealt into ``count`` shares, largest file first, each to the lightest share so far;
    the heaviest shares first, so the last to finish is a light one."""
    def size(item) -> int:
        try:
            return item[1].stat().st_size
        except OSError:
            return 0

    shares: list[list] = [[] for _ in range(min(count, len(items)))]
    weights = [0] * len(shares)
    for item in sorted(items, key=lambda i: -size(i)):
        lightest = weights.index(min(weights))
        shares[lightest].append(item)
        weights[lightest] += size(item)
    order = sorted(range(len(shares)), key=lambda n: -weights[n])
    return [shares[n] for n in order if shares[n]]
