"""What did the user ask for? Slash lines and @-mention text in English and Chinese, one parser."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import islice

from bot.commands.query import prepare
from bot.commands.results import COMPARE, HELP, QUOTE, WHO_SAID, UsageError
from bot.commands.words import CommandWords, load_command_words

SLASH_NAMES = {
    "quote": QUOTE,
    "q": QUOTE,
    "who-said": WHO_SAID,
    "whosaid": WHO_SAID,
    "who_said": WHO_SAID,
    "compare": COMPARE,
    "help": HELP,
}

# The command words of a mention and /compare's separators are config/commands.yaml's (words.py).
QUESTION_SEPARATORS = ",，"
MENTION_PREFIX = re.compile(r"^\s*(?:<@[A-Z0-9]+(?:\|[^>]*)?>\s*)+")
SLASHES = "/／"  # a Chinese keyboard types the full-width one
# Full-width ASCII (`ｗｈｏ ｓａｉｄ`, `／ｑｕｏｔｅ`) and the ideographic space, folded one character for
# one, so a command word typed on a Chinese keyboard is recognised and the query keeps its offsets.
HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
NAME_SHOWN = 30  # characters of an unknown command's name echoed back


@dataclass(frozen=True)
class Request:
    command: str
    query: str


def request_for(command_name: str, text: str, command_words: CommandWords | None = None) -> Request:
    """A Slack slash command arrives as a name and a text; validate it like a typed line.
    ``command_words``: config/commands.yaml's (``load_command_words(settings.config_dir)``); None, the bundled file's."""
    name = unicodedata.normalize("NFKC", command_name).strip().lstrip("/").casefold()
    if name not in SLASH_NAMES:
        shown = name if len(name) <= NAME_SHOWN else name[:NAME_SHOWN] + "…"
        raise UsageError(f"unknown command /{shown}: type /quote, /who-said or /compare (`help` lists them)")
    return _checked(Request(SLASH_NAMES[name], (text or "").strip()), command_words)


def parse_line(text: str, command_words: CommandWords | None = None) -> Request:
    """Slash lines (`/quote 护城河`) and mention text (`who said 智商税`, `对比 开源 闭源`), read with
    ``command_words`` (config/commands.yaml's; None, the bundled file's)."""
    command_words = command_words or load_command_words()
    line = MENTION_PREFIX.sub("", text or "").strip()
    if line[:1] and line[0] in SLASHES:
        name, *rest = line[1:].split(None, 1) or [""]  # the name ends at any space: `/quote　护城河`
        return request_for(name, rest[0] if rest else "", command_words)
    folded = line.translate(HALF_WIDTH)  # the same length: a match's offsets hold in `line`
    for pattern, command in command_words.leading:
        match = pattern.match(folded)
        if match:
            return _checked(Request(command, line[match.start("q"):].strip()), command_words)
    if command_words.help.match(folded):
        return Request(HELP, "")
    question = _before_trailing_who_said(line, command_words)
    if question is not None:
        return _checked(Request(WHO_SAID, question.strip()), command_words)
    return _checked(Request(QUOTE, line), command_words)


def _before_trailing_who_said(line: str, command_words: CommandWords) -> str | None:
    """The question in "QUESTION[, ]是谁说的？", or None: at least one character, separators trimmed."""
    match = command_words.who_said_after.search(line)
    if match is None or match.start() == 0:
        return None
    head = line[:match.start()]
    end = len(head)
    while end > 1 and (head[end - 1].isspace() or head[end - 1] in QUESTION_SEPARATORS):
        end -= 1
    return head[:end]


def _checked(request: Request, command_words: CommandWords | None) -> Request:
    if request.command == HELP:
        return Request(HELP, "")
    if not request.query:
        raise UsageError(f"{request.command} needs something to look for: {USAGE_BY_COMMAND[request.command]}")
    if request.command == WHO_SAID and _letters(prepare(request.query, len(request.query)).text) == 1:
        raise UsageError(f"one character is not a quotation; give a few words of it: {USAGE_BY_COMMAND[WHO_SAID]}")
    if request.command == COMPARE:
        # fails early with a clear message; on the text compare will search (invisible characters out)
        split_topics(prepare(request.query, len(request.query)).text, command_words)
    return request


def _letters(text: str, enough: int = 2) -> int:
    """Letters and digits (what a quotation is made of), counted up to ``enough``: a pasted page stops early."""
    return sum(1 for _ in islice((c for c in text if unicodedata.category(c)[0] in "LN"), enough))


def split_topics(query: str, command_words: CommandWords | None = None) -> tuple[str, str]:
    """Exactly two topics, else a UsageError that says what to type."""
    first, second = read_topics(query, command_words)
    if second is None:
        raise UsageError(f"compare needs two topics: {USAGE_BY_COMMAND[COMPARE]}")
    return first, second


def read_topics(query: str, command_words: CommandWords | None = None) -> tuple[str, str | None]:
    """The two topics of a /compare line, or one (``split_topics`` turns that into a hint).
    A separator wins (vs, 和, a comma), else two words, else two halves of an even
    number of words; a UsageError names what is wrong: three topics, one topic twice.
    ``command_words``: config/commands.yaml's separators (None, the bundled file's)."""
    command_words = command_words or load_command_words()
    text = query.strip()
    stripped = command_words.compare_word.sub("", text, count=1).strip()
    text = stripped or text
    parts = [p.strip() for p in command_words.topic_separators.split(text) if p and p.strip()]
    if len(parts) > 2:
        raise UsageError(f"compare takes two topics, not {len(parts)}: {USAGE_BY_COMMAND[COMPARE]}")
    if len(parts) == 2:
        return _different(parts[0], parts[1])
    words = text.split()
    if len(words) == 2 or (len(words) > 2 and len(words) % 2 == 0):
        half = len(words) // 2
        return _different(" ".join(words[:half]), " ".join(words[half:]))
    if len(words) > 2:
        raise UsageError(f"compare needs two topics; put `vs` between them: {USAGE_BY_COMMAND[COMPARE]}")
    if not words:
        raise UsageError(f"compare needs two topics: {USAGE_BY_COMMAND[COMPARE]}")
    for conjunction in command_words.conjunctions:
        first, found, second = text.partition(conjunction)
        if found and first.strip() and second.strip():
            return _different(first.strip(), second.strip())
    return text, None


def _different(first: str, second: str) -> tuple[str, str]:
    if " ".join(first.casefold().split()) == " ".join(second.casefold().split()):
        raise UsageError(f"compare needs two different topics, not “{first}” twice: {USAGE_BY_COMMAND[COMPARE]}")
    return first, second


USAGE_BY_COMMAND = {
    QUOTE: "type `/quote 护城河` or `/quote open source moat`",
    WHO_SAID: "type `/who-said 开源其实是一种智商税` (a quotation, even half-remembered)",
    COMPARE: "type `/compare open closed` or `/compare Meta vs OpenAI`",
    HELP: "type `/help`",
}
