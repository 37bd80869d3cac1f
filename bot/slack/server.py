"""Running the bot: `bot serve` (HTTP, gunicorn + Flask) and `bot socket` (Socket Mode).

Why gunicorn with Bolt's Flask adapter: it is the production WSGI server the Bolt docs pair with
Flask, it needs no extra files (gunicorn's `BaseApplication` is configured from code here), and
its threaded worker suits Slack's traffic: many short requests that must be acknowledged within
3 seconds while a few searches run. One worker process (the index is built once per process, and
the event-id memory that answers each retried event once is per process), ten request threads,
`timeout 0` (a worker is never killed for a slow search: the ack has long gone).

Start-up order: configuration from the environment is checked first (a missing variable stops
the server with one line naming it); then gunicorn binds PORT and the worker builds the Flask app
and starts loading the library in a background thread. Until the library is ready `GET /healthz`
answers 503 and slash commands are still acknowledged at once; their answers wait for the load.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from flask import Flask, Response, jsonify, request
from slack_sdk.signature import SignatureVerifier

from bot.config import ConfigError, Settings
from bot.slack.readiness import LibrarySlot

# Bolt, the listeners and the search stack (jieba, pypinyin: seconds to import) are imported
# inside the functions that need them, so a missing variable is reported at once.

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
DEFAULT_PORT = 3000
DEFAULT_HOST = "0.0.0.0"
EXIT_CONFIG = 2
SERVE_NEEDS = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
SOCKET_NEEDS = ("SLACK_APP_TOKEN", "SLACK_BOT_TOKEN")
LOG = logging.getLogger("bot.slack")


class BadEnvironment(Exception):
    """The environment cannot run the server; the message says why in one line."""


class MissingEnvironment(BadEnvironment):
    """Required environment variables are unset or empty; the message names them."""

    def __init__(self, names: list[str]):
        self.names = names
        which = ", ".join(names)
        noun = "variable" if len(names) == 1 else "variables"
        super().__init__(f"missing environment {noun} {which} (see docs/SLACK.md)")


def require(env: Mapping[str, str], names: tuple[str, ...]) -> dict[str, str]:
    missing = [name for name in names if not (env.get(name) or "").strip()]
    if missing:
        raise MissingEnvironment(missing)
    return {name: env[name].strip() for name in names}


def port_from(env: Mapping[str, str]) -> int:
    raw = (env.get("PORT") or "").strip() or str(DEFAULT_PORT)
    try:
        port = int(raw)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise BadEnvironment(f"PORT must be a port number (0-65535), not {raw!r}")
    return port


def default_loader(settings: Settings) -> Callable[[], object]:
    def load():
        from bot.search.library import Library  # imported here: jieba and friends load with it

        return Library.load(settings)

    return load


# ---------------------------------------------------------------- the WSGI app


def create_flask_app(bolt_app, slot: LibrarySlot, signing_secret: str) -> Flask:
    """Flask routes: POST /slack/events to Bolt (signed requests only), GET /healthz."""
    from slack_bolt.adapter.flask import SlackRequestHandler

    flask_app = Flask("quote-bot")
    handler = SlackRequestHandler(bolt_app)
    verifier = SignatureVerifier(signing_secret)

    @flask_app.post(EVENTS_PATH)
    def slack_events() -> Response:
        # Bolt verifies the signature too; checking here first makes every unsigned, forged, stale
        # or malformed request (a non-numeric timestamp makes Bolt's check raise: a 500) a 401.
        if not signed(verifier, request):
            return Response('{"error":"invalid request"}', status=401, content_type="application/json")
        return handler.handle(request)

    @flask_app.get(HEALTH_PATH)
    def healthz() -> tuple[Response, int]:
        if slot.ready:
            library = slot.get(timeout=0)
            corpus = library.corpus
            return jsonify(ok=True, documents=len(corpus.documents), passages=len(corpus.passages)), 200
        if slot.error is not None:
            return jsonify(ok=False, status="failed", error=str(slot.error)), 503
        return jsonify(ok=False, status="loading"), 503

    return flask_app


def signed(verifier: SignatureVerifier, req) -> bool:
    timestamp = req.headers.get("X-Slack-Request-Timestamp")
    signature = req.headers.get("X-Slack-Signature")
    if not timestamp or not signature:
        return False
    try:
        return verifier.is_valid(req.get_data(cache=True), timestamp, signature)
    except (ValueError, TypeError):  # non-numeric timestamp, body not UTF-8
        return False


def build_wsgi_app(
    settings: Settings,
    env: Mapping[str, str],
    *,
    loader: Callable[[], object] | None = None,
    background: bool = True,
) -> tuple[Flask, LibrarySlot]:
    """The whole HTTP app for one process, and the slot its library is loading into."""
    from bot.slack.app import DEFAULT_API_URL, build_app, normalise_api_url
    from bot.slack.identity import BotIdentity

    values = require(env, SERVE_NEEDS)
    slot = LibrarySlot()
    api_url = normalise_api_url(env.get("SLACK_API_URL") or DEFAULT_API_URL)
    identity = BotIdentity(values["SLACK_BOT_TOKEN"], api_url)
    bolt_app = build_app(
        slot,
        settings,
        token=values["SLACK_BOT_TOKEN"],
        signing_secret=values["SLACK_SIGNING_SECRET"],
        api_url=api_url,
        identity=identity,
    )
    flask_app = create_flask_app(bolt_app, slot, values["SLACK_SIGNING_SECRET"])
    load = loader or default_loader(settings)
    if background:
        slot.load_in_background(load)
        identity.warm_in_background()
    else:
        slot.load(load)
        identity.warm()
    return flask_app, slot


# ---------------------------------------------------------------- gunicorn


def gunicorn_options(env: Mapping[str, str]) -> dict[str, object]:
    host = (env.get("HOST") or "").strip() or DEFAULT_HOST
    return {
        "bind": f"{host}:{port_from(env)}",
        "workers": 1,
        "worker_class": "gthread",
        "threads": 10,
        "timeout": 0,
        "graceful_timeout": 10,
        "keepalive": 5,
        "accesslog": "-",
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "quote-bot",
    }


def _gunicorn_application_class():
    from gunicorn.app.base import BaseApplication

    class QuoteBotServer(BaseApplication):
        """gunicorn configured from code, so `bot serve` needs no gunicorn.conf.py or command line."""

        def __init__(self, factory: Callable[[], object], options: dict[str, object]):
            self.factory = factory
            self.options = options
            super().__init__()

        def load_config(self) -> None:
            for key, value in self.options.items():
                if key in self.cfg.settings and value is not None:
                    self.cfg.set(key, value)

        def load(self):
            # Called in the worker after the fork: the library (and its threads) belong to it.
            return self.factory()

    return QuoteBotServer


def serve(settings: Settings, env: Mapping[str, str] | None = None) -> int:
    """`bot serve`: the production HTTP server. Returns only on a configuration error."""
    env = os.environ if env is None else env
    try:
        require(env, SERVE_NEEDS)
        options = gunicorn_options(env)
    except BadEnvironment as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CONFIG
    configure_logging()
    server_class = _gunicorn_application_class()
    server_class(lambda: build_wsgi_app(settings, env)[0], options).run()
    return 0


# ---------------------------------------------------------------- Socket Mode


def build_socket_handler(settings: Settings, env: Mapping[str, str], library):
    """The Socket Mode handler for `library` (a Library or LibrarySlot), not yet connected."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.slack.app import DEFAULT_API_URL, build_app, normalise_api_url

    values = require(env, SOCKET_NEEDS)
    bolt_app = build_app(
        library,
        settings,
        token=values["SLACK_BOT_TOKEN"],
        api_url=normalise_api_url(env.get("SLACK_API_URL") or DEFAULT_API_URL),
        request_verification=False,  # Socket Mode requests arrive over an authenticated WebSocket
    )
    return SocketModeHandler(bolt_app, values["SLACK_APP_TOKEN"])


