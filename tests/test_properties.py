"""Hostile input, every command: nothing raises, Slack accepts every reply, nothing pings or links, same answer twice.

Each example is one line of hostile text (tests/properties/strategies.py) sent to EVERY command,
the way Slack delivers it, through the same functions the listeners call (bot/slack/answering.py:
`command_outcome` for /quote, /who-said, /compare and /help, `mention_outcome` for the mention
parser), so 10,000 examples are 10,000 per command. Each reply is checked by
tests/properties/checks.py (project `validate`, slack_sdk's models, no `<!`/`<@`/`<#`/`<http`
from user or corpus text in any text object, UTF-8 safe) and computed twice to prove it is
deterministic. The library is the small hostile corpus of tests/properties/corpus.py, built once.

How many examples: `CI` set (as .ci/run does) -> the `quote-bot-ci` profile, 10,000 per command;
otherwise `quote-bot-dev`, 200, so a local run stays fast. `QUOTE_BOT_PROPERTY_EXAMPLES=N` overrides
both. The `long` marker (deselected by default; `pytest -m long`) runs the bundled library at the
same count. `QUOTE_BOT_PROPERTY_STATS=FILE` makes the run write how many examples each command
saw and how long it took (bench/reliability_report.py reads it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import zlib
from collections import Counter

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from bot.commands.dispatch import answer, parse_line, request_for
from bot.commands.results import COMMANDS, UsageError
from bot.slack import blocks as render
from bot.slack.answering import command_outcome, mention_outcome, page_outcome, shared_outcome
from bot.slack.escape import USER_ID
from bot.slack.readiness import LibrarySlot
from bot.slack.state import Page
from tests.conftest import REPO
from tests.properties import corpus as hostile_corpus
from tests.properties.checks import check_message, library_urls
from tests.properties.strategies import hostile_text, mention_prefixes, mention_text, user_ids

SLASH_COMMANDS = ("/quote", "/who-said", "/compare", "/help")
MENTION = "mention"
CI_EXAMPLES = 10_000
DEV_EXAMPLES = 200
CORE_SHARE = 10  # the core-only property (raw text, no Slack edge) runs 1/10 as many
COMMON = dict(
    deadline=None,
    database=None,  # CI starts clean anyway; locally, a failure is reproduced from the printed blob
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
)
settings.register_profile("quote-bot-dev", max_examples=DEV_EXAMPLES, **COMMON)
settings.register_profile("quote-bot-ci", max_examples=CI_EXAMPLES, **COMMON)


def examples() -> int:
    override = os.environ.get("QUOTE_BOT_PROPERTY_EXAMPLES")
    if override:
        return int(override)
    return settings.get_profile("quote-bot-ci" if os.environ.get("CI") else "quote-bot-dev").max_examples


PROFILE = settings(settings.get_profile("quote-bot-dev"), max_examples=examples())
CORE_PROFILE = settings(PROFILE, max_examples=max(50, examples() // CORE_SHARE))


class Stats:
    """Examples and seconds per command, written to QUOTE_BOT_PROPERTY_STATS at the end of the session."""

    def __init__(self):
        self.counts: Counter[str] = Counter()
        self.seconds: Counter[str] = Counter()

    def timed(self, key: str, function, *args):
        started = time.perf_counter()
        try:
            return function(*args)
        finally:
            self.counts[key] += 1
            self.seconds[key] += time.perf_counter() - started


@pytest.fixture(scope="session")
def property_stats():
    stats = Stats()
    yield stats
    path = os.environ.get("QUOTE_BOT_PROPERTY_STATS")
    if path:
        data = {key: {"examples": stats.counts[key], "seconds": round(stats.seconds[key], 2)} for key in sorted(stats.counts)}
        with open(path, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=2)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The hostile corpus as a library (built once), its settings, and the URLs it may link."""
    from bot.search.library import Library

    settings_ = hostile_corpus.build(tmp_path_factory.mktemp("hostile"))
    library = Library.load(settings_)
    return LibrarySlot(library), settings_, library_urls(library)


