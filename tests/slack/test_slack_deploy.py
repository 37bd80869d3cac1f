"""Deployment files and start-up configuration: manifest, Procfile, environment checks."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import yaml

from bot.config import ServeSettings, cores
from bot.slack.server import build_socket_handler, gunicorn_options, serve, server_class, socket
from tests.conftest import REPO

EVENTS_URL = "https://YOUR-APP.example.com/slack/events"


def test_the_manifest_declares_commands_events_interactivity_home_and_scopes():
    manifest = yaml.safe_load((REPO / "manifest.yaml").read_text(encoding="utf-8"))
    features, settings = manifest["features"], manifest["settings"]
    commands = {c["command"]: c for c in features["slash_commands"]}
    assert set(commands) == {"/quote", "/who-said", "/compare"}
    assert all(c["url"] == EVENTS_URL and c["description"] for c in commands.values())
    assert all(len(c["description"]) <= 100 for c in commands.values())
    assert "app_mention" in settings["event_subscriptions"]["bot_events"]
    assert "app_home_opened" in settings["event_subscriptions"]["bot_events"]
    assert settings["event_subscriptions"]["request_url"] == EVENTS_URL
    assert settings["interactivity"] == {"is_enabled": True, "request_url": EVENTS_URL}
    assert features["app_home"]["home_tab_enabled"] is True
    assert set(manifest["oauth_config"]["scopes"]["bot"]) >= {"commands", "chat:write", "app_mentions:read"}
    assert len(manifest["display_information"]["description"]) <= 140
    assert 175 <= len(manifest["display_information"]["long_description"]) <= 4000


def test_the_procfile_runs_bot_serve():
    text = (REPO / "Procfile").read_text(encoding="utf-8")
    assert yaml.safe_load(text) == {"web": "bot serve"}


def test_the_guide_exists_and_covers_both_ways_to_run():
    guide = (REPO / "docs" / "SLACK.md").read_text(encoding="utf-8")
    for needle in ("Deploy on a PaaS", "Develop with Socket Mode", "manifest.yaml", "bot serve", "bot socket",
                   "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "/healthz", "gunicorn"):
        assert needle in guide


def test_serve_stops_with_one_line_naming_a_missing_variable(capsys, bundled_settings):
    assert serve(bundled_settings, {"SLACK_BOT_TOKEN": "xoxb-1"}) != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "SLACK_SIGNING_SECRET" in err and "SLACK_BOT_TOKEN" not in err


def test_serve_names_every_missing_variable_on_the_one_line(capsys, bundled_settings):
    assert serve(bundled_settings, {"SLACK_BOT_TOKEN": "  "}) != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "SLACK_BOT_TOKEN" in err and "SLACK_SIGNING_SECRET" in err


def test_a_port_that_is_not_a_number_stops_the_server(capsys, bundled_settings):
    env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "PORT": "eighty"}
    assert serve(bundled_settings, env) != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "PORT" in err


def test_socket_mode_needs_the_app_token(capsys, bundled_settings):
    assert socket(bundled_settings, {"SLACK_BOT_TOKEN": "xoxb-1"}) != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "SLACK_APP_TOKEN" in err


def test_the_socket_mode_handler_is_built_without_connecting(bundled_settings, bundled_library):
    handler = build_socket_handler(bundled_settings, {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1",
                                                     "SLACK_API_URL": "http://127.0.0.1:9/api"}, bundled_library)
    assert handler.app_token == "xapp-1"
    assert handler.client.web_client.base_url == "http://127.0.0.1:9/api/"


SECRETS = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}


def gunicorn_config(env: dict[str, str]):
    """The configuration gunicorn itself ends up with for `bot serve` under `env` (nothing is bound)."""
    options = gunicorn_options(ServeSettings.from_env(SECRETS | env))
    return server_class()(lambda: None, options).cfg


def test_gunicorn_runs_uvicorn_workers_on_port_one_per_core_by_default(monkeypatch):
    monkeypatch.delenv("GUNICORN_CMD_ARGS", raising=False)
    config = gunicorn_config({"PORT": "4567"})
    assert config.bind == ["0.0.0.0:4567"]
    assert config.workers == cores() and config.worker_class_str == "bot.slack.worker.QuoteBotWorker"
    assert gunicorn_config({}).bind == ["0.0.0.0:3000"]


def test_web_concurrency_sets_the_workers_and_gunicorn_cmd_args_has_the_last_word(monkeypatch):
    monkeypatch.delenv("GUNICORN_CMD_ARGS", raising=False)
    assert gunicorn_config({"WEB_CONCURRENCY": "3"}).workers == 3
    monkeypatch.setenv("GUNICORN_CMD_ARGS", "--workers 5 --graceful-timeout 9 --keep-alive 2")
    config = gunicorn_config({"WEB_CONCURRENCY": "3"})
    assert (config.workers, config.graceful_timeout, config.keepalive) == (5, 9, 2)


@pytest.mark.parametrize("value", ["two", "0", "-1"])
def test_a_web_concurrency_that_is_not_a_count_stops_the_server(capsys, bundled_settings, value):
    assert serve(bundled_settings, SECRETS | {"WEB_CONCURRENCY": value}) != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "WEB_CONCURRENCY" in err


def clean_env(**extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    return env | extra


def test_a_missing_variable_stops_the_real_process_with_one_line():
    result = subprocess.run([sys.executable, "-m", "bot.slack.server", "serve"], capture_output=True, text=True,
                            cwd=REPO, env=clean_env(), timeout=60)
    assert result.returncode != 0
    assert result.stderr.count("\n") == 1, result.stderr
    assert "SLACK_BOT_TOKEN" in result.stderr and "SLACK_SIGNING_SECRET" in result.stderr


def test_bot_serve_without_configuration_exits_with_one_line():
    result = subprocess.run([sys.executable, "-m", "bot", "serve"], capture_output=True, text=True, cwd=REPO,
                            env=clean_env(), timeout=60)
    assert result.returncode != 0 and result.stderr.count("\n") == 1, result.stderr
    assert "SLACK_" in result.stderr


def test_bot_socket_without_configuration_exits_with_one_line():
    result = subprocess.run([sys.executable, "-m", "bot", "socket"], capture_output=True, text=True, cwd=REPO,
                            env=clean_env(), timeout=60)
    assert result.returncode != 0 and result.stderr.count("\n") == 1, result.stderr
    assert "SLACK_APP_TOKEN" in result.stderr


def test_bot_ask_needs_no_slack_configuration(tmp_path, monkeypatch, capsys):
    from bot.cli import main

    for name in [k for k in os.environ if k.startswith("SLACK_")]:
        monkeypatch.delenv(name)
    (tmp_path / "one.txt").write_text("张三说：“开源模型的护城河在社区。”\n", encoding="utf-8")
    monkeypatch.setenv("BOT_SEEDS", str(tmp_path))
    assert main(["ask", "/quote 护城河"]) == 0
    assert "护城河" in capsys.readouterr().out
