"""The people of one article, found before any passage is read: the speaker book it is read with.

Every place where a speaker stands is a slot (see names.py for how a name is cut out of one):
before a speech verb (韩立舟表示, 韩立舟在会上表示), inside a frame (在郑永年看来), as an
interview turn's label at a line start or after a question (马涛：…), and after a role (创始人韩立舟). The listed speakers come first; the people found add their own
names and their short forms to the book, so later mentions (韩总说) are recognised too.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.chars import HAN_CLASS
from bot.corpus.attribution.book import People, SpeakerBook, fold_name
from bot.corpus.attribution.cues import find_cues
from bot.corpus.attribution.english import after_a_link, name_in_apposition
from bot.corpus.attribution.introductions import (
    called_hereafter,
    called_names,
    coded_names,
    named_bodies,
    opening_with,
    role_names,
    romanised_names,
)
from bot.corpus.attribution.lexicon import (
    CLAUSE_BREAK,
    COUNTING,
    MASK,
    SENTENCE_END,
    Lexicon,
    alternation,
    jieba_frequency,
)
from bot.corpus.attribution.names import (
    COMMON_WORD,
    LATIN_NAME,
    TRANSLITERATED_NAME,
    label_name,
    name_ending_at,
    nickname_at,
    person_tokens,
    plausible_name,
    plausible_surname_label,
    short_forms,
    surname_labels,
)
from bot.corpus.attribution.quotations import find_quotes, masked_text

# A label before a colon at the start of a line: an interview turn (王建国：…, Q：…).
TURN_LABEL = re.compile(
    r"^\s*(?P<label>(?://@)?[^\s:：，,。！？!?“”\"「」（）()/]"
    r"(?:[^:：，,。！？!?“”\"「」\n（(]{1,20}[（(](?:[^()（）:：\n]|(?<=\d)[:：](?=\d)){1,30}[)）]|[^:：，,。！？!?“”\"「」\n]{0,23}?))\s*[:：](?!//)\s*"
)  # also a name with a long note in brackets: Daniel Whitford（Morrow Capital）：…, 蒋一帆（12月1日 23:47）：
# The same inline, right after a question or an answer ends (…怎么看？马涛：…).
INLINE_TURN = re.compile(
    r"(?<=[？?。！!…])\s*(?P<label>[^\s:：，,。！？!?“”\"「」（）()/][^:：，,。！？!?“”\"「」\n]{0,11}?)\s*[:：](?!//)\s*"
)
# X接受(记者Y的)采访: X is interviewed (by Y).
INTERVIEW_PHRASE = re.compile(r"接受了?(?P<who>[^，,。！？!?；;:：]{0,24}?)的?(?:采访|採訪|专访|專訪|访问|訪問)")
MAX_NAME_CHARS = 4
SAID_THE_WORDS = re.compile(r"(?:说|說|讲|講)过?的$|(?:说|說|讲|講)過?的$")  # 庞慧敏说的那句话：the words she said
# 程序员Jason（26岁）/ 大学生莫同学（20岁）: a vox pop introduces each passer-by with an age in
# brackets; the words right before it end with the person's name.
AGED = re.compile(r"[（(]\s*\d{1,3}\s*(?:岁|歲)\s*[)）]")
ENGLISH_NOT_NAMES = frozenset("The A An It He She They We I This That He's She's".split())


def slot_before_cue(masked: str, cue_start: int, lex: Lexicon) -> int:
    """Where a speaker's name would end before a verb: past adverbs, 在…上/中/时 (X近日在会上也表示,
    X在朋友圈写道) and whom they speak to (X向《南方日报》记者表示)."""
    before = masked[max(0, cue_start - 40) : cue_start]
    place = (
        rf"(?:(?:在|接受|于|於)[^{CLAUSE_BREAK}{MASK}]{{1,24}}?(?:上|中|时|時|里|裡|期间|期間|之际|之際|后|後|阶段|階段|区|區"
        rf"|圈|群|平台|会|會|号|號|博|节目|節目|间|間|页|頁|下方|下面|底下|下)"  # 在朋友圈, 在微博, 在发布会, 在直播间, 在评论下方, 在同一题下
        rf"|(?:对此|對此|受访时|受訪時|受访|受訪)|(?:[对對向][^{CLAUSE_BREAK}{MASK}]{{0,12}}?(?:{alternation(lex['addressees'])}))"
        rf"|(?:通过|通過|透过|透過|经由|經由)[^{CLAUSE_BREAK}{MASK}]{{1,12}}?"
        rf"|(?:发布|發布|發佈|发表|發表|公布|提交|发出|發出)了?(?:一份|最新)?(?:报告|報告|声明|聲明|公告|文章|白皮书|白皮書|意见书|意見書)"  # X发布报告称
        rf"|(?:从|從)[^{CLAUSE_BREAK}{MASK}]{{1,10}}?(?:角度|方面|层面|層面|出发|出發)"
        rf"|(?:{alternation(lex['speech_occasions'])})(?:时|時|中))"  # 许若帆申论时指出: the occasion, not a name
    )
    manner = rf"(?:[^{CLAUSE_BREAK}{MASK}的]{{2,4}}[地咁])"  # 直言不讳地, 不无担忧地, 慢慢咁 (Cantonese)
    tail = re.search(rf"(?:{lex.adverbs})*\s*(?:{place}\s*){{0,2}}(?:{lex.adverbs}|{manner})*\s*$", before)
    return cue_start - (len(before) - tail.start()) if tail else cue_start


# A script's bracketed caption naming who is on screen after a colon (【同期声·字幕：聂晚汀　社区维护者】).
CAPTION = re.compile(r"^\s*【[^】\n：:]{0,12}[：:](?P<who>[^】\n]{2,30})】")


def discover(texts: list[str], lex: Lexicon, book: SpeakerBook, headings: tuple[str, ...] = ()) -> tuple[People, SpeakerBook]:
    """The people an article introduces, and the book that knows them (listed speakers first)."""
    people = People()
    for heading in headings:
        _heading_person(heading, lex, people)
    maskeds = [masked_text(text, find_quotes(text)) for text in texts]
    for text, masked in zip(texts, maskeds):
        for cue in find_cues(masked, lex):
            if cue.frame is not None:
                name_ending_at(masked[cue.frame[0] : cue.frame[1]], cue.frame[1] - cue.frame[0], lex, people, "frame")
            elif not cue.noun and cue.word.lower() in lex["english_verbs"]:
                _english_names(masked, cue.start, cue.end, people)
            elif not cue.noun:
                if not name_ending_at(masked, slot_before_cue(masked, cue.start, lex), lex, people, "verb"):
                    _sentence_opener(masked, cue.start, lex, people)
                    _pronoun_antecedent(masked, cue.start, lex, people)
            elif said := SAID_THE_WORDS.search(masked, max(0, cue.start - 4), cue.start):  # X说的那句话：
                name_ending_at(masked, slot_before_cue(masked, said.start(), lex), lex, people, "verb")
        for match in INTERVIEW_PHRASE.finditer(masked):
            name_ending_at(masked, slot_before_cue(masked, match.start(), lex), lex, people, "interview")
        for match in [TURN_LABEL.match(text), *INLINE_TURN.finditer(masked)]:
            if match:
                label_name(match.group("label"), lex, people, "turn")
        if caption := CAPTION.match(text):  # 【同期声·字幕：聂晚汀　社区维护者】: a person of the article, whom a later 她 means
            label_name(re.split(r"[\s，,、（(]", caption.group("who").strip())[0], lex, people, "turn")
        _appositions(masked, lex, people)
        _english_appositions(masked, lex, people)
        for name in called_names(masked, lex):
            people.add(name, "called")
        for match in AGED.finditer(masked):
            name_ending_at(masked, match.start(), lex, people, "aged")
    _titled_names_used_short(maskeds, lex, people)
    aliases = called_hereafter(texts, lex)
    names = [n for n in people.evidence if n.strip()]
    # jieba sometimes cuts a name short (李岱/川): a name that begins a longer one found is that one
    people.evidence = {n: people.evidence[n] for n in names if not any(o != n and o.startswith(n) for o in names)}
    listed = {n for n in people.evidence if book.lookup(n)}
    for name in listed:
        people.evidence[book.lookup(name)] = people.evidence.pop(name) | {"listed"}
    found = {n: n for n in people.evidence if not book.lookup(n)}
    for latin, han in romanised_names(texts, lex).items():  # Gao Mingze (高明泽): one person, by the Chinese name
        found.setdefault(han, han)
        found[latin] = found[latin.split()[0]] = found[han]  # and "Gao added…": the surname comes first
    for form, owner in short_forms(list(found), lex, set(book.canonical)).items():
        found[form] = found.get(owner, owner)  # Gao (Gao Mingze, 高明泽): the name the article uses
    for masked in maskeds:  # 審查委員甲, then 委員甲
        for short, coded in coded_names(masked, lex).items():
            found.setdefault(coded, coded)
            found.setdefault(short, coded)
            people.add(coded, "role")
    known = {**book.canonical, **{fold_name(k): v for k, v in found.items()}}
    found.update({alias: known[fold_name(name)] for alias, name in aliases.items() if fold_name(name) in known})
    labels = {m.group("label").strip() for m in map(TURN_LABEL.match, texts) if m}
    article_people = {book.lookup(n) or n for n in people.evidence}
    if bare := {label for label in labels if len(label) <= 2 and plausible_surname_label(label, lex)}:
        # 逗哏：侯小川 in a header names no speaker by a verb, yet jieba tags the name: a name
        # beginning with a bare label's surname anywhere in the article is a candidate
        article_people |= {
            name for text in texts if any(s in text[2:] for s in bare) for _, _, name in person_tokens(text, lex)
        }
    full = book.with_names(found, named_bodies(maskeds, lex))
    return people, replace(full, surname_labels=surname_labels(labels, article_people, lex))


def _heading_person(heading: str, lex: Lexicon, people: People) -> None:
    """【代表：向晚晴，…医院院长】: a section heading that is a role, a colon and a name, then what
    they are, introduces the person the section is about (a delegates' corridor, a panel write-up)."""
    match = re.match(rf"\s*[【\[（(]?\s*(?:{lex.roles})\s*[：:]\s*(?P<name>[^，,、（(：:\s】\]]{{2,4}})\s*[，,、（(]", heading)
    if not match or label_name(match.group("name"), lex, people, "turn"):
        return
    # 向晚晴, which jieba reads as 向晚/晴 (and 向 is mostly a preposition): the label's place says it
    # is a name, so its surname may be any listed one
    name = match.group("name")
    if re.fullmatch(rf"{lex.surname}[{HAN_CLASS}]{{1,2}}", name) and plausible_name(name[1:], lex) and not lex.label_role(name):
        people.add(name, "turn")


def _sentence_opener(masked: str, cue_start: int, lex: Lexicon, people: People) -> None:
    """X结合…，就…提出了：: a person jieba tags at the very start of the sentence of a subjectless verb."""
    start = max((masked.rfind(c, 0, cue_start) for c in SENTENCE_END), default=-1) + 1
    opening = masked[start:cue_start]
    leading = len(opening) - len(opening.lstrip())
    tokens = person_tokens(opening[: leading + MAX_NAME_CHARS + 2], lex)
    if tokens and tokens[0][0] == leading:
        people.add(tokens[0][2], "jieba")
        people.add(tokens[0][2], "topic")


def _pronoun_antecedent(masked: str, cue_start: int, lex: Lexicon, people: People) -> None:
    """罗子恒则持相反意见。他说：“…” / 做设计的受访者罗子恒不同意。她说… — a sentence that opens with
    他/她 and speaks points back to the one person jieba tags in the first clause of the sentence
    before (its subject, perhaps after a description), though nothing there says they spoke.
    Without this, someone introduced by what they did or thought is never a person of the
    article, and the 他 that follows speaks for nobody. Two people there point nowhere, and a
    counted subject (一名来自县城的高三学生) is someone unnamed, whatever jieba tags inside it."""
    start = max((masked.rfind(c, 0, cue_start) for c in SENTENCE_END), default=-1) + 1
    if start == 0 or not lex.person_pronoun_re.match(masked[start:cue_start].lstrip()):
        return
    before = max((masked.rfind(c, 0, start - 1) for c in SENTENCE_END), default=-1) + 1
    clause = re.split(f"[{re.escape(CLAUSE_BREAK)}]", masked[before : start - 1], maxsplit=1)[0]
    tokens = person_tokens(clause, lex)
    if len({name for _, _, name in tokens}) == 1 and not COUNTING.search(clause, 0, tokens[0][0]):
        people.add(tokens[0][2], "jieba")
        people.add(tokens[0][2], "topic")


def _english_names(masked: str, start: int, end: int, people: People) -> None:
    """Priya Raman said / said Priya Raman: a capitalised name right before or after the verb."""
    window = max(0, start - 40)
    before = re.search(rf"({LATIN_NAME})\s+$", masked[window:start])
    if before and after_a_link(masked, window + before.start(1)):
        before = None  # an analyst at Harrow Securities said: a firm, not a person
    after = re.match(rf"\s+({LATIN_NAME})", masked[end : end + 40])
    apposed = name_in_apposition(masked, start)  # Mara Quill, chief executive of Brightfold, said
    for name in (before and before.group(1), after and after.group(1), apposed):
        if name and name.split()[0] not in ENGLISH_NOT_NAMES:
            people.add(name, "latin")


def _nicknames_after_a_role(masked: str, lex: Lexicon, people: People) -> None:
    """中心的年轻技术员小芊，二十三岁: 小/阿/老 and one character right after a role, ending its clause,
    is what everyone calls that person (a given name's diminutive, no surname needed), unless the
    two make a common word (技术员小组, 会计小结)."""
    prefixes = "".join(lex["nickname_prefixes"] | lex["surname_nickname_prefixes"])
    if not prefixes:
        return
    frequency = jieba_frequency()
    pattern = rf"(?:{alternation(lex.person_role_words)})(?P<nick>[{prefixes}][{HAN_CLASS}])(?=[{CLAUSE_BREAK}（(])"
    for match in re.finditer(pattern, masked):
        nick = match.group("nick")
        if frequency.get(lex.simplified(nick), 0) < COMMON_WORD and nick not in lex["not_names"]:
            people.add(nick, "nickname")
    # 老板德叔一边抹台 / 熟客关Sir坐在老位置: one character and an elder's title after a role, or a surname
    # and Sir/Madam anywhere (``nickname_titles``), is what everyone calls that person
    titles = [t for t in lex["nickname_titles"] if not t.isascii()]
    english = [t for t in lex["nickname_titles"] if t.isascii()]
    if titles:  # the titles first (rare), then a role before them: scanning for every role is slow
        for match in re.finditer(rf"(?<=[{HAN_CLASS}])[{HAN_CLASS}](?:{alternation(titles)})", masked):
            nick = match.group()
            if not lex.person_role_end_re.search(masked[max(0, match.start() - 8) : match.start()]):
                continue
            if frequency.get(lex.simplified(nick), 0) < COMMON_WORD and nick not in lex["not_names"]:
                people.add(nick, "nickname")
    if any(title in masked for title in english):
        for match in re.finditer(rf"(?P<nick>{lex.surname}(?:{'|'.join(map(re.escape, english))}))(?![A-Za-z])", masked):
            people.add(match.group("nick"), "nickname")


def _english_appositions(masked: str, lex: Lexicon, people: People) -> None:
    """"Lu Qingshan, founder of Bamboo Loom", "Priya Natarajan, who leads security at…", "its chief
    engineer, Tang Weiran, ran…", "Fang Yuehan, 41, co-founded…": a full Latin name set off by a comma
    from a role (``english_roles``), a who-clause or an age, wherever it stands; a later "Tang said" or "he told us" is them."""
    if not re.search(r"[A-Z][a-z]+ [A-Z][a-z]+", masked):
        return
    roles = alternation(lex["english_roles"])
    after = rf"({LATIN_NAME}),\s+(?:who\s+[a-z]+|(?:(?:the|a|an|its|our|their)\s+)?(?:[\w\-]+\s+){{0,3}}?(?:{roles})s?\b)"
    before = rf"\b(?:{roles}),\s+({LATIN_NAME}),"
    aged = rf"({LATIN_NAME}),\s+\d{{1,3}},"  # "Fang Yuehan, 41, co-founded…": a profile's subject and their age
    for match in [*re.finditer(after, masked), *re.finditer(before, masked), *re.finditer(aged, masked)]:
        name = match.group(1)
        if " " in name and name.split()[0] not in ENGLISH_NOT_NAMES and not after_a_link(masked, match.start(1)):
            people.add(name, "latin")


def _appositions(masked: str, lex: Lexicon, people: People) -> None:
    """创始人邵博文 / 邵博文教授 / 黄东旭是…的创始人 / 包一衡（…公司产品副总裁）: a person jieba tags,
    next to a role; a Latin or
    transliterated name right after a role (执行董事Tomas Lindqvist, 讲师阿玛拉·奥孔科沃)."""
    for match in re.finditer(rf"({TRANSLITERATED_NAME})\s*[（(]{LATIN_NAME}[)）]", masked):  # 埃莉诺·范德贝克（Eleanor Vandenbeek）
        name_ending_at(masked, match.end(1), lex, people, "role")
    after_role = rf"(?:{lex.roles})\s?(?:(?P<latin>{LATIN_NAME})|(?P<translit>{TRANSLITERATED_NAME}))"
    for match in opening_with(after_role, lex["roles"]).finditer(masked):
        if match.group("latin"):
            people.add(match.group("latin"), "latin")
        else:
            name_ending_at(masked, match.end("translit"), lex, people, "role")

    for start, end, name in role_names(masked, lex):
        people.add(name, "role")
    _nicknames_after_a_role(masked, lex, people)
    for match in re.finditer(r"(?<=[的嘅])[^\W\d_]", masked):  # 做银行IT嘅阿杰最先开口, 一直冇出声嘅阿诗，…
        people.add(nickname_at(masked, match.start(), lex), "nickname")

    kin = re.compile(rf"的(?:{alternation(lex['honorifics'])})")

    def near_a_role(begin: int, end: int) -> bool:  # a name further from any role than this is never kept
        nearby = masked[max(0, begin - 12) : end + 30]
        return (
            "(" in nearby
            or "（" in nearby
            or lex.role_anywhere_re.search(nearby) is not None
            or kin.search(nearby[:12]) is not None  # 邹先生的太太林佩芸
        )


    for start, end, name in person_tokens(masked, lex, near_a_role):
        before, after = masked[max(0, start - 12) : start], masked[end : end + 30]
        if (
            re.search(rf"(?:{lex.roles}|的(?:{alternation(lex['honorifics'])}))\s?$", before)  # 邹先生的太太林佩芸
            or re.match(rf"\s?(?:{lex.roles})", after)
            or re.match(rf"(?:是|为|為|现任|現任|担任|擔任)[^{CLAUSE_BREAK}{MASK}]{{0,24}}?(?:{lex.roles})", after)
            or re.match(r"\s*[（(][A-Z][A-Za-z\-]+(?: [A-Z][A-Za-z\-]+)+[)）]", after)
            or re.match(rf"\s*[（(][^()（）]{{0,30}}?(?:{lex.roles})[)）]", after)  # 包一衡（…产品副总裁）
        ):
            people.add(name, "role")
            people.add(name, "jieba")


def _titled_names_used_short(maskeds: list[str], lex: Lexicon, people: People) -> None:
    """资工系的林颖慧教授。林教授曾是… — a surname, two characters and a title (``honorifics``) after 的
    or at a clause's start, that the article later calls by surname and title alone: a person, even
    where jieba tags no name (林 as a noun). The short form elsewhere is the confirmation."""
    titles = alternation(w for w in lex["honorifics"] if len(w) > 1)
    pattern = re.compile(rf"(?:^|(?<=[的{CLAUSE_BREAK}\s]))(?P<name>{lex.surname}[{HAN_CLASS}]{{2}})(?P<title>{titles})")
    joined = "\n".join(maskeds)
    for masked in maskeds:
        for match in pattern.finditer(masked):
            name = match.group("name")
            short = name[: len(name) - 2] + match.group("title")
            if short in joined and plausible_name(name, lex):
                people.add(name, "role")
