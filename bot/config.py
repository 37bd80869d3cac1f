"""Reading the configuration: the YAML in config/ (one loader, so every file fails the same clear way)
and the environment (one reader, `settings_from_env` and `ServeSettings`, shared by bot/cli/ and
the servers)."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import platformdirs
import yaml

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG_DIR = PACKAGE_ROOT / "config"
DEFAULT_SEEDS_DIR = PACKAGE_ROOT / "seeds"


class ConfigError(Exception):
    """A config file that cannot be used; its message names the file and, for YAML, the line."""

    def __init__(self, path: Path | str, message: str, line: int | None = None):
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


def load_yaml(path: Path, *, required: bool = False) -> dict:
    """A mapping from a YAML file; an empty mapping when an optional file is absent."""
    if not path.exists():
        if required:
            raise ConfigError(path, "file not found")
        return {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, f"cannot be read ({exc.__class__.__name__})") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(path, f"invalid YAML: {problem}", line) from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(path, f"expected a mapping at the top level, found {type(data).__name__}")
    return data


Parsed = TypeVar("Parsed")


def config_file(config_dir: Path | None, name: str) -> Path:
    """``name`` in ``config_dir``, else the bundled one: a config folder a user made for one file
    still reads every other file as shipped."""
    path = Path(config_dir or DEFAULT_CONFIG_DIR) / name
    return path if path.exists() else DEFAULT_CONFIG_DIR / name


def read_parsed(path: Path, parse: Callable[[dict, Path], Parsed]) -> Parsed:
    """``parse(yaml, path)`` of a required config file, worked out once per version of the file
    (its modification time and size are part of the key), so an edited word list is read again
    and an unchanged one is not parsed once per command."""
    stat = path.stat()
    return _parsed_once(path, stat.st_mtime_ns, stat.st_size, parse)


@functools.lru_cache(maxsize=16)
def _parsed_once(path: Path, _mtime: int, _size: int, parse: Callable[[dict, Path], Parsed]) -> Parsed:
    return parse(load_yaml(path, required=True), path)


PATH_FIELDS = ("config_dir", "seeds_dir", "cache_dir")
DEFAULT_CACHE_DIR = Path(platformdirs.user_cache_dir("quote-bot"))  # saved libraries: the user's cache, never the project
DISPLAY_SCRIPTS = ("original", "query", "simplified", "traditional")


@dataclass(frozen=True)
class Settings:
    """Tunables from config/settings.yaml; defaults make the bot usable with no file at all."""

    config_dir: Path = DEFAULT_CONFIG_DIR
    seeds_dir: Path = DEFAULT_SEEDS_DIR
    cache_dir: Path | None = None  # where the built library is saved between runs; None: never
    display_script: str = "query"
    results_per_page: int = 3
    max_query_chars: int = 300
    who_said_threshold: float = 0.55
    compare_per_side: int = 5
    candidate_pool: int = 100
    rate_limit_per_minute: int = 20

    @classmethod
    def load(
        cls, config_dir: Path | None = None, seeds_dir: Path | None = None, cache_dir: Path | None = None
    ) -> Settings:
        config_dir = Path(config_dir) if config_dir else DEFAULT_CONFIG_DIR
        path = config_dir / "settings.yaml"
        data = load_yaml(path)
        known = {f for f in cls.__dataclass_fields__ if f not in PATH_FIELDS}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(path, f"unknown setting(s): {', '.join(unknown)}")
        values = dict(data)
        if values.get("display_script", "query") not in DISPLAY_SCRIPTS:
            raise ConfigError(path, f"display_script must be one of {', '.join(DISPLAY_SCRIPTS)}")
        for name, value in values.items():
            default = cls.__dataclass_fields__[name].default
            if isinstance(default, (int, float)) and not isinstance(value, (int, float)):
                raise ConfigError(path, f"{name} must be a number, got {value!r}")
        seeds_dir = Path(seeds_dir) if seeds_dir else DEFAULT_SEEDS_DIR
        return cls(config_dir=config_dir, seeds_dir=seeds_dir, cache_dir=cache_dir, **values)


# ---------------------------------------------------------------- the environment: the one reader

CACHE_OFF = ("", "off", "none", "0")


def settings_from_env(env: Mapping[str, str] | None = None) -> Settings:
    """BOT_CONFIG, BOT_SEEDS and BOT_CACHE_DIR (off: no saved library), for every command and server."""
    env = os.environ if env is None else env
    config = env.get("BOT_CONFIG")
    seeds = env.get("BOT_SEEDS")
    cache = env.get("BOT_CACHE_DIR", str(DEFAULT_CACHE_DIR))
    return Settings.load(
        Path(config) if config else None,
        Path(seeds) if seeds else None,
        None if cache.lower() in CACHE_OFF else Path(cache),
    )


class BadEnvironment(Exception):
    """The environment cannot run a server; the message says why in one line."""


class MissingEnvironment(BadEnvironment):
    """Required environment variables are unset or empty; the message names them."""

    def __init__(self, names: list[str]):
        self.names = names
        which = ", ".join(names)
        noun = "variable" if len(names) == 1 else "variables"
        super().__init__(f"missing environment {noun} {which} (see docs/SLACK.md)")


SERVE_NEEDS = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
SOCKET_NEEDS = ("SLACK_APP_TOKEN", "SLACK_BOT_TOKEN")
SECRET_VARIABLES = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN")
DEFAULT_API_URL = "https://slack.com/api/"
DEFAULT_PORT = 3000
DEFAULT_HOST = "0.0.0.0"


def cores() -> int:
    """The cores this process may run on (a container's CPU set, not the host's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _whole_number(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise BadEnvironment(f"{name} must be a whole number from {low} to {high}, not {raw!r}")
    return value


@dataclass(frozen=True)
class ServeSettings:
    """What `bot serve` and `bot socket` read from the environment (docs/SLACK.md lists each variable).

    `workers` is WEB_CONCURRENCY (the variable every PaaS sets), else one per core; each worker
    searches in `search_processes` processes of its own (SEARCH_PROCESSES, else the cores left per
    worker, at least one). GUNICORN_CMD_ARGS, if set, is applied by gunicorn over all of this.
    """

    bot_token: str = ""
    signing_secret: str = ""
    app_token: str = ""
    api_url: str = DEFAULT_API_URL
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    workers: int = 1
    search_processes: int = 1
    redis_url: str | None = None
    log_level: str = "INFO"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, needs: tuple[str, ...] = SERVE_NEEDS) -> ServeSettings:
        env = os.environ if env is None else env
        missing = [name for name in needs if not (env.get(name) or "").strip()]
        if missing:
            raise MissingEnvironment(missing)
        workers = _whole_number(env, "WEB_CONCURRENCY", cores(), 1, 256)
        return cls(
            bot_token=(env.get("SLACK_BOT_TOKEN") or "").strip(),
            signing_secret=(env.get("SLACK_SIGNING_SECRET") or "").strip(),
            app_token=(env.get("SLACK_APP_TOKEN") or "").strip(),
            api_url=normalise_api_url(env.get("SLACK_API_URL")),
            host=(env.get("HOST") or "").strip() or DEFAULT_HOST,
            port=_port(env),
            workers=workers,
            search_processes=_whole_number(env, "SEARCH_PROCESSES", max(1, cores() // workers), 1, 64),
            redis_url=(env.get("REDIS_URL") or "").strip() or None,
            log_level=(env.get("LOG_LEVEL") or "INFO").strip().upper() or "INFO",
        )

    @property
    def secrets(self) -> tuple[str, ...]:
        return tuple(s for s in (self.bot_token, self.signing_secret, self.app_token) if s)


def _port(env: Mapping[str, str]) -> int:
    raw = (env.get("PORT") or "").strip() or str(DEFAULT_PORT)
    try:
        port = int(raw)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise BadEnvironment(f"PORT must be a port number (0-65535), not {raw!r}")
    return port


def normalise_api_url(url: str | None) -> str:
    """The Web API base URL with exactly one trailing slash (WebClient joins method names onto it)."""
    url = (url or "").strip() or DEFAULT_API_URL
    return url.rstrip("/") + "/"
