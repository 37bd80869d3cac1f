"""Peer 3: PostgreSQL with pg_trgm, the shared-server way to generate candidates.

Why it is here: docs/SCALING.md has to say when candidate generation should leave the bot's
process and for which engine. Tantivy is the embedded answer (a directory of mapped files
per dyno); PostgreSQL is the shared one (one server every dyno queries, updated in place). So
it is measured the same way, on the same cleaned passages and queries.

Set-up a competent engineer would choose without our work: one row per passage with its
folded text (``bot.search.normalise.fold``: one script, no punctuation), a GIN trigram index
on it, and a query that keeps passages whose best-matching stretch shares enough trigrams
with the folded query (``%>``, word similarity) ordered by that similarity. Trigrams of Han
text need a UTF-8 character type, so the cluster is made with ``C.UTF-8``.

``Cluster`` starts a throw-away server (``initdb`` in a temp folder, a Unix socket only, no
TCP port) as the ``postgres`` user when run as root, since the server refuses to run as root.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from bench.cases import StoredPassage
from bot.search.normalise import fold

SIMILARITY_THRESHOLD = 0.3  # pg_trgm.word_similarity_threshold: low enough for a typo or a cut fragment
PORT = 5432  # only names the socket file; no TCP listener is opened
ROWS_PER_COPY = 10_000


def _binary(name: str) -> str:
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / name).exists():
            return str(folder / name)
    found = shutil.which(name)
    if not found:
        raise RuntimeError(f"PostgreSQL's {name} is not installed")
    return found


class Cluster:
    """A private PostgreSQL server in ``folder`` (data and socket), for one benchmark run."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.data = self.folder / "data"
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    @property
    def dsn(self) -> str:
        return f"host={self.folder} port={PORT} user=postgres dbname=postgres"

    def start(self) -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.as_user:
            shutil.chown(self.folder, "postgres")
        self._run([_binary("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
                   "--locale=C.UTF-8", "--encoding=UTF8"])
        options = f"-k {self.folder} -p {PORT} -c listen_addresses='' -c shared_buffers=128MB"
        self._run([_binary("pg_ctl"), "-D", str(self.data), "-o", options, "-w", "-l", str(self.folder / "server.log"), "start"])
        return self.dsn

    def _run(self, argv: list[str]) -> None:
        done = subprocess.run([*self.as_user, *argv], capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{Path(argv[0]).name} failed: {(done.stderr or done.stdout).strip()[-300:]}")

    def server_pids(self) -> list[int]:
        """The postmaster and its children: whose memory the server costs."""
        import psutil

        pid = int((self.data / "postmaster.pid").read_text().split()[0])
        main = psutil.Process(pid)
        return [pid, *(child.pid for child in main.children(recursive=True))]

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run([*self.as_user, _binary("pg_ctl"), "-D", str(self.data), "-m", "fast", "stop"],
                           capture_output=True)


class PostgresPeer:
    name = "postgres (pg_trgm word similarity)"

    def __init__(self, dsn: str):
        import psycopg

        self.connection = psycopg.connect(dsn, autocommit=True)
        self.connection.execute(f"SET pg_trgm.word_similarity_threshold = {SIMILARITY_THRESHOLD}")

    @classmethod
    def build(cls, passages, dsn: str) -> "PostgresPeer":
        """Load the passages, index their folded text, analyse; the table replaces any earlier one."""
        peer = cls(dsn)
        db = peer.connection
        db.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        db.execute("DROP TABLE IF EXISTS passages")
        db.execute("CREATE TABLE passages (n integer PRIMARY KEY, doc_id text NOT NULL, text text NOT NULL, folded text NOT NULL)")
        with db.cursor() as cursor, cursor.copy("COPY passages (n, doc_id, text, folded) FROM STDIN") as copy:
            for number, passage in enumerate(passages):
                copy.write_row((number, passage.doc_id, passage.text, fold(passage.text)))
        db.execute("CREATE INDEX passages_trgm ON passages USING gin (folded gin_trgm_ops)")
        db.execute("ANALYZE passages")
        return peer

    def search(self, text: str, limit: int = 10) -> list[StoredPassage]:
        query = fold(text)
        if not query:
            return []
        rows = self.connection.execute(
            "SELECT doc_id, text FROM passages WHERE %s <%% folded "
            "ORDER BY word_similarity(%s, folded) DESC, n LIMIT %s", (query, query, limit)).fetchall()
        return [StoredPassage(doc_id, body) for doc_id, body in rows]

    def size_bytes(self) -> int:
        return self.connection.execute("SELECT pg_total_relation_size('passages')").fetchone()[0]
