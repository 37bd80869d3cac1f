"""What every message the bot can send must satisfy, whatever the input: the properties themselves.

* Slack accepts it: the project's `validate` (every Block Kit limit, written down once in
  bot/slack/limits.py) AND slack_sdk's own models. The renderer builds every message from
  slack_sdk model objects, and their `to_dict()` runs slack_sdk's `validate_json` on every block
  and element, so every message is validated by slack_sdk as it is made; with `round_trip`, each
  block is also parsed back with `Block.parse` and must turn into exactly the dict that was sent
  (the property tests do this for a fifth of their examples: it is the costliest check).
* It is quiet and link-free: every text object, found recursively, and the fallback `text` are
  searched. In mrkdwn the only `<…>` allowed are the bot's own: `<@U…>` crediting the person who
  clicked "Post to channel" (a real Slack id, passed in), and `<url|` for an article URL from the
  library's metadata. Everything else (`<!`, `<@`, `<#`, `<http`, any `<`) means user or corpus text
  got through unescaped. Plain-text objects and the fallback carry no `<` form at all.
* It travels: every string encodes as UTF-8 (a lone surrogate would make the whole reply fail).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from slack_sdk.models.blocks import Block

from bot.slack.escape import escape
from bot.slack.limits import validate_message

FORBIDDEN_PLAIN = ("<!", "<@", "<#", "<http")
ENTITIES_ONLY = re.compile(r"(?:[^&]|&amp;|&lt;|&gt;)*", re.S)


def text_objects(node: Any, where: str = "") -> Iterator[tuple[str, dict]]:
    """Every Block Kit text object (`{"type": "mrkdwn"|"plain_text", "text": …}`) under `node`."""
    if isinstance(node, dict):
        if node.get("type") in ("mrkdwn", "plain_text") and isinstance(node.get("text"), str):
            yield where, node
        for key, value in node.items():
            yield from text_objects(value, f"{where}.{key}")
    elif isinstance(node, list):
        for n, value in enumerate(node):
            yield from text_objects(value, f"{where}[{n}]")


@functools.lru_cache(maxsize=64)
def allowed_forms(sharer: str | None, urls: tuple[str, ...]) -> re.Pattern[str]:
    """The bot's own `<…>`: the sharer's mention and links to the library's article URLs."""
    forms = [re.escape("<" + escape(url) + "|") for url in urls]
    if sharer:
        forms.append(re.escape(f"<@{sharer}>"))
    return re.compile("|".join(forms) if forms else r"(?!)")


def check_message(message: dict, *, urls: Iterable[str] = (), sharer: str | None = None, round_trip: bool = True) -> None:
    """Assert every property of a message dict ({"text", "blocks"}); `urls` are the library's article URLs."""
    validate_message(message)
    for n, block in enumerate(message["blocks"] if round_trip else ()):
        parsed = Block.parse(block)
        assert parsed is not None and parsed.type == block["type"], f"block {n}: slack_sdk cannot parse {block!r:.200}"
        # to_dict() runs validate_json() on the block and everything in it: SlackObjectFormationError
        # on any limit slack_sdk knows; and the round trip must give back exactly what was sent.
        assert parsed.to_dict() == block, f"block {n}: slack_sdk round trip changed it"
    allowed = allowed_forms(sharer, tuple(urls))
    fallback = message.get("text") or ""
    assert not any(form in fallback for form in FORBIDDEN_PLAIN) and "<" not in fallback, f"fallback text: {fallback[:200]!r}"
    assert ENTITIES_ONLY.fullmatch(fallback), f"fallback text has a bare &: {fallback[:200]!r}"
    for where, obj in text_objects(message["blocks"], "blocks"):
        text = obj["text"]
        if obj["type"] == "plain_text":
            assert not any(form in text for form in FORBIDDEN_PLAIN), f"{where}: {text[:200]!r}"
            continue
        assert "<" not in allowed.sub("", text), f"{where}: user or corpus text formed a mention or link: {text[:300]!r}"
        assert ENTITIES_ONLY.fullmatch(text), f"{where}: a bare & could start an entity: {text[:300]!r}"
    json.dumps(message, ensure_ascii=False).encode("utf-8")  # every string, keys too: raises on a lone surrogate


def library_urls(library) -> tuple[str, ...]:
    """Every article URL in the library's metadata (the renderer links only the safe ones)."""
    return tuple(sorted({d.source.url for d in library.corpus.documents if d.source.url}))
