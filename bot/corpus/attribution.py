"""Who speaks in each passage, and which of its words are quotations by whom.

The evidence, strongest first:

1. Interview turns. A passage that opens with a speaker label (``Jim Zemlin:``, ``騰訊科技：``, or a
   ``Q:``/``A:`` label) is that speaker's, and so are the unlabelled passages after it, up to the next
   label or the next section. The label's words are not part of the quotation.
2. Speech tied to a speech verb (说, 表示, 稱, 認為, 警告…) or to a speech noun before a colon
   (名言:, 他的回答…:), with a speaker found before the verb in the same sentence: the quoted words
   (“…”, 「…」, "…") and, without quote marks, the reported words from the verb to the end of the
   sentence. A verb after a quotation (“…,”伊曼纽尔表示) names its speaker too, and so does an
   English one (“…,” said Ek). An organisation speaking as "we" at itself (“在Databricks,我们…”)
   signs a quotation that nothing else attributes.
3. A lead-in that leaves speech open at the end of a paragraph (李彥宏表示:…, 他的回答則十分有意思:)
   carries on into the quoted paragraphs after it, a blockquote after it, or, when the lead-in ends
   in a colon, a short unquoted excerpt.
4. Everything else is narration: the author's (``Source.author``), or nobody's when no author is known.

A quoted term with no speech verb (“護城河”) is a scare quote, not a quotation. A speech verb whose
speaker cannot be found gives no quotation at all: no name is better than a wrong one.

All the pattern work runs on a *masked* copy of the passage in which quoted words are blanked out,
so a name inside a quotation is never taken for its speaker and punctuation inside a quotation
never ends the sentence around it. Offsets in the masked copy are offsets in the passage.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from bot.corpus.models import Passage, Quotation, Source, Speaker

# ---------------------------------------------------------------------------------------------
# Vocabulary (both scripts)

CLOSING_QUOTE = {"“": "”", "「": "」", "『": "』"}
ASCII_QUOTE = '"'
MASK = "\ufffc"  # stands in for quoted characters; matches no pattern below

SENTENCE_END = "。！？!?；;"
CLAUSE_BREAK = SENTENCE_END + "，,、：:"
COLONS = ":："
TRAILING_NOISE = ' \t\u3000。！？!?；;，,、：:…”」』"’)）'

# Verbs that introduce reported words, with or without quote marks ("…说," / "…表示:" / "…稱,").
REPORTING_VERBS = frozenset(
    """说 說 说道 說道 表示 称 稱 声称 聲稱 宣称 宣稱 指出 强调 強調 提出 提到 透露 坦言 直言 警告
    解释 解釋 写道 寫道 回应 回應 补充 補充 承认 承認 重申 呼吁 呼籲 驳斥 駁斥 谈到 談到 提醒
    反驳 反駁 问道 問道 答道 感叹 感嘆 发帖说 發帖說 高喊 呼喊 喊出 喊道""".split()
)
# Verbs of opinion: their content may follow without any punctuation (扎克伯格…认为这项技术…).
OPINION_VERBS = frozenset("认为 認為".split())
# Verbs that only introduce words in quote marks, close after them (MiniMax…期望“…”,
# 一位采訪者詢問梁文峰“…”); a short term after them (希望“星云”成功) is not speech.
QUOTING_VERBS = frozenset("询问 詢問 追问 追問 反问 反問 提问 提問 回答 期望 希望 写下 寫下".split())
# English speech verbs: they name the speaker of a quotation before or after them ("…," said Ek).
ENGLISH_VERBS = frozenset(
    "said says say told tells added adds wrote writes asked asks explained argued noted warned".split()
)
# Nouns for what someone said; they cue speech only before a colon or 是 (那句名言:“…”).
SPEECH_NOUNS = frozenset("回答 名言 看法 观点 觀點 原话 原話 说法 說法 表态 表態 声明 聲明 评价 評價".split())
ALL_CUES = REPORTING_VERBS | OPINION_VERBS | QUOTING_VERBS | SPEECH_NOUNS | ENGLISH_VERBS
TAG_VERBS = REPORTING_VERBS | OPINION_VERBS | ENGLISH_VERBS  # may stand after the quotation they name

# Words that look like a cue but are not speech: 对…来说, 比如说, 被称为, 另称, 说明, 称为…
NOT_SPEECH_BEFORE = {
    "说": (
        "来",
        "比如",
        "可以",
        "换句话",
        "也就是",
        "就是",
        "所以",
        "据",
        "听",
        "虽",
        "再",
        "小",
        "传",
        "学",
        "演",
        "游",
        "劝",
        "不用",
        "总的",
        "一般",
        "应该",
        "老实",
        "坦白",
    ),
    "說": (
        "來",
        "比如",
        "可以",
        "換句話",
        "也就是",
        "就是",
        "所以",
        "據",
        "聽",
        "雖",
        "再",
        "小",
        "傳",
        "學",
        "演",
        "遊",
        "勸",
        "不用",
        "總的",
        "一般",
        "應該",
        "老實",
        "坦白",
    ),
    "称": tuple("被另又俗简也亦通或堪人名号昵统自总对职尊泛并"),
    "稱": tuple("被另又俗簡也亦通或堪人名號暱統自總對職尊泛並"),
    "认为": ("被",),
    "認為": ("被",),
}
NOT_SPEECH_AFTER = {
    "说": tuple("明服法话书辞客教"),
    "說": tuple("明服法話書辭客教"),
    "称": tuple("为作号赞之呼谓职"),
    "稱": tuple("為作號讚之呼謂職"),
}

ADVERBS = (
    r"(?:也|还|還|则|則|曾|就|又|亦|都|便|并|並|而|且|更|再|"
    r"最近|近日|随后|隨後|此前|曾经|曾經|当时|當時|一直|同时|同時|再次)"
)
TITLES = (
    r"(?:CEO|CTO|COO|CFO|首席执行官|首席執行官|创始人|創始人|总裁|總裁|董事长|董事長|主席|总经理|總經理|"
    r"负责人|負責人|研究员|研究員|教授|分析师|分析師|发言人|發言人|经理|經理|记者|記者|总监|總監|院士|"
    r"博士|部长|部長|主任|工程师|工程師|开发者|開發者)"
)
# Common surnames in both scripts: a bare Chinese name after a title only counts when it starts so.
SURNAMES = (
    "王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何高林罗羅郑鄭梁谢謝宋唐许許韩韓冯馮邓鄧"
    "曹彭曾肖萧蕭田董袁潘于蒋蔣蔡余杜叶葉程苏蘇魏吕呂丁任沈姚卢盧姜崔钟鍾谭譚陆陸汪范金石廖贾賈"
    "夏韦韋付方白邹鄒孟熊秦邱江尹薛闫閆段雷侯龙龍史陶黎贺賀顾顧毛郝龚龔邵万萬钱錢严嚴覃武戴莫孔"
    "向汤湯"
)

LATIN_NAME = r"(?<![A-Za-z])[A-Z][a-z]+(?:[ \-][A-Z][a-z]+){0,3}"
TRANSLITERATED_NAME = r"[\u4e00-\u9fff]{1,8}[·•・][\u4e00-\u9fff]{1,6}"
TITLED_CHINESE_NAME = rf"{TITLES}\s?(?P<titled>[{SURNAMES}][\u4e00-\u9fff]{{1,2}}?)"
PARENTHETICAL = r"(?:\s*[（(][^()（）]{1,40}[)）])?"
# A name that nobody listed, standing right before its speech verb (研究员努尔·艾哈迈德(Nur Ahmed)说).
UNLISTED_NAME_BEFORE_CUE = re.compile(
    rf"(?:(?P<latin>{LATIN_NAME})|(?P<translit>{TRANSLITERATED_NAME})|{TITLED_CHINESE_NAME})"
    rf"{PARENTHETICAL}\s*{ADVERBS}*\s*$"
)
# Title or modifier words that may stick to the front of a transliterated name: cut them off.
NAME_PREFIX_NOISE = re.compile(rf"^.*(?:{TITLES}|的)")

CONNECTIVES_ONLY = re.compile(rf"^[\s{MASK}]*(?:{ADVERBS}|然而|但是|但|不过|不過|另外|此外|例如)*\s*$")

PERSON_PRONOUN = re.compile(r"(?<![其吉利])[他她](?![们們人])|\b(?:[Hh]e|[Ss]he)\b")
GROUP_PRONOUN = re.compile(r"[他她它][们們]|它|\b(?:[Tt]hey|[Ii]t)\b")
SELF_REFERENCE = re.compile(r"我[们們]?|笔者|筆者|本文|你[们們]?|您|\b(?:I|[Ww]e|[Yy]ou)\b")
# 王建国对李明说: a name after 对/向/跟/给 is who is spoken to, not who speaks.
ADDRESSEE_MARK = tuple("对對向跟给給")
SHORT_TERM_CHARS = 6  # a quoted term this short after a quoting-only verb is a name for something
QUOTING_VERB_REACH = 8  # a quoting-only verb introduces a quotation opening this close after it

TURN_LABEL = re.compile(
    r"^\s*(?P<label>[^\s:：，,。！？!?“”\"「」（）()/][^:：，,。！？!?“”\"「」\n]{0,23}?)\s*[:：](?!//)\s*"
)
QA_LABELS = {"q": "question", "问": "question", "問": "question", "a": "answer", "答": "answer"}
NON_SPEAKER_LABELS = frozenset(
    "注 备注 備註 注释 註釋 来源 來源 例如 比如 编者按 編者按 作者 编辑 編輯 原文 链接 鏈接 图 圖 "
    "资料来源 資料來源 数据来源 數據來源 提示 更新 说明 說明 摘要 标签 標籤 关键词 關鍵詞".split()
)
LABEL_RECURRENCE = 3  # an unlisted label must open this many passages to count as a speaker
INTERVIEW_PHRASE = re.compile(
    r"接受(?:了)?(?P<who>[^，,。！？!?；;:：]{1,24}?)的?(?:采访|採訪|专访|專訪|访问|訪問)"
)
INTERVIEWER_NOISE = re.compile(r"^(?:记者|記者)|[“”「」\"]")

QUOTE_WINDOW = 30  # a quote opening this close after a speech verb is what the verb introduces
MAX_LABEL_CHARS = 16
MAX_EXCERPT_PASSAGES = 3  # unquoted paragraphs after "X wrote:" taken as X's; beyond, narration
MAIN_SPEAKER_SHARE = 0.5  # a passage is its speaker's when their words cover at least this much


# ---------------------------------------------------------------------------------------------
# Names


@dataclass(frozen=True)
class SpeakerBook:
    """Every spelling of every listed speaker, matched longest first, mapped to the canonical name."""

    canonical: dict[str, str]
    pattern: re.Pattern[str] | None

    @classmethod
    def of(cls, speakers: tuple[Speaker, ...]) -> SpeakerBook:
        canonical: dict[str, str] = {}
        for speaker in speakers:
            for name in speaker.all_names:
                canonical.setdefault(_fold(name), speaker.name)
        if not canonical:
            return cls(canonical, None)
        spellings = sorted({n for s in speakers for n in s.all_names}, key=len, reverse=True)
        alternatives = "|".join(_alias_pattern(name) for name in spellings)
        return cls(canonical, re.compile(alternatives, re.IGNORECASE))

    def lookup(self, name: str) -> str | None:
        return self.canonical.get(_fold(name))

    def mentions(self, masked: str) -> list[Mention]:
        if self.pattern is None:
            return []
        return [
            Mention(m.start(), m.end(), self.lookup(m.group()), "name") for m in self.pattern.finditer(masked)
        ]


def _fold(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


def _alias_pattern(name: str) -> str:
    """A Latin spelling must stand as whole words (Meta, not metaverse); Chinese ones need no edges."""
    escaped = re.escape(name).replace(r"\ ", r"\s*")
    before = r"(?<![A-Za-z0-9])" if name[:1].isascii() and name[:1].isalnum() else ""
    after = r"(?![A-Za-z0-9])" if name[-1:].isascii() and name[-1:].isalnum() else ""
    return f"{before}{escaped}{after}"


@dataclass(frozen=True)
class Mention:
    """Someone a stretch of narration refers to: by name, by pronoun, as a group, or the writer."""

    start: int
    end: int
    speaker: str | None
    kind: str  # "name", "pronoun", "group", "self"


# ---------------------------------------------------------------------------------------------
# Quote marks and the masked text


@dataclass(frozen=True)
class QuoteMark:
    """A pair of quote marks; an opening “ that never closes runs to the end of the passage."""

    open: int
    close: int  # index of the closing mark, or len(text) when it never closes

    @property
    def inner(self) -> tuple[int, int]:
        return self.open + 1, self.close


def find_quotes(text: str) -> list[QuoteMark]:
    """Quote pairs in reading order (“…” 「…」 『…』 and straight "…"); nested marks stay inside."""
    quotes, index = [], 0
    while index < len(text):
        char = text[index]
        if char in CLOSING_QUOTE:
            close = text.find(CLOSING_QUOTE[char], index + 1)
            close = len(text) if close == -1 else close
        elif char == ASCII_QUOTE:
            close = text.find(ASCII_QUOTE, index + 1)
            if close == -1:  # a lone straight quote is too ambiguous to run to the end
                index += 1
                continue
        else:
            index += 1
            continue
        quotes.append(QuoteMark(index, close))
        index = close + 1
    return quotes


def masked_text(text: str, quotes: list[QuoteMark]) -> str:
    chars = list(text)
    for quote in quotes:
        for index in range(quote.open, min(quote.close + 1, len(text))):
            chars[index] = MASK
    return "".join(chars)


def _ends_sentence(text: str, quote: QuoteMark) -> bool:
    inner = text[quote.inner[0] : quote.inner[1]].rstrip(' ”」』"’')
    return inner.endswith(tuple("。！？!?…"))


@dataclass(frozen=True)
class Layout:
    """A passage prepared for reading: its quotes, the masked copy, sentences and mentions."""

    text: str
    quotes: list[QuoteMark]
    masked: str
    sentence_ends: list[int]  # offsets just after each sentence
    mentions: list[Mention]

    @classmethod
    def of(cls, text: str, book: SpeakerBook) -> Layout:
        quotes = find_quotes(text)
        masked = masked_text(text, quotes)
        ends = {i + 1 for i, c in enumerate(masked) if c in SENTENCE_END}
        ends |= {q.close + 1 for q in quotes if q.close < len(text) and _ends_sentence(text, q)}
        ends.add(len(text))
        return cls(text, quotes, masked, sorted(ends), _mentions(masked, book))

    def sentence_of(self, index: int) -> tuple[int, int]:
        start = 0
        for end in self.sentence_ends:
            if index < end:
                return start, end
            start = end
        return start, len(self.text)

    def clause_start(self, index: int, floor: int) -> int:
        for position in range(index - 1, floor - 1, -1):
            if self.masked[position] in CLAUSE_BREAK:
                return position + 1
        return floor


def _mentions(masked: str, book: SpeakerBook) -> list[Mention]:
    found = book.mentions(masked)
    taken = [(m.start, m.end) for m in found]

    def free(match: re.Match[str]) -> bool:
        return not any(s < match.end() and match.start() < e for s, e in taken)

    for pattern, kind in ((GROUP_PRONOUN, "group"), (SELF_REFERENCE, "self"), (PERSON_PRONOUN, "pronoun")):
        for match in pattern.finditer(masked):
            if free(match):
                found.append(Mention(match.start(), match.end(), None, kind))
                taken.append((match.start(), match.end()))
    return sorted(found, key=lambda m: m.start)


# ---------------------------------------------------------------------------------------------
# Speech cues and the acts of speech they mark


@dataclass(frozen=True)
class Cue:
    start: int
    end: int
    word: str
    noun: bool  # used as a noun (他的回答…:, 那句名言:), which speaks only before a colon or 是


def _cue_pattern() -> re.Pattern[str]:
    words = sorted(ALL_CUES, key=len, reverse=True)
    return re.compile("|".join(_alias_pattern(w) for w in words))


CUE_WORDS = _cue_pattern()
SUBJECT_PRONOUN_QI = re.compile(
    rf"其(?={ADVERBS}*(?:{'|'.join(sorted(REPORTING_VERBS | OPINION_VERBS, key=len, reverse=True))}))"
)


def find_cues(masked: str) -> list[Cue]:
    """Speech words in narration, without the look-alikes (对…来说, 被称为, 说明, 的坦承…)."""
    cues = []
    for match in CUE_WORDS.finditer(masked):
        word, start, end = match.group(), match.start(), match.end()
        before, after = masked[max(0, start - 4) : start], masked[end : end + 1]
        if any(before.endswith(b) for b in NOT_SPEECH_BEFORE.get(word, ())):
            continue
        if after and after in NOT_SPEECH_AFTER.get(word, ()):
            continue
        is_verb = word in REPORTING_VERBS | OPINION_VERBS | QUOTING_VERBS
        if word in SPEECH_NOUNS and (before.endswith("的") or not is_verb):
            if _object_of_a_verb(masked, cues, start):
                continue  # 她反驳了王建国的观点: the view is what she answers, not what she says
            if before.endswith("的") or NOUN_HANDS_OVER.match(masked, end):
                cues.append(Cue(start, end, word, noun=True))
            continue
        if before.endswith("的") or after == "的":
            continue  # a verb used as a noun (他對…的坦承) or as a modifier (提出的目標)
        if cues and cues[-1].end == start and not cues[-1].noun:
            start = cues.pop().start  # one verb made of two (警告稱, 解釋說): its subject is before both
        cues.append(Cue(start, end, word, noun=False))
    return cues


def _object_of_a_verb(masked: str, cues: list[Cue], start: int) -> bool:
    previous = cues[-1] if cues else None
    return bool(
        previous and not previous.noun and not any(c in CLAUSE_BREAK for c in masked[previous.end : start])
    )


# After a speech noun, the words follow a colon or 是 (名言:“…” / 他的回答是——…); a possessed noun may
# take a few words first (他的回答則十分有意思:).
NOUN_HANDS_OVER = re.compile(rf"(?:[{COLONS}]|是\s*(?:[{COLONS}，,]|——))")
POSSESSED_NOUN_HANDS_OVER = re.compile(
    rf"(?:[^{CLAUSE_BREAK}{MASK}]{{0,8}}[{COLONS}]|是\s*(?:[{COLONS}，,]|——))"
)


@dataclass(frozen=True)
class Act:
    """One act of speech: its cue, who spoke, and where the words it introduces may lie."""

    cue: Cue
    speaker: str | None
    sentence_end: int
    reported: tuple[int, int] | None  # unquoted words, from after the cue to the sentence end
    opens_quotes_until: int  # quotes opening before this offset are introduced by the cue
    named_after: bool = False  # the speaker stands after the verb ("…," said Ek)

    @property
    def quoting_only(self) -> bool:
        return not self.cue.noun and self.cue.word in QUOTING_VERBS


def _reported_start(masked: str, cue: Cue) -> int | None:
    """Where reported words begin after a cue, or None when the cue does not introduce any."""
    rest = masked[cue.end :]
    if cue.word in OPINION_VERBS:
        match = re.match(rf"^\s*[，,{COLONS}]?\s*", rest)
        return cue.end + match.end()
    if cue.word in REPORTING_VERBS:
        match = re.match(rf"^[了着著]?\s*[，,{COLONS}]\s*", rest) or re.match(
            rf"^了[^{CLAUSE_BREAK}{MASK}]{{1,12}}[{COLONS}]\s*", rest
        )
        return cue.end + match.end() if match else None
    if cue.noun:
        match = POSSESSED_NOUN_HANDS_OVER.match(rest)
        return cue.end + match.end() + _leading_space(rest[match.end() :]) if match else None
    return None


def _leading_space(text: str) -> int:
    return len(text) - len(text.lstrip())


def find_acts(layout: Layout, context: str | None) -> list[Act]:
    acts = []
    for cue in find_cues(layout.masked):
        sentence_start, sentence_end = layout.sentence_of(cue.start)
        subject = subject_before(layout, cue, sentence_start, context)
        named_after = subject is None and cue.word in ENGLISH_VERBS
        if named_after:
            subject = _name_after(layout, cue, context)
        if subject is None:
            continue
        start = _reported_start(layout.masked, cue)
        reported = None
        if start is not None and start < sentence_end and layout.masked[start : start + 1] != MASK:
            reported = (start, sentence_end)
        reach = QUOTING_VERB_REACH if cue.word in QUOTING_VERBS and not cue.noun else QUOTE_WINDOW
        window = min(sentence_end, cue.end + reach)
        acts.append(Act(cue, subject.speaker, sentence_end, reported, window, named_after))
    return acts


ENGLISH_NAME_AFTER = re.compile(rf"\s+({LATIN_NAME})")


def _name_after(layout: Layout, cue: Cue, context: str | None) -> Subject | None:
    """English puts the speaker after its verb too: "…," said Jim Zemlin / said he."""
    following = [m for m in layout.mentions if cue.end <= m.start <= cue.end + 1]
    if following and following[0].kind == "name":
        return Subject(following[0].speaker)
    if following and following[0].kind == "pronoun":
        return Subject(_resolve_pronoun(layout, following[0].start, context))
    match = ENGLISH_NAME_AFTER.match(layout.masked, cue.end)
    return Subject(match.group(1)) if match else None


@dataclass(frozen=True)
class Subject:
    speaker: str | None  # None: someone unnamed, a group, or the writer — found, but nobody to name


def subject_before(layout: Layout, cue: Cue, floor: int, context: str | None) -> Subject | None:
    """The speaker of a cue: the nearest name or pronoun before it in its clause, or, when the clause
    starts with the cue (扎克伯格则一直在大声疾呼,认为…), in the clauses before it in the sentence."""
    clause_start = layout.clause_start(cue.start, floor)
    found = _nearest_subject(layout, cue, clause_start, context)
    if found is None and CONNECTIVES_ONLY.match(layout.masked[clause_start : cue.start]):
        found = _nearest_subject(layout, cue, floor, context)
    return found


def _nearest_subject(layout: Layout, cue: Cue, start: int, context: str | None) -> Subject | None:
    unlisted = _unlisted_name(layout.masked[start : cue.start])
    for mention in reversed([m for m in layout.mentions if start <= m.start and m.end <= cue.start]):
        if (
            _is_possessive(layout.masked, mention, cue)
            or layout.masked[mention.start - 1 : mention.start] in ADDRESSEE_MARK
        ):
            continue
        if unlisted and start + unlisted[0] >= mention.end:
            return Subject(unlisted[1])
        if mention.kind == "name":
            return Subject(mention.speaker)
        if mention.kind == "pronoun":
            return Subject(_resolve_pronoun(layout, mention.start, context))
        return Subject(None)  # a group or the writer speaks: nobody to name
    if unlisted:
        return Subject(unlisted[1])
    qi = SUBJECT_PRONOUN_QI.search(layout.masked, start, cue.end)
    if qi and qi.start() < cue.start:
        return Subject(_resolve_pronoun(layout, qi.start(), context))
    return None


def _is_possessive(masked: str, mention: Mention, cue: Cue) -> bool:
    """扎克伯格的发言人表示: the name owns the speaker. 他的回答: the name owns the words, so it speaks."""
    if masked[mention.end : mention.end + 1] != "的":
        return False
    return not (cue.noun and cue.start == mention.end + 1)


def _unlisted_name(before_cue: str) -> tuple[int, str] | None:
    """A name no one listed but shaped like one, directly before the cue: (offset, name)."""
    match = UNLISTED_NAME_BEFORE_CUE.search(before_cue)
    if not match or CUE_WORDS.search(match.group()):
        return None
    for group in ("latin", "titled"):
        if match.group(group):
            return match.start(group), match.group(group)
    name = match.group("translit")
    given, rest = re.split(r"(?=[·•・])", name, maxsplit=1)
    given = NAME_PREFIX_NOISE.sub("", given) or given  # 研究员努尔·艾哈迈德 -> 努尔·艾哈迈德
    return match.end("translit") - len(given + rest), given + rest


def _resolve_pronoun(layout: Layout, index: int, context: str | None) -> str | None:
    """他/她/其 is the last person named before it in the passage, else the one the text was last about."""
    named = [m for m in layout.mentions if m.kind == "name" and m.end <= index]
    return named[-1].speaker if named else context


# ---------------------------------------------------------------------------------------------
# One passage of narration: quotations and reported speech


@dataclass(frozen=True)
class Lead:
    """Speech left open at the end of a passage: the next quoted paragraphs may be its words."""

    speaker: str
    ends_with_colon: bool


@dataclass(frozen=True)
class Reading:
    spans: list[Quotation]
    lead: Lead | None
    last_named: str | None


def read_narration(text: str, book: SpeakerBook, inherited: Lead | None, context: str | None) -> Reading:
    """The quotations in a passage of narration, each with its speaker; ``inherited`` is speech the
    previous passage left open, ``context`` the person the text was last about."""
    layout = Layout.of(text, book)
    acts = find_acts(layout, context)
    tags = _tagged_quotes(layout, acts)
    spans: list[Quotation] = []
    for act in acts:
        if act.reported and act.speaker and act not in tags.values():
            spans.append(Quotation(*_trimmed(text, *act.reported), act.speaker))
    for quote in layout.quotes:
        if any(s.start <= quote.open < s.end for s in spans):
            continue  # already inside someone's reported words
        speaker = _quote_speaker(layout, quote, acts, tags, spans, inherited, book)
        if speaker:
            start, end = _trimmed(text, *quote.inner)
            if end > start:
                spans.append(Quotation(start, end, speaker))
    spans = _merge(sorted(spans, key=lambda q: q.start))
    names = [m.speaker for m in layout.mentions if m.kind == "name"]
    return Reading(spans, _open_lead(layout, acts, spans), names[-1] if names else context)


def _tagged_quotes(layout: Layout, acts: list[Act]) -> dict[int, Act]:
    """Quotes whose speaker is named right after them: “…,”42岁的伊曼纽尔表示 / “…。”某某说。"""
    tags: dict[int, Act] = {}
    for quote in layout.quotes:
        if quote.close >= len(layout.text):
            continue
        region_end = next((e for e in layout.sentence_ends if e > quote.close + 1), len(layout.text))
        following = [q.open for q in layout.quotes if q.open > quote.close]
        region_end = min([region_end, *following])
        act = next((a for a in acts if quote.close < a.cue.start < region_end), None)
        if act is None or not act.speaker or act.cue.noun or act.cue.word not in TAG_VERBS:
            continue
        if not (act.named_after or _named_between(layout, quote.close + 1, act.cue.start)):
            continue
        if _ends_sentence(layout.text, quote) and _introduced_before(layout, quote, acts):
            if not _tag_closes_sentence(layout, act):
                continue  # “…。”中國分析人士指出,… starts a new statement; the verb before wins
        tags[quote.open] = act
    return tags


def _named_between(layout: Layout, start: int, end: int) -> bool:
    if any(start <= m.start and m.end <= end and m.kind in ("name", "pronoun") for m in layout.mentions):
        return True
    return _unlisted_name(layout.masked[start:end]) is not None


def _tag_closes_sentence(layout: Layout, act: Act) -> bool:
    """“…。”某某说。 — the tag is all its sentence says (or hands over to the next part of the quote)."""
    rest = layout.masked[act.cue.end : act.cue.end + 2].lstrip()
    return not rest or rest[0] in SENTENCE_END or rest[0] == MASK or (rest[0] in "，," and rest[1:2] == MASK)


def _introduced_before(layout: Layout, quote: QuoteMark, acts: list[Act]) -> bool:
    return any(a.cue.end <= quote.open < a.opens_quotes_until and a.sentence_end > quote.open for a in acts)


def _quote_speaker(
    layout: Layout,
    quote: QuoteMark,
    acts: list[Act],
    tags: dict[int, Act],
    spans: list[Quotation],
    inherited: Lead | None,
    book: SpeakerBook,
) -> str | None:
    if quote.open in tags:
        return tags[quote.open].speaker
    introducing = [
        a for a in acts if a.cue.end <= quote.open < a.opens_quotes_until and quote.open < a.sentence_end
    ]
    if introducing:
        act = introducing[-1]
        return None if act.quoting_only and _short_term(layout.text, quote) else act.speaker
    previous = [s for s in spans if s.end <= quote.open and s.speaker]
    if previous and not layout.masked[max(s.end for s in previous) : quote.open].strip(TRAILING_NOISE + MASK):
        return max(previous, key=lambda s: s.end).speaker  # the same voice goes on: “…。”“…”
    if inherited and not layout.text[: quote.open].strip():
        return inherited.speaker
    return _self_named(layout.text[quote.inner[0] : quote.inner[1]], book)


def _short_term(text: str, quote: QuoteMark) -> bool:
    return quote.close - quote.open - 1 < SHORT_TERM_CHARS and not _ends_sentence(text, quote)


def _self_named(words: str, book: SpeakerBook) -> str | None:
    """An organisation speaking as "we" at itself (“在Databricks,我们…”) signs its own statement."""
    if book.pattern is None:
        return None
    for match in book.pattern.finditer(words):
        at_itself = words[max(0, match.start() - 1) : match.start()] == "在"
        we_after = re.match(r"[，,]?\s*我[们們]", words[match.end() :])
        we_before = words[max(0, match.start() - 2) : match.start()] in ("我们", "我們")
        if at_itself and we_after or we_before:
            return book.lookup(match.group())
    return None


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1] in " \t\u3000，,：:":
        end -= 1
    return start, end


def _merge(spans: list[Quotation]) -> list[Quotation]:
    """Touching or overlapping spans of one speaker become one; another speaker's never overlap."""
    merged: list[Quotation] = []
    for span in spans:
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            if span.speaker == last.speaker:
                merged[-1] = Quotation(last.start, max(last.end, span.end), last.speaker)
                continue
            span = Quotation(last.end, span.end, span.speaker)
            if span.end <= span.start:
                continue
        merged.append(span)
    return merged


