"""Reading rich text back out of a message dict, as the Slack tests check it."""

from __future__ import annotations

import re

from slack_sdk.models.blocks import Block

from bot.corpus.models import Passage

# A CJK character, kana, full-width form or the punctuation Chinese sets with them.
WIDE = r"[\u2e80-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef“”‘’…—]"
MARKER_BESIDE_WIDE = re.compile(rf"{WIDE}[*_~`]|[*_~`]{WIDE}")


def leaves(node) -> list[dict]:
    """Every rich-text leaf element (text, link, emoji, …) under `node`, in order."""
    out: list[dict] = []

    def walk(item, inside=False):
        if isinstance(item, dict):
            kind = item.get("type")
            if inside and kind and not kind.startswith("rich_text"):
                out.append(item)
                return
            for value in item.values():
                walk(value, inside or kind == "rich_text")
        elif isinstance(item, list):
            for value in item:
                walk(value, inside)

    walk(node.get("blocks", node) if isinstance(node, dict) else node)
    return out


def rich_text(node) -> str:
    """The rich text of a message as a reader sees it (links by their label)."""
    return "".join(leaf.get("text") or "" for leaf in leaves(node))


def bold_texts(node) -> list[str]:
    return [leaf["text"] for leaf in leaves(node) if leaf.get("type") == "text" and (leaf.get("style") or {}).get("bold")]


def links(node) -> list[tuple[str, str]]:
    return [(leaf["url"], leaf.get("text") or "") for leaf in leaves(node) if leaf.get("type") == "link"]


def as_slack_sdk_reads_it(message):
    """Every block parsed by slack_sdk's models and dumped again (which re-runs its validation)."""
    for block in message["blocks"]:
        parsed = Block.parse(block)
        assert parsed is not None and parsed.to_dict() == block, block


def a_passage(text, **kwargs):
    return Passage(id="d:0", doc_id="d", number=0, text=text, raw_span=(0, len(text)), **kwargs)
