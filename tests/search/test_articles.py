"""The per-article cache (bot.search.articles): a rebuild reuses what did not change, recomputes
what did, never trusts a damaged entry, and always gives the library a full build gives."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from bench.same_library import differences
from bot.config import Settings
from bot.corpus.loader import load_corpus
from bot.search import saved
from bot.search.articles.load import load_articles
from bot.corpus.loader import load_article_config
from bot.corpus.stance import joined, load_lexicon, read_alone
from bot.corpus.stance.context import read_in_context
from bot.search.articles.keys import article_key, article_stage_digest, stance_key, stance_reading_digest
from bot.search.articles.store import ArticleStore
from bot.search.library import Library

ARTICLES = {  # invented people and firms, in the shapes the library holds
    "a_interview.txt": "晨光模型访谈\n\n记者：你们为什么开放权重？\n\n沈若岚：我们认为开放权重能让更多研究者检验模型的安全性，这比关起门来更可靠。\n",
    "b_report.txt": "闭源路线的坚持者\n\n星河智能首席执行官蒋一帆表示：“闭源能让我们把安全评估做完再发布，这是对用户负责。”\n\n他补充说，开源社区的速度令人印象深刻。\n",
    "c_traditional.txt": "開源之爭\n\n研究員葉知秋說：「開放原始碼讓小公司也能參與競爭，這是整個產業的好事。」\n",
    "d_english.md": "# Open weights debate\n\n\"Open models let anyone audit what they run,\" said Priya Venkat, chief scientist at Lumen Forge.\n\nHer rival disagreed.\n",
    "e_plain.txt": "行业观察\n\n许多企业在开源与闭源之间摇摆，成本和合规是最常被提到的理由。\n",
}
NEW_ARTICLE = "f_new.txt", "新来者\n\n创业者林晓舟说：“我们会把小模型全部开源，大模型暂时不开。”\n"


@pytest.fixture
def library_dirs(tmp_path, bundled_settings):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name, text in ARTICLES.items():
        (seeds / name).write_text(text, encoding="utf-8")
    config = tmp_path / "config"
    shutil.copytree(bundled_settings.config_dir, config)
    return seeds, config, tmp_path / "cache"


def _load(seeds: Path, config: Path, cache: Path | None, workers: int = 1):
    return load_articles(seeds, config, cache, workers=workers)


def _article_keys(seeds: Path, config: Path) -> list[str]:
    sources = load_article_config(config).sources
    digest = article_stage_digest(config)
    return [article_key(digest, path, path.read_bytes(), sources.get(path.stem)) for path in sorted(seeds.iterdir())]


def _saved(seeds: Path, config: Path, cache: Path | None, folder: Path) -> Path:
    settings = replace(Settings.load(config_dir=config, seeds_dir=seeds), cache_dir=cache)
    saved.save(Library.load(settings), folder, "test")
    return folder


def test_a_rebuild_from_the_cache_is_the_library_a_full_build_gives(library_dirs, tmp_path):
    seeds, config, cache = library_dirs
    first = _load(seeds, config, cache)
    again = _load(seeds, config, cache)
    assert (first.computed, first.reused) == (len(ARTICLES), 0)
    assert (again.computed, again.reused) == (0, len(ARTICLES))
    assert again.corpus == first.corpus == load_corpus(seeds, config)
    full = _saved(seeds, config, None, tmp_path / "full")
    cached = _saved(seeds, config, cache, tmp_path / "cached")
    assert differences(full, cached) == []


def test_adding_an_article_and_its_entry_recomputes_only_that_article(library_dirs, tmp_path):
    seeds, config, cache = library_dirs
    _load(seeds, config, cache)
    name, text = NEW_ARTICLE
    (seeds / name).write_text(text, encoding="utf-8")
    with (config / "corpus.yaml").open("a", encoding="utf-8") as out:
        out.write(f"\n  {Path(name).stem}:\n    author: 林晓舟\n    script: Simplified\n")
    loaded = _load(seeds, config, cache)
    assert (loaded.computed, loaded.reused) == (1, len(ARTICLES))
    assert loaded.corpus == load_corpus(seeds, config)
    assert differences(_saved(seeds, config, None, tmp_path / "full"), _saved(seeds, config, cache, tmp_path / "cached")) == []


def test_a_changed_article_or_source_entry_is_recomputed(library_dirs):
    seeds, config, cache = library_dirs
    _load(seeds, config, cache)
    (seeds / "e_plain.txt").write_text(ARTICLES["e_plain.txt"] + "\n成本之外，人才也是理由。\n", encoding="utf-8")
    with (config / "corpus.yaml").open("a", encoding="utf-8") as out:
        out.write("\n  b_report:\n    author: 韩墨\n")
    loaded = _load(seeds, config, cache)
    assert (loaded.computed, loaded.reused) == (2, len(ARTICLES) - 2)
    assert loaded.corpus.document("b_report").source.author == "韩墨"
    assert loaded.corpus == load_corpus(seeds, config)


def test_per_article_config_recomputes_everything_and_stance_config_nothing(library_dirs):
    seeds, config, cache = library_dirs
    _load(seeds, config, cache)
    with (config / "stance.yaml").open("a", encoding="utf-8") as out:
        out.write("\n# a comment: stance is judged after the per-article stages\n")
    again = _load(seeds, config, cache)
    assert again.computed == 0  # the stance readings are read again, the articles are not
    assert again.corpus == load_corpus(seeds, config)
    with (config / "speakers.yaml").open("a", encoding="utf-8") as out:
        out.write("\n  - name: 沈若岚\n    aliases: [沈博士]\n")
    loaded = _load(seeds, config, cache)
    assert loaded.computed == len(ARTICLES)
    assert loaded.corpus == load_corpus(seeds, config)


def test_damaged_and_foreign_entries_are_recomputed_never_trusted(library_dirs):
    seeds, config, cache = library_dirs
    first = _load(seeds, config, cache)
    store = ArticleStore(cache, article_stage_digest(config))
    stance_entries = {f"{stance_key(k, stance_reading_digest(config))}.pickle" for k in _article_keys(seeds, config)}
    entries = sorted(p for p in store.folder.glob("*.pickle") if p.name not in stance_entries)
    assert len(entries) == len(ARTICLES) and len(list(store.folder.glob("*.pickle"))) == 2 * len(ARTICLES)
    entries[0].write_bytes(entries[0].read_bytes()[:50])  # a write cut short
    entries[1].write_bytes(b"not a pickle at all")
    entries[2].write_bytes(entries[3].read_bytes())  # another article's entry under this key
    (store.folder / ".x.tmp").write_bytes(b"half")  # a killed write's temporary file is never read
    loaded = _load(seeds, config, cache)
    assert (loaded.computed, loaded.reused) == (3, len(ARTICLES) - 3)
    assert loaded.corpus == first.corpus


def test_a_cache_that_cannot_be_written_still_builds(library_dirs):
    seeds, config, cache = library_dirs
    cache.write_text("a file where the cache folder should be")
    loaded = _load(seeds, config, cache)
    assert loaded.computed == len(ARTICLES)
    assert loaded.corpus == load_corpus(seeds, config)


def test_two_processes_give_what_one_gives(library_dirs, bundled_settings):
    seeds, config, cache = library_dirs
    for n in range(4):  # enough articles for two workers
        for name, text in ARTICLES.items():
            (seeds / f"copy{n}_{name}").write_text(text, encoding="utf-8")
    (seeds / "zz_empty.txt").write_text("")  # a problem, reported with the seed's own path
    parallel = _load(seeds, config, cache, workers=2)
    serial = load_corpus(seeds, config)
    assert parallel.corpus == serial
    assert [str(seeds / "zz_empty.txt") in p for p in parallel.corpus.problems] == [True]
    reused = _load(seeds, config, cache, workers=2)
    assert reused.computed == 1 and reused.corpus == serial  # only the empty file, which has no entry


def test_analysis_on_two_processes_equals_one_forked_or_spawned():
    """Spawned when another thread runs (a server loading in the background), forked otherwise."""
    import threading

    import numpy as np

    from bot.search.build import BATCH, analyse_all

    items = [(f"第{n}段：开源模型的护城河正在消失，Linux 社区追赶得很快。", None) for n in range(BATCH * 2 + 5)]
    serial = analyse_all(items, ("护城河",), 1, None)
    forked = analyse_all(items, ("护城河",), 2, None)
    stop = threading.Event()
    waiting = threading.Thread(target=stop.wait)
    waiting.start()
    try:
        spawned = analyse_all(items, ("护城河",), 2, None)
    finally:
        stop.set()
        waiting.join()
    for other in (forked, spawned):
        assert [f for b in other for f in b.folded] == [f for b in serial for f in b.folded]
        assert np.array_equal(np.concatenate([b.hashes for b in other]), np.concatenate([b.hashes for b in serial]))


def test_a_library_built_on_two_processes_answers_as_one_built_on_one(bundled_settings, bundled_library):
    library = Library.load(replace(bundled_settings, cache_dir=None), workers=2)
    assert library.vocabulary == bundled_library.vocabulary  # the English dictionary came from a helper process
    for query in ("开源", "Linux 基金会", "kaiyuan", "open source moat"):
        assert [m.passage.id for m in library.index.search(query)] == [m.passage.id for m in bundled_library.index.search(query)]


def test_the_identity_check_names_what_differs(library_dirs, tmp_path):
    import pickle

    import numpy as np

    seeds, config, _cache = library_dirs
    first = _saved(seeds, config, None, tmp_path / "first")
    second = tmp_path / "second"
    shutil.copytree(first, second)
    assert differences(first, second) == []
    scripts = np.load(second / "scripts.npy")
    scripts[0] = (scripts[0] + 1) % 3
    np.save(second / "scripts.npy", scripts)
    python = pickle.loads((second / saved.PYTHON).read_bytes())
    python["latin_words"] = python["latin_words"] + ["zzz"]
    (second / saved.PYTHON).write_bytes(pickle.dumps(python))
    found = differences(first, second)
    assert any(line.startswith("array scripts") for line in found)
    assert "python latin_words differs" in found


def test_the_stance_read_article_by_article_is_the_stance_read_across_the_library(library_dirs):
    """What the rules read in each article on its own (computed with the article, on every core)
    joined is what reading the whole library at once gives, context and all."""
    seeds, config, _cache = library_dirs
    documents = load_corpus(seeds, config).documents
    lexicon = load_lexicon(config)
    alone = joined([read_alone((d,), lexicon) for d in documents])
    assert alone.readings and alone.headings  # the articles have headings and passages that name a side
    assert read_in_context(documents, lexicon, alone) == read_in_context(documents, lexicon)


def test_a_damaged_stance_entry_is_read_again(library_dirs):
    seeds, config, cache = library_dirs
    first = _load(seeds, config, cache)
    store = ArticleStore(cache, article_stage_digest(config))
    digest = stance_reading_digest(config)
    keys = _article_keys(seeds, config)
    (store.folder / f"{stance_key(keys[0], digest)}.pickle").write_bytes(b"cut sho")
    (store.folder / f"{stance_key(keys[1], digest)}.pickle").unlink()
    again = _load(seeds, config, cache)
    assert (again.computed, again.reused) == (0, len(ARTICLES))
    assert again.corpus == first.corpus
    assert store.get(stance_key(keys[1], digest)) is not None  # stored again
