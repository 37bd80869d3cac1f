"""The calls in ../shared/CONTRACT.md, exactly as written, through `python -m bot` in a real process."""

import json
import os
import re
import subprocess
import sys

import pytest

from tests.conftest import REPO, SHARED


def bot(*args: str, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k != "BOT_SEEDS"} | (env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin, capture_output=True, text=True, cwd=REPO, env=full_env, timeout=120,
    )


def test_ask_json_has_the_contract_fields():
    result = bot("ask", "/quote 护城河", "--json")
    assert result.returncode == 0, result.stderr
    reply = json.loads(result.stdout)
    assert reply["command"] == "quote" and reply["query"] == "护城河"
    assert 1 <= len(reply["results"]) <= 3
    first = reply["results"][0]
    assert {"passage_id", "doc_id", "text", "speaker", "speaker_aliases", "source", "score"} <= set(first)
    assert {"title", "outlet", "author", "date", "url"} <= set(first["source"])
    assert first["passage_id"].startswith(first["doc_id"] + ":")
    assert "护城河" in first["text"] or "護城河" in first["text"]
    assert reply["sides"] == []


def test_ask_limit_caps_and_a_large_limit_returns_everything():
    small = json.loads(bot("ask", "quote 开源", "--json", "--limit", "1").stdout)
    large = json.loads(bot("ask", "quote 开源", "--json", "--limit", "1000").stdout)
    assert len(small["results"]) == 1
    assert len(large["results"]) > 20


def test_compare_has_sides_with_labels():
    reply = json.loads(bot("ask", "/compare open closed", "--json", "--limit", "2").stdout)
    assert reply["command"] == "compare"
    labels = [side["label"] for side in reply["sides"]]
    assert labels[:2] == ["open", "closed"]
    assert all(len(side["results"]) <= 2 for side in reply["sides"])


@pytest.mark.parametrize("line", ["/frobnicate 护城河", "/quote", "who said   "])
def test_malformed_line_exits_2_with_one_line_saying_what_to_type(line):
    plain = bot("ask", line)
    assert plain.returncode == 2 and plain.stdout == ""
    lines = plain.stderr.strip().splitlines()
    assert len(lines) == 1 and "type" in lines[0]
    as_json = bot("ask", line, "--json")
    assert as_json.returncode == 2
    assert as_json.stderr.strip() == lines[0]  # the contract's one line on stderr, still
    error = json.loads(as_json.stdout)  # and, with --json, the same as a JSON object on stdout
    assert set(error) == {"error"} and error["error"] in lines[0]


@pytest.mark.parametrize("args", [("ask", "/quote 开源", "--json", "--limit", "0"), ("ask", "/quote 开源", "--limit", "-1", "--json"),
                                  ("ask", "/quote 开源", "--json", "--limit", "many"), ("ask", "--json"),
                                  ("eval", "/no/such/file.yaml", "--json")])
def test_with_json_every_error_is_a_json_object_on_stdout_and_exit_2(args):
    result = bot(*args)
    assert result.returncode == 2, result
    assert list(json.loads(result.stdout)) == ["error"]
    assert result.stderr.strip()


def test_limit_must_be_at_least_one():
    result = bot("ask", "/quote 开源", "--limit", "0")
    assert result.returncode == 2 and result.stdout == ""
    assert "--limit" in result.stderr and "1 or more" in result.stderr
    assert "more (use --limit)" in bot("ask", "/quote 开源", "--limit", "1").stdout


def test_help_names_the_environment_and_the_three_commands():
    text = bot("--help").stdout
    for needle in ("BOT_SEEDS", "BOT_CONFIG", "BOT_CACHE_DIR", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN",
                   "REDIS_URL", "WEB_CONCURRENCY", "/quote QUERY", "/who-said QUOTATION", "/compare A B", "vs"):
        assert needle in text, needle
    helps = {command: bot(command, "--help") for command in ("corpus", "ask", "eval", "index", "serve", "socket")}
    for command, result in helps.items():
        assert result.returncode == 0 and "BOT_SEEDS" in result.stdout, command
    assert "SLACK_SIGNING_SECRET" in helps["serve"].stdout and "REDIS_URL" in helps["serve"].stdout
    assert "SLACK_APP_TOKEN" in helps["socket"].stdout
    assert re.search(r"--json\s+\S", helps["eval"].stdout)  # --json has a help text
    assert "N >= 1" in helps["ask"].stdout


def test_a_bare_index_shows_its_usage():
    result = bot("index")
    assert result.returncode == 2
    assert "bot index build" in result.stderr and "bot index info" in result.stderr
    assert "required" not in result.stderr


@pytest.mark.parametrize("make", ["missing", "empty"])
def test_ask_warns_once_when_the_seeds_folder_is_missing_or_empty(make, tmp_path):
    folder = tmp_path / "articles"
    if make == "empty":
        folder.mkdir()
        (folder / "notes.bin").write_bytes(b"\x00\x01")
    for line in ("/quote 开源", "who said 开源才是未来"):
        result = bot("ask", line, env={"BOT_SEEDS": str(folder), "BOT_CACHE_DIR": "off"})
        assert result.returncode == 0
        warnings = [w for w in result.stderr.splitlines() if w.startswith("warning")]
        assert len(warnings) == 1 and str(folder) in warnings[0] and "BOT_SEEDS" in warnings[0]
        assert "below" not in result.stdout  # nothing is shown, so nothing is promised


def test_stdin_stream_answers_each_line_in_order_and_survives_bad_lines():
    result = bot("ask", "--json", "-", stdin="/quote 护城河\n/nonsense x\nwho said 智商税\nhelp\n")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r.get("command", "error" if "error" in r else None) for r in rows] == ["quote", "error", "who-said", "help"]


def test_nothing_matches_is_an_empty_list_and_exit_0():
    reply = json.loads(bot("ask", "/quote ☃☃☃", "--json").stdout)
    assert reply["results"] == []


def test_human_output_names_speaker_and_source():
    result = bot("ask", "who said 智商税")
    assert result.returncode == 0
    assert "李彥宏" in result.stdout or "李彦宏" in result.stdout


def test_bot_seeds_replaces_the_corpus(tmp_path):
    (tmp_path / "mine.txt").write_text("王五说，“共享代码让大家一起进步。”\n", encoding="utf-8")
    reply = json.loads(bot("ask", "/quote 共享代码", "--json", env={"BOT_SEEDS": str(tmp_path)}).stdout)
    assert reply["results"][0]["doc_id"] == "mine"
    assert reply["results"][0]["source"]["title"] != "mine"  # a title from the file, or none: never the raw id


@pytest.mark.skipif(not (SHARED / "eval" / "dev.yaml").exists(), reason="no ../shared/eval/dev.yaml")
def test_eval_prints_the_figures():
    result = bot("eval", str(SHARED / "eval" / "dev.yaml"))
    assert result.returncode == 0, result.stderr
    for label in ("recall@1", "recall@3", "MRR", "who-said top-1", "stance accuracy"):
        assert label in result.stdout
