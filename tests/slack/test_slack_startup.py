"""Start-up faults: invalid YAML in config/ stops `bot serve` with one line naming file and line, before
it binds the port; a missing secret stops it with one line naming the variable.

(Damaged and missing seeds, which must NOT stop it, are in test_slack_gunicorn.py: the shared
`bot serve` process runs with such seeds.)
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import DEFAULT_CONFIG_DIR
from bot.slack import server
from tests.conftest import REPO
from tests.slack.helpers import BOT_TOKEN, SIGNING_SECRET, free_port

BROKEN = {
    # file: (content, the line the YAML error is on)
    "settings.yaml": ("display_script: query\nresults_per_page: [3\nrate_limit_per_minute: 20\n", 3),
    "corpus.yaml": ("documents:\n  one:\n    title: \"unterminated\n    outlet: x\n", 5),
    "speakers.yaml": ("speakers:\n  - name: 张三\n    aliases: [a, b\n  - name: 李四\n", 4),
    "glossary.yaml": ("terms:\n  open source: 开源\n  moat: : 护城河\n", 3),
    "stance.yaml": ("topics:\n  open: [open]\n\tclosed: [closed]\n", 3),
    "attribution.yaml": ("speech_verbs: [说, 表示\nroles: [教授]\n", 2),
    "who_said.yaml": ("negations:\n  - 不\n  - : 没\n", 3),
    "commands.yaml": ("who_said: [who said]\ncompare_separators: [vs, 和\nhelp: [help]\n", 3),
}


def config_with(tmp_path: Path, name: str, content: str) -> Path:
    config = tmp_path / "config"
    config.mkdir()
    for path in DEFAULT_CONFIG_DIR.glob("*.yaml"):
        (config / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (config / name).write_text(content, encoding="utf-8")
    return config


def serve_env(config: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BOT_"))}
    return env | {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET, "BOT_CONFIG": str(config),
                  "PORT": str(port), "HOST": "127.0.0.1", "BOT_CACHE_DIR": "off"}


def listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_invalid_yaml_in_any_config_file_stops_serve_with_one_line_before_binding(name, tmp_path, monkeypatch, capsys):
    from bot.cli import main

    content, line = BROKEN[name]
    config = config_with(tmp_path, name, content)
    started = []
    monkeypatch.setattr(server, "server_class", lambda: started.append(True))  # would bind the port
    for key, value in serve_env(config, free_port()).items():
        monkeypatch.setenv(key, value)
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert err.startswith("error: ") and f"{config / name}:{line}:" in err, err
    assert not started


def test_a_real_bot_serve_with_a_broken_corpus_yaml_exits_before_listening(tmp_path):
    """corpus.yaml is only a warning for `bot corpus`; for `bot serve` it is fatal, and nothing binds."""
    content, line = BROKEN["corpus.yaml"]
    config = config_with(tmp_path, "corpus.yaml", content)
    port = free_port()
    result = subprocess.run([sys.executable, "-m", "bot", "serve"], cwd=REPO, env=serve_env(config, port),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and f"corpus.yaml:{line}:" in result.stderr, result.stderr
    assert "Listening at" not in result.stdout + result.stderr
    assert not listening(port)


def test_a_config_that_is_valid_yaml_but_wrong_is_caught_too(tmp_path, monkeypatch, capsys):
    config = config_with(tmp_path, "speakers.yaml", "speakers:\n  - aliases: [nobody]\n")
    monkeypatch.setattr(server, "server_class", lambda: pytest.fail("gunicorn started"))
    from bot.config import Settings

    assert server.serve(Settings.load(config), serve_env(config, free_port())) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "speakers.yaml" in err and "needs a 'name'" in err


def test_a_missing_secret_is_named_in_one_line_and_its_partner_is_not_printed(capsys, bundled_settings):
    assert server.serve(bundled_settings, {"SLACK_SIGNING_SECRET": SIGNING_SECRET}) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "SLACK_BOT_TOKEN" in err
    assert SIGNING_SECRET not in err


def test_a_web_page_seed_the_config_describes_is_not_reported_missing(tmp_path):
    """Every article format the loader reads counts as a seed (a saved .html page too)."""
    from bot.config import Settings
    from bot.slack.startup import warn_about_seeds

    config = config_with(tmp_path, "corpus.yaml", "documents:\n  notes: {title: Notes}\n  page: {title: Page}\n")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "notes.txt").write_text("标题\n\n正文一段。\n", encoding="utf-8")
    (seeds / "page.html").write_text("<html><body><article><p>正文一段。</p></article></body></html>", encoding="utf-8")
    assert warn_about_seeds([], Settings.load(config, seeds)) == []
    (seeds / "page.html").unlink()
    [warning] = warn_about_seeds([], Settings.load(config, seeds))
    assert "1 document(s) with no seed" in warning and "page" in warning