def _open_lead(layout: Layout, acts: list[Act], spans: list[Quotation]) -> Lead | None:
    """Speech that runs to the end of the passage, or a lead-in ending in a colon, stays open."""
    text = layout.text
    ends_with_colon = text.rstrip().endswith(tuple(COLONS))
    if spans and not text[spans[-1].end :].strip(TRAILING_NOISE):
        return Lead(spans[-1].speaker, ends_with_colon) if spans[-1].speaker else None
    if ends_with_colon:
        last_sentence_start = layout.sentence_of(len(text.rstrip()) - 1)[0]
        final = [a for a in acts if a.cue.start >= last_sentence_start and a.speaker]
        if final:
            return Lead(final[-1].speaker, True)
    return None


# ---------------------------------------------------------------------------------------------
# Interview turns and Q/A blocks


@dataclass(frozen=True)
class Turn:
    speaker: str | None
    label_end: int  # the turn's words start here in the labelled passage
    role: str | None = None  # "question" or "answer" for Q/A labels
    carries: bool = True  # whether unlabelled passages after it go on with it


def find_turn_labels(passages: list[Passage], book: SpeakerBook) -> dict[int, Turn]:
    """Which passages open an interview turn: listed speakers, Q/A labels, or labels that recur.
    A single labelled passage in a whole document is a quoted remark, not an interview: it does not
    carry on into the passages after it."""
    raw = {i: m for i, p in enumerate(passages) if (m := TURN_LABEL.match(p.text))}
    counts = Counter(_fold(m.group("label")) for m in raw.values())
    roles = {QA_LABELS.get(label) for label in counts}
    has_qa = {"question", "answer"} <= roles
    turns = {}
    for index, match in raw.items():
        label = match.group("label").strip()
        folded = _fold(label)
        if has_qa and folded in QA_LABELS:
            turns[index] = Turn(None, match.end(), QA_LABELS[folded])
        elif book.lookup(label):
            turns[index] = Turn(book.lookup(label), match.end())
        elif _recurring_speaker_label(label, counts[folded]):
            turns[index] = Turn(label, match.end())
    if len(turns) < 2:
        return {index: replace(turn, carries=False) for index, turn in turns.items()}
    return turns


