"""The real HTTP app on loopback, driven with requests exactly as Slack sends them.

Slash commands (form-encoded), Events API callbacks (JSON) and block_actions (form field
`payload`), each signed with the signing secret, against a fake Web API and fake response_urls
that record what the bot sends. Every recorded message is checked with `validate`.
"""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from bot.commands.dispatch import ask
from bot.slack import blocks as render
from bot.slack.limits import validate_message, validate_view
from bot.slack.server import build_http_app
from bot.slack.state import Page
from bot.commands.display import shown
from tests.slack.conftest import LoopbackServer, bot_env
from tests.slack.rich_text import bold_texts
from tests.slack.helpers import (
    BOT_ID,
    BOT_USER,
    FORM,
    JSON,
    all_text,
    block_action,
    event_callback,
    get,
    mention,
    mrkdwn_texts,
    path_of,
    post,
    signed_headers,
    slash_command,
)

QUIET_SECONDS = 0.5  # how long to watch for a reply that must not come


def unique(prefix: str) -> str:
    return prefix + uuid.uuid4().hex[:8].upper()


def run_command(bot, command: str, text: str, *, user: str | None = None, channel: str | None = None):
    """POST a signed slash command; return (HTTP result, the response_url path it carried)."""
    response_url = bot.fake.response_url()
    body = slash_command(command, text, response_url, user_id=user or unique("U"), channel_id=channel or unique("C"))
    return post(bot.events_url, body, signed_headers(body, FORM)), path_of(response_url)


def click(bot, action_id: str, value: str | None, *, user: str = "U0CLICKER"):
    response_url = bot.fake.response_url()
    body = block_action(action_id, value, response_url, user_id=user)
    return post(bot.events_url, body, signed_headers(body, FORM)), path_of(response_url)


def send_event(bot, event: dict, *, event_id: str | None = None, retry: int | None = None):
    body = event_callback(event, event_id=event_id)
    headers = signed_headers(body, JSON)
    if retry:
        headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
    return post(bot.events_url, body, headers)


def messages_to(bot, path: str, count: int = 1) -> list[dict]:
    return [r.data for r in bot.fake.wait_for(lambda r: r.path == path, count)]


def posts_in(bot, channel: str, method: str = "chat.postMessage"):
    return lambda r: r.api_method == method and r.data.get("channel") == channel


def buttons(message: dict) -> dict[str, str]:
    return {e["action_id"]: e.get("value") for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]}


# ---------------------------------------------------------------- slash commands


def test_quote_is_acked_at_once_and_answered_with_an_ephemeral_preview(running_bot, bundled_library, bundled_settings):
    result, path = run_command(running_bot, "/quote", "护城河")
    assert result.status == 200 and result.body == b""  # an empty ack: Slack shows nothing until the preview
    assert result.seconds < 1.5, f"ack took {result.seconds:.3f} s"
    [message] = messages_to(running_bot, path)
    validate_message(message)
    assert message["response_type"] == "ephemeral"
    expected = ask("/quote 护城河", bundled_library, bundled_settings, limit=1).results[0]
    assert shown(expected).speaker in bold_texts(message)
    assert "护城河" in bold_texts(message)
    assert set(buttons(message)) == {render.POST, render.NEXT, render.MORE, render.CANCEL}


def test_who_said_and_compare_answer_through_the_response_url(running_bot, bundled_library, bundled_settings):
    _, who_path = run_command(running_bot, "/who-said", "开源其实是一种智商税")
    _, compare_path = run_command(running_bot, "/compare", "open closed")
    [who] = messages_to(running_bot, who_path)
    [compare] = messages_to(running_bot, compare_path)
    for message in (who, compare):
        validate_message(message)
        assert message["response_type"] == "ephemeral"
    speaker = shown(ask("/who-said 开源其实是一种智商税", bundled_library, bundled_settings).results[0]).speaker
    assert speaker in bold_texts(who)
    sides = [b for b in compare["blocks"] if b["type"] == "rich_text" and len(b["elements"]) == 1]
    assert "For open-source AI" in bold_texts(sides[0]) and "For closed-source AI" in bold_texts(compare)


