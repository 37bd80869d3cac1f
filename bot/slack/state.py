"""What a preview button remembers: enough to recompute the answer, nothing more.

The bot keeps no per-message state (several workers, restarts, no database): a button's `value`
carries the command, the query and which slice of the results to show, and the click recomputes
the answer from the library. Slack caps a value at 2,000 characters, so a long query is cut to fit;
the core caps queries far below that anyway.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from bot.commands.results import COMMANDS
from bot.slack.escape import clean
from bot.slack.limits import BUTTON_VALUE_MAX, slack_len

MAX_PAGE = 50  # no button asks for more results than a message can show


@dataclass(frozen=True)
class Page:
    """A slice of the answer to `command query`: results offset … offset+limit-1."""

    command: str
    query: str
    offset: int = 0
    limit: int = 1

    def encode(self, max_chars: int = BUTTON_VALUE_MAX) -> str:
        """JSON for a button value, the query cut until it fits `max_chars` (and `clean`: it travels as UTF-8)."""
        query = clean(self.query)
        while True:
            value = json.dumps(
                {"c": self.command, "q": query, "o": self.offset, "n": self.limit},
                ensure_ascii=False,
                separators=(",", ":"),
            )
            if slack_len(value) <= max_chars or not query:
                return value
            overshoot = slack_len(value) - max_chars
            query = query[: max(0, len(query) - max(1, overshoot))]

    @classmethod
    def decode(cls, value: str | None) -> Page:
        """The Page a button carried; ValueError for anything the bot did not write (a number, a list, …)."""
        if value is not None and not isinstance(value, str):
            raise ValueError("button value is not text")
        try:
            data = json.loads(value or "")
        except json.JSONDecodeError as exc:
            raise ValueError("button value is not JSON") from exc
        if not isinstance(data, dict):
            raise ValueError("button value is not an object")
        command, query = data.get("c"), data.get("q")
        offset, limit = data.get("o", 0), data.get("n", 1)
        if command not in COMMANDS or not isinstance(query, str):
            raise ValueError("button value names no command")
        if not isinstance(offset, int) or not isinstance(limit, int) or offset < 0 or not 1 <= limit <= MAX_PAGE:
            raise ValueError("button value has a bad offset or limit")
        return cls(command, query, offset, limit)

    def following(self, limit: int) -> Page:
        """The slice after this one."""
        return Page(self.command, self.query, self.offset + self.limit, limit)