def _recurring_speaker_label(label: str, count: int) -> bool:
    return (
        count >= LABEL_RECURRENCE
        and len(label) <= MAX_LABEL_CHARS
        and label not in NON_SPEAKER_LABELS
        and not re.search(r"\d", label)
    )


def interview_parties(
    lead_in: Passage | None, lead: Lead | None, after: Passage | None, book: SpeakerBook
) -> tuple[str | None, str | None]:
    """(interviewer, interviewee) of a Q/A block, from the text that introduces or follows it:
    其 CEO 张鹏也在接受记者“AI 科技评论”的采访时表示:  ->  (AI 科技评论, 张鹏)."""
    interviewer = interviewee = None
    if lead_in is not None:
        match = INTERVIEW_PHRASE.search(lead_in.text)
        if match:
            who = INTERVIEWER_NOISE.sub("", match.group("who")).strip()
            interviewer = book.lookup(who) or (who or None)
            layout = Layout.of(lead_in.text, book)
            named = [m for m in layout.mentions if m.kind == "name" and m.end <= match.start()]
            interviewee = named[-1].speaker if named else None
    if lead is not None:
        interviewee = lead.speaker
    if interviewee is None and after is not None:
        named = {m.speaker for m in Layout.of(after.text, book).mentions if m.kind == "name"}
        interviewee = named.pop() if len(named) == 1 else None
    return interviewer, interviewee


