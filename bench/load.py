"""Slack's load and a public endpoint's bad days against real `bot serve` processes, on loopback.

    python bench/load.py [--requests 1000] [--concurrency 50] [--stalled 50] [--hung 4] [--seeds DIR] [--json]

What it does, all on 127.0.0.1 and bounded in count and time:

1. starts a lean fake of the Slack Web API and of response_urls in a process of its own (so that
   the answers it receives never take the client's GIL), on one event loop (answers 200 at once, records when each path was first reached and how
   often; a path under /hang/ is answered only after a minute), a `redis-server` on a free port
   (Debian's package), and a peer: uvicorn (httptools) answering 200 without reading anything;
2. starts two `python -m bot serve` processes (what the Procfile runs) sharing that Redis
   (REDIS_URL), with the bundled corpus (or --seeds), a throwaway token and signing secret, and
   SLACK_API_URL pointing at the fake; waits for both /healthz to answer 200;
3. runs four scenarios, each --requests signed slash commands (a mix of /quote, /who-said and
   /compare, each from its own user, so the rate limit never applies) from --concurrency
   clients on one asyncio event loop (requests signed before the clock starts), each request on
   a new connection, timing each ack, then waiting for every answer; the same number of
   commands goes to the peer just before, and the ack p99 is printed beside the peer's as a ratio:
   * plain: against the first process;
   * stalled: the same while --stalled connections stay open half-way through their headers or
     their body (re-opened whenever the server closes one);
   * two processes: each command sent to one process and replayed byte for byte to the other
     (as a retrying proxy would): every answer must arrive exactly once;
   * hung response_urls: --hung commands whose response_url never answers, then 50 healthy
     commands at concurrency 10, timing each healthy answer from its ack to its arrival;
4. stops the servers with SIGTERM (they must exit 0) and prints the figures and whether each
   goal (docs/RELIABILITY.md) held.

Ack latency is what Slack's 3-second limit applies to. The load generator shares the machine
with the servers, so each scenario also prints the CPU time spent per request by each kind of
process (web workers, search processes, Redis, the client's thread, the fake Slack's process) and
the load generator's share of it: CPU time drifts less with the machine's load than latency.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import http.client
import json
import multiprocessing
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
SLACK_ACK_SECONDS = 3.0
GOALS = {"requests": 1000, "concurrency": 50, "p99_ms": 50.0, "stalled_p99_ms": 100.0, "hung_delivery_s": 3.0}
HEALTHY_DURING_HANG = 50
START_TIMEOUT_S = 180  # library load included
STOP_TIMEOUT_S = 40  # the server's graceful timeout is 25 s
CLIENT_TIMEOUT_S = 10
HANG_S = 60.0
# A post whose body holds this is the "taking longer than usual" notice (bot/slack/replying.py's
# SLOWER; tests/slack/test_slack_load.py checks they agree), not an answer: counted apart, so that
# a slow answer's notice is never taken for a duplicate answer.
NOTICE_MARK = b"taking longer than usual"
# Queries a burst after a link goes round would bring: short, mixed scripts, all three commands.
COMMANDS = (
    ("/quote", "护城河"), ("/quote", "开源 模型"), ("/quote", "open source moat"), ("/quote", "開源 免費"),
    ("/quote", "Kubernetes"), ("/quote", "kaiyuan moxing"), ("/quote", "算力 成本"), ("/quote", "社区 贡献"),
    ("/who-said", "开源模型会赢"), ("/who-said", "闭源更安全"), ("/compare", "open closed"),
)


class LoopThread:
    """An asyncio event loop on a thread of its own, so that its CPU time is its own (time.thread_time)."""

    def __init__(self, name: str):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name=name, daemon=True)
        self.thread.start()

    def run(self, coroutine, timeout: float | None = None):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def cpu_seconds(self) -> float:
        async def spent() -> float:
            return time.thread_time()

        return self.run(spent(), 10)

    def close(self) -> None:
        async def cancel_the_rest() -> None:
            rest = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
            for task in rest:
                task.cancel()
            await asyncio.gather(*rest, return_exceptions=True)

        try:
            self.run(cancel_the_rest(), 10)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(5)
            self.loop.close()


async def read_http_message(reader: asyncio.StreamReader) -> tuple[bytes, bytes]:
    """(head, body) of one HTTP/1.1 message with a Content-Length (what both sides here send)."""
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip() or 0)
    return head, (await reader.readexactly(length) if length else b"")


class FakeSlackServer:
    """Slack's Web API and response_urls, as cheaply as possible (one event loop on one thread): 200,
    and per path when and how often it was reached. A path under /hang/ is answered after HANG_S."""

    def __init__(self):
        self.first_seen: dict[str, float] = {}
        self.counts: dict[str, int] = {}
        self.notices: dict[str, int] = {}
        self.lock = threading.Lock()
        self.loop = LoopThread("fake-slack")
        self.server = self.loop.run(asyncio.start_server(self.handle, HOST, 0), 10)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head, body = await read_http_message(reader)
                target = head.split(b" ", 2)[1].decode("latin-1")
                path = urllib.parse.urlsplit(target).path
                with self.lock:
                    if NOTICE_MARK in body:
                        self.notices[path] = self.notices.get(path, 0) + 1
                    else:
                        self.first_seen.setdefault(path, time.monotonic())
                        self.counts[path] = self.counts.get(path, 0) + 1
                if path.startswith("/hang/"):
                    await asyncio.sleep(HANG_S)
                writer.write(FAKE_ANSWER)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError, IndexError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server.sockets[0].getsockname()[1]}"

    def tally(self, prefix: str) -> tuple[int, int, int]:
        """(paths answered at least once, answers beyond the first, "taking longer" notices) under `prefix`."""
        with self.lock:
            counts = [c for path, c in self.counts.items() if path.startswith(prefix)]
            notices = sum(c for path, c in self.notices.items() if path.startswith(prefix))
        return len(counts), sum(c - 1 for c in counts), notices

    def arrived(self, path: str) -> float | None:
        with self.lock:
            return self.first_seen.get(path)

    def close(self) -> None:
        self.server.close()
        self.loop.close()


def serve_fake_slack(pipe) -> None:
    """The fake's process: its URL first, then an answer to each question until "close"."""
    fake = FakeSlackServer()
    pipe.send(fake.url)
    while True:
        question, *args = pipe.recv()
        if question == "close":
            fake.close()
            pipe.send(None)
            return
        pipe.send(time.process_time() if question == "cpu" else getattr(fake, question)(*args))


