"""@-mentions (answered in the thread) and the App Home tab.

Slash commands cannot be used in threads, so `@bot who said …` is the way to ask inside one; the
answer goes to the same thread. Slack retries an event it thinks was not received (up to three
more times, `X-Slack-Retry-Num`), so each `event_id` is answered once (SeenEvents); messages from
bots, this one included, are ignored so two bots can never talk to each other forever.

Both are acknowledged at once; on an answer thread of the web process the event is then guarded
(a bot's message ignored, a retried event taken once, the asker's rate limit asked) and the answer
handed over whole (bot/slack/handover.py: under `bot serve`, to a search process, which searches,
posts in the thread or publishes the Home tab, and logs; bot/slack/destinations.py says how).
"""

from __future__ import annotations

import logging

from slack_bolt import App

from bot.slack.destinations import HomePlan, ThreadPlan, thread_route
from bot.slack.handover import HOME, MENTION
from bot.slack.listeners.common import BUSY, RETRY_NUM, hand_off, job_for, pass_on
from bot.slack.listeners.services import Services
from bot.slack.observe import RequestLog
from bot.slack.replying import apologise


def from_a_bot(event: dict) -> bool:
    return bool(event.get("bot_id")) or event.get("subtype") == "bot_message" or bool(event.get("bot_profile"))


def make_mention_answerer(services: Services):
    def answer_mention(body: dict, context: dict, client, logger) -> None:
        event = body.get("event") or {}
        channel = event.get("channel")
        user = event.get("user")
        fields = {"command": "app_mention", "user": user, "team": body.get("team_id"), "channel": channel}
        with RequestLog(context, "mention", **fields) as log:
            if from_a_bot(event):
                log.done("ignored_bot")
                return
            if not services.events.first_time(body.get("event_id")):
                log.done("duplicate", retry=context.get(RETRY_NUM))
                return
            allowed = services.limiter.allow(user) if services.limiter is not None else None
            plan = ThreadPlan(channel, user, event.get("thread_ts") or event.get("ts"))
            if pass_on(services, job_for(MENTION, (event.get("text"),), plan, context, "mention", allowed, **fields), client):
                log.hand_over()
                return
            log.done("busy", level=logging.WARNING, via=apologise(thread_route(plan, client, logger).tell, BUSY, logger))

    return answer_mention


def make_home_publisher(services: Services):
    def publish_home(body: dict, context: dict, client, logger) -> None:
        event = body.get("event") or {}
        if event.get("tab", "home") != "home" or not event.get("user"):
            return
        fields = {"command": "app_home_opened", "user": event.get("user"), "team": body.get("team_id")}
        with RequestLog(context, "home", **fields) as log:
            if pass_on(services, job_for(HOME, (), HomePlan(event["user"]), context, "home", **fields), client):
                log.hand_over()
                return
            log.done("busy", level=logging.WARNING)

    return publish_home


def register(app: App, services: Services) -> None:
    app.event("app_mention")(hand_off(services.queue, make_mention_answerer(services)))
    app.event("app_home_opened")(hand_off(services.queue, make_home_publisher(services)))
