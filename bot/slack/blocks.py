"""Rendering a Reply as Block Kit: previews with buttons, shared posts, thread replies, help.

Everything is built with `slack_sdk.models.blocks` and turned into dicts only at the edge
(`Message.to_dict`). Passages, who said them and where are rich text (`bot.slack.hits`,
`bot.slack.rich`): literal text with bold as data, so highlights render in Chinese too. The
remaining mrkdwn (the query line, notes, the sharer's credit) goes through
`bot.slack.escape.Mrkdwn`, which writes bold only where no wide character touches a marker. Every
length is sized against `bot.slack.limits`, so whatever the query or the passage, Slack accepts
the message and nothing in it can ping or disguise a link.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.commands.display import shown
from bot.commands.results import COMPARE, HELP, QUOTE, WHO_SAID, Reply
from bot.slack import rich
from bot.slack.escape import Mrkdwn, escape, plain
from bot.slack.excerpt import ELLIPSIS, shorten
from bot.slack.hits import hit_block, side_blocks, speaker_line
from bot.slack.limits import CONTEXT_TEXT_MAX, FALLBACK_TEXT_MAX, MAX_MESSAGE_BLOCKS, SECTION_TEXT_MAX, slack_len
from bot.slack.rich import RichText
from bot.slack.state import Page

SLASH = {QUOTE: "/quote", WHO_SAID: "/who-said", COMPARE: "/compare", HELP: "/help"}
TITLES = {QUOTE: "Quote · 引用", WHO_SAID: "Who said it · 谁说的", COMPARE: "Compare · 对比", HELP: "Help · 帮助"}

# Action ids of the preview buttons (listeners/actions.py registers one listener per id).
POST = "preview_post"
NEXT = "preview_next"
MORE = "preview_more"
CANCEL = "preview_cancel"
ACTIONS_BLOCK_ID = "preview_actions"

QUERY_SHOWN_MAX = 200  # the query echoed above results
FALLBACK_PASSAGE_MAX = 300
PROSE_MAX = 2900  # the core's own messages and notes
MAX_HITS = (MAX_MESSAGE_BLOCKS - 8) // 2  # room for header, notes and buttons, and a short message

SORRY = "Sorry, something went wrong while answering that. Please try again in a moment. 抱歉，出错了，请稍后再试。"
LOADING = "The library is still loading. Please try again in a few seconds. 资料库正在加载，请稍后再试。"
NOT_FOUND_LEAD = "Nothing in the library matches that closely. 资料库中没有找到足够接近的内容。"
NEAREST = "The nearest passages · 最接近的段落:"
EXAMPLES = ("/quote 护城河", "/quote open source moat", "/who-said 开源其实是一种智商税", "/compare open closed")


@dataclass(frozen=True)
class Message:
    """A message as blocks plus the plain `text` Slack shows in notifications."""

    text: str
    blocks: tuple[Block, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": [b.to_dict() for b in self.blocks]}


# ---------------------------------------------------------------- whole messages


def preview(reply: Reply, page: Page, *, has_more: bool, more_limit: int) -> Message:
    """The ephemeral answer to a command: results and Post / Next / More results / Cancel."""
    blocks = body(reply, page)
    buttons = _buttons(reply, page, has_more=has_more, more_limit=more_limit)
    if buttons:
        blocks.append(ActionsBlock(block_id=ACTIONS_BLOCK_ID, elements=buttons))
    return Message(fallback(reply), _fit(blocks))


def shared(reply: Reply, page: Page, user_id: str | None) -> Message:
    """The preview as posted to the channel: no buttons, and who shared it."""
    blocks = body(reply, page)
    credit = Mrkdwn().markup("Shared by ").user(user_id).markup(" · ").text(_command_line(reply.command, reply.query))
    blocks.append(_context(credit.render()))
    return Message(fallback(reply), _fit(blocks))


def thread_reply(reply: Reply, page: Page) -> Message:
    """The answer to an @-mention: a page of results in the thread, no buttons."""
    return Message(fallback(reply), _fit(body(reply, page)))


def usage(message: str, help_text: str | None) -> Message:
    """A line the bot could not read: what was wrong, then what to type.

    The message is the core's own prose with intended `code` spans (it may quote a word the user
    typed): rich text, its code spans as code elements, so it cannot ping or link.
    """
    lead = RichText().emoji("information_source").text(" ").extend(rich.prose(shorten(message, PROSE_MAX)))
    blocks: list[Block] = [rich.block(rich.section(lead))]
    if help_text:
        blocks.append(_help_section(help_text))
    return Message(_clip(plain(message.replace("`", "")), FALLBACK_TEXT_MAX), tuple(blocks))


def help_message(help_text: str) -> Message:
    return Message("How to use the quote bot · 用法", (_help_section(help_text),))


def notice(text: str) -> Message:
    """A one-line message: errors, "slow down", "still loading". Text is the bot's own."""
    return Message(plain(text), (SectionBlock(text=_mrkdwn(plain(text))),))


def slow_down(per_minute: int) -> Message:
    return notice(
        f"You are going a little fast: at most {per_minute} commands a minute. Please try again in a moment. "
        "请稍等片刻再试。"
    )


# ---------------------------------------------------------------- the body of an answer


