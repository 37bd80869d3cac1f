"""What a user typed, recovered from the way Slack delivers it, before the core sees it.

Slack sends slash-command and message text in its own markup: a literal `<`, `>` or `&` arrives as
`&lt;`, `&gt;`, `&amp;`, and a mention, channel, broadcast or link arrives as `<@U123|bob>`,
`<#C123|general>`, `<!here>`, `<https://x|label>`. Searching that markup would look for "lt"
and "U123"; echoing it back would show `&amp;lt;`. So the markup is turned into the text a person
saw (`@bob`, `#general`, `@here`, `label`) and the three entities are decoded. The renderer
escapes everything again on the way out, so nothing here can make a reply ping or link.

Text is also made safe to carry: lone surrogates (JSON can deliver `"\\ud83d"`, which no UTF-8
encoder accepts) become U+FFFD, control characters other than tab and newline become spaces, and
bidi embedding/override/isolate marks, which could make an echoed line read backwards, are dropped.
"""

from __future__ import annotations

import re

from bot.slack.escape import clean

MARKUP = re.compile(r"<([^<>|\n]*)(?:\|([^<>\n]*))?>")
ENTITY = re.compile(r"&(amp|lt|gt);")
ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}
BROADCASTS = {"channel", "here", "everyone"}


def readable(text: str | None) -> str:
    """Slack's markup and entities turned back into what the user saw, and made safe to carry."""
    return clean(ENTITY.sub(lambda m: ENTITIES[m.group(1)], MARKUP.sub(_shown, text or "")))


def _shown(match: re.Match[str]) -> str:
    """How Slack displays one `<…>` token."""
    target, label = match.group(1), match.group(2)
    word = target[1:].split("^", 1)[0] if target.startswith("!") else ""
    if word in BROADCASTS:
        return "@" + word  # `<!here|here>` shows as @here
    if label is not None and label.strip():
        sigil = target[:1] if target[:1] in "@#" and not label.startswith(target[:1]) else ""
        return sigil + label
    if target.startswith(("@", "#")):
        return target
    if target.startswith("!"):
        return "@" + word if word else ""
    return target