def test_the_buttons_post_page_and_cancel_through_the_response_url(running_bot, bundled_library, bundled_settings):
    _, path = run_command(running_bot, "/quote", "开源")
    [preview] = messages_to(running_bot, path)
    values = buttons(preview)
    everything = ask("/quote 开源", bundled_library, bundled_settings, limit=10).results

    # Next: the second match replaces the preview.
    _, next_path = click(running_bot, render.NEXT, values[render.NEXT])
    [after_next] = messages_to(running_bot, next_path)
    validate_message(after_next)
    assert after_next["replace_original"] is True
    assert "result 2 of" in all_text(after_next)
    assert everything[1].display_text[:12] in all_text(after_next).replace("*", "")

    # More results: a page of results_per_page, replacing the preview.
    _, more_path = click(running_bot, render.MORE, values[render.MORE])
    [after_more] = messages_to(running_bot, more_path)
    validate_message(after_more)
    assert after_more["replace_original"] is True
    per_page = bundled_settings.results_per_page
    assert f"result 2–{1 + per_page} of" in all_text(after_more)
    assert Page.decode(buttons(after_more)[render.MORE]).offset == 1 + per_page

    # Post to channel: a public message crediting the clicker, then the preview is deleted.
    _, post_path = click(running_bot, render.POST, values[render.POST], user="U0SHARER")
    shared, deleted = messages_to(running_bot, post_path, 2)
    validate_message(shared)
    assert shared["response_type"] == "in_channel" and shared["replace_original"] is False
    assert "Shared by <@U0SHARER>" in all_text(shared)
    assert everything[0].display_text[:12] in all_text(shared).replace("*", "")
    assert not buttons(shared)
    assert deleted["delete_original"] is True

    # Cancel: the preview is deleted.
    _, cancel_path = click(running_bot, render.CANCEL, values[render.CANCEL])
    [cancelled] = messages_to(running_bot, cancel_path)
    assert cancelled["delete_original"] is True


def test_compare_more_results_pages_both_columns(running_bot):
    _, path = run_command(running_bot, "/compare", "open closed")
    [preview] = messages_to(running_bot, path)
    values = buttons(preview)
    assert render.NEXT not in values and render.MORE in values
    _, more_path = click(running_bot, render.MORE, values[render.MORE])
    [page_two] = messages_to(running_bot, more_path)
    validate_message(page_two)

    def cells(message):  # results: a rich-text quotation, then "— speaker · source"
        return {str(b["elements"][0]) for b in message["blocks"] if b["type"] == "rich_text" and b["elements"][0]["type"] == "rich_text_quote"}

    assert cells(preview) and cells(page_two) and not cells(preview) & cells(page_two)


def test_a_button_value_the_bot_did_not_write_gets_a_plain_message(running_bot):
    _, path = click(running_bot, render.NEXT, "{not json")
    [message] = messages_to(running_bot, path)
    validate_message(message)
    assert "no longer works" in all_text(message)


def test_a_broadcast_in_the_query_is_never_echoed(running_bot):
    # As Slack sends it: real mentions and links as markup, a `<` the user typed as `&lt;`.
    _, path = run_command(running_bot, "/quote", "<!channel> 开源 <@U0BOSS> <!here|here> <https://evil.example|bank> &lt;!everyone&gt;")
    [message] = messages_to(running_bot, path)
    validate_message(message)
    rendered = "\n".join(mrkdwn_texts(message))
    assert "<!channel>" not in rendered and "<!here" not in rendered and "<@U0BOSS>" not in rendered
    assert "<https://evil.example" not in rendered and "<!everyone" not in rendered
    assert "/quote @channel 开源 @U0BOSS @here bank &lt;!everyone&gt;" in rendered  # shown as the user saw it


def test_a_3000_character_query_gets_a_well_formed_reply(running_bot):
    _, path = run_command(running_bot, "/quote", ("开源模型 open source " * 200)[:3000])
    [message] = messages_to(running_bot, path)
    validate_message(message)
    assert all(len(v) <= 2000 for v in buttons(message).values())
    assert "only the first" in all_text(message)


