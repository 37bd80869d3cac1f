"""One result in Slack: the passage as a rich-text quotation, then who said it and where.

Everything a reader sees of a hit comes from `bot.commands.display.shown` (the same rules as the
terminal: the turn label outside the quotation, names in the passage's script), and is written as
rich text, so the matched words are bold in Chinese as in English and nothing needs escaping.
"""

from __future__ import annotations

from slack_sdk.models.blocks import Block

from bot.commands.display import Shown, shown
from bot.commands.results import Hit, Side
from bot.slack import rich
from bot.slack.excerpt import shorten
from bot.slack.limits import RICH_TEXT_MAX
from bot.slack.rich import RichText

PART_MAX = 200  # a speaker, role, title, outlet or author in an attribution line
REASON_MAX = 300  # why a /compare result sits on its side
COMPARE_PASSAGE_MAX = 900  # /compare shows more results at once: shorter passages
UNATTRIBUTED = "speaker not named · 未注明说话人"
NOTHING_ON_SIDE = "nothing found · 没有找到"


def hit_block(hit: Hit, passage_max: int = RICH_TEXT_MAX) -> Block:
    """The passage (matched words and any exact quotation in bold), then who and where."""
    view = shown(hit)
    lines = attribution(view)
    room = RICH_TEXT_MAX - lines.length
    words = rich.passage(view.text, view.bold, view.focus, max(1, min(passage_max, room)))
    return rich.block(rich.quote(words), rich.section(lines))


def attribution(view: Shown) -> RichText:
    """— Speaker (role) · Title (linked) · Outlet · by Author · date · also in N other articles,
    and for /compare, on a line of its own, why the passage sits on its side."""
    run = RichText().text("— ")
    if view.speaker:
        run.bold(shorten(view.speaker, PART_MAX))
        if view.role:
            run.text(f" ({shorten(view.role, PART_MAX)})")
    else:
        run.italic(UNATTRIBUTED)
    outlet_used = False
    if view.title:
        run.text(" · ").link(view.url, shorten(view.title, PART_MAX))
    elif view.url:
        run.text(" · ").link(view.url, shorten(view.outlet or "original article · 原文", PART_MAX))
        outlet_used = bool(view.outlet)
    if view.outlet and not outlet_used:
        run.text(" · " + shorten(view.outlet, PART_MAX))
    if view.author and view.author != view.speaker:
        run.text(" · by " + shorten(view.author, PART_MAX))
    if view.translator:
        run.text(" · translated by " + shorten(view.translator, PART_MAX))
    if view.date:
        run.text(" · " + shorten(view.date, 40))
    if view.also_in:
        other = "article" if view.also_in == 1 else "articles"
        run.text(f" · also in {view.also_in} other {other} · 另见 {view.also_in} 篇")
    if view.stance_reason:
        run.text("\n").italic("why · 理由: " + shorten(view.stance_reason, REASON_MAX))
    return run


def side_blocks(side: Side) -> list[Block]:
    """/compare: one side's title in bold, then its results, strongest first."""
    title = RichText().bold(shorten(side.title or side.label, PART_MAX))
    if side.title and side.label and side.label != side.title:
        title.text(f"  ({shorten(side.label, PART_MAX)})")
    blocks: list[Block] = [rich.block(rich.section(title))]
    blocks.extend(hit_block(hit, COMPARE_PASSAGE_MAX) for hit in side.results)
    if not side.results:
        blocks.append(rich.block(rich.section(RichText().italic(NOTHING_ON_SIDE))))
    return blocks


def speaker_line(view: Shown, confidence: float | None) -> RichText:
    """The who-said verdict: said by Speaker (role) · confidence N%."""
    run = RichText().emoji("speaking_head_in_silhouette").text(" Said by · 说话人: ").bold(shorten(view.speaker or "", PART_MAX))
    if view.role:
        run.text(f" ({shorten(view.role, PART_MAX)})")
    if confidence is not None:
        run.text(f" · confidence {round(confidence * 100)}%")
    return run