def sharer_of(user_id: str | None) -> str | None:
    """The mention the renderer is allowed to write: only a real Slack user id."""
    return user_id if user_id and USER_ID.match(user_id) else None


def check_outcome(message: dict, urls, round_trip: bool = True) -> dict:
    check_message(message, urls=urls, round_trip=round_trip)
    for block in message["blocks"]:
        for element in block.get("elements", []) if block["type"] == "actions" else []:
            Page.decode(element["value"])  # every button carries a page the bot can read back
    return message


def run_every_command(text: str, mention: str, user_id: str | None, library, settings_, urls, stats: Stats | None,
                      round_trip: bool = True):
    """All commands on one hostile line; returns the messages, for the determinism check."""
    messages = []
    for name in SLASH_COMMANDS:
        outcome = stats.timed(name, command_outcome, name, text, library, settings_) if stats else command_outcome(name, text, library, settings_)
        messages.append(check_outcome(outcome.message.to_dict(), urls, round_trip))
        if outcome.answer is not None and name == "/quote":
            shared = render.shared(outcome.answer.reply, outcome.answer.page, user_id).to_dict()
            check_message(shared, urls=urls, sharer=sharer_of(user_id), round_trip=round_trip)
            messages.append(shared)
    outcome = stats.timed(MENTION, mention_outcome, mention, library, settings_) if stats else mention_outcome(mention, library, settings_)
    messages.append(check_outcome(outcome.message.to_dict(), urls, round_trip))
    return messages


def sample(key: tuple, every: int) -> bool:
    """A fixed 1-in-`every` share of inputs (by checksum, so a failing input is sampled again on replay)."""
    return zlib.crc32(repr(key).encode("utf-8", "surrogatepass")) % every == 0


class Replies:
    """What each input got before: an input seen again (hypothesis repeats short ones often, after
    other queries have run) must get the same messages; every RERUN_EVERY-th input is also
    recomputed at once. Together that is a determinism check on a few thousand inputs per command
    at a fraction of the cost of recomputing all of them (plus the cross-process check below)."""

    RERUN_EVERY = 10
    MAX_KEPT = 20_000
    MAX_KEY_CHARS = 2_000

    def __init__(self):
        self.kept: dict[tuple, list[dict]] = {}
        self.checked = 0

    def wants_rerun(self, key: tuple) -> bool:
        return sample(key, self.RERUN_EVERY)

    def compare(self, key: tuple, messages: list[dict]) -> None:
        if sum(len(k or "") for k in key) > self.MAX_KEY_CHARS:
            return
        before = self.kept.get(key)
        if before is not None:
            self.checked += 1
            assert before == messages, "the same input, asked again later, gave a different reply"
        elif len(self.kept) < self.MAX_KEPT:
            self.kept[key] = messages


@pytest.fixture(scope="module")
def replies(property_stats):
    kept = Replies()
    yield kept
    property_stats.counts["determinism (input asked again)"] += kept.checked


ROUND_TRIP_EVERY = 5  # slack_sdk's parse-back check on a fifth of the inputs; see tests/properties/checks.py


@pytest.mark.properties
@PROFILE
@given(text=hostile_text(), prefix=mention_prefixes(), user_id=user_ids())
def test_every_command_answers_hostile_text_validly_quietly_and_deterministically(hostile, property_stats, replies, text, prefix, user_id):
    """The same hostile line to every slash command, and after a mention prefix to the mention parser."""
    library, settings_, urls = hostile
    mention = prefix + text
    key = (text, prefix, user_id)
    round_trip = sample(key + ("round trip",), ROUND_TRIP_EVERY)
    property_stats.counts["slack_sdk round trip (inputs)"] += round_trip
    first = run_every_command(text, mention, user_id, library, settings_, urls, property_stats, round_trip)
    if replies.wants_rerun(key):
        again = run_every_command(text, mention, user_id, library, settings_, urls, None, round_trip=False)
        assert first == again, "the same input gave a different reply"
        property_stats.counts["determinism (recomputed)"] += 1
    replies.compare(key, first)


