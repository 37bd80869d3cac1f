"""The stance lexicons from config/stance.yaml, and the one folded form the reader matches in.

Why a folded form: the library holds both scripts and full-width punctuation, the lexicons are
written once in Simplified. Folding (full-width -> ASCII, lower case, Traditional -> Simplified
with the project's one conversion, ``bot.chars.TO_SIMPLIFIED``, the one search folds with:
軟體 -> 软件, not 软体) keeps the text's length, so every word found in the folded text points at
the same characters of the original, and the reason a passage was placed quotes its own words.

Every word of every list becomes one ``Entry`` in one table; the tokenizer (``clauses.py``)
matches the longest entry at each place, so ``追不上`` is one negative word and never the
negator ``不`` followed by ``追上``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import opencc

from bot.chars import HAN_RUN_RE, TO_SIMPLIFIED
from bot.chars import converter as chars_converter
from bot.config import ConfigError, load_yaml

LEXICON_FILE = "stance.yaml"
SIDES = ("open", "closed")
STANCES = ("open", "closed", "both")
# Full-width forms to ASCII, and curly apostrophes to straight ones (can’t = can't); one for one.
FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20, 0x2018: 0x27, 0x2019: 0x27}
# Traditional 著 as the aspect particle (搭著用, 關著門) is 着; OpenCC keeps it, since 著 is also Simplified (著名)
VARIANTS = str.maketrans("著", "着")

# Categories of words and what each does (see docs/STANCE.md).
TARGET = "target"  # names a side: 开源, closed models
PROXY = "proxy"  # a model or firm typical of a side: weaker than a target
PRONOUN = "pronoun"  # 它, 这种模式: carries the last side named
POSITIVE = "positive"  # good said of the nearest side: 优势, 更便宜
ENABLE = "enable"  # 任何人都可以, anyone can: good said of the side, unless what it enables is bad (…拆掉护栏)
NEGATIVE = "negative"  # bad said of the nearest side: 落后, 智商税
LIMIT = "limit"  # what one is left with, said of the nearest side: (闭源模型出了怪事，你)只能(提工单): bad for it
LABOUR = "labour"  # a use given to a side (规划用闭源，执行用开源; 开源模型负责…): each side its own job is "both"
ENDORSE = "endorse"  # for the side that follows: 应该 开源, 支持 开源, 未来属于 开源
REJECT = "reject"  # against the side that follows: 反对 开源, 放弃 开源
NECESSITY = "necessity"  # for the side that follows, as what cannot be done without: 如果没有 开源
BETTER = "better"  # A 超越 B: good for A, bad for B
WORSE = "worse"  # A 追不上 B: bad for A, good for B
THAN = "than"  # A 比 B 更…, A … than B: what is said of A is said against B
INTENSIFIER = "intensifier"  # predictions and degree: 终将, 会越来越, 绝对
NEGATOR = "negator"  # 不, 没有, 并非, not
DENIAL = "denial"  # 我不认为, 很难说: every word after it in its clause is denied
IGNORE = "ignore"  # words that merely contain a negator or a marker: 不断, 未来, 比如
CONCESSION = "concession"  # 虽然, 尽管: the clauses that follow weigh less
CONTRAST = "contrast"  # 但是, 然而, 而是: the clauses that follow weigh more
PREFER_NOT = "prefer_not"  # 与其 (…不如…): against what it names
PREFER = "prefer"  # 不如/还不如 after 与其: for what it names
RHETORICAL = "rhetorical"  # 难道, 岂: the question asserts the opposite of its words
BOTH = "both"  # 互补, 共存, 各有所长: open and closed together
OPPOSED = "opposed"  # 对立, 零和: "both" only when denied (并非对立)
REPORTED = "reported"  # 有人说, critics say: the sentence reports a view, often the one rebutted
CONDITION = "condition"  # 如果, 一旦: the clause supposes, it does not assert
SCOPE = "scope"  # 对于, 至于: "for most models open; for the frontier closed" is "both"
OPINION = "opinion"  # 观点, 评论, 演讲 in a title: the piece argues, so its title speaks for it
VIEW = "view"  # 这种说法, this argument: what is said next is said of a view, not of a side
PAIR = "pair"  # 两者, 二者, both approaches: names the two sides at once
CONJUNCTION = "conjunction"  # 和, 与, and: joins two sides into one subject
CATEGORIES = (
    TARGET, PROXY, PRONOUN, POSITIVE, ENABLE, NEGATIVE, LIMIT, LABOUR, ENDORSE, REJECT, NECESSITY, BETTER, WORSE, THAN, INTENSIFIER,
    NEGATOR, DENIAL, IGNORE, CONCESSION, CONTRAST, PREFER_NOT, PREFER, RHETORICAL, BOTH, OPPOSED, PAIR, CONJUNCTION,
    REPORTED, CONDITION, VIEW, OPINION, SCOPE,
)
SIDED = (TARGET, PROXY)  # categories listed per side


@dataclass(frozen=True)
class Entry:
    word: str  # folded
    category: str
    weight: float = 1.0
    side: str | None = None  # for targets and proxies


@dataclass(frozen=True)
class Thresholds:
    min_score: float = 1.0  # evidence a side needs to be a verdict
    min_margin: float = 0.5  # lead over the other side
    both_min: float = 1.0  # evidence for "both" (complementary words, or two sides praised alike)
    balance: float = 0.6  # both sides praised within this ratio of each other -> "both"
    scoped: float = 0.5  # each side's support needed for "both" when the passage splits its scope (对于…对于…)
    cross: float = 0.8  # criticism of one side counts this much for the other
    question: float = 0.5  # a plain question asserts little
    rhetorical_rest: float = 0.5  # the other clauses of a rhetorical question (presupposed, not asked)
    reported: float = 0.25  # a sentence that reports what others say (有人说…)
    quoted: float = 0.5  # words inside a short quotation mark pair (a slogan, a scare quote)
    condition: float = 0.5  # a clause under 如果/一旦
    concession: float = 0.5  # clauses under 虽然/尽管
    before_contrast: float = 0.6  # clauses before 但是 with no concession marker
    main: float = 1.4  # clauses after 但是/而是
    carried: float = 0.8  # a side carried over from an earlier clause of the sentence
    pronoun: float = 0.5  # a side carried over by a pronoun, or from an earlier sentence
    negation_window: int = 6  # characters before a word where a negator applies
    heading: float = 1.0  # what a heading's verdict adds to a passage under it that has evidence
    title: float = 0.7  # what the document title's verdict adds, where the heading says nothing
    speaker: float = 0.5  # what a speaker's clear stance adds to their weaker passages
    lean: float = 0.4  # own evidence a passage needs before context adds to it
    speaker_clear: float = 2.0  # score at which a passage shows its speaker's stance
    tally: float = 0.3  # a sentence of figures (two or more shares or counts): it reports, it does not argue
    labour: float = 1.2  # "both" from each side given its own job in one sentence (规划用闭源，执行用开源)
    labour_reach: int = 8  # characters between a use word and the side it gives the use to


@dataclass(frozen=True)
class Topics:
    """What /compare needs of the lexicon: the topic words of each side and the fold they are
    matched in. A serving process keeps only this (``load_topics``), not the reader's word
    table, its trie and the asides (read only when a library is built)."""

    topics: dict[str, frozenset[str]]  # /compare topic words -> stance
    converter: opencc.OpenCC

    def fold(self, text: str) -> str:
        """Same length as ``text``: full-width -> ASCII, lower case, Traditional -> Simplified."""
        narrow = text.translate(FULL_WIDTH)
        lowered = narrow.lower()
        if len(lowered) != len(narrow):
            lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in narrow)
        convert = self.converter.convert
        simplified = convert(lowered)
        if len(simplified) != len(lowered):  # a phrase changed length (程式碼 -> 代码): that run of Han character by character
            simplified = HAN_RUN_RE.sub(lambda run: _same_length(convert, run.group()), lowered)
        return simplified.translate(VARIANTS)

    def topic_stance(self, topic: str) -> str | None:
        """'开源', 'Open Source' and '開源' all name the open side."""
        key = " ".join(self.fold(topic).split())
        return next((side for side, words in self.topics.items() if key in words), None)


@dataclass(frozen=True)
class Lexicon(Topics):
    """The whole reader's lexicon: the topic words and every word of every list."""

    entries: dict[str, tuple[Entry, ...]]  # folded word -> entries (a word may serve in two roles)
    pattern: re.Pattern[str]  # every word, the longest at each place
    thresholds: Thresholds
    question_labels: frozenset[str] = frozenset()  # turn labels of the asker (记者, Q, 主持人), folded: config/attribution.yaml's
    small_talk: re.Pattern[str] = re.compile(r"(?!)")  # greetings, thanks, sign-offs (谢谢, 大家好)


