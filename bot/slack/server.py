"""Running the bot: `bot serve` (HTTP: gunicorn + uvicorn workers) and `bot socket` (Socket Mode).

`bot serve` is gunicorn, configured from code (no gunicorn.conf.py or command line), running
`WEB_CONCURRENCY` worker processes (default: one per core) of `QuoteBotWorker` (bot/slack/worker.py:
uvicorn's event loop, so stalled clients cost sockets, not threads). `GUNICORN_CMD_ARGS`, when set,
is applied over these options, as gunicorn's own command does. Each worker serves the ASGI app of
bot/slack/http.py and searches in its own few search processes (bot/slack/searching.py), with its
state shared through Redis when REDIS_URL is set (bot/slack/shared_state.py).

Start-up order: the environment (bot/config.py `ServeSettings`) and every YAML file in the config
folder are checked first (bot/slack/startup.py), all before gunicorn binds PORT; a problem stops
the server with one line. Then each worker starts its search processes, which open the library;
until they have, `GET /healthz` answers 503 and slash commands are still acknowledged at once.

Shutdown (every PaaS restarts its dynos daily, with SIGTERM and a grace period before SIGKILL;
Heroku's is 30 s): gunicorn stops accepting, uvicorn finishes the HTTP requests in flight and
closes its sockets (new connections are refused), and then, in the `worker_exit` hook, the worker
finishes the answers still being searched for and delivered, within `graceful_timeout` (25 s).
The process exits 0.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping

from bot.config import (
    SOCKET_NEEDS,
    BadEnvironment,
    ConfigError,
    ServeSettings,
    Settings,
    settings_from_env,
)
from bot.slack.delivery import RetryPolicy
from bot.slack.observe import install_redaction
from bot.slack.readiness import LibrarySlot
from bot.slack.startup import check_config, configure_logging, warn_about_seeds

# Bolt, uvicorn, the listeners and the search stack (jieba, pypinyin: seconds to import) are
# imported inside the functions that need them, so a missing variable is reported at once.

EXIT_CONFIG = 2
GRACEFUL_TIMEOUT_SECONDS = 25  # under the 30 s most PaaS platforms give between SIGTERM and SIGKILL
WORKER_CLASS = "bot.slack.worker.QuoteBotWorker"
HEARTBEAT_SECONDS = 30  # the event loop never blocks on a search; a worker silent this long is restarted


def default_loader(settings: Settings) -> Callable[[], object]:
    """The saved library when one matches (`bot index build`), else built now; seeds it could not use are warned about."""

    def load():
        from bot.search.cache import load_library  # imported here: jieba and friends load with it

        library = load_library(settings)
        warn_about_seeds(library.corpus.problems, settings)
        return library

    return load


def build_http_app(
    settings: Settings,
    env: Mapping[str, str],
    *,
    loader: Callable[[], object] | None = None,
    background: bool = True,
    policy: RetryPolicy | None = None,
    deadline=None,
    state=None,
):
    """The whole HTTP app for one worker process, and the slot its library is opening into.

    Without `loader`, searches run in a SearchPool of `SEARCH_PROCESSES` processes over the saved
    library, which also answer every request from start to end (production;
    bot/slack/courier.py); with one, in threads of this process over what `loader` returns (tests).
    """
    from bot.slack.app import build_app, services_for
    from bot.slack.courier import CourierSettings
    from bot.slack.http import SlackHttpApp
    from bot.slack.identity import BotIdentity
    from bot.slack.replying import Deadline
    from bot.slack.local_search import LocalSearcher
    from bot.slack.searching import SearchPool
    from bot.slack.shared_state import SharedState

    serve = ServeSettings.from_env(env)
    state = state or SharedState(serve.redis_url)
    if loader is None:
        courier = CourierSettings(serve.bot_token, serve.api_url, policy or RetryPolicy(),
                                  log_level=serve.log_level, secrets=serve.secrets, deadline=deadline or Deadline(),
                                  redis_url=state.redis_url if state.shared else None)
        searcher = SearchPool(settings, serve.search_processes, courier=courier)
        slot = searcher.slot
        start = lambda: searcher.open_in_background(on_open=lambda summary: warn_about_seeds(summary.problems, settings))  # noqa: E731
    else:
        slot = LibrarySlot()
        searcher = LocalSearcher(slot)
        start = lambda: slot.load_in_background(loader) if background else slot.load(loader)  # noqa: E731
    services = services_for(searcher, settings, state=state, policy=policy, deadline=deadline)
    identity = BotIdentity(serve.bot_token, serve.api_url)
    bolt_app = build_app(services, token=serve.bot_token, signing_secret=serve.signing_secret,
                         request_verification=False,  # bot/slack/screening.py has verified every request already
                         api_url=serve.api_url, identity=identity)
    http_app = SlackHttpApp(bolt_app, slot, settings, serve.signing_secret, state=state, limiter=services.limiter,
                            on_close=(services.queue.shutdown, searcher.close))
    start()
    if background:
        identity.warm_in_background()
    else:
        if loader is None:
            slot.get()
        identity.warm()
    return http_app, slot


# ---------------------------------------------------------------- gunicorn


def gunicorn_options(serve: ServeSettings) -> dict[str, object]:
    return {
        "bind": f"{serve.host}:{serve.port}",
        "workers": serve.workers,
        "worker_class": WORKER_CLASS,
        "timeout": HEARTBEAT_SECONDS,
        "graceful_timeout": GRACEFUL_TIMEOUT_SECONDS,
        "keepalive": 5,
        "accesslog": None,  # one structured line per request comes from the app (bot/slack/observe.py)
        "errorlog": "-",
        "loglevel": serve.log_level.lower(),
        "proc_name": "quote-bot",
        # gunicorn >= 25.1 opens an admin socket at one fixed path per user ($HOME/.gunicorn/gunicorn.ctl),
        # which two servers on one host fight over; the bot has no use for it. (Older gunicorns
        # do not know the setting, and load_config skips it.)
        "control_socket_disable": True,
    }


def server_class():
    from gunicorn.app.base import BaseApplication

    class QuoteBotServer(BaseApplication):
        """gunicorn configured from code, then from GUNICORN_CMD_ARGS, as gunicorn's own command would."""

        def __init__(self, factory: Callable[[], object], options: dict[str, object], secrets: tuple[str, ...] = ()):
            self.factory = factory
            self.options = options
            self.secrets = secrets
            self.http_app = None
            super().__init__()

        def load_config(self) -> None:
            for key, value in self.options.items():
                if key in self.cfg.settings and value is not None:
                    self.cfg.set(key, value)
            from_env = self.cfg.parser().parse_args(self.cfg.get_cmd_args_from_env())
            for key, value in vars(from_env).items():
                if value is not None and key != "args":
                    self.cfg.set(key.lower(), value)
            self.cfg.set("when_ready", lambda server: install_redaction(self.secrets))
            self.cfg.set("worker_exit", lambda server, worker: self.drain())

        def load(self):
            # Called in the worker after the fork: the search processes and threads belong to it.
            install_redaction(self.secrets)  # gunicorn's own log handlers exist by now
            self.http_app = self.factory()
            return self.http_app

        def drain(self) -> None:
            if self.http_app is None:
                return
            import logging

            log = logging.getLogger("bot.slack")
            log.info("shutting down: finishing the answers in flight")
            self.http_app.close()
            log.info("shutting down: every answer in flight was sent")

    return QuoteBotServer


