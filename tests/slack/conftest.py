"""Fixtures: the fake Slack, the bot's real HTTP app under uvicorn on loopback, real `bot serve`
processes, and a real redis-server."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import uvicorn

from bot.config import DEFAULT_CONFIG_DIR
from bot.slack.delivery import RetryPolicy
from bot.slack.readiness import LibrarySlot
from bot.slack.worker import HeaderDeadlineProtocol
from bot.slack.http import EVENTS_PATH
from bot.slack.server import build_http_app
from tests.conftest import REPO
from tests.slack.helpers import BOT_TOKEN, SIGNING_SECRET, FakeSlack, free_port, get

WANTS_BOT_SERVE = pytest.StashKey[bool]()

# The small library `bot serve` loads in test_slack_gunicorn.py (BOT_SEEDS / BOT_CONFIG).
SERVE_SEED = """开源与闭源之争

张三说：“开源模型会赢，因为开源降低了成本，也加速了创新。”

李四认为：“闭源模型更安全，护城河来自数据和服务。”
"""
SERVE_CORPUS_YAML = """documents:
  debate:
    title: 开源与闭源之争
    outlet: 测试日报
    date: "2024-05-01"
    url: https://example.com/debate
    script: Simplified
"""
# A bound, not a goal: each wait returns as soon as the server is up. Under the whole suite on a busy
# 2-core machine (load average 15-20), a search process took 74 s to open the bundled library.
SERVE_START_TIMEOUT = 180.0
# Seeds that cannot be used, beside the good one: `bot serve` must warn about each and serve the rest.
DAMAGED_SEEDS = {
    "damaged.txt": "开源".encode("utf-8") + b"\xff\xfe\xc3 not UTF-8",
    "binary.md": b"PK\x03\x04\x00\x00 a zip file, renamed",
    "empty.txt": b"  \n",
}
BROKEN_LINK_SEED = "missing.txt"  # a link to a file that is not there
UNSEEDED_DOCUMENT = "lost_interview"  # described in corpus.yaml, no seed file


@dataclass
class RunningBot:
    url: str
    slot: LibrarySlot
    fake: FakeSlack

    @property
    def events_url(self) -> str:
        return self.url + EVENTS_PATH


class LoopbackServer:
    """An ASGI app under uvicorn (the server `bot serve`'s workers run) on 127.0.0.1, on a free port,
    in a thread; `close()` stops it and finishes the app's answers in flight."""

    def __init__(self, app):
        self.app = app
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off", loop="asyncio",
                                http=HeaderDeadlineProtocol)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]}, name="bot-http", daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.01)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.socket.getsockname()[1]}"

    def close(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.socket.close()
        if hasattr(self.app, "close"):
            self.app.close()


def bot_env(fake: FakeSlack) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake.api_url,
    }


@pytest.fixture(scope="session")
def fake_slack():
    fake = FakeSlack()
    yield fake
    fake.close()


# Retries as in production, waits short enough for tests: a retried 500 costs ~50 ms, not ~0.5 s.
TEST_POLICY = RetryPolicy(max_retries=2, timeout=3.0, backoff=0.05)


@pytest.fixture(scope="session")
def running_bot(fake_slack, bundled_library, bundled_settings):
    """The production HTTP app (build_http_app) under uvicorn, its library handed over instead of rebuilt."""
    http_app, slot = build_http_app(bundled_settings, bot_env(fake_slack), loader=lambda: bundled_library,
                                    background=False, policy=TEST_POLICY)
    server = LoopbackServer(http_app)
    yield RunningBot(server.url, slot, fake_slack)
    server.close()


