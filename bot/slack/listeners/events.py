"""@-mentions (answered in the thread) and the App Home tab.

Slash commands cannot be used in threads, so `@bot who said …` is the way to ask inside one; the
answer goes to the same thread. Slack retries an event it thinks was not received, so each
`event_id` is answered once (SeenEvents); messages from bots, this one included, are ignored so
two bots can never talk to each other forever.
"""

from __future__ import annotations

from slack_bolt import App

from bot.commands.dispatch import parse_line
from bot.commands.help import HELP_TEXT
from bot.commands.results import HELP, UsageError
from bot.config import Settings
from bot.slack.answering import answer_page, first_page
from bot.slack.blocks import LOADING, SORRY, Message, help_message, notice, slow_down, thread_reply, usage
from bot.slack.dedupe import SeenEvents
from bot.slack.home import home_view
from bot.slack.ratelimit import RateLimiter
from bot.slack.readiness import LibrarySlot, LibraryUnavailable


def acknowledge(ack) -> None:
    ack()


def from_a_bot(event: dict) -> bool:
    return bool(event.get("bot_id")) or event.get("subtype") == "bot_message" or bool(event.get("bot_profile"))


def make_mention_answerer(slot: LibrarySlot, settings: Settings, seen: SeenEvents, limiter: RateLimiter):
    def answer_mention(body: dict, event: dict, client, logger) -> None:
        if from_a_bot(event) or not seen.first_time(body.get("event_id")):
            return
        channel = event.get("channel")
        user = event.get("user")
        thread_ts = event.get("thread_ts") or event.get("ts")

        def post(message: Message) -> None:
            client.chat_postMessage(
                channel=channel, thread_ts=thread_ts, text=message.text,
                blocks=[b.to_dict() for b in message.blocks], unfurl_links=False, unfurl_media=False,
            )

        def whisper(message: Message) -> None:
            client.chat_postEphemeral(
                channel=channel, user=user, thread_ts=thread_ts, text=message.text,
                blocks=[b.to_dict() for b in message.blocks],
            )

        try:
            if not limiter.allow(user):
                whisper(slow_down(settings.rate_limit_per_minute))
                return
            try:
                request = parse_line(event.get("text") or "")
            except UsageError as error:
                whisper(usage(str(error), HELP_TEXT))
                return
            if request.command == HELP:
                post(help_message(HELP_TEXT))
                return
            page = first_page(request, settings, size=max(1, settings.results_per_page))
            result = answer_page(page, slot.get(), settings)
            post(thread_reply(result.reply, result.page))
        except LibraryUnavailable:
            _try(whisper, notice(LOADING), logger)
        except Exception:
            logger.exception("answering a mention failed")
            _try(whisper, notice(SORRY), logger)

    return answer_mention


def make_home_publisher(slot: LibrarySlot):
    def publish_home(event: dict, client, logger) -> None:
        if event.get("tab", "home") != "home" or not event.get("user"):
            return
        try:
            view = home_view(slot.get())
            client.views_publish(user_id=event["user"], view=view.to_dict())
        except Exception:
            logger.exception("publishing the App Home failed")

    return publish_home


def _try(send, message: Message, logger) -> None:
    try:
        send(message)
    except Exception:
        logger.warning("could not tell the user about an error", exc_info=True)


def register(app: App, slot: LibrarySlot, settings: Settings, seen: SeenEvents, limiter: RateLimiter) -> None:
    app.event("app_mention")(ack=acknowledge, lazy=[make_mention_answerer(slot, settings, seen, limiter)])
    app.event("app_home_opened")(ack=acknowledge, lazy=[make_home_publisher(slot)])
