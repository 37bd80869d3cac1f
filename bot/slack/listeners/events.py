"""@-mentions (answered in the thread) and the App Home tab.

Slash commands cannot be used in threads, so `@bot who said …` is the way to ask inside one; the
answer goes to the same thread. Slack retries an event it thinks was not received (up to three
more times, `X-Slack-Retry-Num`), so each `event_id` is answered once (SeenEvents); messages from
bots, this one included, are ignored so two bots can never talk to each other forever. Posts go
through the request's WebClient, which carries the retry policy (bot/slack/delivery.py).
"""

from __future__ import annotations

import logging
from concurrent.futures import Executor

from slack_bolt import App
from slack_sdk.errors import SlackApiError

from bot.config import Settings
from bot.slack.answering import USAGE, mention_outcome
from bot.slack.blocks import LOADING, SORRY, Message, notice, slow_down
from bot.slack.dedupe import SeenEvents
from bot.slack.delivery import DELIVERY_ERRORS, VIA_EPHEMERAL, VIA_POST, DeliveryFailed
from bot.slack.home import home_view
from bot.slack.listeners.common import RETRY_NUM, hand_off
from bot.slack.observe import RequestLog
from bot.slack.ratelimit import RateLimiter
from bot.slack.readiness import LibrarySlot, LibraryUnavailable


def from_a_bot(event: dict) -> bool:
    return bool(event.get("bot_id")) or event.get("subtype") == "bot_message" or bool(event.get("bot_profile"))


def make_mention_answerer(slot: LibrarySlot, settings: Settings, seen: SeenEvents, limiter: RateLimiter):
    def answer_mention(body: dict, context: dict, client, logger) -> None:
        event = body.get("event") or {}
        channel = event.get("channel")
        user = event.get("user")
        thread_ts = event.get("thread_ts") or event.get("ts")
        with RequestLog(context, "mention", command="app_mention", user=user, team=body.get("team_id"), channel=channel) as log:
            if from_a_bot(event):
                log.done("ignored_bot")
                return
            if not seen.first_time(body.get("event_id")):
                log.done("duplicate", retry=context.get(RETRY_NUM))
                return

            def post(message: Message) -> str:
                return _delivered(VIA_POST, lambda: client.chat_postMessage(
                    channel=channel, thread_ts=thread_ts, text=message.text,
                    blocks=[b.to_dict() for b in message.blocks], unfurl_links=False, unfurl_media=False,
                ))

            def whisper(message: Message) -> str:
                return _delivered(VIA_EPHEMERAL, lambda: client.chat_postEphemeral(
                    channel=channel, user=user, thread_ts=thread_ts, text=message.text,
                    blocks=[b.to_dict() for b in message.blocks],
                ))

            try:
                if not limiter.allow(user):
                    log.done("rate_limited", via=whisper(slow_down(settings.rate_limit_per_minute)))
                    return
                try:
                    outcome = mention_outcome(event.get("text"), slot, settings)
                except LibraryUnavailable:
                    log.done("loading", level=logging.WARNING, via=_try(whisper, notice(LOADING), logger))
                    return
                except Exception as error:
                    logger.exception("answering a mention failed (request %s)", log.request_id)
                    log.done("failed", level=logging.ERROR, error=type(error).__name__, via=_try(whisper, notice(SORRY), logger))
                    return
                # A line the bot cannot read is between it and the person who typed it.
                send = whisper if outcome.label == USAGE else post
                log.done(outcome.label, results=outcome.results, via=send(outcome.message))
            except DeliveryFailed as error:
                log.undelivered(error)
                _try(whisper, notice(SORRY), logger)  # e.g. not_in_channel for posts; the user hears why

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


def make_home_publisher(slot: LibrarySlot):
    def publish_home(body: dict, context: dict, client, logger) -> None:
        event = body.get("event") or {}
        if event.get("tab", "home") != "home" or not event.get("user"):
            return
        with RequestLog(context, "home", command="app_home_opened", user=event.get("user"), team=body.get("team_id")) as log:
            try:
                view = home_view(slot.get())
                log.done("published", via=_delivered("views.publish", lambda: client.views_publish(user_id=event["user"], view=view.to_dict())))
            except DeliveryFailed as error:
                log.undelivered(error)
            except LibraryUnavailable:
                log.done("loading", level=logging.WARNING)

    return publish_home


def _try(send, message: Message, logger) -> str | None:
    try:
        return send(message)
    except Exception as error:  # the request's log line already says what failed
        logger.warning("could not tell the user about an error either: %s", error)
        return None


def register(app: App, slot: LibrarySlot, settings: Settings, seen: SeenEvents, limiter: RateLimiter, executor: Executor) -> None:
    app.event("app_mention")(hand_off(executor, make_mention_answerer(slot, settings, seen, limiter)))
    app.event("app_home_opened")(hand_off(executor, make_home_publisher(slot)))
