"""The spliced-halves library: deterministic, seeds untouched, every new paragraph two seed halves with a few edits.

The size benchmark's second library is only a fair test if its new paragraphs really are
near-copies of seed halves (long verbatim runs, a few changed characters) and never a
twin of a seed paragraph.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from bench import libraries, spliced, synth
from bot.chars import is_han

REPO = Path(__file__).resolve().parent.parent.parent
SEEDS = REPO / "seeds"


@pytest.fixture(scope="module")
def library_3x(tmp_path_factory) -> tuple[Path, synth.Manifest]:
    out = tmp_path_factory.mktemp("spliced") / "3x"
    return out, spliced.generate_spliced(SEEDS, out, scale=3, seed=5)


def _new_paragraphs(folder: Path, manifest: synth.Manifest) -> list[tuple[str, list]]:
    provenance = json.loads((folder / synth.PROVENANCE).read_text(encoding="utf-8"))
    found = []
    for name in manifest.new_files:
        text = (folder / name).read_text(encoding="utf-8")
        for start, origins in provenance[name]:
            found.append((text[start:].split("\n\n", 1)[0].rstrip("\n"), origins))
    return found


def test_same_seed_same_bytes_and_differs_from_synth(tmp_path, library_3x):
    folder, manifest = library_3x
    again = tmp_path / "again"
    spliced.generate_spliced(SEEDS, again, scale=3, seed=5)
    names = manifest.new_files[:10]
    assert [(again / n).read_bytes() for n in names] == [(folder / n).read_bytes() for n in names]
    other = tmp_path / "synth"
    synth.generate(SEEDS, other, scale=3, seed=5)
    assert (other / names[0]).read_bytes() != (folder / names[0]).read_bytes()
    assert manifest.kind == "spliced" and manifest.version == spliced.VERSION


def test_seeds_inside_byte_for_byte(library_3x):
    folder, _ = library_3x
    for seed in synth.seed_paths(SEEDS):
        assert (folder / seed.name).read_bytes() == seed.read_bytes()


def test_every_new_paragraph_is_two_seed_halves_with_a_few_edits(library_3x):
    folder, manifest = library_3x
    lines = {p.name: p.read_text(encoding="utf-8").split("\n") for p in synth.seed_paths(SEEDS)}
    paragraphs = _new_paragraphs(folder, manifest)
    assert len(paragraphs) > 50
    seed_text = "\n".join("\n".join(v) for v in lines.values())
    for text, origins in paragraphs:
        assert len(origins) == 2 and origins[0] != origins[1]
        head, tail = (lines[f][n].strip() for f, n in origins)
        expected = head[:spliced.cut_point(head)] + tail[spliced.cut_point(tail):]
        assert len(text) == len(expected)
        changed = sum(a != b for a, b in zip(text, expected))
        han = sum(1 for ch in expected if is_han(ch))
        assert 1 <= changed <= 2 * (1 + han // spliced.CHARS_PER_EDIT)
        assert text not in seed_text  # never a twin of a seed paragraph


def test_copies_keep_long_verbatim_runs(library_3x):
    """Unlike synth's, spliced copies share long runs with the seeds: 10-character Han windows mostly survive."""
    folder, manifest = library_3x
    seed_text = "".join(p.read_text(encoding="utf-8") for p in synth.seed_paths(SEEDS))
    windows = copied = 0
    for text, _origins in _new_paragraphs(folder, manifest)[:200]:
        for i in range(len(text) - 10):
            window = text[i:i + 10]
            if all(is_han(ch) for ch in window):
                windows += 1
                copied += window in seed_text
    assert copied / windows > 0.5


def test_cut_point_prefers_a_sentence_end_near_the_middle_and_never_splits_a_note():
    assert spliced.cut_point("甲乙丙丁。戊己庚辛。壬癸子丑。") == 5
    text = "开放源代码开(kāi)放模型权重开放数据集合"
    cut = spliced.cut_point(text)
    assert text[cut - 1] != "(" and "(" not in text[cut:cut + 1] and text[cut:cut + 1] != ")"
    assert is_han(text[cut - 1]) and is_han(text[cut])


def test_change_a_few_changes_at_least_one_han_character_and_keeps_noted_ones():
    rng = random.Random(1)
    text = "开(kāi)放" + "模型权重数据集合" * 10
    changed = spliced.change_a_few(text, rng, "天地人")
    assert changed != text and len(changed) == len(text)
    assert changed.startswith("开(kāi)")


def test_libraries_reuse_a_matching_folder_and_keep_kinds_apart(tmp_path):
    first = libraries.cached(SEEDS, 2, 0, tmp_path, kind="spliced")
    stamp = (first / synth.MANIFEST).stat().st_mtime_ns
    assert libraries.cached(SEEDS, 2, 0, tmp_path, kind="spliced") == first
    assert (first / synth.MANIFEST).stat().st_mtime_ns == stamp
    other = libraries.cached(SEEDS, 2, 0, tmp_path, kind="synth")
    assert other != first and json.loads((other / synth.MANIFEST).read_text())["kind"] == "synth"
    assert libraries.folder(SEEDS, "spliced", 1) == SEEDS
    with pytest.raises(ValueError):
        libraries.cached(SEEDS, 2, 0, tmp_path, kind="nonsense")


def test_a_half_written_library_is_regenerated_not_trusted(tmp_path):
    stale = tmp_path / "spliced-2x-seed0"
    stale.mkdir()
    (stale / "syn000000.txt").write_text("half", encoding="utf-8")  # killed before its manifest was written
    (tmp_path / "spliced-2x-seed0.partial").mkdir()
    out = libraries.cached(SEEDS, 2, 0, tmp_path, kind="spliced")
    assert out == stale and (out / synth.MANIFEST).exists()
    assert (out / "syn000000.txt").read_text(encoding="utf-8") != "half"
    assert not (tmp_path / "spliced-2x-seed0.partial").exists()