def test_a_query_that_matches_nothing_gets_a_friendly_reply(running_bot):
    _, path = run_command(running_bot, "/quote", "qwxzjv plmokn")
    [message] = messages_to(running_bot, path)
    validate_message(message)
    assert "Nothing in the library matches" in all_text(message)
    assert set(buttons(message)) == {render.CANCEL}


def test_a_command_with_nothing_to_look_for_gets_the_help(running_bot):
    for command, text in (("/quote", ""), ("/compare", "onlyone")):
        _, path = run_command(running_bot, command, text)
        [message] = messages_to(running_bot, path)
        validate_message(message)
        assert message["response_type"] == "ephemeral"
        assert "/quote 护城河" in all_text(message) and "```" in all_text(message)


def test_a_500_from_the_response_url_is_retried_and_the_preview_arrives(running_bot, caplog):
    response_url = running_bot.fake.response_url()
    running_bot.fake.fail_once[path_of(response_url)] = 1
    body = slash_command("/quote", "护城河", response_url, user_id=unique("U"))
    assert post(running_bot.events_url, body, signed_headers(body, FORM)).status == 200
    failed, delivered = messages_to(running_bot, path_of(response_url), 2)
    assert failed == delivered and "blocks" in delivered  # the same preview, sent again
    time.sleep(QUIET_SECONDS)
    assert len(running_bot.fake.to(path_of(response_url))) == 2  # and only once more


def test_too_many_commands_a_minute_get_a_friendly_slow_down(running_bot, bundled_settings):
    user = unique("U")
    paths = [run_command(running_bot, "/quote", "开源", user=user)[1] for _ in range(bundled_settings.rate_limit_per_minute + 1)]
    last = messages_to(running_bot, paths[-1])[0]
    assert "a little fast" in all_text(last)


def test_acks_stay_fast_while_searches_run(running_bot):
    """Twenty commands at once: every ack is back well within Slack's 3 seconds."""
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(lambda n: run_command(running_bot, "/compare", "open closed"), range(20)))
    slowest = max(r.seconds for r, _ in results)
    assert all(r.status == 200 for r, _ in results)
    assert slowest < 2.5, f"slowest ack {slowest:.3f} s"  # Slack gives 3 s
    for _, path in results:
        messages_to(running_bot, path)
    print(f"\nslowest of 20 concurrent acks: {slowest * 1000:.0f} ms")


def test_an_exception_while_acknowledging_is_logged_and_the_user_told(fake_slack, bundled_library, bundled_settings, caplog):
    """The app's error handler (app.error) covers what the listeners' own try/except cannot."""
    from bot.slack.app import build_app, services_for
    from bot.slack.http import SlackHttpApp
    from bot.slack.readiness import LibrarySlot
    from bot.slack.local_search import LocalSearcher
    from bot.slack.shared_state import SharedState
    from tests.slack.helpers import BOT_TOKEN, SIGNING_SECRET

    class BrokenSearcher(LocalSearcher):
        def hand_over(self, *args, **kwargs):
            raise RuntimeError("boom")

    slot = LibrarySlot(bundled_library)
    app = build_app(services_for(BrokenSearcher(slot), bundled_settings), token=BOT_TOKEN, signing_secret=SIGNING_SECRET,
                    api_url=fake_slack.api_url)
    server = LoopbackServer(SlackHttpApp(app, slot, bundled_settings, SIGNING_SECRET, state=SharedState(None)))
    try:
        body = slash_command("/quote", "x", fake_slack.response_url())
        result = post(server.url + "/slack/events", body, signed_headers(body, FORM))
        assert result.status == 200
        assert result.json() == {"response_type": "ephemeral", "text": render.SORRY}
        assert any("boom" in r.getMessage() and r.exc_info for r in caplog.records)
    finally:
        server.close()


# ---------------------------------------------------------------- events


