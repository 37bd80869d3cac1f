"""A burst of slash commands against the real `bot serve`, on loopback: are they all acknowledged in time?

    python bench/load.py [--requests 2000] [--concurrency 50] [--sweep 1,5,10,25] [--seeds DIR] [--json]

What it does, all on 127.0.0.1 and bounded in count and time:

1. starts a lean fake of the Slack Web API and of response_urls (answers 200 at once, counts what
   it receives) in this process;
2. starts `python -m bot serve` (what the Procfile runs: gunicorn, Bolt's Flask adapter) in a
   subprocess on a free port, with the bundled corpus (or --seeds), a throwaway token and signing
   secret, and SLACK_API_URL pointing at the fake; waits for /healthz to answer 200;
3. sends --warmup commands (not counted), then --requests signed slash commands (a mix of /quote,
   /who-said and /compare, each from its own user, so the per-user rate limit never applies)
   from --concurrency threads, each on a new connection, timing each ack;
4. waits (at most --answer-timeout s) until every command's answer has reached its response_url;
5. with --sweep, sends one more burst per listed concurrency, to show where latency comes from;
6. stops the server with SIGTERM (it must exit 0) and prints the figures: acked within 3 s,
   p50/p90/p99/max ack latency, errors (non-200 acks, connection errors), answers delivered, the
   CPU the server and this process used during the burst, and whether each goal held.

Goals (docs/RELIABILITY.md): 2,000 requests at concurrency 50, 100 % acked within 3 s, 0 errors,
p99 ack latency <= 50 ms. Slack gives an app 3 s to acknowledge; the ack is what this measures.
The answers (searches) run after the ack, on the bot's listener threads; their throughput is
printed too, but it is the search benchmarks' business (docs/BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import http.client
import json
import os
import secrets
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
GOALS = {"requests": 2000, "concurrency": 50, "acked_within_3s": 1.0, "errors": 0, "p99_ms": 50.0}
START_TIMEOUT_S = 180  # library load included
STOP_TIMEOUT_S = 40  # the server's graceful timeout is 25 s
CLIENT_TIMEOUT_S = 10
# Queries a burst after a link goes round would bring: short, mixed scripts, all three commands.
COMMANDS = (
    ("/quote", "护城河"), ("/quote", "开源 模型"), ("/quote", "open source moat"), ("/quote", "開源 免費"),
    ("/quote", "Kubernetes"), ("/quote", "kaiyuan moxing"), ("/quote", "算力 成本"), ("/quote", "社区 贡献"),
    ("/who-said", "开源模型会赢"), ("/who-said", "闭源更安全"), ("/compare", "open closed"),
)


class Fake:
    """Slack's Web API and response_urls, as cheaply as possible: 200 and a count per path."""

    def __init__(self):
        self.lock = threading.Lock()
        self.paths: dict[str, int] = {}
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                path = urllib.parse.urlsplit(self.path).path
                with fake.lock:
                    fake.paths[path] = fake.paths.get(path, 0) + 1
                payload = b'{"ok": true, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "TLOAD"}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer((HOST, 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server.server_address[1]}"

    def answered(self, prefix: str) -> int:
        with self.lock:
            return sum(1 for path in self.paths if path.startswith(prefix))

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def sign(secret: str, body: bytes) -> dict[str, str]:
    timestamp = str(int(time.time()))
    digest = hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": "v0=" + digest,
            "Content-Type": "application/x-www-form-urlencoded"}


def command_body(n: int, fake_url: str, run: str) -> bytes:
    command, text = COMMANDS[n % len(COMMANDS)]
    fields = {
        "token": "unused", "team_id": "TLOAD", "team_domain": "load", "channel_id": f"CLOAD{n % 20:04d}",
        "channel_name": "load", "user_id": f"ULOAD{n:06d}", "user_name": f"user{n}", "command": command,
        "text": text, "api_app_id": "ALOAD", "is_enterprise_install": "false",
        "response_url": f"{fake_url}/commands/TLOAD/{run}/{n}", "trigger_id": f"{n}.{run}",
    }
    return urllib.parse.urlencode(fields).encode()


