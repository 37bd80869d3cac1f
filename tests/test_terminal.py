"""`bot ask` in a real pseudo-terminal of 80 columns, and piped: width, word breaks, styles.

Widths are measured with wcwidth (not the renderer's own rich/uniseg), so the check does not
share the code it checks.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import struct
import subprocess
import sys
import termios

import pytest
from wcwidth import wcswidth

from bot.commands.dispatch import ask
from bot.commands.results import Hit
from bot.config import Settings
from bot.corpus.models import Passage, Source
from bot.search.library import Library
from bot.cli.render_text import Terminal, render, wrap_points
from tests.conftest import REPO

ESCAPE = re.compile(r"\x1b\[[0-9;]*m")
LATIN_WORD = re.compile(r"[A-Za-z0-9]+")
# An invented article: long unspaced runs where Latin names and numbers sit flush against Chinese.
MIXED_ARTICLE = """开放权重与闭源之争

林志远说：“我们的Nebulaform团队在Heliotropeware平台上训练了第3.5代模型，开放权重以后Quintessenza社区在两周内就做出了Transmogrification插件，这是闭源公司Obsidianlabs做不到的。”

周晓岚认为，闭源模型的护城河来自数据和服务，她说Kubernetes-native的部署只是工具，真正的壁垒是Supercalifragilistic级别的用户信任和长期投入，开放权重并不能替代这些积累。

Theodora Vantongeren: Open weights let small teams build on frontier work without asking anyone for permission, and that is why the ecosystem moved faster than anyone expected in 2024.
"""
QUERIES = ("/quote 开放权重 open weights", "compare 开源 闭源", "who said 开放权重以后")


@pytest.fixture(scope="module")
def mixed_seeds(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mixed")
    (folder / "mixed.md").write_text(MIXED_ARTICLE, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def mixed_library(mixed_seeds):
    settings = Settings.load(None, mixed_seeds, None)
    return Library.load(settings), settings


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    """One saved library for every process this module starts: built once, then loaded."""
    return tmp_path_factory.mktemp("cache")


def clean_env(cache, **extra: str) -> dict[str, str]:
    drop = {"NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "TERM", "BOT_SEEDS"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    return env | {"TERM": "xterm-256color", "BOT_CACHE_DIR": str(cache)} | extra


def in_pty(args: list[str], env: dict[str, str], columns: int = 80) -> str:
    """Run `python -m bot ARGS` with a pseudo-terminal of `columns` columns as its stdout."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    process = subprocess.Popen([sys.executable, "-m", "bot", *args], stdin=slave, stdout=slave,
                               stderr=subprocess.PIPE, cwd=REPO, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert process.wait(timeout=120) == 0, process.stderr.read().decode()
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def source_words(query: str, library, settings, limit: int = 5) -> set[str]:
    """Every Latin word of what the reply shows, from its JSON (answered in this process)."""
    return set(LATIN_WORD.findall(json.dumps(ask(query, library, settings, limit=limit).as_json(), ensure_ascii=False)))


def assert_laid_out(output: str, words: set[str], columns: int = 80) -> None:
    lines = ESCAPE.sub("", output).split("\n")
    assert len(lines) > 3
    for line in lines:
        assert wcswidth(line) <= columns, f"{wcswidth(line)} columns: {line!r}"
    for above, below in zip(lines, lines[1:]):
        tail = re.search(r"[A-Za-z0-9]+$", above)
        head = re.match(r"\s*([A-Za-z0-9]+)", below)
        if tail and head:
            joined = tail.group() + head.group(1)
            assert joined not in words, f"a word split across lines: {above!r} / {below!r}"


@pytest.mark.parametrize("query", QUERIES)
def test_an_80_column_terminal_gets_lines_that_fit_and_whole_words(query, mixed_seeds, mixed_library, cache_dir):
    output = in_pty(["ask", query, "--limit", "5"], clean_env(cache_dir, BOT_SEEDS=str(mixed_seeds)))
    assert_laid_out(output, source_words(query, *mixed_library))


