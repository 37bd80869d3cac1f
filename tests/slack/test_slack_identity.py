"""`authorize` (bot/slack/identity.py): the bot's own ids from one auth.test, never asked on a request's thread."""

from __future__ import annotations

import threading
import time

from bot.slack.identity import BotIdentity
from tests.slack.helpers import BOT_TOKEN


def test_authorize_never_calls_slack_on_the_requests_thread():
    """While the bot's ids are unknown, `authorize` asks auth.test on a thread of its own and
    answers at once without them (it runs on the event loop); once known, they are used."""
    identity = BotIdentity(BOT_TOKEN, "http://127.0.0.1:9/api/")
    asked_on: list[str] = []
    release = threading.Event()

    def auth_test():
        asked_on.append(threading.current_thread().name)
        release.wait(5)
        return {"user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1"}

    identity.client.auth_test = auth_test
    first = identity(None, "T1", "U1")
    assert first.bot_token == BOT_TOKEN and first.bot_user_id is None
    deadline = time.monotonic() + 5
    while not asked_on and time.monotonic() < deadline:
        time.sleep(0.01)
    assert asked_on and asked_on[0] != threading.current_thread().name
    assert identity(None, "T1", "U2").bot_user_id is None  # still asking: no second call, no wait
    release.set()
    while identity.ids is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert identity(None, "T1", "U3").bot_user_id == "UBOT" and len(asked_on) == 1