def _same_length(convert, run: str) -> str:
    whole = convert(run)
    if len(whole) == len(run):
        return whole
    return "".join(c if len(c) == 1 else o for o in run for c in (convert(o),))


def load_lexicon(config_dir: Path) -> Lexicon:
    """Read config/stance.yaml (required) and any ``stance_*.yaml`` beside it (more words)."""
    config_dir = Path(config_dir)
    path = config_dir / LEXICON_FILE
    data = load_yaml(path, required=True)
    converter = chars_converter(TO_SIMPLIFIED)
    extra = sorted(config_dir.glob("stance_*.yaml"))
    table: dict[str, list[Entry]] = {}
    try:
        thresholds = Thresholds(**{k: type(getattr(Thresholds, k))(v) for k, v in (data.get("thresholds") or {}).items()})
    except (TypeError, ValueError, AttributeError) as exc:
        raise ConfigError(path, f"bad thresholds: {exc}") from exc
    for source in [path, *extra]:
        words = data.get("words") if source == path else load_yaml(source).get("words")
        _add_words(source, words or {}, table, converter)
    if not any(e.category == TARGET for es in table.values() for e in es):
        raise ConfigError(path, "no target words: list the open and closed sides under words: target:")
    topics = _topics(path, data.get("topics") or {}, converter)
    labels, small_talk = _asides(path, data.get("asides") or {}, converter, config_dir)
    return Lexicon(topics, converter, {w: tuple(es) for w, es in table.items()}, words_pattern(sorted(table)), thresholds, labels, small_talk)


