"""Rendering a Reply as Block Kit: previews with buttons, shared posts, thread replies, help.

Everything is built with `slack_sdk.models.blocks` and turned into dicts only at the edge
(`Message.to_dict`). Every string that came from a user or the corpus goes through
`bot.slack.escape.Mrkdwn`, and every length is sized against `bot.slack.limits`, so whatever
the query or the passage, Slack accepts the message and nothing in it can ping or disguise a link.
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

from bot.commands.results import COMPARE, HELP, QUOTE, WHO_SAID, Hit, Reply, Side
from bot.corpus.models import Source
from bot.slack.escape import Mrkdwn, escape, plain
from bot.slack.excerpt import ELLIPSIS, shorten, window
from bot.slack.limits import (
    CONTEXT_TEXT_MAX,
    FALLBACK_TEXT_MAX,
    FIELD_TEXT_MAX,
    MAX_MESSAGE_BLOCKS,
    SECTION_FIELDS_MAX,
    SECTION_TEXT_MAX,
    slack_len,
)
from bot.slack.state import Page

SLASH = {QUOTE: "/quote", WHO_SAID: "/who-said", COMPARE: "/compare", HELP: "/help"}
TITLES = {QUOTE: "Quote · 引用", WHO_SAID: "Who said it · 谁说的", COMPARE: "Compare · 对比", HELP: "Help · 帮助"}

# Action ids of the preview buttons (listeners/actions.py registers one listener per id).
POST = "preview_post"
NEXT = "preview_next"
MORE = "preview_more"
CANCEL = "preview_cancel"
ACTIONS_BLOCK_ID = "preview_actions"

CELL_PASSAGE_MAX = 900  # a /compare column cell: room for the attribution under the passage
PART_MAX = 200  # a speaker, title or outlet in an attribution line
QUERY_SHOWN_MAX = 200  # the query echoed above results
FALLBACK_PASSAGE_MAX = 300
MAX_HITS = (MAX_MESSAGE_BLOCKS - 8) // 2  # two blocks a hit, room for header, notes and buttons

SORRY = "Sorry, something went wrong while answering that. Please try again in a moment. 抱歉，出错了，请稍后再试。"
LOADING = "The library is still loading. Please try again in a few seconds. 资料库正在加载，请稍后再试。"
NOT_FOUND_LEAD = "Nothing in the library matches that closely. 资料库中没有找到足够接近的内容。"
NEAREST = "The nearest passages · 最接近的段落:"
EXAMPLES = "Try `/quote 护城河` · `/quote open source moat` · `/who-said 开源其实是一种智商税` · `/compare open closed`"
UNATTRIBUTED = "speaker not named · 未注明说话人"


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
    typed), so it is escaped, which is what keeps it from pinging or linking, but its formatting
    characters are kept.
    """
    lead = ":information_source: " + escape(message)
    blocks: list[Block] = [SectionBlock(text=_mrkdwn(_clip(lead, SECTION_TEXT_MAX)))]
    if help_text:
        blocks.append(_help_section(help_text))
    return Message(_clip(escape(message), FALLBACK_TEXT_MAX), tuple(blocks))


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
    """Query line, lead, results (or columns), notes: everything but the buttons."""
    if reply.command == HELP:
        return [_help_section(reply.help_text or "")]
    blocks: list[Block] = [_context(_heading(reply))]
    lead = _lead(reply)
    if lead:
        blocks.append(SectionBlock(text=_mrkdwn(lead)))
    if reply.command == COMPARE:
        blocks.extend(_columns(reply.sides))
    else:
        for hit in reply.results[:MAX_HITS]:
            blocks.extend(hit_blocks(hit))
    if reply.notes:
        # The core's own prose: escaped so nothing in it can ping or link, its `code` kept.
        notes = " · ".join(escape(note) for note in reply.notes)
        blocks.append(_context(_clip(notes, CONTEXT_TEXT_MAX)))
    if not reply.found and not reply.results and not any(s.results for s in reply.sides):
        blocks.append(_context(EXAMPLES))
    return blocks


def hit_blocks(hit: Hit) -> list[Block]:
    """One result: the passage (matched words and any exact quotation in bold), then who and where."""
    return [
        SectionBlock(text=_mrkdwn(passage_mrkdwn(hit, SECTION_TEXT_MAX, quoted=True))),
        _context(attribution(hit)),
    ]


