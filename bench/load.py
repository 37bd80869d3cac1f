"""Slack's load and a public endpoint's bad days against real `bot serve` processes, on loopback.

    python bench/load.py [--requests 1000] [--concurrency 50] [--stalled 50] [--hung 4] [--seeds DIR] [--json]

What it does, all on 127.0.0.1 and bounded in count and time:

1. starts a lean fake of the Slack Web API and of response_urls in this process (answers 200 at
   once, records when each path was first reached and how often; a path under /hang/ is
   answered only after a minute), and a `redis-server` on a free port (Debian's package);
2. starts two `python -m bot serve` processes (what the Procfile runs) sharing that Redis
   (REDIS_URL), with the bundled corpus (or --seeds), a throwaway token and signing secret, and
   SLACK_API_URL pointing at the fake; waits for both /healthz to answer 200;
3. runs four scenarios, each --requests signed slash commands (a mix of /quote, /who-said and
   /compare, each from its own user, so the rate limit never applies) from --concurrency
   threads, each on a new connection, timing each ack, then waiting for every answer:
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
with the servers, so its own CPU time is inside every figure.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import http.client
import json
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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
SLACK_ACK_SECONDS = 3.0
GOALS = {"requests": 1000, "concurrency": 50, "p99_ms": 50.0, "stalled_p99_ms": 100.0, "hung_delivery_s": 3.0}
HEALTHY_DURING_HANG = 50
START_TIMEOUT_S = 180  # library load included
STOP_TIMEOUT_S = 40  # the server's graceful timeout is 25 s
CLIENT_TIMEOUT_S = 10
HANG_S = 60.0
# Queries a burst after a link goes round would bring: short, mixed scripts, all three commands.
COMMANDS = (
    ("/quote", "护城河"), ("/quote", "开源 模型"), ("/quote", "open source moat"), ("/quote", "開源 免費"),
    ("/quote", "Kubernetes"), ("/quote", "kaiyuan moxing"), ("/quote", "算力 成本"), ("/quote", "社区 贡献"),
    ("/who-said", "开源模型会赢"), ("/who-said", "闭源更安全"), ("/compare", "open closed"),
)


class Fake:
    """Slack's Web API and response_urls, as cheaply as possible: 200, and per path when and how often."""

    def __init__(self):
        self.lock = threading.Lock()
        self.first_seen: dict[str, float] = {}
        self.counts: dict[str, int] = {}
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                path = urllib.parse.urlsplit(self.path).path
                with fake.lock:
                    fake.first_seen.setdefault(path, time.monotonic())
                    fake.counts[path] = fake.counts.get(path, 0) + 1
                if path.startswith("/hang/"):
                    time.sleep(HANG_S)
                payload = b'{"ok": true, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "TLOAD"}'
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:
                    pass  # the bot gave up on a hung response_url

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer((HOST, 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server.server_address[1]}"

    def tally(self, prefix: str) -> tuple[int, int]:
        """(paths answered at least once, answers beyond the first) under `prefix`."""
        with self.lock:
            counts = [c for path, c in self.counts.items() if path.startswith(prefix)]
        return len(counts), sum(c - 1 for c in counts)

    def arrived(self, path: str) -> float | None:
        with self.lock:
            return self.first_seen.get(path)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


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


def command_body(n: int, response_url: str) -> bytes:
    command, text = COMMANDS[n % len(COMMANDS)]
    fields = {
        "token": "unused", "team_id": "TLOAD", "team_domain": "load", "channel_id": f"CLOAD{n % 20:04d}",
        "channel_name": "load", "user_id": f"ULOAD{n:07d}", "user_name": f"user{n}", "command": command,
        "text": text, "api_app_id": "ALOAD", "is_enterprise_install": "false",
        "response_url": response_url, "trigger_id": f"{n}.load",
    }
    return urllib.parse.urlencode(fields).encode()


def send(port: int, body: bytes, headers: dict[str, str]) -> tuple[int, float]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection(HOST, port, timeout=CLIENT_TIMEOUT_S)
    try:
        connection.request("POST", "/slack/events", body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        connection.close()


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


def burst(bodies: list[tuple[str, bytes]], ports: list[int], secret: str, concurrency: int, *, replay_to: int | None = None) -> tuple[Results, float]:
    """POST each (response_url path, body) to ports[i % len(ports)]; with `replay_to`, the same signed
    request again to that port (a retrying proxy)."""
    results = Results()
    lock = threading.Lock()

    def one(item: tuple[int, tuple[str, bytes]]) -> None:
        n, (path, body) = item
        headers = sign(secret, body)
        targets = [ports[n % len(ports)]] + ([replay_to] if replay_to is not None else [])
        for port in targets:
            try:
                status, seconds = send(port, body, headers)
            except OSError as error:
                with lock:
                    results.errors.append(f"{type(error).__name__}: {error}")
                continue
            with lock:
                results.latencies.append(seconds)
                results.acked_at.setdefault(path, time.monotonic())
                if status != 200:
                    results.errors.append(f"HTTP {status}")

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(one, enumerate(bodies)))
    return results, time.perf_counter() - started


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


def run(args: argparse.Namespace) -> dict:
    fake = Fake()
    root = Path(tempfile.mkdtemp(prefix="quote-bot-load-"))
    redis_process, redis_url = start_redis(root)
    token, secret = "xoxb-load-" + secrets.token_hex(8), secrets.token_hex(16)
    ports = [free_port(), free_port()]
    processes = [start_server(fake, port, args, root / f"server-{n}.log", token, secret, redis_url) for n, port in enumerate(ports)]
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
            time.sleep(0.1)
        return time.monotonic() - started

    def scenario(name: str, count: int, target: list[int], replay_to: int | None = None) -> dict:
        bodies = commands(name, count)
        results, seconds = burst(bodies, target, secret, args.concurrency, replay_to=replay_to)
        waited = wait_for_answers(f"/commands/TLOAD/{name}/", count)
        time.sleep(1.0)  # a duplicate would come now
        answered, duplicates = fake.tally(f"/commands/TLOAD/{name}/")
        return {**summary(results, seconds), "answered": answered, "duplicates": duplicates,
                "answers_seconds": round(seconds + waited, 1)}

    try:
        report["start_seconds"] = [round(wait_healthy(p, port), 1) for p, port in zip(processes, ports)]
        burst(commands("warmup", args.warmup), ports, secret, 10)
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
        burst(hung, ports[:1], secret, args.hung)
        healthy = commands("healthy", HEALTHY_DURING_HANG)
        results, seconds = burst(healthy, ports[:1], secret, 10)
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
        for process in processes:
            try:
                report["exit_codes"].append(process.wait(timeout=STOP_TIMEOUT_S))
            except subprocess.TimeoutExpired:
                process.kill()
                report["exit_codes"].append("killed")
        redis_process.terminate()
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
              f"answered {row['answered']}/{report['requests']}, duplicates {row['duplicates']}, all answers in {row['answers_seconds']} s")
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