def send(port: int, secret: str, body: bytes) -> tuple[int, float]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection(HOST, port, timeout=CLIENT_TIMEOUT_S)
    try:
        connection.request("POST", "/slack/events", body=body, headers=sign(secret, body))
        response = connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        connection.close()


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children (the gunicorn worker), from /proc; 0 elsewhere."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except (OSError, IndexError, ValueError):
            pass
    return total


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(share * len(ordered))) - 1))]


def start_server(fake: Fake, port: int, seeds: str | None, log_path: Path, token: str, secret: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")} | {
        "PORT": str(port), "HOST": HOST, "SLACK_BOT_TOKEN": token, "SLACK_SIGNING_SECRET": secret,
        "SLACK_API_URL": fake.url + "/api/", "LOG_LEVEL": "INFO",
    }
    if seeds:
        env["BOT_SEEDS"] = seeds
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


def burst(port: int, secret: str, fake_url: str, run: str, count: int, concurrency: int, first: int = 0) -> tuple[Results, float]:
    results = Results()
    lock = threading.Lock()

    def one(n: int) -> None:
        try:
            status, seconds = send(port, secret, command_body(n, fake_url, run))
        except OSError as error:
            with lock:
                results.errors.append(f"{type(error).__name__}: {error}")
            return
        with lock:
            results.latencies.append(seconds)
            if status != 200:
                results.errors.append(f"HTTP {status}")

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(one, range(first, first + count)))
    return results, time.perf_counter() - started


def summary(results: Results, requests: int, seconds: float) -> dict:
    latencies = results.latencies
    within = sum(1 for s in latencies if s <= SLACK_ACK_SECONDS)
    return {
        "acked": len(latencies),
        "acked_within_3s": within,
        "acked_within_3s_share": round(within / requests, 4),
        "errors": len(results.errors),
        "error_kinds": sorted(set(results.errors))[:5],
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "p90_ms": round(percentile(latencies, 0.90) * 1000, 1) if latencies else None,
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1) if latencies else None,
        "max_ms": round(max(latencies) * 1000, 1) if latencies else None,
        "burst_seconds": round(seconds, 2),
        "acks_per_second": round(len(latencies) / seconds, 1) if seconds else None,
    }


def run(args: argparse.Namespace) -> dict:
    fake = Fake()
    port = free_port()
    token, secret = "xoxb-load-" + secrets.token_hex(8), secrets.token_hex(16)
    run_id = secrets.token_hex(4)
    log_path = Path(tempfile.mkdtemp(prefix="quote-bot-load-")) / "server.log"
    process = start_server(fake, port, args.seeds, log_path, token, secret)
    prefix = f"/commands/TLOAD/{run_id}/"
    report: dict = {"requests": args.requests, "concurrency": args.concurrency, "warmup": args.warmup, "server_log": str(log_path)}
    deadline = time.monotonic() + START_TIMEOUT_S + args.answer_timeout

    def wait_for_answers(count: int) -> None:
        while fake.answered(prefix) < count and time.monotonic() < deadline:
            time.sleep(0.1)

    try:
        report["start_seconds"] = round(wait_healthy(process, port), 1)
        burst(port, secret, fake.url, run_id, args.warmup, min(args.concurrency, 10), first=10**6)
        wait_for_answers(args.warmup)
        answered_before = fake.answered(prefix)

        server_cpu, client_cpu = cpu_seconds(process.pid), sum(os.times()[:2])
        results, seconds = burst(port, secret, fake.url, run_id, args.requests, args.concurrency)
        burst_done = time.monotonic()
        report["burst_cpu_seconds"] = {"server": round(cpu_seconds(process.pid) - server_cpu, 2),
                                       "load generator and fake Slack": round(sum(os.times()[:2]) - client_cpu, 2)}
        wait_for_answers(answered_before + args.requests)
        answers_seconds = time.monotonic() - burst_done + seconds
        answered = fake.answered(prefix) - answered_before
        report["server_cpu_ms_per_request"] = round((cpu_seconds(process.pid) - server_cpu) / args.requests * 1000, 2)
        report |= summary(results, args.requests, seconds)

        report["sweep"] = []
        first = 2 * 10**6
        for concurrency in args.sweep:
            before = fake.answered(prefix)
            swept, swept_seconds = burst(port, secret, fake.url, run_id, args.sweep_requests, concurrency, first=first)
            first += args.sweep_requests
            wait_for_answers(before + args.sweep_requests)
            report["sweep"].append({"concurrency": concurrency, "requests": args.sweep_requests,
                                    **summary(swept, args.sweep_requests, swept_seconds)})
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            report["exit_code"] = process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            report["exit_code"] = "killed"
        fake.close()

    report |= {
        "answered": answered,
        "answers_seconds": round(answers_seconds, 1),
        "answers_per_second": round(answered / answers_seconds, 1) if answers_seconds else None,
        "machine": f"{os.cpu_count()} CPU, Python {sys.version.split()[0]}",
    }
    report["goals"] = {
        "requests >= 2000": args.requests >= GOALS["requests"],
        "concurrency >= 50": args.concurrency >= GOALS["concurrency"],
        "100% acked within 3 s": report["acked_within_3s"] == args.requests,
        "0 errors": report["errors"] == 0,
        "p99 <= 50 ms": report["p99_ms"] is not None and report["p99_ms"] <= GOALS["p99_ms"],
        "every answer delivered": answered == args.requests,
        "exit 0 on SIGTERM": report["exit_code"] == 0,
    }
    return report


