"""The preview buttons: Post to channel, Next, More results, Cancel.

Each button carries a Page (bot/slack/state.py) and the click recomputes the answer, so the bot
keeps no state between messages. All four answer through the click's response_url:
`replace_original` swaps the preview for another, `delete_original` removes it, and an
`in_channel` message with `replace_original: false` posts a new, public message.
"""

from __future__ import annotations

from slack_bolt import App

from bot.config import Settings
from bot.slack.answering import answer_page
from bot.slack.blocks import CANCEL, LOADING, MORE, NEXT, POST, SORRY, notice, preview, shared
from bot.slack.listeners.commands import more_limit
from bot.slack.listeners.common import apologise, send
from bot.slack.readiness import LibrarySlot, LibraryUnavailable
from bot.slack.state import Page

EXPIRED = "That button no longer works. Please run the command again. 按钮已失效，请重新输入命令。"


def acknowledge(ack) -> None:
    ack()


def make_action_answerer(slot: LibrarySlot, settings: Settings):
    def answer_action(body: dict, action: dict, respond, logger) -> None:
        action_id = action.get("action_id")
        try:
            if action_id == CANCEL:
                respond(delete_original=True)
                return
            try:
                page = Page.decode(action.get("value"))
            except ValueError:
                logger.warning("button %s carried an unreadable value", action_id)
                send(respond, notice(EXPIRED), response_type="ephemeral", replace_original=False)
                return
            result = answer_page(page, slot.get(), settings)
            if action_id == POST:
                user_id = (body.get("user") or {}).get("id")
                send(respond, shared(result.reply, page, user_id), response_type="in_channel", replace_original=False)
                respond(delete_original=True)
            elif action_id in (NEXT, MORE):
                message = preview(result.reply, result.page, has_more=result.has_more, more_limit=more_limit(settings))
                send(respond, message, replace_original=True)
        except LibraryUnavailable:
            apologise(respond, LOADING, logger)
        except Exception:
            logger.exception("button %s failed", action_id)
            apologise(respond, SORRY, logger)

    return answer_action


def register(app: App, slot: LibrarySlot, settings: Settings) -> None:
    answer_action = make_action_answerer(slot, settings)
    for action_id in (POST, NEXT, MORE, CANCEL):
        app.action(action_id)(ack=acknowledge, lazy=[answer_action])