class Fake:
    """The fake Slack in a process of its own. In the load generator's process it took the GIL from
    the client's event loop whenever an answer arrived, which only the bot's bursts bring (the
    peer posts nothing), so the client timed the bot's acks slower than the peer's for a reason of
    its own. Asked over a pipe; time.monotonic is the machine's clock, the same in both processes."""

    def __init__(self):
        context = multiprocessing.get_context("spawn")
        self.pipe, child = context.Pipe()
        self.process = context.Process(target=serve_fake_slack, args=(child,), name="fake-slack", daemon=True)
        self.process.start()
        self.url: str = self.pipe.recv()
        self.lock = threading.Lock()

    def ask(self, *question):
        with self.lock:
            self.pipe.send(question)
            return self.pipe.recv()

    def tally(self, prefix: str) -> tuple[int, int, int]:
        """(paths answered at least once, answers beyond the first, "taking longer" notices) under `prefix`."""
        return tuple(self.ask("tally", prefix))

    def arrived(self, path: str) -> float | None:
        return self.ask("arrived", path)

    def cpu_seconds(self) -> float:
        return self.ask("cpu")

    def close(self) -> None:
        try:
            self.ask("close")
        finally:
            self.process.join(10)


FAKE_BODY = b'{"ok": true, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "TLOAD"}'
FAKE_ANSWER = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
               + str(len(FAKE_BODY)).encode() + b"\r\n\r\n" + FAKE_BODY)


