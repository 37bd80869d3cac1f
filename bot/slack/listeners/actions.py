"""The preview buttons: Post to channel, Next, More results, Cancel.

Each button carries a Page (bot/slack/state.py) and the click recomputes the answer, so the bot
keeps no state between messages. All four answer through the click's response_url:
`replace_original` swaps the preview for another, `delete_original` removes it, and an
`in_channel` message with `replace_original: false` posts a new, public message.

A button clicked twice quickly arrives as two requests with different `action_ts`; answering both
would post the same quotation to the channel twice. So a click is taken once per (message, user,
button, value): the preview's `container.message_ts` (or, failing that, the response_url) and the
button's value, which changes whenever the preview does (Next and More carry the next offset), so
a later, deliberate click on the new preview is never mistaken for a repeat. If the answer to a
click cannot be delivered, the click is forgotten, so that clicking again retries.
"""

from __future__ import annotations

import logging
import re

from slack_bolt import App

from bot.slack.blocks import CANCEL, MORE, NEXT, POST, notice
from bot.slack.delivery import DeliveryFailed
from bot.slack.handover import PAGE, SHARE
from bot.slack.listeners.common import BUSY, hand_off, job_for, pass_on
from bot.slack.listeners.services import Services
from bot.slack.observe import RequestLog
from bot.slack.replying import apologise, ephemeral, responder_for
from bot.slack.state import Page

EXPIRED = "That button no longer works. Please run the command again. 按钮已失效，请重新输入命令。"
TURN_PAGE = {"replace_original": True}  # Next and More: the preview is swapped (Post to channel: bot/slack/destinations.py)
CLICK_MEMORY_SECONDS = 120.0  # a double click arrives within a second; a retry after a failure is allowed at once
BUTTONS = (POST, NEXT, MORE, CANCEL)


def click_key(body: dict, action: dict) -> str | None:
    """What makes two clicks the same click: the preview, the person, the button and its value."""
    container = body.get("container") or {}
    where = container.get("message_ts") or (body.get("message") or {}).get("ts") or body.get("response_url")
    if not where:
        return None
    user = (body.get("user") or {}).get("id")
    return f"{where}|{user}|{action.get('action_id')}|{action.get('value')}"


def make_action_answerer(services: Services):
    def answer_action(body: dict, context: dict, client, logger) -> None:
        action = (body.get("actions") or [{}])[0]
        action_id = action.get("action_id")
        user_id = (body.get("user") or {}).get("id")
        key = click_key(body, action)
        respond = responder_for(body, client, services.policy)
        tell = ephemeral(respond)
        fields = {"command": action_id, "user": user_id, "team": (body.get("team") or {}).get("id"),
                  "channel": (body.get("channel") or {}).get("id")}
        with RequestLog(context, "action", **fields) as log:
            if not services.clicks.first_time(key):
                log.done("duplicate")
                return
            try:
                if action_id not in BUTTONS:  # a button of an older version of the bot, on a message still shown
                    log.done("unknown_button", via=tell(notice(EXPIRED)))
                    return
                if action_id == CANCEL:
                    log.done("cancelled", via=respond(delete_original=True))
                    return
                try:
                    page = Page.decode(action.get("value"))
                except ValueError:
                    logger.warning("button %s carried an unreadable value (request %s)", action_id, log.request_id)
                    log.done("bad_value", via=tell(notice(EXPIRED)))
                    return
            except DeliveryFailed as error:
                services.clicks.forget(key)
                log.undelivered(error)
                return

            # Post to channel, Next, More: the searcher answers it from here on, and logs it.
            call, options = (SHARE, {}) if action_id == POST else (PAGE, TURN_PAGE)
            args = (page, user_id) if call == SHARE else (page,)
            job = job_for(call, args, respond.plan(**options), context, "action", **fields)
            if pass_on(services, job, client, on_undelivered=lambda: services.clicks.forget(key)):
                log.hand_over()
                return
            services.clicks.forget(key)
            log.done("busy", level=logging.WARNING, via=apologise(tell, BUSY, logger))

    return answer_action


def register(app: App, services: Services) -> None:
    listener = hand_off(services.queue, make_action_answerer(services))
    for action_id in BUTTONS:
        app.action(action_id)(listener)
    app.action(re.compile(".*"))(listener)  # any other button: told it no longer works, not a 404 Slack shows as an error