# ---------------------------------------------------------------------------------------------
# The document


def attribute(passages: list[Passage], source: Source, speakers: tuple[Speaker, ...]) -> list[Passage]:
    """Fill ``speaker`` and ``quotations`` for one document's passages, given in reading order."""
    book = SpeakerBook.of(speakers)
    turns = find_turn_labels(passages, book)
    flow = Flow()
    result = []
    for index, passage in enumerate(passages):
        flow = _enter_turn(flow, passages, index, turns, book)
        if flow.turn is not None:
            speaker = _turn_speaker(flow.turn[0], flow.parties)
            label_end = turns[index].label_end if index in turns else 0
            unlabelled = " " * label_end + passage.text[label_end:]  # the label names the speaker, not a "他"
            reading = read_narration(unlabelled, book, None, flow.context)
            quoting = [q for q in reading.spans if q.start >= label_end and q.speaker != speaker]
            if index in turns or not _reports_someone_else(passage.text, quoting):
                result.append(_as_turn(passage, speaker, label_end, quoting))
                flow = replace(flow, context=reading.last_named)
                continue
            flow = replace(flow, turn=None)  # “李四表示,‘…’” between turns: the writer reports again
        attributed, flow = _read_passage(
            passage, passages[index - 1] if index else None, flow, book, source.author
        )
        result.append(attributed)
    return result