@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    acked_at: dict[str, float] = field(default_factory=dict)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def sign(secret: str, body: bytes) -> dict[str, str]:
    timestamp = str(int(time.time()))
    digest = hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": "v0=" + digest,
            "Content-Type": "application/x-www-form-urlencoded"}


def signed_request(secret: str, body: bytes) -> bytes:
    """The whole HTTP request as Slack sends it, signed now (before any clock starts)."""
    head = "".join(f"{name}: {value}\r\n" for name, value in sign(secret, body).items())
    return (f"POST /slack/events HTTP/1.1\r\nHost: {HOST}\r\n{head}Content-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n").encode() + body


def command_body(n: int, response_url: str) -> bytes:
    command, text = COMMANDS[n % len(COMMANDS)]
    fields = {
        "token": "unused", "team_id": "TLOAD", "team_domain": "load", "channel_id": f"CLOAD{n % 20:04d}",
        "channel_name": "load", "user_id": f"ULOAD{n:07d}", "user_name": f"user{n}", "command": command,
        "text": text, "api_app_id": "ALOAD", "is_enterprise_install": "false",
        "response_url": response_url, "trigger_id": f"{n}.load",
    }
    return urllib.parse.urlencode(fields).encode()


async def send(port: int, request: bytes) -> tuple[int, float]:
    """One request on a new connection (as Slack sends them): (status, seconds to the whole answer)."""
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        writer.write(request)
        head, _ = await read_http_message(reader)
        return int(head.split(b" ", 2)[1]), time.perf_counter() - started
    finally:
        writer.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(share * len(ordered))) - 1))]


class Stalled:
    """`count` connections kept open half-way through a request (half in the headers, half in a
    signed request's body); one the server closes is opened again, until `stop`."""

    def __init__(self, port: int, secret: str, count: int):
        self.port, self.secret, self.count = port, secret, count
        self.stopping = threading.Event()
        self.opened = 0
        self.thread = threading.Thread(target=self.keep, daemon=True)
        if count:
            self.thread.start()

    def open_one(self, n: int) -> socket.socket:
        connection = socket.create_connection((HOST, self.port), timeout=5)
        if n % 2:
            connection.sendall(b"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slack-Req")
        else:
            head = "".join(f"{k}: {v}\r\n" for k, v in sign(self.secret, b"x" * 4000).items())
            connection.sendall(f"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\n{head}Content-Length: 4000\r\n\r\n".encode()
                               + b"command=%2Fq")
        connection.setblocking(False)
        self.opened += 1
        return connection

    def keep(self) -> None:
        connections = [self.open_one(n) for n in range(self.count)]
        while not self.stopping.wait(0.2):
            for n, connection in enumerate(connections):
                try:
                    closed = connection.recv(4096) == b""
                except BlockingIOError:
                    closed = False
                except OSError:
                    closed = True
                if closed:  # a 408 is read and dropped first; the server then closes
                    connection.close()
                    connections[n] = self.open_one(n)
        for connection in connections:
            connection.close()

    def stop(self) -> None:
        self.stopping.set()
        if self.count:
            self.thread.join(5)


class Client:
    """The load generator: one event loop on one thread, every request signed before the clock starts."""

    def __init__(self):
        self.loop = LoopThread("load-client")

    def burst(self, bodies: list[tuple[str, bytes]], ports: list[int], secret: str, concurrency: int, *,
              replay_to: int | None = None) -> tuple[Results, float]:
        """POST each (response_url path, body) to ports[i % len(ports)] from `concurrency` clients; with
        `replay_to`, the same signed request again to that port (a retrying proxy)."""
        requests = [(path, signed_request(secret, body)) for path, body in bodies]
        return self.loop.run(self._burst(requests, ports, concurrency, replay_to))

    async def _burst(self, requests, ports, concurrency, replay_to) -> tuple[Results, float]:
        results = Results()
        work = iter(enumerate(requests))

        async def client() -> None:
            for n, (path, request) in work:
                for port in [ports[n % len(ports)]] + ([replay_to] if replay_to is not None else []):
                    try:
                        status, seconds = await asyncio.wait_for(send(port, request), CLIENT_TIMEOUT_S)
                    except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError) as error:
                        results.errors.append(f"{type(error).__name__}: {error}")
                        continue
                    results.latencies.append(seconds)
                    results.acked_at.setdefault(path, time.monotonic())
                    if status != 200:
                        results.errors.append(f"HTTP {status}")

        started = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(concurrency)))
        return results, time.perf_counter() - started

    def cpu_seconds(self) -> float:
        return self.loop.cpu_seconds()

    def close(self) -> None:
        self.loop.close()


