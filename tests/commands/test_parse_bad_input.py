"""Bad input every front end shares (`bot ask`, Slack commands and mentions): a clear message, never an exception.

The table is docs/RELIABILITY.md's "Bad input, session 8"; the property sends arbitrary Unicode,
after every command word, through `parse_line` and `answer` on the bundled library.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.cli.render_text import render
from bot.commands.dispatch import answer, ask, parse_line
from bot.commands.results import UsageError

# Small by default (a local run stays quick); CI (as .ci/run sets it) asks four times as many: each one
# searches the bundled library (~0.1 s of CPU), and tests/test_properties.py already runs 10,000 per command.
EXAMPLES = int(os.environ.get("QUOTE_BOT_PROPERTY_EXAMPLES") or (100 if os.environ.get("CI") else 25))
LEADS = ("", "/quote ", "/who-said ", "/compare ", "/help ", "／ｑｕｏｔｅ ", "who said ", "谁说的 ", "引用 ", "对比 ",
         "compare ", "help", "<@U0BOT> ", "/", "/nope ")


@pytest.mark.parametrize(
    ("line", "command", "query"),
    [
        ("／ｑｕｏｔｅ　护城河", "quote", "护城河"),  # a full-width slash, name and space
        ("/quote\u3000护城河", "quote", "护城河"),  # the ideographic space after the name
        ("/quote\t护城河", "quote", "护城河"),
        ("/ＨＥＬＰ", "help", ""),
        ("ＨＥＬＰ", "help", ""),
        ("ｗｈｏ ｓａｉｄ：智商税", "who-said", "智商税"),
        ("ｑｕｏｔｅ ＭｏａＴ", "quote", "ＭｏａＴ"),  # the query is kept as typed; search folds it
        ("/who-said 开源", "who-said", "开源"),  # two characters may be a quotation
    ],
)
def test_command_words_typed_on_a_full_width_keyboard_are_read(line, command, query):
    request = parse_line(line)
    assert (request.command, request.query) == (command, query)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("/", "unknown command /:"),
        ("/" + "x" * 5000, "unknown command /" + "x" * 30 + "…:"),  # the name echoed, cut short
        ("/who-said 智", "one character is not a quotation"),
        ("/who-said “智”", "one character is not a quotation"),
        ("谁说的 a", "one character is not a quotation"),
        ("/frobnicate", "type /quote, /who-said or /compare"),
    ],
)
def test_bad_lines_get_one_line_that_says_what_to_type(line, message):
    with pytest.raises(UsageError) as error:
        parse_line(line)
    assert message in str(error.value) and "\n" not in str(error.value)


def test_a_speaker_name_alone_asks_for_a_quotation(bundled_library, bundled_settings):
    speaker = next(s for s in bundled_library.corpus.speakers if len(s.name) > 2)
    for typed in (speaker.name, f"“{speaker.name}”", speaker.name.upper()):
        reply = ask(f"/who-said {typed}", bundled_library, bundled_settings)
        assert not reply.found and not reply.results
        assert any("name, not a quotation" in note and "/quote" in note for note in reply.notes)
    # a quotation that holds the name is still a quotation
    assert "name, not a quotation" not in " ".join(ask(f"/who-said {speaker.name} said it", bundled_library, bundled_settings).notes)


@settings(max_examples=EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(lead=st.sampled_from(LEADS), text=st.text(st.characters(exclude_categories=()), max_size=60))  # lone surrogates too
def test_any_unicode_after_any_command_word_gets_a_message_never_an_exception(bundled_library, bundled_settings, lead, text):
    try:
        request = parse_line(lead + text)
    except UsageError as error:
        assert str(error).strip() and "type" in str(error) and "\n" not in str(error)
        return
    reply = answer(request, bundled_library, bundled_settings, limit=2)
    shown = render(reply)
    assert shown.strip()  # something to read: results, a note, or the help
    assert reply.results or any(side.results for side in reply.sides) or reply.notes or reply.help_text
    shown.encode("utf-8")  # printable as it is (lone surrogates were cleaned on the way)