def print_report(report: dict) -> None:
    print(f"bot serve on {HOST}, {report['machine']}; started (library loaded) in {report.get('start_seconds')} s")
    print(f"{report['requests']} signed slash commands at concurrency {report['concurrency']} "
          f"(after {report['warmup']} warm-up), burst took {report['burst_seconds']} s ({report['acks_per_second']} acks/s)")
    print(f"acked within 3 s: {report['acked_within_3s']}/{report['requests']} ({report['acked_within_3s_share']:.1%})")
    print(f"ack latency: p50 {report['p50_ms']} ms, p90 {report['p90_ms']} ms, p99 {report['p99_ms']} ms, max {report['max_ms']} ms")
    print(f"errors: {report['errors']}" + (f" {report['error_kinds']}" if report["errors"] else ""))
    print(f"answers delivered: {report['answered']}/{report['requests']} within {report['answers_seconds']} s "
          f"({report['answers_per_second']} answers/s)")
    print(f"CPU during the burst: {report['burst_cpu_seconds']}; server CPU per request, ack and answer: "
          f"{report['server_cpu_ms_per_request']} ms")
    for row in report.get("sweep", []):
        print(f"  then {row['requests']} at concurrency {row['concurrency']:>3}: acked within 3 s {row['acked_within_3s']}/{row['requests']}, "
              f"p50 {row['p50_ms']} ms, p99 {row['p99_ms']} ms, errors {row['errors']}, {row['acks_per_second']} acks/s")
    print(f"SIGTERM: exit {report['exit_code']}")
    for goal, held in report["goals"].items():
        print(f"  {'held' if held else 'MISSED'}: {goal}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=GOALS["requests"])
    parser.add_argument("--concurrency", type=int, default=GOALS["concurrency"])
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--seeds", help="a seeds folder instead of the bundled seeds/ (BOT_SEEDS)")
    parser.add_argument("--answer-timeout", type=float, default=600, help="seconds to wait for the answers")
    parser.add_argument("--sweep", type=lambda t: [int(c) for c in t.split(",") if c.strip()], default=[],
                        help="after the main burst, one burst per concurrency in this list, e.g. 1,5,10,25")
    parser.add_argument("--sweep-requests", type=int, default=300)
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a goal was missed")
    args = parser.parse_args(argv)
    if not 1 <= args.requests <= 100_000 or not all(1 <= c <= 500 for c in [args.concurrency, *args.sweep]):
        parser.error("--requests 1..100000, concurrency 1..500")
    if not 1 <= args.sweep_requests <= 100_000 or len(args.sweep) > 10:
        parser.error("--sweep-requests 1..100000, at most 10 sweep steps")
    report = run(args)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        print_report(report)
    return 1 if args.strict and not all(report["goals"].values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
