"""Slack's Block Kit limits in one place, and `validate` to prove a message respects them.

Slack rejects a whole message (`invalid_blocks`) when one field is a character too long, and the
user then sees nothing at all. Every renderer in this package sizes its text against these
constants, and the tests run every message they see through `validate`, so a limit is written
down once and checked everywhere.

Lengths are counted in UTF-16 code units (`slack_len`), the stricter of the ways Slack might count:
an emoji counts twice, a CJK character once, exactly like Python's `len` for the BMP.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

MAX_MESSAGE_BLOCKS = 50  # chat.postMessage / response_url
MAX_VIEW_BLOCKS = 100  # App Home and modals
SECTION_TEXT_MAX = 3000
SECTION_FIELDS_MAX = 10
FIELD_TEXT_MAX = 2000
HEADER_TEXT_MAX = 150
CONTEXT_ELEMENTS_MAX = 10
CONTEXT_TEXT_MAX = 3000  # a text object anywhere else
ACTIONS_ELEMENTS_MAX = 25
BUTTON_TEXT_MAX = 75
BUTTON_VALUE_MAX = 2000
ACTION_ID_MAX = 255
BLOCK_ID_MAX = 255
FALLBACK_TEXT_MAX = 3000  # the notification `text`; Slack advises under 4,000
PRIVATE_METADATA_MAX = 3000
# A rich_text block: Slack documents no length of its own, so the bot holds one to a section's
# 3,000 characters (all its text and link elements together).
RICH_TEXT_MAX = 3000
RICH_TEXT_CONTAINERS = ("rich_text_section", "rich_text_quote", "rich_text_preformatted", "rich_text_list")
# The leaves the bot sends. Mentions (`user`, `broadcast`, `channel`, `usergroup`, `team`) are
# elements of their own in rich text and never among them; a `text` element is shown literally.
RICH_TEXT_LEAVES = ("text", "link", "emoji")
LINK_URL = re.compile(r"^https?://[^\s<>|\"\x00-\x1f\x7f]+$", re.I)

# Broadcasts and user, channel and group mentions. The bot never emits a broadcast; the only
# mention it writes is `<@U…>` for the person who shared a preview.
BROADCAST = re.compile(r"<!(?:channel|here|everyone|subteam)", re.I)
MENTION = re.compile(r"<[@#!]")
ALLOWED_MENTION = re.compile(r"<@[UW][A-Z0-9]+>")


class LimitError(ValueError):
    """A message Slack would refuse; the message lists every problem found."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def slack_len(text: str) -> int:
    """Length as Slack's limits count it (UTF-16 code units); a lone surrogate counts one, never raises."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def problems(
    blocks: Iterable[Any],
    text: str | None = None,
    *,
    max_blocks: int = MAX_MESSAGE_BLOCKS,
    require_text: bool = False,
) -> list[str]:
    """Every way `blocks` (Block objects or dicts) and the fallback `text` break a limit."""
    found: list[str] = []
    dicts = [b.to_dict() if hasattr(b, "to_dict") else b for b in blocks]
    if len(dicts) > max_blocks:
        found.append(f"{len(dicts)} blocks (max {max_blocks})")
    if require_text and not (text and text.strip()):
        found.append("no fallback text")
    if text is not None:
        if slack_len(text) > FALLBACK_TEXT_MAX:
            found.append(f"fallback text of {slack_len(text)} characters (max {FALLBACK_TEXT_MAX})")
        found.extend(_mention_problems("text", text))
    block_ids: set[str] = set()
    action_ids: set[str] = set()
    for index, block in enumerate(dicts):
        where = f"block {index} ({block.get('type')})"
        block_id = block.get("block_id")
        if block_id is not None:
            if len(block_id) > BLOCK_ID_MAX:
                found.append(f"{where}: block_id too long")
            if block_id in block_ids:
                found.append(f"{where}: duplicate block_id {block_id!r}")
            block_ids.add(block_id)
        found.extend(_block_problems(where, block, action_ids))
    return found


def validate(blocks: Iterable[Any], text: str | None = None, **kwargs: Any) -> None:
    """Raise LimitError unless Slack would accept these blocks (and fallback text)."""
    found = problems(blocks, text, **kwargs)
    if found:
        raise LimitError(found)


def validate_message(message: Mapping[str, Any]) -> None:
    """A whole message dict as sent to chat.postMessage or a response_url."""
    if message.get("delete_original") and not message.get("blocks"):
        return
    validate(message.get("blocks") or [], message.get("text"), require_text=True)


def validate_view(view: Mapping[str, Any]) -> None:
    """A Home tab or modal view dict as sent to views.publish."""
    found = problems(view.get("blocks") or [], max_blocks=MAX_VIEW_BLOCKS)
    if view.get("type") not in ("home", "modal"):
        found.append(f"view type {view.get('type')!r}")
    metadata = view.get("private_metadata")
    if metadata is not None and len(metadata) > PRIVATE_METADATA_MAX:
        found.append("private_metadata too long")
    if found:
        raise LimitError(found)


def _block_problems(where: str, block: Mapping[str, Any], action_ids: set[str]) -> list[str]:
    found: list[str] = []
    kind = block.get("type")
    if kind == "section":
        text = block.get("text")
        fields = block.get("fields") or []
        if text is None and not fields:
            found.append(f"{where}: neither text nor fields")
        if text is not None:
            found.extend(_text_problems(f"{where} text", text, SECTION_TEXT_MAX))
        if len(fields) > SECTION_FIELDS_MAX:
            found.append(f"{where}: {len(fields)} fields (max {SECTION_FIELDS_MAX})")
        for n, field in enumerate(fields):
            found.extend(_text_problems(f"{where} field {n}", field, FIELD_TEXT_MAX))
        accessory = block.get("accessory")
        if accessory:
            found.extend(_element_problems(f"{where} accessory", accessory, action_ids))
    elif kind == "header":
        text = block.get("text") or {}
        if text.get("type") != "plain_text":
            found.append(f"{where}: header text must be plain_text")
        found.extend(_text_problems(f"{where} text", text, HEADER_TEXT_MAX))
    elif kind == "context":
        elements = block.get("elements") or []
        found.extend(_count_problems(where, elements, CONTEXT_ELEMENTS_MAX))
        for n, element in enumerate(elements):
            if element.get("type") in ("mrkdwn", "plain_text"):
                found.extend(_text_problems(f"{where} element {n}", element, CONTEXT_TEXT_MAX))
    elif kind == "actions":
        elements = block.get("elements") or []
        found.extend(_count_problems(where, elements, ACTIONS_ELEMENTS_MAX))
        for n, element in enumerate(elements):
            found.extend(_element_problems(f"{where} element {n}", element, action_ids))
    elif kind == "rich_text":
        found.extend(_rich_text_problems(where, block))
    elif kind == "divider":
        pass
    else:
        found.append(f"{where}: block type this bot does not send")
    return found


def _count_problems(where: str, elements: list, most: int) -> list[str]:
    """A context or actions block holds one element at least and ``most`` at the most."""
    if not elements:
        return [f"{where}: no elements"]
    return [f"{where}: {len(elements)} elements (max {most})"] if len(elements) > most else []


def _rich_text_problems(where: str, block: Mapping[str, Any]) -> list[str]:
    found: list[str] = []
    containers = block.get("elements") or []
    if not containers:
        found.append(f"{where}: no elements")
    leaves: list[Mapping[str, Any]] = []
    for container in containers:
        kind = container.get("type")
        if kind not in RICH_TEXT_CONTAINERS:
            found.append(f"{where}: rich text element {kind!r} this bot does not send")
            continue
        inner = container.get("elements") or []
        if kind == "rich_text_list":
            inner = [leaf for section in inner for leaf in section.get("elements") or []]
        if not inner:
            found.append(f"{where}: an empty {kind}")
        leaves.extend(inner)
    for leaf in leaves:
        kind = leaf.get("type")
        if kind not in RICH_TEXT_LEAVES:
            found.append(f"{where}: rich text {kind!r} element (a mention or other element this bot never sends)")
        elif kind == "text" and not (isinstance(leaf.get("text"), str) and leaf["text"]):
            found.append(f"{where}: an empty text element")
        elif kind == "link" and not LINK_URL.match(str(leaf.get("url") or "")):
            found.append(f"{where}: a link to {str(leaf.get('url'))[:80]!r}")
    length = sum(slack_len(leaf.get("text") or "") for leaf in leaves)
    if length > RICH_TEXT_MAX:
        found.append(f"{where}: {length} characters of rich text (max {RICH_TEXT_MAX})")
    return found


def _element_problems(where: str, element: Mapping[str, Any], action_ids: set[str]) -> list[str]:
    found: list[str] = []
    if element.get("type") != "button":
        return [f"{where}: element type this bot does not send"]
    text = element.get("text") or {}
    if text.get("type") != "plain_text":
        found.append(f"{where}: button text must be plain_text")
    found.extend(_text_problems(f"{where} text", text, BUTTON_TEXT_MAX))
    value = element.get("value")
    if value is not None and slack_len(value) > BUTTON_VALUE_MAX:
        found.append(f"{where}: value of {slack_len(value)} characters (max {BUTTON_VALUE_MAX})")
    action_id = element.get("action_id")
    if action_id is not None:
        if len(action_id) > ACTION_ID_MAX:
            found.append(f"{where}: action_id too long")
        if action_id in action_ids:
            found.append(f"{where}: duplicate action_id {action_id!r}")
        action_ids.add(action_id)
    return found


def _text_problems(where: str, text: Mapping[str, Any], limit: int) -> list[str]:
    value = text.get("text")
    if not isinstance(value, str) or not value.strip():
        return [f"{where}: empty"]
    found = []
    if slack_len(value) > limit:
        found.append(f"{where}: {slack_len(value)} characters (max {limit})")
    if text.get("type") == "mrkdwn":
        found.extend(_mention_problems(where, value))
    return found


def _mention_problems(where: str, value: str) -> list[str]:
    found = []
    if BROADCAST.search(value):
        found.append(f"{where}: contains a broadcast mention")
    for match in MENTION.finditer(value):
        if not ALLOWED_MENTION.match(value, match.start()):
            found.append(f"{where}: contains a mention or channel link at {match.start()}")
            break
    return found
