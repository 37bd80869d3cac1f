"""Bad input that only Slack can deliver, through the real HTTP app with signed requests.

Each row is something a user can really send (or a stale message can): a slash command this bot
does not know, a button of an older version, a mention with nothing after it, a lone surrogate
that only JSON can carry, a thread in a direct message, a command word typed on a Chinese
keyboard. Each must get one clear message where the user is, and nothing at ERROR in the log:
these are the user's mistakes, not the bot's. (The texts every front end shares are in
tests/commands/test_parse_bad_input.py; docs/RELIABILITY.md, "Bad input, session 8", has the table.)
"""

from __future__ import annotations

import json
import logging

import pytest

from bot.slack import blocks as render
from bot.slack.limits import validate_message
from tests.slack.helpers import (
    BOT_USER,
    FORM,
    JSON,
    all_text,
    block_action,
    event_callback,
    mention,
    path_of,
    post,
    signed_headers,
    slash_command,
)
from tests.slack.test_slack_http import unique


def errors_logged(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


def command_reply(bot, command: str, text: str) -> dict:
    """POST a signed slash command (each from a new user: no rate limit in the way); the message at its response_url."""
    response_url = bot.fake.response_url()
    body = slash_command(command, text, response_url, user_id=unique("U"), channel_id=unique("C"))
    assert post(bot.events_url, body, signed_headers(body, FORM)).status == 200
    [record] = bot.fake.wait_for(lambda r: r.path == path_of(response_url))
    validate_message(record.data)
    return record.data


def mention_reply(bot, text: str | None, *, channel: str | None = None, **extra) -> tuple[str, dict]:
    """An app_mention whose text is sent JSON-escaped (`\\ud800` travels only that way); (API method, message)."""
    channel = channel or unique("C")
    body = event_callback(mention("PLACEHOLDER", channel=channel, user=unique("U"), **extra))
    body = body.replace(b'"PLACEHOLDER"', json.dumps(text, ensure_ascii=True).encode())
    assert post(bot.events_url, body, signed_headers(body, JSON)).status == 200
    [record] = bot.fake.wait_for(lambda r: r.data.get("channel") == channel)
    validate_message(record.data)
    return record.api_method, record.data


@pytest.mark.parametrize(
    ("command", "text", "shown"),
    [
        ("/foo", "护城河", "unknown command /foo"),  # a command this bot does not know, routed to it
        ("/help", "", "/who-said QUOTATION"),  # a /help a workspace added: the help, not a 404
        ("/who-said", "智", "one character is not a quotation"),
        ("/who-said", "“智”", "one character is not a quotation"),
        ("/compare", "open", "compare needs two topics"),
        ("/compare", "open open", "two different topics"),
        ("/compare", "open, closed, hybrid", "not 3"),
    ],
)
def test_a_bad_slash_command_gets_one_clear_message(running_bot, caplog, command, text, shown):
    message = command_reply(running_bot, command, text)
    assert message["response_type"] == "ephemeral"
    assert shown in all_text(message)
    assert not errors_logged(caplog)


def test_a_speaker_name_alone_is_told_to_use_quote(running_bot, bundled_library, caplog):
    name = next(s.name for s in bundled_library.corpus.speakers if len(s.name) > 2)
    message = command_reply(running_bot, "/who-said", name)
    assert f"/quote {name}" in all_text(message) and "name, not a quotation" in all_text(message)
    assert not errors_logged(caplog)


@pytest.mark.parametrize(
    ("text", "method", "shown"),
    [
        (f"<@{BOT_USER}>", "chat.postEphemeral", "needs something to look for"),  # a mention with nothing after it
        (None, "chat.postEphemeral", "needs something to look for"),
        (f"<@{BOT_USER}> /foo bar", "chat.postEphemeral", "unknown command /foo"),
        (f"<@{BOT_USER}> \u200b\u200d", "chat.postMessage", "nothing to search for"),
        (f"<@{BOT_USER}> 护城河\ud800", "chat.postMessage", "护城河"),  # a lone surrogate, as JSON carries it
        (f"<@{BOT_USER}> ／ｑｕｏｔｅ　护城河", "chat.postMessage", "/quote 护城河"),  # typed on a full-width keyboard
        (f"<@{BOT_USER}> ｗｈｏ ｓａｉｄ 开源其实是一种智商税", "chat.postMessage", "/who-said 开源其实是一种智商税"),
        (f"<@{BOT_USER}> /quote\u3000护城河", "chat.postMessage", "/quote 护城河"),
    ],
)
def test_a_bad_mention_gets_one_clear_message(running_bot, caplog, text, method, shown):
    api_method, message = mention_reply(running_bot, text)
    assert api_method == method
    assert shown in all_text(message)
    assert not errors_logged(caplog)


def test_a_thread_reply_in_a_direct_message_is_answered_in_that_thread(running_bot, caplog):
    channel = unique("D")
    api_method, message = mention_reply(running_bot, f"<@{BOT_USER}> quote 护城河", channel=channel,
                                        thread_ts="1700000000.000300", channel_type="im")
    assert api_method == "chat.postMessage" and message["thread_ts"] == "1700000000.000300"
    assert not errors_logged(caplog)


@pytest.mark.parametrize(
    ("action_id", "value"),
    [
        ("quote_bot_v1_next", json.dumps({"c": "quote", "q": "护城河", "o": 1, "n": 1})),  # a button the bot no longer has
        (render.NEXT, json.dumps({"c": "quote", "q": "护城河", "o": 0, "n": 10_000})),  # tampered: more than a page
        (render.POST, json.dumps({"c": "shout", "q": "护城河"})),
        (render.MORE, json.dumps(["quote", "护城河", 0, 1])),
    ],
)
def test_a_stale_or_tampered_button_says_it_no_longer_works(running_bot, caplog, action_id, value):
    response_url = running_bot.fake.response_url()
    body = block_action(action_id, value, response_url, user_id=unique("U"))
    assert post(running_bot.events_url, body, signed_headers(body, FORM)).status == 200
    [record] = running_bot.fake.wait_for(lambda r: r.path == path_of(response_url))
    validate_message(record.data)
    assert record.data["response_type"] == "ephemeral" and "no longer works" in all_text(record.data)
    assert not errors_logged(caplog)