def test_a_mention_is_answered_in_a_new_thread(running_bot, bundled_library, bundled_settings):
    channel = unique("C")
    event = mention(f"<@{BOT_USER}> who said 开源其实是一种智商税", channel=channel, ts="1700000001.000100")
    assert send_event(running_bot, event).status == 200
    [record] = running_bot.fake.wait_for(posts_in(running_bot, channel))
    message = record.data
    validate_message(message)
    assert message["thread_ts"] == "1700000001.000100"
    speaker = shown(ask("who said 开源其实是一种智商税", bundled_library, bundled_settings).results[0]).speaker
    assert speaker in all_text(message)
    assert not buttons(message)
    assert record.headers["authorization"] == "Bearer xoxb-test-token"


def test_a_mention_inside_a_thread_is_answered_in_that_thread(running_bot):
    channel = unique("C")
    event = mention(f"<@{BOT_USER}> 引用 护城河", channel=channel, ts="1700000002.000200", thread_ts="1700000000.000001")
    send_event(running_bot, event)
    [record] = running_bot.fake.wait_for(posts_in(running_bot, channel))
    validate_message(record.data)
    assert record.data["thread_ts"] == "1700000000.000001"
    assert "护城河" in all_text(record.data)


def test_a_retried_event_is_answered_once(running_bot):
    channel = unique("C")
    event = mention(f"<@{BOT_USER}> quote 开源", channel=channel)
    event_id = unique("Ev")
    assert send_event(running_bot, event, event_id=event_id).status == 200
    assert send_event(running_bot, event, event_id=event_id, retry=1).status == 200
    running_bot.fake.wait_for(posts_in(running_bot, channel))
    send_event(running_bot, event, event_id=event_id, retry=2)
    time.sleep(QUIET_SECONDS)
    assert len(running_bot.fake.calls(posts_in(running_bot, channel))) == 1


def test_messages_from_bots_are_ignored(running_bot):
    channel = unique("C")
    send_event(running_bot, mention(f"<@{BOT_USER}> quote 开源", channel=channel, bot_id="B0OTHER"))
    send_event(running_bot, mention(f"<@{BOT_USER}> quote 开源", channel=channel, subtype="bot_message"))
    send_event(running_bot, mention(f"<@{BOT_USER}> quote 开源", channel=channel, user=BOT_USER, bot_id=BOT_ID))
    time.sleep(QUIET_SECONDS)
    assert not running_bot.fake.calls(lambda r: r.data.get("channel") == channel)


def test_an_unreadable_mention_gets_an_ephemeral_help(running_bot):
    channel = unique("C")
    send_event(running_bot, mention(f"<@{BOT_USER}> compare onlyone", channel=channel, user="U0ASKER"))
    [record] = running_bot.fake.wait_for(posts_in(running_bot, channel, "chat.postEphemeral"))
    validate_message(record.data)
    assert record.data["user"] == "U0ASKER"
    assert "compare needs two topics" in all_text(record.data)


def test_help_by_mention_is_posted_in_the_thread(running_bot):
    channel = unique("C")
    send_event(running_bot, mention(f"<@{BOT_USER}> help", channel=channel))
    [record] = running_bot.fake.wait_for(posts_in(running_bot, channel))
    validate_message(record.data)
    assert "/who-said" in all_text(record.data)


def test_a_failing_post_is_logged_and_the_user_told(running_bot):
    channel = unique("C")
    running_bot.fake.fail_once["/api/chat.postMessage"] = 1
    send_event(running_bot, mention(f"<@{BOT_USER}> quote 开源", channel=channel, user="U0ASKER"))
    [record] = running_bot.fake.wait_for(posts_in(running_bot, channel, "chat.postEphemeral"))
    assert render.SORRY in all_text(record.data)


def test_opening_the_app_home_publishes_the_home_view(running_bot, bundled_library):
    user = unique("U")
    send_event(running_bot, {"type": "app_home_opened", "user": user, "channel": "D0HOME", "tab": "home", "event_ts": "1700000000.1"})
    [record] = running_bot.fake.wait_for(lambda r: r.api_method == "views.publish" and r.data.get("user_id") == user)
    view = record.data["view"]
    validate_view(view)
    assert view["type"] == "home"
    text = all_text(view)
    assert f"*{len(bundled_library.corpus.documents)}* documents" in text
    assert "/compare 开源 闭源" in text and "/quote open source moat" in text