@dataclass(frozen=True)
class Flow:
    """What one passage hands to the next while reading a document in order."""

    turn: tuple[Turn, Passage] | None = None  # the interview turn in progress and the passage that opened it
    parties: tuple[str | None, str | None] = (None, None)  # (interviewer, interviewee) of a Q/A block
    lead: Lead | None = None  # speech left open by the previous passage
    excerpt: tuple[str, int | None] | None = None  # (speaker, passages it may still run; None: no limit)
    context: str | None = None  # the person the text was last about, for 他/她/其


def _enter_turn(
    flow: Flow, passages: list[Passage], index: int, turns: dict[int, Turn], book: SpeakerBook
) -> Flow:
    """Start, go on with, or leave an interview turn at this passage."""
    turn, passage = turns.get(index), passages[index]
    if turn is None:
        if flow.turn is not None and not _continues_turn(flow.turn, passage):
            return replace(flow, turn=None)
        return flow
    parties = flow.parties
    if turn.role and (flow.turn is None or not flow.turn[0].role):
        before = passages[index - 1] if index else None
        parties = interview_parties(before, flow.lead, _after_block(passages, index, turns), book)
    return replace(flow, turn=(turn, passage), parties=parties, lead=None, excerpt=None)


def _read_passage(
    passage: Passage, previous: Passage | None, flow: Flow, book: SpeakerBook, narrator: str | None
) -> tuple[Passage, Flow]:
    """A passage of narration: its own quotations, plus whatever the previous passage left open."""
    reading = read_narration(passage.text, book, flow.lead, flow.context)
    spans, excerpt = reading.spans, None
    if flow.excerpt and previous is not None and _continues_excerpt(passage, previous):
        spans = _fill_gaps(passage.text, spans, flow.excerpt[0])
        excerpt = _one_passage_on(*flow.excerpt)
    elif flow.lead and flow.lead.ends_with_colon and _is_excerpt(passage):
        spans = _fill_gaps(passage.text, spans, flow.lead.speaker)
        limit = None if passage.kind == "quote" else MAX_EXCERPT_PASSAGES
        excerpt = _one_passage_on(flow.lead.speaker, limit)
    attributed = replace(
        passage, speaker=_main_speaker(passage.text, spans, narrator), quotations=tuple(spans)
    )
    lead = _lead_after(passage, spans, reading.lead, flow.lead)
    return attributed, Flow(lead=lead, excerpt=excerpt, context=reading.last_named)


