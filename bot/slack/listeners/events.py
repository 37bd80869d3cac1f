"""@-mentions (answered in the thread) and the App Home tab.

Slash commands cannot be used in threads, so `@bot who said …` is the way to ask inside one; the
answer goes to the same thread. Slack retries an event it thinks was not received (up to three
more times, `X-Slack-Retry-Num`), so each `event_id` is answered once (SeenEvents); messages from
bots, this one included, are ignored so two bots can never talk to each other forever. Posts go
through the request's WebClient, which carries the retry policy (bot/slack/delivery.py).
"""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_sdk.errors import SlackApiError

from bot.slack.answering import USAGE, home_outcome, mention_outcome
from bot.slack.blocks import SORRY, Message
from bot.slack.delivery import DELIVERY_ERRORS, VIA_EPHEMERAL, VIA_POST, DeliveryFailed, block_dicts
from bot.slack.listeners.common import RETRY_NUM, hand_off
from bot.slack.listeners.services import Services
from bot.slack.observe import RequestLog
from bot.slack.readiness import LibraryUnavailable
from bot.slack.replying import answer, apologise, within


def from_a_bot(event: dict) -> bool:
    return bool(event.get("bot_id")) or event.get("subtype") == "bot_message" or bool(event.get("bot_profile"))


def make_mention_answerer(services: Services):
    settings = services.settings

    def answer_mention(body: dict, context: dict, client, logger) -> None:
        event = body.get("event") or {}
        channel = event.get("channel")
        user = event.get("user")
        thread_ts = event.get("thread_ts") or event.get("ts")
        with RequestLog(context, "mention", command="app_mention", user=user, team=body.get("team_id"), channel=channel) as log:
            if from_a_bot(event):
                log.done("ignored_bot")
                return
            if not services.events.first_time(body.get("event_id")):
                log.done("duplicate", retry=context.get(RETRY_NUM))
                return

            def post(message: Message) -> str:
                return _delivered(VIA_POST, lambda: client.chat_postMessage(
                    channel=channel, thread_ts=thread_ts, text=message.text,
                    blocks=block_dicts(message), unfurl_links=False, unfurl_media=False,
                ))

            def whisper(message: Message) -> str:
                return _delivered(VIA_EPHEMERAL, lambda: client.chat_postEphemeral(
                    channel=channel, user=user, thread_ts=thread_ts, text=message.text,
                    blocks=block_dicts(message),
                ))

            answer(
                log,
                search=lambda: services.searcher.submit(mention_outcome, event.get("text"), settings=settings),
                # A line the bot cannot read is between it and the person who typed it.
                deliver=lambda outcome: (whisper if outcome.label == USAGE else post)(outcome.message),
                tell=whisper,
                settings=settings,
                deadline=services.deadline,
                logger=logger,
                limiter=services.limiter,
                user=user,
                on_undelivered=lambda: apologise(whisper, SORRY, logger),  # e.g. not_in_channel for posts
            )

    return answer_mention


def _delivered(via: str, call) -> str:
    """Run a Web API call (retried by the client's handlers); DeliveryFailed if it still fails."""
    try:
        call()
    except SlackApiError as error:
        code = error.response.get("error") if error.response is not None else None
        raise DeliveryFailed(via, f"Slack said {code or error.response.status_code}") from error
    except DELIVERY_ERRORS as error:
        raise DeliveryFailed(via, f"{type(error).__name__}: {error}") from error
    return via


def make_home_publisher(services: Services):
    def publish_home(body: dict, context: dict, client, logger) -> None:
        event = body.get("event") or {}
        if event.get("tab", "home") != "home" or not event.get("user"):
            return
        with RequestLog(context, "home", command="app_home_opened", user=event.get("user"), team=body.get("team_id")) as log:
            try:
                view = within(services.searcher.submit(home_outcome), services.deadline, lambda _: None, log, logger)
                log.done("published", via=_delivered("views.publish", lambda: client.views_publish(user_id=event["user"], view=view)))
            except DeliveryFailed as error:
                log.undelivered(error)
            except LibraryUnavailable:
                log.done("loading", level=logging.WARNING)

    return publish_home


def register(app: App, services: Services) -> None:
    app.event("app_mention")(hand_off(services.queue, make_mention_answerer(services)))
    app.event("app_home_opened")(hand_off(services.queue, make_home_publisher(services)))
