"""Running the bot: `bot serve` (HTTP, gunicorn + Flask) and `bot socket` (Socket Mode).

Why gunicorn with Bolt's Flask adapter: it is the production WSGI server the Bolt docs pair with
Flask, it needs no extra files (gunicorn's `BaseApplication` is configured from code here), and
its threaded worker suits Slack's traffic: many short requests that must be acknowledged within
3 seconds while a few searches run. One worker process (the index is built once per process, and
the event-id memory that answers each retried event once is per process), ten request threads,
`timeout 0` (a worker is never killed for a slow search: the ack has long gone).

Start-up order: the environment is checked first (a missing variable stops the server with one
line naming it), then every YAML file in the config folder (an invalid one stops it with one
line naming the file and line), all before gunicorn binds PORT. Then the worker builds the Flask
app and loads the library in a background thread, logging a warning for each seed it could not
use. Until the library is ready `GET /healthz` answers 503 and slash commands are still
acknowledged at once; their answers wait for the load.

Every request to /slack/events is screened before Bolt sees it (`screen`): too big (413), unsigned,
forged, stale or future-dated (401), not form or JSON, or a body that does not parse (400). An
exact replay of a request already taken is acknowledged and ignored. Each rejection is one log line.

Shutdown (every PaaS restarts its dynos daily, with SIGTERM and a grace period before SIGKILL;
Heroku's is 30 s): gunicorn stops accepting, finishes the HTTP requests in flight, closes its
sockets (new connections are refused), and then, in the `worker_exit` hook, the worker waits for
the answers still being searched for and delivered by the listener threads, within
`graceful_timeout` (25 s). The process exits 0.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from urllib.parse import parse_qs

from flask import Flask, Response, jsonify, request
from slack_sdk.signature import SignatureVerifier
from werkzeug.exceptions import RequestEntityTooLarge

from bot.config import DEFAULT_CACHE_DIR, ConfigError, Settings, load_yaml
from bot.slack.dedupe import SeenEvents
from bot.slack.delivery import RetryPolicy
from bot.slack.observe import install_redaction, log_rejected
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
SECRET_VARIABLES = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN")
CONFIG_FILES = ("settings.yaml", "corpus.yaml", "speakers.yaml", "glossary.yaml", "stance.yaml")
# Slack's biggest payloads are events carrying a 40,000-character message (JSON-escaped, with its
# rich-text blocks); a megabyte is several times that and still cheap to refuse early.
MAX_BODY_BYTES = 1024 * 1024
SLACK_CONTENT_TYPES = ("application/x-www-form-urlencoded", "application/json")
REPLAY_WINDOW_SECONDS = 10 * 60  # Slack's signatures are only valid for 5 minutes either way
GRACEFUL_TIMEOUT_SECONDS = 25  # under the 30 s most PaaS platforms give between SIGTERM and SIGKILL
LISTENERS_KEY = "quote-bot.listeners"  # where the Flask app keeps its listener executor, for draining
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
    """The saved library when one matches (`bot index build`, run at a deploy's build step), else built now."""

    def load():
        from bot.search.cache import load_library  # imported here: jieba and friends load with it

        library = load_library(settings)
        warn_about_seeds(library.corpus, settings)
        return library

    return load


def warn_about_seeds(corpus, settings: Settings) -> list[str]:
    """One warning per seed that could not be used (damaged, unreadable, empty, a broken link), and
    one naming the documents config/corpus.yaml describes whose seed file is missing. The rest of
    the library is served all the same."""
    warnings = [f"seed not loaded: {problem}" for problem in corpus.problems]
    seeds = Path(settings.seeds_dir)
    if seeds.is_dir():
        suffixes = (".txt", ".md")
        broken = sorted(p.name for p in seeds.iterdir() if p.suffix.lower() in suffixes and not p.exists())
        warnings += [f"seed not loaded: {seeds / name}: missing (a link to nothing)" for name in broken]
        present = {p.stem for p in seeds.iterdir() if p.suffix.lower() in suffixes}
        try:
            described = set((load_yaml(Path(settings.config_dir) / "corpus.yaml").get("documents") or {}))
        except ConfigError:
            described = set()  # already reported by the loader, and checked before start
        missing = sorted(str(d) for d in described - present)
        if missing and present & described:  # the config describes this seed folder, and lacks some of it
            shown = ", ".join(missing[:10]) + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
            warnings.append(f"seed not loaded: config/corpus.yaml describes {len(missing)} document(s) with no seed in {seeds}: {shown}")
    for warning in warnings:
        LOG.warning("%s", warning)
    return warnings


def check_config(settings: Settings) -> None:
    """Read every YAML file of the config folder as the bot will; ConfigError (file and line) if one is bad.

    `bot corpus` reports a broken corpus.yaml or speakers.yaml as a warning and carries on, which
    is right for a tool that lists what loaded. A server must not start half-configured and
    discover it on the first /compare, so `bot serve` and `bot socket` check everything first.
    """
    from bot.commands.stance import load_stance_model
    from bot.corpus.speakers import load_speakers
    from bot.search.vocabulary import load_glossary

    config = Path(settings.config_dir)
    for name in CONFIG_FILES:
        load_yaml(config / name)
    documents = load_yaml(config / "corpus.yaml").get("documents")
    if documents is not None and not isinstance(documents, dict):
        raise ConfigError(config / "corpus.yaml", "'documents' must be a mapping of doc id to fields")
    load_speakers(config / "speakers.yaml")
    load_glossary(config / "glossary.yaml")
    load_stance_model(config)


# ---------------------------------------------------------------- the WSGI app


def create_flask_app(
    bolt_app,
    slot: LibrarySlot,
    signing_secret: str,
    *,
    max_body: int = MAX_BODY_BYTES,
    replays: SeenEvents | None = None,
) -> Flask:
    """Flask routes: POST /slack/events to Bolt (screened requests only), GET /healthz."""
    from slack_bolt.adapter.flask import SlackRequestHandler

    flask_app = Flask("quote-bot")
    flask_app.config["MAX_CONTENT_LENGTH"] = max_body
    handler = SlackRequestHandler(bolt_app)
    verifier = SignatureVerifier(signing_secret)
    replays = replays if replays is not None else SeenEvents(ttl_seconds=REPLAY_WINDOW_SECONDS)

    @flask_app.post(EVENTS_PATH)
    def slack_events() -> Response:
        # Checked here rather than by Bolt (build_wsgi_app turns Bolt's own check off): every
        # unsigned, forged, stale or malformed request (a non-numeric timestamp made Bolt's check
        # raise: a 500) is a 401, and anything Bolt cannot parse is kept away from it.
        rejection = screen(request, verifier, max_body)
        if rejection is not None:
            status, reason = rejection
            log_rejected(status, reason, content_type=request.mimetype or None, bytes=request.content_length)
            return Response(json.dumps({"error": reason}), status=status, content_type="application/json")
        if not replays.first_time(request.headers.get("X-Slack-Signature")):
            log_rejected(200, "replayed request ignored")
            return Response("", status=200)
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


def screen(req, verifier: SignatureVerifier, max_body: int = MAX_BODY_BYTES) -> tuple[int, str] | None:
    """Why this request must not reach Bolt, as (HTTP status, reason); None if it may.

    Cheapest checks first, and nothing is read from an unsigned or oversized body: size from
    Content-Length (413), signature headers present (401), the body (413 if a chunked body runs
    over), signature and timestamp within five minutes (401), then the content type and the body's
    shape (400), which only a signed request learns about.
    """
    if req.content_length is not None and req.content_length > max_body:
        return 413, "request body too large"
    if not req.headers.get("X-Slack-Request-Timestamp") or not req.headers.get("X-Slack-Signature"):
        return 401, "missing signature"
    try:
        body = req.get_data(cache=True)
    except RequestEntityTooLarge:
        return 413, "request body too large"
    if not signed(verifier, req):
        return 401, "invalid or expired signature"
    if req.mimetype not in SLACK_CONTENT_TYPES:
        return 400, "unsupported content type"
    if not well_formed(body, req.mimetype):
        return 400, "malformed body"
    return None


def well_formed(body: bytes, mimetype: str) -> bool:
    """A JSON body is a JSON object; a form is UTF-8 and any `payload` field in it is a JSON object."""
    try:
        text = body.decode("utf-8")
        if mimetype == "application/json":
            return isinstance(json.loads(text), dict)
        payload = parse_qs(text).get("payload")
        return payload is None or isinstance(json.loads(payload[0]), dict)
    except (UnicodeDecodeError, ValueError):
        return False


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
    policy: RetryPolicy | None = None,
) -> tuple[Flask, LibrarySlot]:
    """The whole HTTP app for one process, and the slot its library is loading into.

    The listener executor is kept in `flask_app.extensions[LISTENERS_KEY]` so that the server can
    wait for the answers in flight when it shuts down (`drain`).
    """
    from bot.slack.app import DEFAULT_API_URL, build_app, listener_executor, normalise_api_url
    from bot.slack.identity import BotIdentity

    values = require(env, SERVE_NEEDS)
    slot = LibrarySlot()
    api_url = normalise_api_url(env.get("SLACK_API_URL") or DEFAULT_API_URL)
    identity = BotIdentity(values["SLACK_BOT_TOKEN"], api_url)
    executor = listener_executor()
    bolt_app = build_app(
        slot,
        settings,
        token=values["SLACK_BOT_TOKEN"],
        signing_secret=values["SLACK_SIGNING_SECRET"],
        request_verification=False,  # create_flask_app's `screen` has verified every request already
        api_url=api_url,
        identity=identity,
        executor=executor,
        policy=policy,
    )
    flask_app = create_flask_app(bolt_app, slot, values["SLACK_SIGNING_SECRET"])
    flask_app.extensions[LISTENERS_KEY] = executor
    load = loader or default_loader(settings)
    if background:
        slot.load_in_background(load)
        identity.warm_in_background()
    else:
        slot.load(load)
        identity.warm()
    return flask_app, slot