def body(reply: Reply, page: Page) -> list[Block]:
    """Query line, lead, results (or one group per side), notes: everything but the buttons."""
    if reply.command == HELP:
        return [_help_section(reply.help_text or "")]
    blocks: list[Block] = [_context(_heading(reply))]
    lead = _lead(reply)
    if lead:
        blocks.append(rich.block(rich.section(lead)))
    if reply.command == COMPARE:
        for side in reply.sides:
            blocks.extend(side_blocks(side))
    else:
        blocks.extend(hit_block(hit) for hit in reply.results[:MAX_HITS])
    if reply.notes:
        # The core's own prose, its `code` spans as code elements.
        notes = shorten(" · ".join(reply.notes), PROSE_MAX)
        blocks.append(rich.block(rich.section(RichText().emoji("bulb").text(" ").extend(rich.prose(notes)))))
    if not reply.found and not reply.results and not any(s.results for s in reply.sides):
        blocks.append(rich.block(rich.section(_examples())))
    return blocks


def _heading(reply: Reply) -> str:
    """*Quote* · 引用  /quote 护城河 · result 1–3 of 12 (bold only where Slack renders it)."""
    english, _, chinese = TITLES.get(reply.command, reply.command).partition(" · ")
    m = Mrkdwn().bold(english)
    if chinese:
        m.markup(" · ").text(chinese)
    m.markup("  ").text(_command_line(reply.command, reply.query))
    shown = len(reply.results)
    if reply.command != COMPARE and reply.total and shown:
        first = reply.offset + 1
        last = reply.offset + shown
        where = f"{first}" if first == last else f"{first}–{last}"
        m.markup(f" · result {where} of {reply.total}")
    return _clip(m.render(), CONTEXT_TEXT_MAX)


def _command_line(command: str, query: str) -> str:
    query = shorten(" ".join((query or "").split()), QUERY_SHOWN_MAX)
    return f"{SLASH.get(command, command)} {query}".strip()


def _lead(reply: Reply) -> RichText | None:
    """The answer in one line where there is one: who said it, or that nothing matched."""
    if reply.command == WHO_SAID and reply.found and reply.results:
        best = shown(reply.results[0])
        if reply.offset == 0 and best.speaker:
            return speaker_line(best, reply.confidence)
        return None
    if not reply.found:
        lead = RichText().emoji("mag").text(" " + NOT_FOUND_LEAD)
        if bool(reply.results) or any(s.results for s in reply.sides):
            lead.text("\n" + NEAREST)
        return lead
    return None


def _examples() -> RichText:
    run = RichText().text("Try ")
    for n, example in enumerate(EXAMPLES):
        run.text(" · " if n else "").code(example)
    return run


def _buttons(reply: Reply, page: Page, *, has_more: bool, more_limit: int) -> list[ButtonElement]:
    shows_results = bool(reply.results) or any(s.results for s in reply.sides)
    buttons = []
    if shows_results and reply.command != HELP:
        buttons.append(_button("Post to channel", POST, page.encode(), style="primary"))
    if has_more and reply.command != COMPARE:
        buttons.append(_button("Next", NEXT, page.following(1).encode()))
    if has_more:
        buttons.append(_button("More results", MORE, page.following(more_limit).encode()))
    buttons.append(_button("Cancel", CANCEL, page.encode()))
    return buttons


def _button(label: str, action_id: str, value: str, style: str | None = None) -> ButtonElement:
    return ButtonElement(text=PlainTextObject(text=label, emoji=True), action_id=action_id, value=value, style=style)


def _help_section(help_text: str) -> SectionBlock:
    # A code block keeps the columns of the help aligned; inside it Slack applies no formatting.
    # Its fences stand on lines of their own, so no wide character ever touches them.
    inner = shorten(help_text.replace("```", "'''"), SECTION_TEXT_MAX - 10)
    text = "```\n" + escape(inner) + "\n```"
    return SectionBlock(text=_mrkdwn(_clip(text, SECTION_TEXT_MAX)))


# ---------------------------------------------------------------- plain text and sizing


def fallback(reply: Reply) -> str:
    """The notification text: command, query and the first result, escaped, never empty."""
    if reply.command == HELP:
        return "How to use the quote bot · 用法"
    head = _command_line(reply.command, reply.query)
    hits = list(reply.results) or [h for s in reply.sides for h in s.results[:1]]
    if not hits:
        return plain(f"{head}: {NOT_FOUND_LEAD}")
    best = shown(hits[0])
    who = best.speaker or "unattributed"
    text = f"{head} — {who}: {shorten(best.text, FALLBACK_PASSAGE_MAX)}"
    return _clip(plain(text), FALLBACK_TEXT_MAX)


def _mrkdwn(text: str) -> MarkdownTextObject:
    # verbatim: no auto-linking of bare URLs or #channel names found in corpus text.
    return MarkdownTextObject(text=text or " ", verbatim=True)


def _context(text: str) -> ContextBlock:
    return ContextBlock(elements=[_mrkdwn(text)])


def _clip(text: str, limit: int) -> str:
    """Last resort for text already rendered: cut without breaking an `&amp;` or a `<…|…>`."""
    if slack_len(text) <= limit:
        return text
    cut = text[: max(0, limit - 1)]
    while slack_len(cut) > limit - 1:
        cut = cut[:-1]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    lt = cut.rfind("<")
    if lt != -1 and ">" not in cut[lt:]:
        cut = cut[:lt]
    if cut.count("*") % 2:
        cut = cut[: cut.rfind("*")]
    return cut + ELLIPSIS


def _fit(blocks: list[Block]) -> tuple[Block, ...]:
    """Never more blocks than Slack takes: drop results from the end, keep the buttons."""
    if len(blocks) <= MAX_MESSAGE_BLOCKS:
        return tuple(blocks)
    tail = [blocks[-1]] if isinstance(blocks[-1], ActionsBlock) else []
    return tuple(blocks[: MAX_MESSAGE_BLOCKS - len(tail)] + tail)
