"""The calls in ../shared/CONTRACT.md, exactly as written, through `python -m bot` in a real process."""

import json
import os
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
    result = bot("ask", line, "--json")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "type" in lines[0]


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
    assert reply["results"][0]["source"]["title"] is None


@pytest.mark.skipif(not (SHARED / "eval" / "dev.yaml").exists(), reason="no ../shared/eval/dev.yaml")
def test_eval_prints_the_figures():
    result = bot("eval", str(SHARED / "eval" / "dev.yaml"))
    assert result.returncode == 0, result.stderr
    for label in ("recall@1", "recall@3", "MRR", "who-said top-1", "stance accuracy"):
        assert label in result.stdout
