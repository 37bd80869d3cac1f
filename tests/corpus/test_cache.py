"""The corpus cache saves time and nothing else: same corpus, rebuilt when anything it depends on changes."""

from bot.corpus.cache import corpus_key, load_corpus_cached
from bot.corpus.loader import load_corpus

SEED = "张三说，“开源让每个人受益。”\n"


def test_cached_corpus_equals_a_fresh_one_and_is_reused(make_library_dir, tmp_path):
    seeds, config = make_library_dir({"a.txt": SEED})
    cache = tmp_path / "cache"
    first = load_corpus_cached(seeds, config, cache)
    assert first == load_corpus(seeds, config)
    assert len(list(cache.glob("corpus-*.pickle"))) == 1
    assert load_corpus_cached(seeds, config, cache) == first


def test_key_changes_with_seeds_and_config(make_library_dir):
    seeds, config = make_library_dir({"a.txt": SEED})
    before = corpus_key(seeds, config)
    (seeds / "a.txt").write_text(SEED + "又一段。\n", encoding="utf-8")
    after_seed = corpus_key(seeds, config)
    (config / "speakers.yaml").write_text("speakers: []\n", encoding="utf-8")
    assert len({before, after_seed, corpus_key(seeds, config)}) == 3


def test_a_damaged_cache_is_rebuilt_not_trusted(make_library_dir, tmp_path):
    seeds, config = make_library_dir({"a.txt": SEED})
    cache = tmp_path / "cache"
    load_corpus_cached(seeds, config, cache)
    (saved,) = cache.glob("corpus-*.pickle")
    saved.write_bytes(b"not a pickle")
    assert load_corpus_cached(seeds, config, cache) == load_corpus(seeds, config)


def test_an_unwritable_cache_folder_is_skipped(make_library_dir, tmp_path):
    seeds, config = make_library_dir({"a.txt": SEED})
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert load_corpus_cached(seeds, config, blocker / "sub") == load_corpus(seeds, config)
