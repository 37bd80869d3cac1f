"""/quote, /who-said and /compare: acknowledge at once, then answer with an ephemeral preview.

Never `say()`: chat.postMessage fails in DMs and in channels the bot has not joined, while the
command's response_url works everywhere the command can be typed (with a chat.postEphemeral
fallback once it is spent, see bot/slack/delivery.py). What the preview says is `command_outcome`
(bot/slack/answering.py), computed by the searcher; the rest is the skeleton in common.py.
"""

from __future__ import annotations

from slack_bolt import App

from bot.slack.answering import command_outcome
from bot.slack.listeners.common import answer, ephemeral, hand_off, responder_for
from bot.slack.listeners.services import Services
from bot.slack.observe import RequestLog
from bot.slack.ratelimit import RATE_VERDICT, Decided

COMMAND_NAMES = ("/quote", "/who-said", "/compare")
PREVIEW = {"response_type": "ephemeral"}  # how the preview is sent, by the searcher or here


def make_command_answerer(services: Services):
    settings = services.settings

    def answer_command(body: dict, context, client, logger) -> None:
        name = body.get("command", "")
        user = body.get("user_id")
        respond = responder_for(body, client, services.policy)
        with RequestLog(context, "command", command=name, user=user, team=body.get("team_id"),
                        channel=body.get("channel_id")) as log:
            answer(
                log,
                search=lambda: services.searcher.submit(command_outcome, name, body.get("text"), settings=settings,
                                                        deliver_to=respond.plan(**PREVIEW)),
                deliver=lambda outcome: respond(outcome.message, **PREVIEW),
                tell=ephemeral(respond),
                settings=settings,
                deadline=services.deadline,
                logger=logger,
                limiter=services.limiter if context.get(RATE_VERDICT) is None else Decided(context[RATE_VERDICT]),
                user=user,
            )

    return answer_command


def register(app: App, services: Services) -> None:
    """An empty 200 at once (Slack shows nothing until the preview), the answer on the queue."""
    listener = hand_off(services.queue, make_command_answerer(services))
    for name in COMMAND_NAMES:
        app.command(name)(listener)
