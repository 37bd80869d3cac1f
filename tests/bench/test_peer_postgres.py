"""The PostgreSQL peer: a private server starts and stops, and pg_trgm finds Han text across script and typo.

Skipped where PostgreSQL or psycopg is not installed (the bench extra and the Debian package).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from bench.cases import StoredPassage

from .test_held_out import TEXTS

psycopg = pytest.importorskip("psycopg")
if not (shutil.which("initdb") or list(Path("/usr/lib/postgresql").glob("*/bin/initdb"))):
    pytest.skip("PostgreSQL is not installed", allow_module_level=True)


@pytest.fixture(scope="module")
def peer():
    from bench.peer_postgres import Cluster, PostgresPeer

    # Not pytest's tmp_path: its root is private to this user (0700), and the server runs as
    # the postgres user, which must reach its folder.
    with tempfile.TemporaryDirectory(prefix="quote-bench-pg-") as folder:
        Path(folder).chmod(0o755)
        cluster = Cluster(Path(folder) / "server")
        try:
            dsn = cluster.start()
            yield PostgresPeer.build([StoredPassage(doc, text) for doc, text in TEXTS], dsn), cluster
        finally:
            cluster.stop()
        assert not (cluster.data / "postmaster.pid").exists()


def test_finds_the_passage_exactly_across_script_and_with_a_typo(peer):
    search, _ = peer[0].search, peer[1]
    for query in ("开放模型的权重能让小公司", "開放模型的權重能讓小公司", "开放模型的权种能让小公司"):
        hits = search(query, 3)
        assert hits and hits[0].doc_id == "900_a" and "权重能让小公司" in hits[0].text


def test_unrelated_or_empty_queries_find_nothing(peer):
    assert peer[0].search("量子纠缠隧穿效应", 3) == []
    assert peer[0].search("。，！", 3) == []


def test_server_processes_and_table_size_are_visible(peer):
    server_peer, cluster = peer
    assert len(cluster.server_pids()) >= 2
    assert server_peer.size_bytes() > 0