def drain(flask_app: Flask | None) -> None:
    """Wait for every answer the listener threads have been given (gunicorn's `worker_exit`)."""
    executor = flask_app.extensions.get(LISTENERS_KEY) if flask_app is not None else None
    if executor is None:
        return
    LOG.info("shutting down: finishing the answers in flight")
    executor.shutdown(wait=True)
    LOG.info("shutting down: every answer in flight was sent")


# ---------------------------------------------------------------- gunicorn


def gunicorn_options(env: Mapping[str, str]) -> dict[str, object]:
    host = (env.get("HOST") or "").strip() or DEFAULT_HOST
    return {
        "bind": f"{host}:{port_from(env)}",
        "workers": 1,
        "worker_class": "gthread",
        "threads": 10,
        "timeout": 0,
        "graceful_timeout": GRACEFUL_TIMEOUT_SECONDS,
        "keepalive": 5,
        "accesslog": None,  # one structured line per request comes from the app (bot/slack/observe.py)
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "quote-bot",
        # gunicorn >= 25.1 opens an admin socket at one fixed path per user ($HOME/.gunicorn/gunicorn.ctl),
        # which two servers on one host fight over; the bot has no use for it. (Older gunicorns
        # do not know the setting, and load_config skips it.)
        "control_socket_disable": True,
    }