def _one_passage_on(speaker: str, left: int | None) -> tuple[str, int | None] | None:
    """The excerpt after one more of its passages: None once it has run out (a blockquote never does)."""
    if left is None:
        return speaker, None
    return (speaker, left - 1) if left > 1 else None


def _after_block(passages: list[Passage], index: int, turns: dict[int, Turn]) -> Passage | None:
    for later in range(index + 1, len(passages)):
        if later not in turns and passages[later].kind != passages[index].kind:
            return passages[later]
    return None


def _continues_turn(current: tuple[Turn, Passage], passage: Passage) -> bool:
    """An unlabelled passage goes on with the turn in the same section (a Q/A turn: same blockquote)."""
    turn, opener = current
    if not turn.carries or passage.heading != opener.heading:
        return False
    return passage.kind == "quote" if opener.kind == "quote" else True


def _turn_speaker(turn: Turn, parties: tuple[str | None, str | None]) -> str | None:
    if turn.role == "question":
        return parties[0]
    if turn.role == "answer":
        return parties[1]
    return turn.speaker


def _as_turn(passage: Passage, speaker: str | None, start: int, quoting: list[Quotation]) -> Passage:
    """A turn's words, after its label, are its speaker's, except the words it quotes from others
    (他會說,我賺的錢還不錯: the interviewee reporting someone else)."""
    spans = _fill_gaps(passage.text, quoting, speaker, start) if speaker else quoting
    return replace(passage, speaker=speaker, quotations=tuple(spans))


