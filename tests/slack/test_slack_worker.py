"""The header deadline of `bot serve`'s HTTP protocol (bot/slack/worker.py), on a real uvicorn server
over loopback with a short deadline: a client that trickles its headers, or idles on a kept-alive
connection, is closed; one whose headers came in time is left to the app's own body deadline."""

from __future__ import annotations

import socket
import threading
import time

import pytest
import uvicorn

from bot.slack.worker import HeaderDeadlineProtocol

DEADLINE = 0.6
BOUND = 5.0  # seconds a test waits for the server at most


class ShortDeadline(HeaderDeadlineProtocol):
    header_timeout = DEADLINE


async def slow_reader(scope, receive, send) -> None:
    """Reads the whole body (however long it takes), then answers 200 with its size."""
    if scope["type"] != "http":
        return
    size, more = 0, True
    while more:
        message = await receive()
        size += len(message.get("body", b""))
        more = message.get("more_body", False)
    body = str(size).encode()
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


@pytest.fixture(scope="module")
def port():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    config = uvicorn.Config(slow_reader, http=ShortDeadline, loop="asyncio", lifespan="off", log_level="warning",
                            timeout_keep_alive=30)  # far past the deadline: the deadline is what closes
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    started = time.monotonic()
    while not server.started and time.monotonic() - started < BOUND:
        time.sleep(0.01)
    yield listener.getsockname()[1]
    server.should_exit = True
    thread.join(BOUND)
    listener.close()


def read_response(connection: socket.socket) -> tuple[bytes, bytes]:
    """(status line and headers, body) of one response with a Content-Length."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(4096)
        assert chunk, f"closed after {data!r}"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(next(line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")))
    while len(body) < length:
        chunk = connection.recv(4096)
        assert chunk, f"closed after {data!r}"
        body += chunk
    return head, body


def closed_after(connection: socket.socket, trickle: bytes = b"") -> float | None:
    """Seconds until the server closes `connection` (sending `trickle` a byte every 0.1 s meanwhile), or None."""
    started = time.monotonic()
    connection.settimeout(0.1)
    while time.monotonic() - started < BOUND:
        if trickle:
            try:
                connection.sendall(trickle[:1])
            except OSError:
                return time.monotonic() - started
            trickle = trickle[1:] or b"a"
        try:
            if connection.recv(4096) == b"":
                return time.monotonic() - started
        except socket.timeout:
            continue
        except OSError:
            return time.monotonic() - started
    return None


def test_a_client_trickling_its_headers_is_closed_at_the_deadline(port):
    with socket.create_connection(("127.0.0.1", port), timeout=BOUND) as connection:
        connection.sendall(b"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        seconds = closed_after(connection, trickle=b"X-Slack-Signature: v0=")
    assert seconds is not None and seconds < DEADLINE + 2, seconds


def test_an_idle_kept_alive_connection_is_closed_at_the_deadline(port):
    with socket.create_connection(("127.0.0.1", port), timeout=BOUND) as connection:
        connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert read_response(connection)[0].startswith(b"HTTP/1.1 200")
        seconds = closed_after(connection)
    assert seconds is not None and DEADLINE * 0.5 < seconds < DEADLINE + 2, seconds


def test_a_request_whose_headers_came_in_time_is_not_cut_by_the_header_deadline(port):
    """Its body arrives slowly, over three deadlines; the app reads it and answers."""
    with socket.create_connection(("127.0.0.1", port), timeout=BOUND) as connection:
        connection.sendall(b"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 6\r\n\r\n")
        for byte in b"abcdef":
            time.sleep(DEADLINE / 2)
            connection.sendall(bytes([byte]))
        head, body = read_response(connection)
    assert head.startswith(b"HTTP/1.1 200") and body == b"6", (head, body)


def test_requests_in_time_are_answered_one_after_another_on_one_connection(port):
    with socket.create_connection(("127.0.0.1", port), timeout=BOUND) as connection:
        for _ in range(3):
            connection.sendall(b"POST /x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\nok")
            head, body = read_response(connection)
            assert head.startswith(b"HTTP/1.1 200") and body == b"2", (head, body)
            time.sleep(DEADLINE / 2)