def _gunicorn_application_class():
    from gunicorn.app.base import BaseApplication

    class QuoteBotServer(BaseApplication):
        """gunicorn configured from code, so `bot serve` needs no gunicorn.conf.py or command line."""

        def __init__(self, factory: Callable[[], Flask], options: dict[str, object], secrets: tuple[str, ...] = ()):
            self.factory = factory
            self.options = options
            self.secrets = secrets
            self.flask_app: Flask | None = None
            super().__init__()

        def load_config(self) -> None:
            for key, value in self.options.items():
                if key in self.cfg.settings and value is not None:
                    self.cfg.set(key, value)
            self.cfg.set("when_ready", lambda server: install_redaction(self.secrets))
            self.cfg.set("worker_exit", lambda server, worker: drain(self.flask_app))

        def load(self):
            # Called in the worker after the fork: the library (and its threads) belong to it.
            install_redaction(self.secrets)  # gunicorn's own log handlers exist by now
            self.flask_app = self.factory()
            return self.flask_app

    return QuoteBotServer


def serve(settings: Settings, env: Mapping[str, str] | None = None) -> int:
    """`bot serve`: the production HTTP server. Returns only on a configuration error."""
    env = os.environ if env is None else env
    try:
        require(env, SERVE_NEEDS)
        options = gunicorn_options(env)
        check_config(settings)
    except (BadEnvironment, ConfigError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CONFIG
    configure_logging(env)
    server_class = _gunicorn_application_class()
    server_class(lambda: build_wsgi_app(settings, env)[0], options, secrets_in(env)).run()
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
        check_config(settings)
    except (MissingEnvironment, ConfigError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CONFIG
    configure_logging(env)
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


def configure_logging(env: Mapping[str, str] | None = None) -> None:
    """Log lines to stderr at LOG_LEVEL, with tokens, the signing secret and response_urls redacted."""
    env = os.environ if env is None else env
    level = (env.get("LOG_LEVEL") or "INFO").upper()
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    install_redaction(secrets_in(env))


def secrets_in(env: Mapping[str, str]) -> tuple[str, ...]:
    return tuple((env.get(name) or "").strip() for name in SECRET_VARIABLES if (env.get(name) or "").strip())


def settings_from(env: Mapping[str, str]) -> Settings:
    """BOT_CONFIG, BOT_SEEDS and BOT_CACHE_DIR (off: no saved library), as `bot serve` reads them in bot/cli.py."""
    config = env.get("BOT_CONFIG")
    seeds = env.get("BOT_SEEDS")
    cache = env.get("BOT_CACHE_DIR", str(DEFAULT_CACHE_DIR))
    return Settings.load(
        Path(config) if config else None,
        Path(seeds) if seeds else None,
        None if cache.lower() in ("", "off", "none", "0") else Path(cache),
    )


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