@pytest.mark.properties
@CORE_PROFILE
@given(text=hostile_text(), mention=mention_text())
def test_the_core_takes_raw_text_and_raises_only_usage_errors(hostile, property_stats, text, mention):
    """`bot ask` and any front end: raw text straight into the core, no Slack edge in between."""
    library, settings_, _ = hostile
    for name in SLASH_COMMANDS:
        try:
            request = request_for(name, text)
        except UsageError as error:
            assert str(error).strip()
            check_message(render.usage(str(error), "help").to_dict())  # renders as a valid usage message
            continue
        reply = answer(request, library.get(), settings_, limit=3)
        assert reply.command in COMMANDS
        json.dumps(reply.as_json(), ensure_ascii=False).encode("utf-8", "surrogatepass")
        property_stats.counts["core " + name] += 1
    try:
        parse_line(mention)
    except UsageError as error:
        check_message(render.usage(str(error), "help").to_dict())
    property_stats.counts["core parse_line"] += 1


@pytest.mark.properties
@settings(PROFILE, max_examples=max(50, examples() // 20))
@given(text=hostile_text(), user_id=user_ids(), clicks=st.lists(st.sampled_from(("next", "more", "post")), min_size=1, max_size=3))
def test_the_preview_buttons_lead_to_valid_messages(hostile, property_stats, text, user_id, clicks):
    """Next, More results and Post to channel, clicked in any order from a hostile preview."""
    library, settings_, urls = hostile
    outcome = command_outcome("/quote", text, library, settings_)
    for click in clicks:
        values = {e["action_id"]: e["value"] for b in outcome.message.to_dict()["blocks"] if b["type"] == "actions" for e in b["elements"]}
        action = {"next": render.NEXT, "more": render.MORE, "post": render.POST}[click]
        if action not in values:
            return
        page = Page.decode(values[action])
        if action == render.POST:
            shared = shared_outcome(page, library, settings_, user_id)
            check_message(shared.message.to_dict(), urls=urls, sharer=sharer_of(user_id))
            return
        outcome = page_outcome(page, library, settings_)
        check_outcome(outcome.message.to_dict(), urls)
        property_stats.counts["button " + click] += 1


@pytest.mark.long
@settings(PROFILE, max_examples=int(os.environ.get("QUOTE_BOT_PROPERTY_EXAMPLES") or CI_EXAMPLES))
@given(text=hostile_text(), prefix=mention_prefixes(), user_id=user_ids())
def test_every_command_on_the_bundled_library(bundled_library, bundled_settings, property_stats, text, prefix, user_id):
    """The same properties on the real library (slower per search): the long run."""
    mention = prefix + text
    urls = library_urls(bundled_library)
    slot = LibrarySlot(bundled_library)
    stats = Stats()
    first = run_every_command(text, mention, user_id, slot, bundled_settings, urls, stats)
    for key, count in stats.counts.items():
        property_stats.counts["bundled " + key] += count
        property_stats.seconds["bundled " + key] += stats.seconds[key]
    assert first == run_every_command(text, mention, user_id, slot, bundled_settings, urls, None, round_trip=False)


@pytest.mark.properties
def test_answers_are_the_same_in_another_process(tmp_path):
    """Buttons recompute answers, maybe after a restart: two processes with different hash seeds agree."""
    runs = [
        subprocess.Popen([sys.executable, "-m", "tests.properties.determinism", str(tmp_path / f"lib{seed}")], cwd=REPO,
                         env=dict(os.environ, PYTHONHASHSEED=seed), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for seed in ("1", "2")
    ]
    outputs = []
    for run in runs:
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err[-2000:]
        outputs.append(out)
    assert outputs[0] and outputs[0] == outputs[1]