def load_topics(config_dir: Path) -> Topics:
    """Only the topic words of config/stance.yaml (what a serving process keeps for /compare)."""
    path = Path(config_dir) / LEXICON_FILE
    converter = chars_converter(TO_SIMPLIFIED)
    return Topics(_topics(path, load_yaml(path, required=True).get("topics") or {}, converter), converter)


def _asides(path: Path, asides: dict, converter: opencc.OpenCC, config_dir: Path) -> tuple[frozenset[str], re.Pattern[str]]:
    """``asides:`` the words of small talk (``asides.py``); and the asker's turn labels, which
    are config/attribution.yaml's ``question_labels``: one list of turn labels for attribution
    (whose turn is a question) and stance (whose turn argues nothing)."""
    from bot.corpus.attribution.lexicon import asker_labels  # here, not at the top: a serving process reads only the topics

    if not isinstance(asides, dict) or set(asides) - {"small_talk"}:
        moved = " (the asker's turn labels are config/attribution.yaml's question_labels)" if isinstance(asides, dict) and "question_labels" in asides else ""
        raise ConfigError(path, "'asides' must map small_talk: to a word list" + moved)
    talk = [word for word, _ in _items(path, "small_talk", asides.get("small_talk") or [])]
    labels = asker_labels(config_dir)
    return frozenset(_fold_word(w, converter) for w in labels), words_pattern(sorted({_fold_word(w, converter) for w in talk}))


def _add_words(path: Path, words: dict, table: dict[str, list[Entry]], converter: opencc.OpenCC) -> None:
    if not isinstance(words, dict):
        raise ConfigError(path, "'words' must be a mapping of category to word lists")
    for category, listed in words.items():
        if category not in CATEGORIES:
            raise ConfigError(path, f"unknown word category '{category}' (known: {', '.join(CATEGORIES)})")
        if category in SIDED:
            if not isinstance(listed, dict) or set(listed) - set(SIDES):
                raise ConfigError(path, f"'{category}' must map open: and closed: to word lists")
            for side, items in listed.items():
                for word, weight in _items(path, category, items):
                    _put(table, Entry(_fold_word(word, converter), category, weight, side))
        else:
            for word, weight in _items(path, category, listed):
                _put(table, Entry(_fold_word(word, converter), category, weight))


def _items(path: Path, category: str, items) -> list[tuple[str, float]]:
    """A list of words, each a string or ``{word: weight}``."""
    if not isinstance(items, list):
        raise ConfigError(path, f"'{category}' must be a list of words")
    out = []
    for item in items:
        if isinstance(item, str) and item.strip():
            out.append((item, 1.0))
        elif isinstance(item, dict) and len(item) == 1:
            (word, weight), = item.items()
            if not isinstance(word, str) or not isinstance(weight, (int, float)):
                raise ConfigError(path, f"bad entry under '{category}': {item!r} (write word or {{word: weight}})")
            out.append((word, float(weight)))
        else:
            raise ConfigError(path, f"bad entry under '{category}': {item!r} (write word or {{word: weight}})")
    return out


def _put(table: dict[str, list[Entry]], entry: Entry) -> None:
    if entry.word:
        table.setdefault(entry.word, []).append(entry)


def _fold_word(word: str, converter: opencc.OpenCC) -> str:
    return " ".join(converter.convert(word.translate(FULL_WIDTH).lower()).translate(VARIANTS).split())


def words_pattern(words: list[str]) -> re.Pattern[str]:
    """One regular expression for every word, as a trie, so each place in a text costs one step
    per character instead of one try per word (a plain alternation of ~1,000 words was most of
    the reader's time). At each node longer words come first, so the longest word wins.
    ASCII words match whole words only (``open source``, not inside ``reopen sources``), and a
    space in a word matches spaces or a hyphen (``open-source``)."""
    english = [w for w in words if w[:1].isascii() and w[:1].isalnum()]
    other = [w for w in words if not (w[:1].isascii() and w[:1].isalnum())]
    parts = []
    if english:
        parts.append(r"(?<![a-z0-9])" + _render(_trie(english), ""))
    if other:
        parts.append(_render(_trie(other), ""))
    return re.compile("|".join(parts) or r"(?!)")


def _trie(words: list[str]) -> dict:
    root: dict = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return root


def _render(node: dict, last: str) -> str:
    options = [(r"[\s\-]+" if ch == " " else re.escape(ch)) + _render(node[ch], ch) for ch in sorted(k for k in node if k)]
    if "" in node:
        options.append(r"(?![a-z0-9])" if last.isascii() and last.isalnum() else "")
    return options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"


def _topics(path: Path, topics: dict, converter: opencc.OpenCC) -> dict[str, frozenset[str]]:
    if not isinstance(topics, dict) or set(topics) - set(STANCES):
        raise ConfigError(path, f"'topics' must map {', '.join(STANCES)} to word lists")
    return {side: frozenset(_fold_word(str(w), converter) for w in words or []) for side, words in topics.items()}
