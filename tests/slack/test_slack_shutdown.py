"""SIGTERM, as a PaaS sends it at every daily restart: finish what is in flight, refuse what is new, exit 0.

A real `bot serve` (gunicorn) process with two things in flight when SIGTERM arrives: a slash
command whose reply the fake Slack takes 3 seconds to accept (an answer being delivered by a
listener thread), and an HTTP request whose body is only half sent (a request gunicorn is still
reading). Both must complete; once they have, new connections are refused; the process exits 0
within the grace period.
"""

from __future__ import annotations

import signal
import socket
import time
import urllib.parse

from bot.slack.server import GRACEFUL_TIMEOUT_SECONDS
from tests.slack.conftest import BotServeProcess
from tests.slack.helpers import FORM, Fault, path_of, post, signed_headers, slash_command
from tests.slack.test_slack_logs import request_lines

SLOW_REPLY_SECONDS = 3.0


def refused(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((parts.hostname, parts.port)) != 0


def test_sigterm_finishes_in_flight_work_refuses_new_connections_and_exits_0(fake_slack, tmp_path):
    served = BotServeProcess.start(fake_slack, tmp_path).wait_until_healthy()
    try:
        events = served.url + "/slack/events"

        # 1. An answer in flight: the reply is posted, and Slack is slow to take it.
        slow_url = fake_slack.response_url()
        fake_slack.inject(path_of(slow_url), Fault(200, {"ok": True}, delay=SLOW_REPLY_SECONDS))
        body = slash_command("/quote", "护城河", slow_url, user_id="U0SLOWREPLY")
        assert post(events, body, signed_headers(body, FORM)).status == 200
        fake_slack.wait_for(lambda r: r.path == path_of(slow_url))  # the bot is now waiting on Slack

        # 2. A request in flight: headers and half the body sent.
        trickled_url = fake_slack.response_url()
        body = slash_command("/quote", "开源", trickled_url, user_id="U0TRICKLE")
        headers = signed_headers(body, FORM) | {"Content-Length": str(len(body)), "Connection": "close", "Host": "127.0.0.1"}
        parts = urllib.parse.urlsplit(events)
        connection = socket.create_connection((parts.hostname, parts.port), timeout=30)
        head = f"POST {parts.path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
        connection.sendall(head.encode() + body[: len(body) // 2])
        time.sleep(0.3)

        term_sent = time.monotonic()
        served.process.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        connection.sendall(body[len(body) // 2:])
        response = b""
        while b"\r\n\r\n" not in response:
            chunk = connection.recv(4096)
            if not chunk:
                break
            response += chunk
        connection.close()
        assert response.startswith(b"HTTP/1.1 200"), response[:200]

        # New connections are refused while the slow reply is still being delivered.
        deadline = time.monotonic() + 5
        while not refused(served.url) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert refused(served.url), "still accepting connections after SIGTERM"
        assert served.process.poll() is None  # ...and the process is still finishing its work

        # Both answers arrive, and the process exits 0 within the grace period.
        code = served.process.wait(timeout=GRACEFUL_TIMEOUT_SECONDS + 5)
        elapsed = time.monotonic() - term_sent
        assert code == 0, served.output()[-3000:]
        assert elapsed < GRACEFUL_TIMEOUT_SECONDS
        assert fake_slack.to(path_of(trickled_url)), "the request that was in flight was never answered"
        lines = {line.get("user"): line for line in request_lines(served.output())}
        assert lines["U0SLOWREPLY"]["outcome"] == "answered" and lines["U0SLOWREPLY"]["latency_ms"] >= SLOW_REPLY_SECONDS * 1000
        assert lines["U0TRICKLE"]["outcome"] in ("answered", "not_found")
        assert "every answer in flight was sent" in served.output()
        print(f"\nSIGTERM to exit 0: {elapsed:.1f} s (a {SLOW_REPLY_SECONDS:.0f} s reply in flight)")
    finally:
        if served.process.poll() is None:
            served.process.kill()