def test_the_messages_tab_does_not_publish_a_view(running_bot):
    user = unique("U")
    send_event(running_bot, {"type": "app_home_opened", "user": user, "channel": "D0HOME", "tab": "messages", "event_ts": "1700000000.1"})
    time.sleep(QUIET_SECONDS)
    assert not running_bot.fake.calls(lambda r: r.api_method == "views.publish" and r.data.get("user_id") == user)


# ---------------------------------------------------------------- signatures


def test_unsigned_forged_stale_and_malformed_requests_get_401(running_bot):
    """Each request is signed the moment it is sent, and the clock margins are wide (a minute
    either side of Slack's five), so a slow machine between signing and checking cannot turn a
    stale or future timestamp into a fresh one (CI once took over a second here)."""
    response_url = running_bot.fake.response_url()
    body = slash_command("/quote", "护城河", response_url)
    cases = {
        "unsigned": lambda: {"Content-Type": FORM},
        "forged": lambda: signed_headers(body, FORM, secret="not-the-secret"),
        "stale": lambda: signed_headers(body, FORM, timestamp=int(time.time()) - 360),
        "future": lambda: signed_headers(body, FORM, timestamp=int(time.time()) + 360),
        "malformed timestamp": lambda: signed_headers(body, FORM) | {"X-Slack-Request-Timestamp": "yesterday"},
        "tampered body": lambda: signed_headers(body, FORM),
    }
    for name, headers in cases.items():
        sent = body + b"&x=1" if name == "tampered body" else body
        result = post(running_bot.events_url, sent, headers())
        assert result.status == 401, name
    assert post(running_bot.events_url, body, signed_headers(body, FORM, timestamp=int(time.time()) - 240)).status == 200
    running_bot.fake.wait_for(lambda r: r.path == path_of(response_url))  # only the valid one answered
    time.sleep(0.2)
    assert len(running_bot.fake.to(path_of(response_url))) == 1


def test_url_verification_is_answered(running_bot):
    import json

    body = json.dumps({"token": "x", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", "type": "url_verification"}).encode()
    result = post(running_bot.events_url, body, signed_headers(body, JSON))
    assert result.status == 200
    assert result.json()["challenge"].startswith("3eZbrw1a")


# ---------------------------------------------------------------- readiness


def test_healthz_is_503_until_the_library_is_loaded_and_commands_wait_for_it(fake_slack, bundled_library, bundled_settings):
    release = threading.Event()

    def slow_loader():
        release.wait(10)
        return bundled_library

    http_app, slot = build_http_app(bundled_settings, bot_env(fake_slack), loader=slow_loader)
    server = LoopbackServer(http_app)
    try:
        health = get(server.url + "/healthz")
        assert health.status == 503 and health.json()["status"] == "loading"
        response_url = fake_slack.response_url()
        body = slash_command("/quote", "护城河", response_url, user_id=unique("U"))
        ack = post(server.url + "/slack/events", body, signed_headers(body, FORM))
        assert ack.status == 200 and ack.seconds < 1.0  # acknowledged while the library loads
        release.set()
        [message] = [r.data for r in fake_slack.wait_for(lambda r: r.path == path_of(response_url))]
        validate_message(message)
        assert "护城河" in all_text(message)
        assert get(server.url + "/healthz").status == 200
    finally:
        release.set()
        server.close()


def test_healthz_reports_a_failed_load(fake_slack, bundled_settings):
    def broken_loader():
        raise RuntimeError("seeds unreadable")

    http_app, _ = build_http_app(bundled_settings, bot_env(fake_slack), loader=broken_loader, background=False)
    server = LoopbackServer(http_app)
    try:
        health = get(server.url + "/healthz")
        assert health.status == 503 and "seeds unreadable" in health.json()["error"]
    finally:
        server.close()


def test_healthz_is_200_once_loaded(running_bot):
    health = get(running_bot.url + "/healthz")
    assert health.status == 200 and health.json()["ok"] is True