def _reports_someone_else(text: str, quoting: list[Quotation]) -> bool:
    """An unlabelled paragraph mostly quoting another named speaker is the writer's report."""
    return _main_speaker(text, quoting, None) is not None


def _is_quoted_paragraph(passage: Passage) -> bool:
    stripped = passage.text.lstrip()
    return bool(stripped) and (stripped[0] in CLOSING_QUOTE or stripped[0] == ASCII_QUOTE)


def _is_excerpt(passage: Passage) -> bool:
    """After "X…文章:" ends a paragraph, a blockquote or an unquoted paragraph is what it announces
    (quoted paragraphs inherit the lead-in by themselves)."""
    if passage.kind == "quote":
        return True
    return not _is_quoted_paragraph(passage) and not passage.text.rstrip().endswith(tuple(COLONS))


def _continues_excerpt(passage: Passage, previous: Passage) -> bool:
    """An excerpt runs on through passages like the previous one in the same section, until a new
    lead-in; a blockquote runs to its end, plain paragraphs only a few (see MAX_EXCERPT_PASSAGES)."""
    return (
        passage.heading == previous.heading
        and passage.kind == previous.kind
        and not _is_quoted_paragraph(passage)
        and not passage.text.rstrip().endswith(tuple(COLONS))
    )


def _fill_gaps(text: str, spans: list[Quotation], speaker: str, start: int = 0) -> list[Quotation]:
    """Everything in the passage from ``start`` not already someone else's words is ``speaker``'s."""
    filled, cursor = [], start
    for span in sorted(spans, key=lambda q: q.start):
        if span.start > cursor:
            filled.extend(_gap(text, cursor, span.start, speaker))
        filled.append(span)
        cursor = max(cursor, span.end)
    filled.extend(_gap(text, cursor, len(text), speaker))
    return _merge(filled)


