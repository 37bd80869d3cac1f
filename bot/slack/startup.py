"""Start-up checks: everything that can stop `bot serve` or `bot socket` does so before a port is
bound, with one line naming the problem; and the warnings about seeds that could not be used.

The environment is read by `ServeSettings.from_env` (bot/config.py; a missing variable is named),
then every YAML file in the config folder is read as the bot will read it (an invalid one is named
with its line). `bot corpus` reports a broken corpus.yaml or speakers.yaml as a warning and
carries on, which is right for a tool that lists what loaded; a server must not start
half-configured and discover it on the first /compare.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from bot.config import ConfigError, Settings, load_yaml
from bot.corpus.files import ARTICLE_SUFFIXES
from bot.slack.observe import install_redaction

CONFIG_FILES = (
    "settings.yaml", "corpus.yaml", "speakers.yaml", "glossary.yaml", "stance.yaml", "attribution.yaml", "who_said.yaml",
    "commands.yaml",
)
LOG = logging.getLogger("bot.slack")


def check_config(settings: Settings) -> None:
    """Read every YAML file of the config folder as the bot will; ConfigError (file and line) if one is bad."""
    from bot.commands.faithfulness import load_meaning_edits
    from bot.commands.stance import load_stance_model
    from bot.commands.words import load_command_words
    from bot.corpus.attribution.lexicon import load_lexicon
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
    load_lexicon(config)
    load_meaning_edits(config)
    load_command_words(config)


def warn_about_seeds(problems: Iterable[str], settings: Settings) -> list[str]:
    """One warning per seed that could not be used (damaged, unreadable, empty, a broken link), and
    one naming the documents config/corpus.yaml describes whose seed file is missing. The rest of
    the library is served all the same."""
    warnings = [f"seed not loaded: {problem}" for problem in problems]
    seeds = Path(settings.seeds_dir)
    if seeds.is_dir():
        broken = sorted(p.name for p in seeds.iterdir() if p.suffix.lower() in ARTICLE_SUFFIXES and not p.exists())
        warnings += [f"seed not loaded: {seeds / name}: missing (a link to nothing)" for name in broken]
        present = {p.stem for p in seeds.iterdir() if p.suffix.lower() in ARTICLE_SUFFIXES}
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


def configure_logging(level: str, secrets: Iterable[str]) -> None:
    """Log lines to stderr at `level`, with tokens, the signing secret and response_urls redacted."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    install_redaction(secrets)
