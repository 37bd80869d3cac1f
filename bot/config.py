"""Reading the YAML in config/: one loader, so every file fails the same clear way."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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
    candidate_pool: int = 200
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