def passage_mrkdwn(hit: Hit, limit: int, *, quoted: bool = False) -> str:
    """The passage as mrkdwn within `limit`: cut at a sentence end, keeping the match in view."""
    text = hit.display_text or ""
    spans = list(hit.highlights)
    if hit.quotation is not None:
        spans.append(hit.quotation)
    focus = hit.quotation or (min(hit.highlights) if hit.highlights else None)
    raw_limit = limit
    while True:
        win = window(text, raw_limit, focus)
        piece = text[win.start:win.end]
        local = [(max(s, win.start) - win.start, min(e, win.end) - win.start) for s, e in spans if e > win.start and s < win.end]
        m = Mrkdwn()
        if win.cut_before:
            m.markup(ELLIPSIS)
        m.emphasised(piece, local)
        if win.cut_after:
            m.markup(ELLIPSIS)
        out = m.render()
        if quoted:
            out = "\n".join(">" + line for line in out.split("\n"))
        if slack_len(out) <= limit or raw_limit <= 1:
            return _clip(out, limit)
        raw_limit = max(1, raw_limit - max(1, slack_len(out) - limit))


def attribution(hit: Hit) -> str:
    """— Speaker (role) · <url|Title> · Outlet · date"""
    m = Mrkdwn().markup("— ")
    if hit.speaker:
        m.bold(shorten(hit.speaker, PART_MAX))
        if hit.speaker_role:
            m.markup(" (").text(shorten(hit.speaker_role, PART_MAX)).markup(")")
    else:
        m.text(UNATTRIBUTED)
    _source_parts(m, hit.source)
    return _clip(m.render(), CONTEXT_TEXT_MAX)


def _source_parts(m: Mrkdwn, source: Source) -> None:
    """Title (linked to the article when its URL is known), outlet, date."""
    outlet_used = False
    if source.title:
        m.markup(" · ").link(source.url, shorten(source.title, PART_MAX))
    elif source.url:
        m.markup(" · ").link(source.url, shorten(source.outlet or "original article · 原文", PART_MAX))
        outlet_used = bool(source.outlet)
    if source.outlet and not outlet_used:
        m.markup(" · ").text(shorten(source.outlet, PART_MAX))
    if source.date:
        m.markup(" · ").text(shorten(source.date, 40))
    elif source.date_saved:
        m.markup(" · ").text("saved " + shorten(source.date_saved, 40))


def _heading(reply: Reply) -> str:
    m = Mrkdwn().markup("*").text(TITLES.get(reply.command, reply.command)).markup("*  ")
    m.text(_command_line(reply.command, reply.query))
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


def _lead(reply: Reply) -> str | None:
    """The answer in one line where there is one: who said it, or that nothing matched."""
    if reply.command == WHO_SAID and reply.found and reply.results:
        best = reply.results[0]
        if reply.offset == 0 and best.speaker:
            m = Mrkdwn().markup(":speaking_head_in_silhouette: Said by · 说话人: ").bold(shorten(best.speaker, PART_MAX))
            if best.speaker_role:
                m.markup(" (").text(shorten(best.speaker_role, PART_MAX)).markup(")")
            if reply.confidence is not None:
                m.markup(f" · confidence {round(reply.confidence * 100)}%")
            return _clip(m.render(), SECTION_TEXT_MAX)
        return None
    if not reply.found:
        has_results = bool(reply.results) or any(s.results for s in reply.sides)
        lead = Mrkdwn().markup(":mag: ").text(NOT_FOUND_LEAD)
        if has_results:
            lead.markup("\n").text(NEAREST)
        return lead.render()
    return None


def _columns(sides: tuple[Side, ...]) -> list[Block]:
    """/compare: the first two sides side by side, one row of fields per rank; any third below."""
    blocks: list[Block] = []
    pairs = [sides[i:i + 2] for i in range(0, len(sides), 2)]
    for pair in pairs:
        titles = [_mrkdwn(_clip(Mrkdwn().markup("*").text(_side_title(s)).markup("*").render(), FIELD_TEXT_MAX)) for s in pair]
        blocks.append(SectionBlock(fields=titles))
        rows = max((len(s.results) for s in pair), default=0)
        for rank in range(min(rows, SECTION_FIELDS_MAX)):
            cells = [_mrkdwn(_cell(s.results[rank]) if rank < len(s.results) else "—") for s in pair]
            blocks.append(SectionBlock(fields=cells))
        if rows == 0:
            blocks.append(SectionBlock(fields=[_mrkdwn("_nothing found · 没有找到_") for _ in pair]))
    return blocks


def _side_title(side: Side) -> str:
    return shorten(side.title or side.label, PART_MAX)


def _cell(hit: Hit) -> str:
    passage = passage_mrkdwn(hit, CELL_PASSAGE_MAX)
    m = Mrkdwn().markup("— ")
    if hit.speaker:
        m.bold(shorten(hit.speaker, PART_MAX))
    else:
        m.text(UNATTRIBUTED)
    _source_parts(m, hit.source)
    return _clip(passage + "\n" + m.render(), FIELD_TEXT_MAX)


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
    inner = shorten(help_text.replace("```", "'''"), SECTION_TEXT_MAX - 10)
    text = "```" + escape(inner) + "```"
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
    best = hits[0]
    who = best.speaker or "unattributed"
    text = f"{head} — {who}: {shorten(best.display_text, FALLBACK_PASSAGE_MAX)}"
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
