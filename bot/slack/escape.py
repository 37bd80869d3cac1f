"""Putting untrusted text (what a user typed, what an article says) into Slack mrkdwn safely.

Slack reads `<…>` as a link, a user mention or a broadcast (`<!channel>`), and `*_~`` ` `` as
formatting. Text from a user or the corpus must be shown, never obeyed:

* `&`, `<`, `>` become `&amp;`, `&lt;`, `&gt;` (Slack's own escaping), so nothing typed can ping
  anyone or disguise a link. The only `<…>` the bot writes are its own links and `<@U…>` for the
  person who shared a preview.
* Formatting characters in untrusted text are left exactly as they are, unless the same character
  appears again in the finished string (in the text or in the bot's own bold markers), where the
  pair could start bold, italics, strike or code. Only then are they replaced by the full-width
  look-alikes (`＊＿～｀`). No zero-width characters are inserted: a quotation stays copyable and
  a lone `C*Core` keeps its asterisk.
* Bold is applied per line and trimmed of spaces (Slack does not bold `* word*` or across a line
  break), and each untrusted piece is escaped on its own, so a `*` never lands inside `&amp;`.
* Bold is written only where no wide character (CJK, full-width punctuation) touches a marker,
  inside or outside: Slack honours `*` only at word boundaries and shows `这是*护城河*的` with its
  asterisks. Such a piece is written plain; text that needs its bold whatever the script is sent as
  rich text instead (`bot.slack.rich`), which needs no markers at all. For the same reason a
  formatting character of the text itself that touches a wide character is written as its
  full-width look-alike (Slack would never format it there), so no marker the bot sends touches
  Chinese.
* Characters that cannot travel or would mislead are fixed on the way (`clean`): a lone surrogate
  (no UTF-8 encoder takes it, so the whole reply would be lost) becomes U+FFFD, a control
  character other than tab and newline becomes a space, and bidi embedding, override and isolate
  marks are dropped so that no text can make the bot's own words around it read backwards.

`Mrkdwn` builds one mrkdwn string from parts so that the decision about formatting characters is
taken on the whole string, which is where Slack would pair them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from bot.search.rank import merge_spans

MARKERS = {"*": "\uff0a", "_": "\uff3f", "~": "\uff5e", "`": "\uff40"}
USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
MAX_URL = 1500  # a longer "URL" is shown as its label alone
# Lone surrogates, controls (tab and newline kept) and bidi embedding/override/isolate marks.
UNSAFE_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
SAFE_URL = re.compile(r"^https?://[^\s<>|\"\x00-\x1f\x7f]+$", re.I)

# Part kinds inside Mrkdwn.
_MARKUP = "markup"  # the bot's own syntax: emitted as is, its markers count
_UNTRUSTED = "untrusted"  # escaped, and its markers neutralised if they could pair
_VERBATIM = "verbatim"  # escaped only (a URL inside a link); markers neither count nor change
_BOLD = "bold"  # untrusted text between the bot's own `*…*`, when no wide character touches them


def escape(text: str) -> str:
    """Slack's escaping of the three control characters; everything else shows as typed (`clean`ed)."""
    return clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clean(text: str) -> str:
    """Text that can travel and reads in its own direction: see the module docstring.

    Decided once per distinct character and applied with `translate`, so 100 KB of control
    characters costs milliseconds, not 100,000 Python calls.
    """
    if not UNSAFE_CHARS.search(text):
        return text
    unsafe = {c for c in set(text) if UNSAFE_CHARS.match(c)}
    return text.translate({ord(c): _replacement(c) for c in unsafe})


def _replacement(char: str) -> str:
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    return " " if code < 0xA0 else ""


