"""seeds/ must stay byte-for-byte what shared/ holds: cleaning happens in code only."""

import hashlib

import pytest

from tests.conftest import REPO, SHARED

SHARED_SEEDS = SHARED / "seeds"


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="../shared/seeds is not beside the repo")
def test_seeds_are_verbatim_copies_of_shared():
    ours = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (REPO / "seeds").iterdir() if p.is_file()}
    theirs = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in SHARED_SEEDS.iterdir() if p.is_file()}
    assert ours == theirs
