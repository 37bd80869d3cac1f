"""Where an answer goes, and how it gets there: the three destinations a handed-over answer can have.

An `AnswerJob` (bot/slack/handover.py) carries its destination as a plan, in a form another process
can take, and `route_for` turns it into what the answering skeleton (bot/slack/replying.py) needs:
how to deliver the outcome, how to tell the asker something short (a usage hint, "taking longer
than usual", an apology), and what else to do if the answer never got through.

* A response_url (`ReplyPlan`, bot/slack/delivery.py): slash commands, Next / More and Post to
  channel. The `Responder` retries, and falls back to the Web API once the URL is spent. "Post to
  channel" posts the answer publicly, then removes the preview.
* A thread (`ThreadPlan`): an @-mention's answer, posted with chat.postMessage in the thread it was
  asked in. What only the asker should see (a line the bot cannot read, a notice, an apology)
  goes to them alone with chat.postEphemeral in that thread. An answer that cannot be posted
  (not_in_channel, say) gets an apology that way.
* The App Home tab (`HomePlan`): views.publish for the user who opened it. There is nobody to tell
  anything to: a failure is only logged.

The WebClient is the request's own in the web process (`bot socket`, in-process tests), or one built
per answer from the token in a search process (bot/slack/courier.py): Web API calls carry the retry
policy's handlers either way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError

from bot.slack.answering import USAGE, Outcome
from bot.slack.blocks import SORRY, Message
from bot.slack.delivery import DELIVERY_ERRORS, VIA_EPHEMERAL, VIA_POST, DeliveryFailed, Responder, RetryPolicy, block_dicts
from bot.slack.replying import Tell, apologise, ephemeral

VIA_VIEWS_PUBLISH = "views.publish"
SHARE_OPTIONS = {"response_type": "in_channel", "replace_original": False}  # a new, public message


@dataclass(frozen=True)
class ThreadPlan:
    """Where an @-mention's answer goes: the thread (`thread_ts`) in `channel`; `user` asked."""

    channel: str | None
    user: str | None
    thread_ts: str | None


@dataclass(frozen=True)
class HomePlan:
    """Whose App Home tab to publish."""

    user: str


@dataclass(frozen=True)
class Route:
    """What the answering skeleton needs to know about one destination."""

    deliver: Callable[[Outcome], str]  # sends the outcome; says how (`via`), or raises DeliveryFailed
    tell: Tell  # a short notice to the asker alone
    after_undelivered: Callable[[], object] | None = None  # when the outcome could not be delivered


def route_for(plan, *, client, policy: RetryPolicy, share: bool = False, logger: logging.Logger | None = None,
              request_id: str | None = None) -> Route:
    """The Route of `plan` (a ReplyPlan, ThreadPlan or HomePlan); `share`: a ReplyPlan's answer is
    posted to the channel and the preview removed ("Post to channel")."""
    logger = logger or logging.getLogger("bot.slack")
    if isinstance(plan, ThreadPlan):
        return thread_route(plan, client, logger)
    if isinstance(plan, HomePlan):
        return Route(lambda outcome: web_api(VIA_VIEWS_PUBLISH, lambda: client.views_publish(user_id=plan.user, view=outcome.view)),
                     lambda _message: None)
    respond = Responder.from_plan(plan, policy=policy, client=client)
    if share:
        return Route(lambda outcome: shared(respond, outcome, logger, request_id), ephemeral(respond))
    options = dict(plan.options)
    return Route(lambda outcome: respond(outcome.message, **options), ephemeral(respond))


def thread_route(plan: ThreadPlan, client, logger: logging.Logger) -> Route:
    def post(message: Message) -> str:
        return web_api(VIA_POST, lambda: client.chat_postMessage(
            channel=plan.channel, thread_ts=plan.thread_ts, text=message.text,
            blocks=block_dicts(message), unfurl_links=False, unfurl_media=False,
        ))

    def whisper(message: Message) -> str:
        return web_api(VIA_EPHEMERAL, lambda: client.chat_postEphemeral(
            channel=plan.channel, user=plan.user, thread_ts=plan.thread_ts, text=message.text,
            blocks=block_dicts(message),
        ))

    # A line the bot cannot read is between it and the person who typed it.
    return Route(lambda outcome: (whisper if outcome.label == USAGE else post)(outcome.message), whisper,
                 lambda: apologise(whisper, SORRY, logger))  # e.g. not_in_channel for posts


def shared(respond: Responder, outcome: Outcome, logger: logging.Logger, request_id: str | None = None) -> str:
    """Post to channel: the answer as a new public message, then the preview removed."""
    via = respond(outcome.message, **SHARE_OPTIONS)
    try:
        respond(delete_original=True)
    except DeliveryFailed as error:  # shared already: forgetting the click now could share it twice
        logger.warning("the preview stays after sharing (request %s): %s", request_id, error)
    return via


def web_api(via: str, call) -> str:
    """Run a Web API call (retried by the client's handlers); DeliveryFailed if it still fails."""
    try:
        call()
    except SlackApiError as error:
        code = error.response.get("error") if error.response is not None else None
        raise DeliveryFailed(via, f"Slack said {code or error.response.status_code}") from error
    except DELIVERY_ERRORS as error:
        raise DeliveryFailed(via, f"{type(error).__name__}: {error}") from error
    return via