def summary(results: Results, seconds: float) -> dict:
    latencies = results.latencies
    return {
        "acks": len(latencies),
        "acked_within_3s": sum(1 for s in latencies if s <= SLACK_ACK_SECONDS),
        "errors": len(results.errors),
        "error_kinds": sorted(set(results.errors))[:5],
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "p90_ms": round(percentile(latencies, 0.90) * 1000, 1) if latencies else None,
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1) if latencies else None,
        "max_ms": round(max(latencies) * 1000, 1) if latencies else None,
        "burst_seconds": round(seconds, 2),
    }


class CpuMeter:
    """CPU seconds (user + system) spent since `start` by each kind of process on this machine's side of
    the benchmark: the servers' web workers (and gunicorn's master), their search processes, Redis,
    the fake Slack's process and, in this process, the load generator's thread."""

    def __init__(self, servers: list[subprocess.Popen], redis_pid: int, client: Client, fake: Fake):
        self.servers, self.redis_pid, self.client, self.fake = servers, redis_pid, client, fake
        self.before = self.read()

    def read(self) -> dict[str, float]:
        totals = {"web": 0.0, "search": 0.0, "redis": 0.0}
        for server in self.servers:
            try:
                root = psutil.Process(server.pid)
                family = [root] + root.children(recursive=True)
            except psutil.NoSuchProcess:
                continue
            for process in family:
                try:
                    times = process.cpu_times()
                    command = " ".join(process.cmdline())
                except psutil.NoSuchProcess:
                    continue
                kind = "search" if "multiprocessing" in command else "web"
                totals[kind] += times.user + times.system
        try:
            times = psutil.Process(self.redis_pid).cpu_times()
            totals["redis"] = times.user + times.system
        except psutil.NoSuchProcess:
            pass
        totals["client"] = self.client.cpu_seconds()
        totals["fake_slack"] = self.fake.cpu_seconds()
        return totals

    def since_start(self, requests: int) -> dict:
        """Milliseconds of CPU per request for each kind since this meter started (a process that
        ended in between is missed: none does in a scenario)."""
        after = self.read()
        spent = {kind: max(0.0, after[kind] - self.before[kind]) for kind in after}
        total = sum(spent.values()) or 1.0
        return {**{f"{kind}_ms": round(1000 * seconds / max(1, requests), 2) for kind, seconds in spent.items()},
                "load_generator_share": round((spent["client"] + spent["fake_slack"]) / total, 3)}


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has spent so far."""
    times = psutil.Process(pid).cpu_times()
    return times.user + times.system


def noop_app_source() -> str:
    """The peer: uvicorn (httptools, one process) answering every request 200 at once, without reading it."""
    return ("async def app(scope, receive, send):\n"
            "    if scope['type'] != 'http':\n        return\n"
            "    await send({'type': 'http.response.start', 'status': 200, 'headers': [(b'content-length', b'0')]})\n"
            "    await send({'type': 'http.response.body', 'body': b''})\n")


def start_redis(root: Path) -> tuple[subprocess.Popen, str]:
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("redis-server is not installed (apt-get install -y redis-server)")
    port = free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", HOST, "--save", "", "--appendonly", "no",
                                "--dir", str(root)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex((HOST, port)) == 0:
                return process, f"redis://{HOST}:{port}/0"
        time.sleep(0.05)
    raise SystemExit("redis-server did not start")


def start_server(fake: Fake, port: int, args, log_path: Path, token: str, secret: str, redis_url: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")} | {
        "PORT": str(port), "HOST": HOST, "SLACK_BOT_TOKEN": token, "SLACK_SIGNING_SECRET": secret,
        "SLACK_API_URL": fake.url + "/api/", "LOG_LEVEL": "WARNING", "REDIS_URL": redis_url,
    }
    if args.seeds:
        env["BOT_SEEDS"] = args.seeds
    if args.workers:
        env["WEB_CONCURRENCY"] = str(args.workers)
    with log_path.open("w") as log:
        return subprocess.Popen([sys.executable, "-m", "bot", "serve"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_healthy(process: subprocess.Popen, port: int) -> float:
    started = time.monotonic()
    while time.monotonic() - started < START_TIMEOUT_S:
        if process.poll() is not None:
            raise RuntimeError(f"bot serve exited with {process.returncode} while starting")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"/healthz did not answer 200 within {START_TIMEOUT_S} s")


def start_peer(root: Path, port: int) -> subprocess.Popen:
    (root / "noop_peer.py").write_text(noop_app_source())
    return subprocess.Popen([sys.executable, "-m", "uvicorn", "noop_peer:app", "--app-dir", str(root), "--host", HOST,
                             "--port", str(port), "--http", "httptools", "--loop", "asyncio", "--log-level", "warning",
                             "--no-access-log"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def run(args: argparse.Namespace) -> dict:
    fake = Fake()
    client = Client()
    root = Path(tempfile.mkdtemp(prefix="quote-bot-load-"))
    redis_process, redis_url = start_redis(root)
    token, secret = "xoxb-load-" + secrets.token_hex(8), secrets.token_hex(16)
    ports = [free_port(), free_port()]
    processes = [start_server(fake, port, args, root / f"server-{n}.log", token, secret, redis_url) for n, port in enumerate(ports)]
    peer_port = free_port()
    peer = start_peer(root, peer_port)
    report: dict = {"requests": args.requests, "concurrency": args.concurrency, "stalled": args.stalled, "hung": args.hung,
                    "logs": str(root), "machine": f"{os.cpu_count()} CPU, Python {sys.version.split()[0]}",
                    "load_average_before": round(os.getloadavg()[0], 2)}
    counter = iter(range(10**9))

    def commands(scenario: str, count: int, hang: bool = False) -> list[tuple[str, bytes]]:
        items = []
        for _ in range(count):
            n = next(counter)
            path = f"/{'hang' if hang else 'commands'}/TLOAD/{scenario}/{n}"
            items.append((path, command_body(n, fake.url + path)))
        return items

    def wait_for_answers(prefix: str, count: int) -> float:
        started = time.monotonic()
        while fake.tally(prefix)[0] < count and time.monotonic() - started < args.answer_timeout:
            time.sleep(0.05)
        return time.monotonic() - started

    def peer_burst(count: int) -> dict:
        """The same requests against the peer (a no-op uvicorn), just before: the machine's floor right
        now, and the CPU uvicorn itself spends per connection (accept, parse, respond, close)."""
        before = process_cpu(peer.pid)
        results, seconds = client.burst(commands("peer", count), [peer_port], secret, args.concurrency)
        return {**summary(results, seconds), "cpu_ms": round(1000 * (process_cpu(peer.pid) - before) / max(1, count), 3)}

    def scenario(name: str, count: int, target: list[int], replay_to: int | None = None) -> dict:
        floor = peer_burst(count)
        bodies = commands(name, count)
        meter = CpuMeter(processes, redis_process.pid, client, fake)
        results, seconds = client.burst(bodies, target, secret, args.concurrency, replay_to=replay_to)
        waited = wait_for_answers(f"/commands/TLOAD/{name}/", count)
        cpu = meter.since_start(len(results.latencies) + len(results.errors))
        time.sleep(1.0)  # a duplicate would come now
        answered, duplicates, notices = fake.tally(f"/commands/TLOAD/{name}/")
        row = {**summary(results, seconds), "answered": answered, "duplicates": duplicates, "slow_notices": notices,
               "answers_seconds": round(seconds + waited, 1), "cpu_per_request": cpu,
               "peer_p50_ms": floor["p50_ms"], "peer_p99_ms": floor["p99_ms"], "peer_cpu_ms": floor["cpu_ms"]}
        row["p99_vs_peer"] = round(row["p99_ms"] / floor["p99_ms"], 2) if row["p99_ms"] and floor["p99_ms"] else None
        return row

    try:
        report["start_seconds"] = [round(wait_healthy(p, port), 1) for p, port in zip(processes, ports)]
        wait_healthy(peer, peer_port)
        client.burst(commands("warmup", args.warmup), ports, secret, 10)
        wait_for_answers("/commands/TLOAD/warmup/", args.warmup)

        report["plain"] = scenario("plain", args.requests, ports[:1])
        stalled = Stalled(ports[0], secret, args.stalled)
        time.sleep(0.5)
        try:
            report["stalled_run"] = scenario("stalled", args.requests, ports[:1])
        finally:
            stalled.stop()
        report["stalled_run"]["stalled_connections_opened"] = stalled.opened
        report["two_processes"] = scenario("pair", args.requests, ports[:1], replay_to=ports[1])

        hung = commands("hung", args.hung, hang=True)
        client.burst(hung, ports[:1], secret, args.hung)
        healthy = commands("healthy", HEALTHY_DURING_HANG)
        results, seconds = client.burst(healthy, ports[:1], secret, 10)
        wait_for_answers("/commands/TLOAD/healthy/", HEALTHY_DURING_HANG)
        delays = [fake.arrived(path) - results.acked_at[path] for path, _ in healthy
                  if fake.arrived(path) is not None and path in results.acked_at]
        report["hung_response_urls"] = {
            **summary(results, seconds), "healthy": HEALTHY_DURING_HANG, "delivered": len(delays),
            "delivery_p50_s": round(statistics.median(delays), 3) if delays else None,
            "delivery_max_s": round(max(delays), 3) if delays else None,
            "hung_reached": sum(1 for path, _ in hung if fake.arrived(path) is not None),
        }
        report["load_average_after"] = round(os.getloadavg()[0], 2)  # the machine's 1-minute load: others run here too
    finally:
        report["exit_codes"] = []
        for process in processes:
            process.send_signal(signal.SIGTERM)
        peer.terminate()
        for process in processes:
            try:
                report["exit_codes"].append(process.wait(timeout=STOP_TIMEOUT_S))
            except subprocess.TimeoutExpired:
                process.kill()
                report["exit_codes"].append("killed")
        peer.wait(10)
        redis_process.terminate()
        client.close()
        fake.close()

    plain, stalled_run, pair, hang = report["plain"], report["stalled_run"], report["two_processes"], report["hung_response_urls"]
    n = args.requests
    report["goals"] = {
        f"{n} commands at concurrency {args.concurrency}: 0 errors, p99 <= {GOALS['p99_ms']:g} ms, every answer once":
            plain["errors"] == 0 and plain["p99_ms"] <= GOALS["p99_ms"] and plain["answered"] == n and plain["duplicates"] == 0,
        f"the same with {args.stalled} stalled connections open: 0 errors, p99 <= {GOALS['stalled_p99_ms']:g} ms, every answer once":
            stalled_run["errors"] == 0 and stalled_run["p99_ms"] <= GOALS["stalled_p99_ms"] and stalled_run["answered"] == n
            and stalled_run["duplicates"] == 0,
        "two processes sharing Redis, each command also replayed to the other: 0 errors, every answer once, 0 duplicates":
            pair["errors"] == 0 and pair["answered"] == n and pair["duplicates"] == 0,
        f"{args.hung} response_urls hanging: every healthy answer delivered within {GOALS['hung_delivery_s']:g} s":
            hang["delivered"] == HEALTHY_DURING_HANG and hang["delivery_max_s"] <= GOALS["hung_delivery_s"],
        "exit 0 on SIGTERM": all(code == 0 for code in report["exit_codes"]),
        f"at least {GOALS['requests']} commands at concurrency {GOALS['concurrency']}":
            n >= GOALS["requests"] and args.concurrency >= GOALS["concurrency"],
    }
    return report


def print_report(report: dict) -> None:
    print(f"two bot serve processes sharing redis-server on {HOST}, {report['machine']}; "
          f"healthy after {report['start_seconds']} s; machine load average {report['load_average_before']} before, "
          f"{report.get('load_average_after')} after")
    rows = (("plain", "one process"), ("stalled_run", f"one process, {report['stalled']} stalled connections open"),
            ("two_processes", "two processes, each command replayed to the other"))
    for key, label in rows:
        row = report[key]
        print(f"{label}: {report['requests']} commands at concurrency {report['concurrency']}, {row['acks']} acks in "
              f"{row['burst_seconds']} s; ack p50 {row['p50_ms']} ms, p90 {row['p90_ms']} ms, p99 {row['p99_ms']} ms, "
              f"max {row['max_ms']} ms; errors {row['errors']}{' ' + str(row['error_kinds']) if row['errors'] else ''}; "
              f"answered {row['answered']}/{report['requests']}, duplicates {row['duplicates']}, "
              f"\"taking longer\" notices {row['slow_notices']}, all answers in {row['answers_seconds']} s")
        cpu = row["cpu_per_request"]
        print(f"    peer (no-op uvicorn, same client, just before): p50 {row['peer_p50_ms']} ms, p99 {row['peer_p99_ms']} ms, "
              f"CPU {row['peer_cpu_ms']} ms per request; bot p99 / peer p99 = {row['p99_vs_peer']}")
        print(f"    CPU ms per request: web processes {cpu['web_ms']}, search processes {cpu['search_ms']}, "
              f"redis {cpu['redis_ms']}, load client {cpu['client_ms']}, fake Slack {cpu['fake_slack_ms']} "
              f"(load generator's share of the CPU: {cpu['load_generator_share']:.0%})")
        if cpu["fake_slack_ms"]:  # the fake's code never changes: its CPU per request says how fast the machine is now
            print(f"    web CPU / fake Slack CPU = {cpu['web_ms'] / cpu['fake_slack_ms']:.2f}")
    hang = report["hung_response_urls"]
    print(f"{report['hung']} response_urls hanging ({hang['hung_reached']} reached): {hang['healthy']} healthy commands at "
          f"concurrency 10, ack p99 {hang['p99_ms']} ms, errors {hang['errors']}; delivered {hang['delivered']}, "
          f"ack to answer p50 {hang['delivery_p50_s']} s, max {hang['delivery_max_s']} s")
    print(f"SIGTERM: exit {report['exit_codes']}")
    for goal, held in report["goals"].items():
        print(f"  {'held' if held else 'MISSED'}: {goal}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=GOALS["requests"])
    parser.add_argument("--concurrency", type=int, default=GOALS["concurrency"])
    parser.add_argument("--stalled", type=int, default=50, help="connections held open half-way in the second scenario")
    parser.add_argument("--hung", type=int, default=4, help="response_urls that never answer in the last scenario")
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--workers", type=int, default=None, help="WEB_CONCURRENCY of each server (default: its own)")
    parser.add_argument("--seeds", help="a seeds folder instead of the bundled seeds/ (BOT_SEEDS)")
    parser.add_argument("--answer-timeout", type=float, default=600, help="seconds to wait for a scenario's answers")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a goal was missed")
    args = parser.parse_args(argv)
    if not 1 <= args.requests <= 100_000 or not 1 <= args.concurrency <= 500:
        parser.error("--requests 1..100000, --concurrency 1..500")
    if not 0 <= args.stalled <= 1000 or not 0 <= args.hung <= 100:
        parser.error("--stalled 0..1000, --hung 0..100")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the servers and Redis on the way out
    report = run(args)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        print_report(report)
    return 1 if args.strict and not all(report["goals"].values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