def serve(settings: Settings, env: Mapping[str, str] | None = None) -> int:
    """`bot serve`: the production HTTP server. Returns only on a configuration error."""
    env = os.environ if env is None else env
    try:
        serve_settings = ServeSettings.from_env(env)
        options = gunicorn_options(serve_settings)
        check_config(settings)
    except (BadEnvironment, ConfigError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CONFIG
    configure_logging(serve_settings.log_level, serve_settings.secrets)
    server_class()(lambda: build_http_app(settings, env)[0], options, serve_settings.secrets).run()
    return 0


# ---------------------------------------------------------------- Socket Mode


def build_socket_handler(settings: Settings, env: Mapping[str, str], library):
    """The Socket Mode handler for `library` (a Library or LibrarySlot), not yet connected."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.slack.app import build_app, services_for
    from bot.slack.local_search import LocalSearcher

    serve = ServeSettings.from_env(env, needs=SOCKET_NEEDS)
    services = services_for(LocalSearcher(library), settings)
    bolt_app = build_app(services, token=serve.bot_token, api_url=serve.api_url,
                         request_verification=False)  # Socket Mode requests arrive over an authenticated WebSocket
    return SocketModeHandler(bolt_app, serve.app_token)


def socket(settings: Settings, env: Mapping[str, str] | None = None) -> int:
    """`bot socket`: develop without a public URL. Blocks until interrupted."""
    env = os.environ if env is None else env
    try:
        serve_settings = ServeSettings.from_env(env, needs=SOCKET_NEEDS)
        check_config(settings)
    except (BadEnvironment, ConfigError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CONFIG
    configure_logging(serve_settings.log_level, serve_settings.secrets)
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


def main(argv: list[str] | None = None) -> int:
    """`python -m bot.slack.server serve|socket`: the same as `bot serve` / `bot socket`."""
    parser = argparse.ArgumentParser(prog="python -m bot.slack.server")
    parser.add_argument("mode", choices=("serve", "socket"))
    args = parser.parse_args(argv)
    try:
        settings = settings_from_env(os.environ)
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CONFIG
    return serve(settings, os.environ) if args.mode == "serve" else socket(settings, os.environ)


if __name__ == "__main__":
    raise SystemExit(main())
