"""The synthetic-library generator: deterministic, seeds inside untouched, distractors never twins.

Scale figures are only comparable between runs and machines if the same command writes the
same bytes, and the quality figures only mean something if the seeds' answers are still there
and no distractor holds them word for word.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import synth
from bench.measure import percentile
from bench.run_all import median_tree

REPO = Path(__file__).resolve().parent.parent.parent
SEEDS = REPO / "seeds"


@pytest.fixture(scope="module")
def library_3x(tmp_path_factory) -> tuple[Path, synth.Manifest]:
    out = tmp_path_factory.mktemp("synth") / "3x"
    return out, synth.generate(SEEDS, out, scale=3, seed=7)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path, library_3x):
    folder, _ = library_3x
    again = tmp_path / "again"
    synth.generate(SEEDS, again, scale=3, seed=7)
    assert _files(again) == _files(folder)
    other = tmp_path / "other"
    synth.generate(SEEDS, other, scale=3, seed=8)
    assert _files(other) != _files(folder)


def test_seeds_are_inside_byte_for_byte(library_3x):
    folder, manifest = library_3x
    for seed in synth.seed_paths(SEEDS):
        assert (folder / seed.name).read_bytes() == seed.read_bytes()
    assert manifest.seed_files == [p.name for p in synth.seed_paths(SEEDS)]


def test_new_documents_have_new_ids_no_dev_prefix_can_match(library_3x):
    _folder, manifest = library_3x
    prefixes = {name[:3] for name in manifest.seed_files}
    assert manifest.new_files
    for name in manifest.new_files:
        assert name.startswith("syn") and name.endswith(".txt")
        assert name[:3] not in prefixes


def test_size_is_about_scale_times_the_seeds(library_3x):
    folder, manifest = library_3x
    seed_bytes = sum(p.stat().st_size for p in synth.seed_paths(SEEDS))
    total = sum((folder / n).stat().st_size for n in manifest.seed_files + manifest.new_files)
    assert total == manifest.total_bytes
    assert 3 * seed_bytes <= total <= 3 * seed_bytes + 2 * seed_bytes // len(manifest.seed_files)


def test_distractors_share_characters_but_not_long_runs(library_3x):
    """Few 10-character Han windows of a new document occur in the seeds; most characters do."""
    folder, manifest = library_3x
    seed_text = "".join(p.read_text(encoding="utf-8") for p in synth.seed_paths(SEEDS))
    seed_chars = set(seed_text)
    windows = copied = han = known = 0
    for name in manifest.new_files:
        text = (folder / name).read_text(encoding="utf-8")
        run = ""
        for ch in text:
            if synth.is_han(ch):
                han += 1
                known += ch in seed_chars
                run += ch
                if len(run) >= 10:
                    windows += 1
                    copied += run[-10:] in seed_text
            else:
                run = ""
    assert known / han > 0.99
    assert copied / windows < 0.02


def test_provenance_points_at_block_starts(library_3x):
    folder, manifest = library_3x
    provenance = json.loads((folder / synth.PROVENANCE).read_text(encoding="utf-8"))
    assert sorted(provenance) == sorted(manifest.new_files)
    seed_lines = {p.name: p.read_text(encoding="utf-8").split("\n") for p in synth.seed_paths(SEEDS)}
    for name in manifest.new_files[:5]:
        text = (folder / name).read_text(encoding="utf-8")
        for start, origins in provenance[name]:
            assert start == 0 or text[start - 2:start] == "\n\n"
            for seed, line in origins:
                assert seed_lines[seed][line].strip()


def test_never_overwrites_a_folder_it_did_not_make(tmp_path):
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(ValueError):
        synth.generate(SEEDS, foreign, scale=2)
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_regenerating_replaces_its_own_files(tmp_path):
    out = tmp_path / "lib"
    synth.generate(SEEDS, out, scale=3, seed=1)
    manifest = synth.generate(SEEDS, out, scale=2, seed=1)
    names = {p.name for p in out.iterdir()}
    assert names == {*manifest.seed_files, *manifest.new_files, synth.MANIFEST, synth.PROVENANCE}


@pytest.mark.long
def test_the_loader_reads_it_as_a_library(tmp_path):
    from bot.corpus.loader import load_corpus

    out = tmp_path / "lib"
    manifest = synth.generate(SEEDS, out, scale=2, seed=3)
    corpus = load_corpus(out, REPO / "config")
    assert not corpus.problems
    assert len(corpus.documents) == len(manifest.seed_files) + len(manifest.new_files)
    new = [d for d in corpus.documents if d.doc_id.startswith("syn")]
    assert new and all(d.source.title is None and d.source.author is None for d in new)


def test_percentile_is_nearest_rank():
    samples = [float(i) for i in range(1, 101)]
    assert percentile(samples, 0.5) == 50.0
    assert percentile(samples, 0.99) == 99.0
    assert percentile([3.0], 0.99) == 3.0


def test_medians_leaf_by_leaf():
    runs = [{"a": 1, "b": {"c": 2.0}, "m": ["x"]}, {"a": 3, "b": {"c": 4.0}, "m": ["y"]}, None, {"a": 2, "b": {"c": 9.0}}]
    assert median_tree(runs) == {"a": 2, "b": {"c": 4.0}, "m": ["x"]}