@dataclass
class Mrkdwn:
    """An mrkdwn string assembled from the bot's markup and untrusted text."""

    parts: list[tuple[str, str]] = field(default_factory=list)

    def markup(self, text: str) -> Mrkdwn:
        self.parts.append((_MARKUP, text))
        return self

    def text(self, text: str | None) -> Mrkdwn:
        text = clean(text or "")  # cleaned first: a dropped bidi mark must not hide a neighbour
        if text:
            self.parts.append((_UNTRUSTED, text))
        return self

    def bold(self, text: str | None) -> Mrkdwn:
        """Untrusted text in bold, line by line, with its surrounding spaces left outside."""
        text = clean(text or "")
        if not text:
            return self
        for n, line in enumerate(text.split("\n")):
            if n:
                self.parts.append((_UNTRUSTED, "\n"))
            stripped = line.strip()
            if not stripped:
                self.text(line)
                continue
            start = line.index(stripped)
            self.text(line[:start])
            self.parts.append((_BOLD, stripped))
            self.text(line[start + len(stripped):])
        return self

    def emphasised(self, text: str, spans: tuple[tuple[int, int], ...] | list[tuple[int, int]]) -> Mrkdwn:
        """Untrusted text with the given character spans in bold (merged, clipped, trimmed)."""
        cursor = 0
        for start, end in merge_spans(spans, len(text)):
            self.text(text[cursor:start])
            self.bold(text[start:end])
            cursor = end
        self.text(text[cursor:])
        return self

    def link(self, url: str | None, label: str) -> Mrkdwn:
        """`<url|label>` when the URL is a plain http(s) URL; otherwise just the label."""
        if url and len(url.strip()) <= MAX_URL and SAFE_URL.match(url.strip()):
            self.parts.append((_MARKUP, "<"))
            self.parts.append((_VERBATIM, url.strip()))
            self.parts.append((_MARKUP, "|"))
            self.parts.append((_UNTRUSTED, label))
            self.parts.append((_MARKUP, ">"))
        else:
            self.text(label)
        return self

    def user(self, user_id: str | None, fallback: str = "someone") -> Mrkdwn:
        """A mention of a Slack user ID (as Slack sent it), never of anything a user typed."""
        if user_id and USER_ID.match(user_id):
            self.parts.append((_MARKUP, f"<@{user_id}>"))
        else:
            self.text(fallback)
        return self

    def render(self) -> str:
        bold = self._boldable()
        counts = {m: 0 for m in MARKERS}
        for n, (kind, text) in enumerate(self.parts):
            if kind != _VERBATIM:
                for marker in MARKERS:
                    counts[marker] += text.count(marker)
            if n in bold:
                counts["*"] += 2
        risky = {m: MARKERS[m] for m, n in counts.items() if n >= 2}
        out = []
        for n, (kind, text) in enumerate(self.parts):
            if kind == _MARKUP:
                out.append(text)
            elif kind == _VERBATIM:
                out.append(escape(text))
            else:
                for marker, lookalike in risky.items():
                    text = text.replace(marker, lookalike)
                text = self._beside_wide(n, text)
                out.append(f"*{escape(text)}*" if n in bold else escape(text))
        return "".join(out)

    def _beside_wide(self, n: int, text: str) -> str:
        """A formatting character beside a wide character as its look-alike: Slack would show it
        as typed anyway, and no marker of any kind then touches Chinese in what the bot sends."""
        if not any(m in text for m in MARKERS):
            return text
        before = next((t[-1] for _, t in reversed(self.parts[:n]) if t), "")
        after = next((t[0] for _, t in self.parts[n + 1:] if t), "")
        chars = [before, *text, after]
        changed = True
        while changed:  # a look-alike is wide too: `开_`` becomes `开＿｀`
            changed = False
            for i in range(1, len(chars) - 1):
                if chars[i] in MARKERS and any(c and is_wide(c[-1]) for c in (chars[i - 1], chars[i + 1])):
                    chars[i] = MARKERS[chars[i]]
                    changed = True
        return "".join(chars[1:-1])

    def _boldable(self) -> set[int]:
        """The bold parts whose markers would touch no wide character, inside or out."""
        found = set()
        for n, (kind, text) in enumerate(self.parts):
            if kind != _BOLD:
                continue
            before = next((t[-1] for _, t in reversed(self.parts[:n]) if t), "")
            after = next((t[0] for _, t in self.parts[n + 1:] if t), "")
            edges = [c for c in (before, text[0], text[-1], after) if c]
            # A marker character beside the bold may become its full-width look-alike: not bold either.
            if not any(is_wide(c) or c in MARKERS for c in edges):
                found.add(n)
        return found

    def __str__(self) -> str:
        return self.render()


def is_wide(char: str) -> bool:
    """A character that Slack does not treat as a word boundary for mrkdwn markers: CJK, kana,
    Hangul, full-width forms, and the punctuation Chinese text sets with them (“”、…)."""
    width = unicodedata.east_asian_width(char)
    return width in ("W", "F") or (width == "A" and unicodedata.category(char).startswith("P"))


def plain(text: str | None) -> str:
    """Untrusted text on its own, safe for any mrkdwn field."""
    return Mrkdwn().text(text or "").render()