@pytest.mark.parametrize("query", ("/quote 护城河 open source", "/compare open closed"))
def test_the_bundled_library_fits_an_80_column_terminal(query, bundled_library, bundled_settings, cache_dir):
    output = in_pty(["ask", query, "--limit", "4"], clean_env(cache_dir))
    assert_laid_out(output, source_words(query, bundled_library, bundled_settings, 4))


def test_a_terminal_shows_matches_bold_and_metadata_dim(mixed_seeds, cache_dir):
    output = in_pty(["ask", "/quote 开放权重"], clean_env(cache_dir, BOT_SEEDS=str(mixed_seeds)))
    bold = re.findall(r"\x1b\[1m([^\x1b]*)\x1b\[0m", output)
    assert "开放权重" in bold
    assert "\x1b[2m" in output  # the attribution line is dim


def test_piped_output_and_no_color_have_no_escape_codes(mixed_seeds, mixed_library, cache_dir):
    env = clean_env(cache_dir, BOT_SEEDS=str(mixed_seeds))
    piped = subprocess.run([sys.executable, "-m", "bot", "ask", "/quote 开放权重"], capture_output=True, text=True,
                           cwd=REPO, env=env, timeout=120)
    assert piped.returncode == 0 and "开放权重" in piped.stdout
    assert "\x1b" not in piped.stdout
    no_color = in_pty(["ask", "/quote 开放权重"], env | {"NO_COLOR": "1"})
    assert "\x1b" not in no_color and "开放权重" in no_color
    assert_laid_out(no_color, source_words("/quote 开放权重", *mixed_library))


def test_a_narrow_terminal_is_honoured(mixed_seeds, mixed_library, cache_dir):
    output = in_pty(["ask", "/quote 开放权重"], clean_env(cache_dir, BOT_SEEDS=str(mixed_seeds)), columns=40)
    assert_laid_out(output, source_words("/quote 开放权重", *mixed_library), columns=40)


@pytest.mark.parametrize("width", [20, 33, 80])
def test_wrap_points_never_split_a_latin_word_and_respect_wide_characters(width):
    line = "训练了第3.5代模型，开放权重以后Quintessenza社区在两周内就做出了Transmogrification插件，是DeepSeek给的印象。"
    points = wrap_points(line, width)
    assert "".join(line[s:e] for s, e in points) == line.replace(" ", "")
    for start, end in points:
        assert wcswidth(line[start:end]) <= width
    for (_, end), (start, _) in zip(points, points[1:]):
        assert not (line[end - 1].isascii() and line[end - 1].isalnum() and line[start].isascii() and line[start].isalnum())
        assert line[start] not in "，。”"  # a closing mark never starts a line


def test_quotation_marks_are_not_doubled_and_labels_stay_outside():
    text = "“开放权重让小团队也能用上好模型。”"
    passage = Passage(id="d:0", doc_id="d", number=0, text=text, raw_span=(0, len(text)))
    hit = Hit(passage=passage, score=1.0, display_text=text, speaker="林志远", source=Source(title="开放之争"))
    from bot.commands.results import Reply

    output = render(Reply("quote", "开放权重", results=(hit,), total=1), Terminal(80, False))
    assert "““" not in output and "””" not in output
    assert output.startswith("1. “开放权重")
    assert output.count("d:0") == 1 and "开放之争" in output


def test_a_document_without_metadata_shows_its_id_once():
    text = "开放权重让小团队也能用上好模型。"
    passage = Passage(id="notes:3", doc_id="notes", number=3, text=text, raw_span=(0, len(text)))
    hit = Hit(passage=passage, score=1.0, display_text=text, speaker=None)
    from bot.commands.results import Reply

    output = render(Reply("quote", "开放权重", results=(hit,), total=1), Terminal(80, False))
    assert output.count("notes") == 1
    json.dumps(output)


def test_the_help_is_laid_out_for_80_columns_as_written():
    from bot.commands.help import HELP_TEXT, help_reply

    assert all(wcswidth(line) <= 78 for line in HELP_TEXT.splitlines())
    output = render(help_reply(), Terminal(80, False))
    assert output == HELP_TEXT  # nothing re-wrapped: the columns stay aligned