def _gap(text: str, start: int, end: int, speaker: str) -> list[Quotation]:
    start, end = _trimmed(text, start, end)
    if not re.search(r"\w", text[start:end]):
        return []
    return [Quotation(start, end, speaker)]


def _lead_after(
    passage: Passage, spans: list[Quotation], own: Lead | None, previous: Lead | None
) -> Lead | None:
    """What stays open for the next passage: this passage's own open speech, else a chain of
    quoted paragraphs inheriting the same lead-in (“…” / “…” after 他的回答:). The colon of the
    lead-in is not passed on: an unquoted excerpt is counted by ``Flow.excerpt`` alone."""
    if own is not None:
        return own
    if (
        previous
        and spans
        and spans[-1].speaker == previous.speaker
        and not passage.text[spans[-1].end :].strip(TRAILING_NOISE)
    ):
        return Lead(previous.speaker, ends_with_colon=False)
    return None


def _main_speaker(text: str, spans: list[Quotation], narrator: str | None) -> str | None:
    """The passage's speaker: whoever's words cover most of it, when that is at least half; else the narrator."""
    total = sum(1 for c in text if not c.isspace())
    if not spans or not total:
        return narrator
    share: Counter[str | None] = Counter()
    for span in spans:
        share[span.speaker] += sum(1 for c in text[span.start : span.end] if not c.isspace())
    speaker, covered = share.most_common(1)[0]
    return speaker if covered / total >= MAIN_SPEAKER_SHARE else narrator