@dataclass
class BotServeProcess:
    """`python -m bot.slack.server serve` (what `bot serve` runs) in a real process on a loopback port."""

    process: subprocess.Popen
    url: str
    log: Path
    health: list = field(default_factory=list)
    watcher: threading.Thread | None = None

    @classmethod
    def start(cls, fake: FakeSlack, root: Path, *, damaged: bool = False, extra_env: dict[str, str] | None = None,
              settings_yaml: str | None = None, seeds: bool = True) -> "BotServeProcess":
        """`bot serve` on the small debate corpus; `damaged` adds seeds it cannot use (see DAMAGED_SEEDS);
        `seeds=False` leaves the seeds folder empty; `settings_yaml` becomes config/settings.yaml."""
        (root / "seeds").mkdir()
        (root / "config").mkdir()
        if seeds:
            (root / "seeds" / "debate.txt").write_text(SERVE_SEED, encoding="utf-8")
        if settings_yaml is not None:
            (root / "config" / "settings.yaml").write_text(settings_yaml, encoding="utf-8")
        corpus_yaml = SERVE_CORPUS_YAML
        if damaged:
            for name, data in DAMAGED_SEEDS.items():
                (root / "seeds" / name).write_bytes(data)
            (root / "seeds" / BROKEN_LINK_SEED).symlink_to(root / "seeds" / "nowhere.txt")
            corpus_yaml += f"  {UNSEEDED_DOCUMENT}:\n    title: An interview whose seed was never copied\n"
        (root / "config" / "corpus.yaml").write_text(corpus_yaml, encoding="utf-8")
        stance = (DEFAULT_CONFIG_DIR / "stance.yaml").read_text(encoding="utf-8")
        (root / "config" / "stance.yaml").write_text(stance, encoding="utf-8")
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")} | {
            "PORT": str(port),
            "HOST": "127.0.0.1",
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": fake.api_url,
            "BOT_SEEDS": str(root / "seeds"),
            "BOT_CONFIG": str(root / "config"),
            "BOT_CACHE_DIR": str(root / "cache"),  # a saved library, as in production, but not in the repo
            "WEB_CONCURRENCY": "1",  # one worker and one search process each, unless a test asks for more
            "SEARCH_PROCESSES": "1",
        } | (extra_env or {})
        log = root / "server.log"
        with log.open("w") as out:
            process = subprocess.Popen([sys.executable, "-m", "bot.slack.server", "serve"], cwd=REPO, env=env,
                                       stdout=out, stderr=subprocess.STDOUT)
        served = cls(process, f"http://127.0.0.1:{port}", log)
        served.watcher = threading.Thread(target=served.watch_health, name="healthz-watch", daemon=True)
        served.watcher.start()
        return served

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def watch_health(self) -> None:
        """Poll /healthz every 50 ms from the moment the process starts, recording each answer
        (None: nothing listening yet), until it answers 200 or the process ends."""
        deadline = time.monotonic() + SERVE_START_TIMEOUT
        while self.process.poll() is None and time.monotonic() < deadline:
            try:
                status = get(self.url + "/healthz", timeout=2).status
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                status = None
            self.health.append(status)
            if status == 200:
                return
            time.sleep(0.05)

    def wait_for_output(self, needle: str, count: int = 1, timeout: float = SERVE_START_TIMEOUT) -> str:
        """Wait until `needle` appears `count` times in the server's log; fail after `timeout`."""
        deadline = time.monotonic() + timeout
        while self.output().count(needle) < count:
            if self.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"expected {count} x {needle!r} in the log of bot serve:\n{self.output()[-3000:]}")
            time.sleep(0.1)
        return self.output()

    def wait_until_healthy(self) -> "BotServeProcess":
        self.watcher.join(SERVE_START_TIMEOUT)
        if self.process.poll() is not None:
            pytest.fail(f"bot serve exited with {self.process.returncode}:\n{self.output()}")
        if not self.health or self.health[-1] != 200:
            pytest.fail(f"/healthz never answered 200 (saw {sorted(set(map(str, self.health)))}):\n{self.output()}")
        return self

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()


USES_BOT_SERVE = ("test_slack_gunicorn", "test_slack_logs")
USES_LONE_SERVE = ("test_slack_serving",)  # slow clients, hung response_urls, malformed requests
USES_SERVE_PAIR = ("test_slack_shared_state",)  # two processes sharing one Redis
WANTS_LONE_SERVE = pytest.StashKey[bool]()
WANTS_SERVE_PAIR = pytest.StashKey[bool]()
# A small rate limit, so that a test can reach it across two processes.
PAIR_RATE_LIMIT = 3


def pytest_collection_modifyitems(config, items):
    config.stash[WANTS_BOT_SERVE] = any(name in item.nodeid for item in items for name in USES_BOT_SERVE)
    config.stash[WANTS_LONE_SERVE] = any(name in item.nodeid for item in items for name in USES_LONE_SERVE)
    config.stash[WANTS_SERVE_PAIR] = any(name in item.nodeid for item in items for name in USES_SERVE_PAIR)


class RedisServer:
    """Debian's `redis-server` on a free loopback port, with nothing saved to disk."""

    def __init__(self, root: Path, port: int | None = None):
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is not installed: apt-get install -y redis-server (.ci/run does it)")
        self.port = port or free_port()
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(root)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    break
            if self.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("redis-server did not start")
            time.sleep(0.05)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


@pytest.fixture(scope="session", autouse=True)
def bot_serve_process(request, fake_slack, tmp_path_factory):
    """Started with the first Slack test when the gunicorn tests are selected, so that its boot
    (imports, library load) overlaps with the in-process tests instead of adding to them."""
    if not request.config.stash.get(WANTS_BOT_SERVE, False):
        yield None
        return
    # DEBUG: the log test then proves that not even debug output carries a secret.
    served = BotServeProcess.start(fake_slack, tmp_path_factory.mktemp("bot-serve"), damaged=True,
                                   extra_env={"LOG_LEVEL": "DEBUG"})
    yield served
    served.stop()


@pytest.fixture(scope="session", autouse=True)
def lone_serve_process(request, fake_slack, tmp_path_factory):
    """A `bot serve` of its own for the slow-client, hung-endpoint and malformed-request tests,
    started early like `bot_serve_process`."""
    if not request.config.stash.get(WANTS_LONE_SERVE, False):
        yield None
        return
    served = BotServeProcess.start(fake_slack, tmp_path_factory.mktemp("bot-serve-lone"))
    yield served
    served.stop()


@pytest.fixture(scope="session", autouse=True)
def serve_pair_processes(request, fake_slack, tmp_path_factory):
    """Two `bot serve` processes sharing one Redis (REDIS_URL), as two dynos behind one URL would."""
    if not request.config.stash.get(WANTS_SERVE_PAIR, False):
        yield None
        return
    redis = request.getfixturevalue("redis_server")
    env = {"REDIS_URL": redis.url, "WEB_CONCURRENCY": "1"}
    settings = f"rate_limit_per_minute: {PAIR_RATE_LIMIT}\n"
    pair = [BotServeProcess.start(fake_slack, tmp_path_factory.mktemp(f"bot-serve-{name}"), extra_env=env,
                                  settings_yaml=settings) for name in ("a", "b")]
    yield pair
    for served in pair:
        served.stop()


@pytest.fixture(scope="session")
def served(bot_serve_process):
    """The `bot serve` process conftest started early (in parallel with the in-process tests), once healthy."""
    return bot_serve_process.wait_until_healthy()