def socket(settings: Settings, env: Mapping[str, str] | None = None) -> int:
    """`bot socket`: develop without a public URL. Blocks until interrupted."""
    env = os.environ if env is None else env
    try:
        require(env, SOCKET_NEEDS)
    except MissingEnvironment as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CONFIG
    configure_logging()
    slot = LibrarySlot()
    slot.load(default_loader(settings))  # before connecting: nothing arrives until it is ready
    if slot.error is not None:
        print(f"error: the library failed to load: {slot.error}", file=sys.stderr)
        return 1
    handler = build_socket_handler(settings, env, slot)
    try:
        handler.start()
    except KeyboardInterrupt:
        handler.close()
    return 0


# ---------------------------------------------------------------- helpers


def configure_logging() -> None:
    level = os.environ.get("LOG_LEVEL", "INFO").upper()
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def settings_from(env: Mapping[str, str]) -> Settings:
    config = env.get("BOT_CONFIG")
    seeds = env.get("BOT_SEEDS")
    return Settings.load(Path(config) if config else None, Path(seeds) if seeds else None)


def main(argv: list[str] | None = None) -> int:
    """`python -m bot.slack.server serve|socket`: the same as `bot serve` / `bot socket`."""
    parser = argparse.ArgumentParser(prog="python -m bot.slack.server")
    parser.add_argument("mode", choices=("serve", "socket"))
    args = parser.parse_args(argv)
    try:
        settings = settings_from(os.environ)
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CONFIG
    return serve(settings, os.environ) if args.mode == "serve" else socket(settings, os.environ)


if __name__ == "__main__":
    raise SystemExit(main())
