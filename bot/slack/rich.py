"""Untrusted text as Slack rich text: bold that renders in any script, and nothing that can ping.

mrkdwn marks bold with `*…*`, which Slack honours only at word boundaries, so in Chinese the
matched words showed with literal asterisks around them. A rich-text `text` element carries its
style as data (`{"bold": true}`) and its text literally: no delimiters, no entities, no parsing.
That literalness is also the safety guarantee: a mention, a broadcast or a link in rich text is
an element of its own (`user`, `broadcast`, `link`), which the bot builds only from the article
URLs in its metadata (`link`, when the URL is plain http(s)) and never from text. So `<!channel>`
in an article is shown as those ten characters and pings no one; `bot.slack.limits` checks that
no other element type is ever sent.

Text still goes through `clean` (no lone surrogates, controls or bidi overrides).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from slack_sdk.models.blocks import (
    RichTextBlock,
    RichTextElementParts,
    RichTextPreformattedElement,
    RichTextQuoteElement,
    RichTextSectionElement,
)

from bot.search.rank import merge_spans
from bot.slack.escape import MAX_URL, SAFE_URL, clean
from bot.slack.excerpt import ELLIPSIS, window
from bot.slack.limits import slack_len

BOLD = {"bold": True}
ITALIC = {"italic": True}
CODE = {"code": True}


@dataclass
class RichText:
    """A run of rich-text leaf elements (text, link, emoji), merged where the style allows."""

    parts: list[dict] = field(default_factory=list)

    def text(self, text: str | None, style: dict | None = None) -> RichText:
        text = clean(text or "")
        if not text:
            return self
        last = self.parts[-1] if self.parts else None
        if last and last["type"] == "text" and last.get("style") == style:
            last["text"] += text
        else:
            self.parts.append({"type": "text", "text": text, **({"style": dict(style)} if style else {})})
        return self

    def bold(self, text: str | None) -> RichText:
        return self.text(text, BOLD)

    def italic(self, text: str | None) -> RichText:
        return self.text(text, ITALIC)

    def code(self, text: str | None) -> RichText:
        return self.text(text, CODE)

    def emoji(self, name: str) -> RichText:
        self.parts.append({"type": "emoji", "name": name})
        return self

    def link(self, url: str | None, label: str) -> RichText:
        """A link element when the URL is a plain http(s) URL; otherwise just the label."""
        url = (url or "").strip()
        if url and len(url) <= MAX_URL and SAFE_URL.match(url) and clean(label):
            self.parts.append({"type": "link", "url": url, "text": clean(label)})
        else:
            self.text(label)
        return self

    def emphasised(self, text: str, spans) -> RichText:
        """`text` with the given character spans in bold (merged and clipped)."""
        cursor = 0
        for start, end in merge_spans(list(spans), len(text)):
            self.text(text[cursor:start])
            self.bold(text[start:end])
            cursor = end
        return self.text(text[cursor:])

    def extend(self, other: RichText) -> RichText:
        for part in other.parts:
            if part["type"] == "text":
                self.text(part["text"], part.get("style"))
            else:
                self.parts.append(dict(part))
        return self

    @property
    def length(self) -> int:
        return sum(slack_len(p.get("text") or "") for p in self.parts)

    def elements(self) -> list:
        out = []
        for part in self.parts:
            if part["type"] == "text":
                out.append(RichTextElementParts.Text(text=part["text"], style=part.get("style")))
            elif part["type"] == "link":
                out.append(RichTextElementParts.Link(url=part["url"], text=part["text"]))
            else:
                out.append(RichTextElementParts.Emoji(name=part["name"]))
        return out or [RichTextElementParts.Text(text=" ")]


def prose(text: str) -> RichText:
    """The bot's own prose: its `code` spans (commands to type) as code elements, the rest as text."""
    run = RichText()
    for n, piece in enumerate(text.split("`")):
        run.text(piece, CODE if n % 2 else None)
    return run


def section(run: RichText) -> RichTextSectionElement:
    return RichTextSectionElement(elements=run.elements())


def quote(run: RichText) -> RichTextQuoteElement:
    return RichTextQuoteElement(elements=run.elements())


def preformatted(text: str) -> RichTextPreformattedElement:
    return RichTextPreformattedElement(elements=RichText().text(text).elements())


def block(*elements) -> RichTextBlock:
    return RichTextBlock(elements=list(elements))


def passage(text: str, spans, focus: tuple[int, int] | None, limit: int) -> RichText:
    """The passage within `limit` characters: cut at a sentence end, the match kept in view."""
    room = limit
    while True:
        win = window(text, room, focus)
        piece = text[win.start:win.end]
        local = [(max(s, win.start) - win.start, min(e, win.end) - win.start) for s, e in spans if e > win.start and s < win.end]
        run = RichText()
        if win.cut_before:
            run.text(ELLIPSIS)
        run.emphasised(piece, local)
        if win.cut_after:
            run.text(ELLIPSIS)
        if run.length <= limit:
            return run
        if room <= 1:
            return RichText().text(ELLIPSIS)  # no room for even one character and its ellipsis
        room = max(1, room - (run.length - limit))  # emoji count twice in Slack's lengths
