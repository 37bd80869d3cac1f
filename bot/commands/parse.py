"""What did the user ask for? Slash lines and @-mention text in English and Chinese, one parser."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.chars import HAN_CLASS
from bot.commands.query import prepare
from bot.commands.results import COMPARE, HELP, QUOTE, WHO_SAID, UsageError

SLASH_NAMES = {
    "quote": QUOTE,
    "q": QUOTE,
    "who-said": WHO_SAID,
    "whosaid": WHO_SAID,
    "who_said": WHO_SAID,
    "compare": COMPARE,
    "help": HELP,
}

# Mention forms: a leading command word, or a trailing question such as "…是谁说的".
LEADING_FORMS: tuple[tuple[re.Pattern[str], str], ...] = (
    # `who\s*(?:-\s*)?said`, not `who\s*-?\s*said`: two adjacent \s* backtrack quadratically on a
    # long run of spaces (a 20,000-space mention took 16 s).
    (re.compile(r"^(?:who\s*(?:-\s*)?said|who\s+says|whose\s+words?)\b[\s:：,，]*(?P<q>.*)$", re.I | re.S), WHO_SAID),
    (re.compile(r"^(?:谁说的|誰說的|谁说过|誰說過|是谁说的|是誰說的|谁说|誰說)[\s:：,，?？]*(?P<q>.*)$", re.S), WHO_SAID),
    (re.compile(r"^(?:quote|find|search)\b[\s:：,，]*(?P<q>.*)$", re.I | re.S), QUOTE),
    (re.compile(r"^(?:引用|引述|搜索|搜尋|查找|找)[\s:：,，]*(?P<q>.*)$", re.S), QUOTE),
    (re.compile(r"^(?:compare|versus)\b[\s:：,，]*(?P<q>.*)$", re.I | re.S), COMPARE),
    (re.compile(r"^(?:对比|對比|比较|比較)[\s:：,，]*(?P<q>.*)$", re.S), COMPARE),
    (re.compile(r"^(?:help|usage|\?|？|帮助|幫助|说明|說明)[\s!！?？]*$", re.I), HELP),
)
# "…是谁说的？" at the end of a line. Searched for (leftmost match that reaches the end), and the
# question taken as everything before it: the one-regex form `^(.+?)[\s,，]*(?:…)…$` backtracks
# quadratically over runs of spaces or commas (20,000 of them took 10 s).
TRAILING_WHO_SAID = re.compile(r"(?:是谁说的|是誰說的|谁说的|誰說的)[\s?？。.!！]*$")
QUESTION_SEPARATORS = ",，"
MENTION_PREFIX = re.compile(r"^\s*(?:<@[A-Z0-9]+(?:\|[^>]*)?>\s*)+")
# /compare: what stands between two topics. Words need spaces round them ("Meta vs OpenAI",
# "开源 和 闭源"); marks do not ("open, closed"); "vs" also joins two Han words ("开源vs闭源").
TOPIC_SEPARATORS = re.compile(
    r"\s+(?:vs\.?|versus|v\.?|and|or|against|对比|對比|和|与|與|跟|对|對|还是|還是)\s+"
    rf"|\s*[,，、/|;；]\s*|(?<=[{HAN_CLASS}])\s*(?:vs\.?|versus)\s*(?=[{HAN_CLASS}])",
    re.I,
)
# Between two Han words with no space: 开源和闭源, 开源与闭源; tried in this order.
HAN_CONJUNCTIONS = ("与", "與", "和", "跟", "对", "對")
COMPARE_WORD = re.compile(r"^(?:compare|versus|对比|對比|比较|比較)(?:\s+|[:：,，]\s*)", re.I)


@dataclass(frozen=True)
class Request:
    command: str
    query: str


def request_for(command_name: str, text: str) -> Request:
    """A Slack slash command arrives as a name and a text; validate it like a typed line."""
    name = command_name.strip().lstrip("/").casefold()
    if name not in SLASH_NAMES:
        raise UsageError(f"unknown command /{name}: type /quote, /who-said, /compare or /help")
    return _checked(Request(SLASH_NAMES[name], (text or "").strip()))


def parse_line(text: str) -> Request:
    """Slash lines (`/quote 护城河`) and mention text (`who said 智商税`, `对比 开源 闭源`)."""
    line = MENTION_PREFIX.sub("", text or "").strip()
    if line.startswith("/"):
        name, _, rest = line[1:].partition(" ")
        return request_for(name, rest)
    for pattern, command in LEADING_FORMS:
        match = pattern.match(line)
        if match:
            return _checked(Request(command, match.groupdict().get("q", "").strip()))
    question = _before_trailing_who_said(line)
    if question is not None:
        return _checked(Request(WHO_SAID, question.strip()))
    return _checked(Request(QUOTE, line))


def _before_trailing_who_said(line: str) -> str | None:
    """The question in "QUESTION[, ]是谁说的？", or None: at least one character, separators trimmed."""
    match = TRAILING_WHO_SAID.search(line)
    if match is None or match.start() == 0:
        return None
    head = line[:match.start()]
    end = len(head)
    while end > 1 and (head[end - 1].isspace() or head[end - 1] in QUESTION_SEPARATORS):
        end -= 1
    return head[:end]


def _checked(request: Request) -> Request:
    if request.command == HELP:
        return Request(HELP, "")
    if not request.query:
        raise UsageError(f"{request.command} needs something to look for: {USAGE_BY_COMMAND[request.command]}")
    if request.command == COMPARE:
        # fails early with a clear message; on the text compare will search (invisible characters out)
        split_topics(prepare(request.query, len(request.query)).text)
    return request


def split_topics(query: str) -> tuple[str, str]:
    """Exactly two topics, else a UsageError that says what to type."""
    first, second = read_topics(query)
    if second is None:
        raise UsageError(f"compare needs two topics: {USAGE_BY_COMMAND[COMPARE]}")
    return first, second


def read_topics(query: str) -> tuple[str, str | None]:
    """The two topics of a /compare line, or one (``split_topics`` turns that into a hint).
    A separator wins (vs, 和, a comma), else two words, else two halves of an even
    number of words; a UsageError names what is wrong: three topics, one topic twice."""
    text = query.strip()
    stripped = COMPARE_WORD.sub("", text, count=1).strip()
    text = stripped or text
    parts = [p.strip() for p in TOPIC_SEPARATORS.split(text) if p and p.strip()]
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
    for conjunction in HAN_CONJUNCTIONS:
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
