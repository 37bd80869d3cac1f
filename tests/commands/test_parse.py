"""Slash lines and mention text in English and Chinese all reach the same four commands."""

import pytest

from bot.commands.parse import parse_line, request_for, split_topics
from bot.commands.query import prepare
from bot.commands.results import UsageError


@pytest.mark.parametrize(
    ("line", "command", "query"),
    [
        ("/quote 护城河", "quote", "护城河"),
        ("/who-said 开源其实是一种智商税", "who-said", "开源其实是一种智商税"),
        ("/compare open closed", "compare", "open closed"),
        ("/help", "help", ""),
        ("who said 智商税", "who-said", "智商税"),
        ("Who said: the moat", "who-said", "the moat"),
        ("谁说的 智商税", "who-said", "智商税"),
        ("誰說的：智商稅", "who-said", "智商稅"),
        ("开源是智商税是谁说的？", "who-said", "开源是智商税"),
        ("quote Kubernetes", "quote", "Kubernetes"),
        ("引用 护城河", "quote", "护城河"),
        ("compare Meta OpenAI", "compare", "Meta OpenAI"),
        ("对比 开源 闭源", "compare", "开源 闭源"),
        ("help", "help", ""),
        ("帮助", "help", ""),
        ("<@U012ABC> who said 智商税", "who-said", "智商税"),
        ("护城河", "quote", "护城河"),
    ],
)
def test_lines_map_to_commands(line, command, query):
    request = parse_line(line)
    assert (request.command, request.query) == (command, query)


@pytest.mark.parametrize("line", ["/frobnicate x", "/quote", "who said", "/compare 开源", "/compare 开源 开源", "引用   "])
def test_malformed_lines_say_what_to_type(line):
    with pytest.raises(UsageError) as error:
        parse_line(line)
    assert "type" in str(error.value)


def test_slack_command_names_are_accepted_with_or_without_slash():
    assert request_for("/who-said", " 智商税 ").query == "智商税"
    assert request_for("quote", "护城河").command == "quote"


@pytest.mark.parametrize(
    ("query", "topics"),
    [
        ("open closed", ("open", "closed")),
        ("开源 闭源", ("开源", "闭源")),
        ("Meta vs OpenAI", ("Meta", "OpenAI")),
        ("open source vs closed source", ("open source", "closed source")),
        ("open source closed source", ("open source", "closed source")),
        ("开源和闭源", ("开源", "闭源")),
        ("DeepSeek, 百度", ("DeepSeek", "百度")),
    ],
)
def test_two_topics(query, topics):
    assert split_topics(query) == topics


def test_prepare_removes_invisible_characters_and_caps_length():
    prepared = prepare("开\u200b源\x00 \u202e模型" + "长" * 400, max_chars=300)
    assert prepared.text.startswith("开源 模型")
    assert len(prepared.text) <= 300
    assert prepared.notes and "300" in prepared.notes[0]


@pytest.mark.parametrize("text", ["", "   ", "?!。，", "😀🎉", "\x00\x01", "\u200d\u200b"])
def test_queries_without_letters_are_not_searchable(text):
    assert not prepare(text, 300).searchable
