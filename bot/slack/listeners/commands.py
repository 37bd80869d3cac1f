"""/quote, /who-said and /compare: acknowledge at once, then answer with an ephemeral preview.

Never `say()`: chat.postMessage fails in DMs and in channels the bot has not joined, while the
command's response_url works everywhere the command can be typed (with a chat.postEphemeral
fallback once it is spent, see bot/slack/delivery.py). What the preview says is `command_outcome`
(bot/slack/answering.py).

The ack listener does everything for a command in the thread that dispatches the request: it
hands the whole answer over (bot/slack/handover.py: under `bot serve`, one write to a search
process, which searches, delivers and logs), and returns the empty 200. No thread of the web
process waits for the answer. Without REDIS_URL the screen has taken the replay guard and the rate
limit in this process's memory (bot/slack/http.py), and its verdict travels with the job; with it,
the job carries the request's signature and both are asked in one Redis round trip where the job is
answered, off the ack (bot/slack/handover.py).
"""

from __future__ import annotations

import re

from slack_bolt import App

from bot.slack.handover import COMMAND
from bot.slack.listeners.common import BUSY, job_for, pass_on
from bot.slack.listeners.services import Services
from bot.slack.observe import REQUEST_ID, log_rejected
from bot.slack.ratelimit import RATE_VERDICT, REPLAY_KEY
from bot.slack.replying import plan_for

COMMAND_NAMES = ("/quote", "/who-said", "/compare")
PREVIEW = {"response_type": "ephemeral"}  # how the preview is sent


def make_command_acknowledger(services: Services):
    def acknowledge(ack, body, context, client) -> None:
        user = body.get("user_id")
        allowed, replay_key = context.get(RATE_VERDICT), context.get(REPLAY_KEY)
        if allowed is None and replay_key is None and services.limiter is not None:  # no screen asked (bot socket)
            allowed = services.limiter.allow(user)
        job = job_for(COMMAND, (body.get("command", ""), body.get("text")), plan_for(body, **PREVIEW), context, "command",
                      allowed, replay_key, command=body.get("command", ""), user=user, team=body.get("team_id"),
                      channel=body.get("channel_id"))
        if pass_on(services, job, client):
            ack()
            return
        log_rejected(200, "answer queue full", request_id=context.get(REQUEST_ID))
        ack(text=BUSY, response_type="ephemeral")

    return acknowledge


def register(app: App, services: Services) -> None:
    """An empty 200 at once (Slack shows nothing until the preview); the answer handed over."""
    listener = make_command_acknowledger(services)
    for name in COMMAND_NAMES:
        app.command(name)(listener)
    # Any other command sent here (a /help a workspace added, a renamed one): the usage message
    # (bot/slack/answering.py reads the name), not a 404 that Slack shows as "dispatch_failed".
    app.command(re.compile(".*"))(listener)
