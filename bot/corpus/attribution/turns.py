"""Interview turns: a label before a colon names who speaks until the next label.

A label counts when it is a role (问/答, Q/A, 记者/主持人/提问), a listed speaker, a person's name
(found as names.py finds names; a name used once is enough), a role naming its person in brackets
(嘉宾（伍俊朗）：, and the bare 嘉宾： after it), a forum reply (推 user：, #3 nickname：) or the
thread's author (原po回：), a description ending in a role (部委研究机构的研究员：), or any other
label that opens at least three passages (嘉宾甲：). A salutation (编辑同志：) is nobody. Labels that never name anyone (注：, 来源：, 图：) and definitions
(企业：可以降低成本) do not count. Turns may also follow each other inside one paragraph, right
after a question or an answer ends (提问：…？马涛：…).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from bot.chars import HAN_CLASS
from bot.corpus.attribution.book import SpeakerBook, fold_name
from bot.corpus.attribution.cues import find_cues
from bot.corpus.attribution.layout import Layout
from bot.corpus.attribution.lexicon import COUNTING, Lexicon, alternation
from bot.corpus.attribution.names import HANDLE, label_name
from bot.corpus.attribution.people import INLINE_TURN, INTERVIEW_PHRASE, TURN_LABEL
from bot.corpus.attribution.post_labels import (
    AUTHOR_NOTES,
    COMMENTER,
    ENGLISH_COMMENT,
    asked_and_answered,
    comments_start,
    credited_statement,
    writers_label,
)
from bot.corpus.attribution.quotations import find_quotes, masked_text
from bot.corpus.models import Passage

LABEL_RECURRENCE = 3  # an unlisted label that is no name must open this many passages to count
TIMED_RECURRENCE = 2  # ... or this many after a subtitle's timecode ([00:01:15] 小鹿：)
MAX_LABEL_CHARS = 16
# A transcript's speaker label in capitals, two to four words (HANNAH LEIGH:, JEAN-LUC MOREAU:); one
# capitalised word (NOTE:, UPDATE:) is no name, nor a listed heading (``caps_labels_not_names``).
CAPS_NAME = re.compile(r"[A-Z]{2,}(?:-[A-Z]{2,})?(?: [A-Z]{2,}(?:-[A-Z]{2,})?){1,3}")
BRACKETED_NAME = re.compile(r"(?P<role>[^（()）]{1,8})\s*[（(](?P<name>[^（()）]{2,12})[)）]")  # 嘉宾（伍俊朗）
INTERVIEWER_NOISE = re.compile(r"^(?:记者|記者)|[“”「」\"]")


# A broadcast script's bracketed label at a passage's start: 【主持人】…, 【同期声：顾问 邵嘉峰】「…」.
BRACKET_TURN = re.compile(r"^\s*【(?P<label>[^】\n]{1,30})】\s*")
BRACKET_PARTS = re.compile(r"(?P<kind>[^：:｜|]{1,12})\s*[：:｜|]\s*(?P<who>[^：:｜|]{2,24})")
# A subtitle file's timecode before the label: [00:02:44] 林曜廷：… / 00:02:44,120 林曜廷：…
TIMECODE = r"^\s*[\[［(（]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?[\]］)）]?"
TIMED_TURN = re.compile(TIMECODE + TURN_LABEL.pattern.removeprefix("^"))
# A timed chat line's sender whose display name glues words to one Latin name (資料科學家Leo,
# 小蜜蜂_Emma): the name the user chose, whole, not a role before a person's name.
DISPLAY_NAME = re.compile(rf"[{HAN_CLASS}]{{2,8}}_?[A-Z][a-z]{{1,12}}")
# A dialogue's header giving each speaker a short label: 对话人：K——柯蔓（…）；T——陶景行（…）.
LABEL_KEY = re.compile(
    r"(?:^|(?<=[\s：:；;，,、。]))(?P<key>[A-Za-z]{1,3}|[甲乙丙丁])\s*(?:——|—|－|＝|=)\s*(?P<name>[^\s（()）；;，,。:：—]{2,20})"
)
MIN_LABEL_KEYS = 2  # a header defines at least two speakers' labels
# A review or a comment labelled by its user's quoted handle, perhaps after a rating:
# ★★☆☆☆　使用者「海边的猫」：… / 网友“老K”：… (``handle_labels`` before the quote marks)
RATING = r"[★☆✩✪✭✮⭐\s\u3000\d./／分星]*"


@dataclass(frozen=True)
class Turn:
    speaker: str | None
    label_end: int  # the turn's words start here in the labelled passage
    role: str | None = None  # "question" or "answer" for role labels
    carries: bool = True  # whether unlabelled passages after it go on with it
    named_asker: bool = False  # a question label saying who asks (《南岸科技报》记者问：), over the interviewer
    section: bool = False  # a bracketed heading that is no turn (【教师追问】…): it ends the turn before it
    statement: bool = False  # a heading crediting a statement (【CTO寄语｜X】): it carries though it is the only one


@dataclass(frozen=True)
class InlineTurn:
    label_start: int
    words_start: int
    turn: Turn


def label_turn(
    label: str, end: int, lex: Lexicon, book: SpeakerBook, count: int = 1, writer: str | None = None
) -> Turn | None:
    label = label.strip()
    if label in lex["narration_labels"]:
        return None  # 【记者旁白】: the reporter narrates (see chats.narrated), no interview turn
    if writers_label(label, lex):
        return Turn(writer, end)  # 原po回：/ 楼主：the thread's author (nobody when no byline names them)
    if credited := credited_statement(label, lex):
        return Turn(book.lookup(credited) or credited, end, statement=True)  # 【CTO寄语｜韩嘉树】: the section is theirs
    if bracketed := BRACKET_PARTS.fullmatch(label):  # 【同期声：岭声科技创办人 卓颖诗】
        name = _captioned(bracketed.group("who"), lex)
        return Turn(book.lookup(name) or name, end, carries=False) if name else None
    if label.startswith(tuple(lex["salutations"])):
        return None  # 编辑同志：我叫… / 尊敬的各位：whom a letter is written to, not who speaks
    if asker := _bracketed_asker(label, lex):
        return Turn(asker, end, "question", named_asker=True)  # 問（一家基金公司的分析師）：
    bracketed = BRACKETED_NAME.fullmatch(label)
    if bracketed and (name := label_name(bracketed.group("name"), lex, None, "turn")):
        return Turn(book.lookup(name) or name, end)  # 嘉宾（伍俊朗）：…
    if name := _named_part(label, lex):
        return Turn(book.lookup(name) or name, end)  # 正方盛嘉树：/ 主持人方黎：the part, then the person
    if who := _replying(label, lex):
        return Turn(book.lookup(who) or who, end, carries=False)  # 莊以寧回覆：
    if who := _stating(label, lex):
        return Turn(book.lookup(who) or who, end, carries=False)  # 股东户号第3102号股东发言：
    if asker := _asker(label, lex):
        return Turn(asker, end, "question", named_asker=True)  # 有记者问：/《南岸科技报》记者问：
    role = lex.label_role(label)
    if role:
        return Turn(label if label in lex["host_labels"] else None, end, role)
    if book.lookup(label):
        return Turn(book.lookup(label), end)
    if CAPS_NAME.fullmatch(label) and label not in lex["caps_labels_not_names"]:
        name = re.sub(r"[A-Z]+", lambda word: word.group().capitalize(), label)
        return Turn(book.lookup(name) or name, end)  # QIU LANTING: a transcript's name in capitals
    if label in book.surname_labels:
        return Turn(book.surname_labels[label], end)  # 侯： in a script whose header named 侯小川
    handle = forum_handle(label, lex)
    if handle:  # a reply is its own block: the paragraph after it is not the same user's
        return Turn(book.lookup(handle) or handle, end, carries=False)
    name = label_name(label, lex, None, "turn")
    if name:
        return Turn(book.lookup(name) or name, end)
    if _recurring_label(label, count, lex) or _described_person(label, lex):
        return Turn(label, end)
    return None


def _captioned(who: str, lex: Lexicon) -> str | None:
    """Who a script's caption names: 顾问 邵嘉峰 (role, then name), 聂晚汀　社区维护者 (name, then what
    they are), or only what they are when the film hides them (一位曾在两类公司任职的工程师)."""
    who = who.strip()
    if name := label_name(who, lex, None, "turn"):
        return name
    first, _, rest = who.partition(next((c for c in who if c.isspace()), "\0"))
    if rest.strip() and (name := label_name(first, lex, None, "turn")):
        return name
    return who if _described_person(who, lex) else None


def _label_match(text: str, lex: Lexicon, book: SpeakerBook) -> re.Match[str] | None:
    """The label opening a passage: a broadcast script's 【…】 when it names someone, a user's quoted
    handle after a handle label, else a label before a colon (【原帖】@user：… is a repost, read as one)."""
    bracket = BRACKET_TURN.match(text)
    if bracket and label_turn(bracket.group("label"), bracket.end(), lex, book) is not None and (
        writers_label(bracket.group("label"), lex) or not _narrates(text, bracket.end(), lex, book)
    ):
        return bracket  # 【UP主置顶评论】补充一下：有人问… is the presenter's, whoever it names
    return handle_label_match(text, lex) or ENGLISH_COMMENT.match(text) or TIMED_TURN.match(text) or TURN_LABEL.match(text)


def _narrates(text: str, start: int, lex: Lexicon, book: SpeakerBook) -> bool:
    """【教师小结】贺老师说：“…” / 【教师追问】贺老师没有急着评判… — a bracketed heading whose first
    sentence has a speech verb of its own, or opens with someone the article names (not as a label
    before a colon), is a section the writer narrates, not a turn."""
    masked = masked_text(text, find_quotes(text))
    end = min((i for i in (masked.find(c, start) for c in "。！？!?") if i >= 0), default=len(masked))
    sentence = masked[start:end]
    opening = next(iter(book.mentions(sentence)), None)
    named_first = opening is not None and not sentence[: opening.start].strip() and sentence[opening.end : opening.end + 1] not in ":："
    return named_first or any(not cue.noun for cue in find_cues(sentence, lex))


def handle_label_match(text: str, lex: Lexicon) -> re.Match[str] | None:
    """★☆☆☆☆　使用者「海边的猫」：… — a review or a comment opened by a handle label and the
    user's handle in quote marks (group ``label``), before a colon."""
    return re.match(
        rf"^(?P<by_handle>){RATING}(?:{alternation(lex['handle_labels'])})\s*[“「『\"](?P<label>[^”」』\"\n]{{1,24}})[”」』\"]\s*[:：]\s*",
        text,
    )


def label_keys(passages: list[Passage], lex: Lexicon, book: SpeakerBook) -> dict[str, str]:
    """对话人：K——柯蔓（…）；T——陶景行（…）: a dialogue that labels its turns with initials (or 甲/乙)
    and says once, in a header, whom each stands for; the turns labelled K are 柯蔓's. A header
    counts when one paragraph defines at least two labels, each with a name as turns.py reads one."""
    for passage in passages:
        keys = {}
        for match in LABEL_KEY.finditer(passage.text):
            name = label_name(match.group("name"), lex, None, "turn")
            if name:
                keys[fold_name(match.group("key"))] = book.lookup(name) or name
        if len(keys) >= MIN_LABEL_KEYS:
            return keys
    return {}


def _named_part(label: str, lex: Lexicon) -> str | None:
    """正方盛嘉树 / 主持人 方黎: a debate's or a panel's label, the part played (``label_parts``) and
    then the person's name; the name speaks."""
    match = re.fullmatch(rf"(?:{alternation(lex['label_parts'])})[\s\u3000]*(?P<name>\S.{{1,19}})", label)
    return label_name(match.group("name"), lex, None, "turn") if match else None


def _replying(label: str, lex: Lexicon) -> str | None:
    """莊以寧回覆：/ 韩立舟追问： — a name, then a verb of replying or asking (``reply_labels``): the
    person speaks that turn (a quoted handle before such a verb is read as speech: handles.py)."""
    named = re.fullmatch(rf"(?P<who>\S.{{1,15}}?)\s*(?:{alternation(lex['reply_labels'])})", label)
    return label_name(named.group("who"), lex, None, "turn") if named else None


def _stating(label: str, lex: Lexicon) -> str | None:
    """独立董事吕佩芸补充说明：/ 股东户号第3102号股东发言： — minutes of a meeting: who has the floor,
    then a word for taking it (``statement_labels``). A name speaks; so does someone known only by
    a description (a shareholder by account number), as written, though not a bare role (主席致词)."""
    match = re.fullmatch(rf"(?P<who>\S.{{1,23}}?)\s*(?:{alternation(lex['statement_labels'])})", label)
    if not match:
        return None
    who = match.group("who")
    if name := label_name(who, lex, None, "turn"):
        return name
    described = lex.person_role_end_re.search(who) and who not in lex.person_role_words
    body = lex.organisation_end_re.search(who) and len(who) >= 3  # 【教研组点评】: a body comments
    return who if (described or body) and not re.search(r"是|我|你|了", who) else None


def _asker(label: str, lex: Lexicon) -> str | None:
    """有记者问：/《南岸科技报》记者问：/ 有网友提问： — a question label that says who asks: the asker
    as written (``host_labels`` or any role, with the outlet before it), without 有 and 问."""
    match = re.fullmatch(rf"有?\s*(?P<who>\S{{0,12}}?(?:{alternation(lex['host_labels'] | lex['askers'])}|{lex.roles}))(?:问|問|提问|提問|追问|追問)", label)
    return match.group("who") if match else None


def _bracketed_asker(label: str, lex: Lexicon) -> str | None:
    """問（一家基金公司的分析師）：/ Q（一位本地家族办公室代表）： — a question label with the asker
    described in brackets (one particular person, as a panel's described label): that description."""
    match = re.fullmatch(r"(?P<role>[^（()）]{1,4}?)\s*[（(](?P<who>[^（()）]{2,24})[)）]", label)
    if match and lex.label_role(match.group("role").strip()) == "question" and _described_person(match.group("who").strip(), lex):
        return match.group("who").strip()
    return None


def _askers_pointed_back(turns: dict[int, Turn], lex: Lexicon) -> dict[int, Turn]:
    """問（同一位基金分析師）：after 問（一家基金公司的分析師）：— an asker pointed back to (同一位, 这位)
    is the last asker described before whose description ends in the same role word."""
    pointer = re.compile(rf"^(?:{alternation(lex['role_anaphors'])})")
    out, earlier = dict(turns), []
    for index in sorted(turns):
        turn = turns[index]
        if not (turn.named_asker and turn.speaker):
            continue
        if pointer.match(turn.speaker) and (role := lex.person_role_end_re.search(turn.speaker)):
            same = [who for who in earlier if who.endswith(role.group())]
            if same:
                out[index] = replace(turn, speaker=same[-1])
                continue
        earlier.append(turn.speaker)
    return out


def _bracketed_roles_named(turns: dict[int, Turn], raw: dict) -> dict[int, Turn]:
    """嘉宾（伍俊朗）：… then 嘉宾：…: once a role label has named its person, the bare role is them."""
    named: dict[str, str] = {}
    for index, match in raw.items():
        bracketed = BRACKETED_NAME.fullmatch(match.group("label").strip())
        if bracketed and index in turns and turns[index].speaker:
            named.setdefault(fold_name(bracketed.group("role").strip()), turns[index].speaker)
    return {
        i: replace(t, speaker=named[fold_name(raw[i].group("label"))]) if not t.role and fold_name(raw[i].group("label")) in named else t
        for i, t in turns.items()
    }


def _described_person(label: str, lex: Lexicon) -> bool:
    """部委研究机构的研究员：… / 东南亚国家的官员：… — a panel that names its speakers only by what
    they are: the label is the speaker, however few passages it opens."""
    return (
        len(label) <= MAX_LABEL_CHARS
        and label not in lex["non_person_labels"] | lex["byline_labels"] | lex["reporter_labels"]
        and not re.search(r"\d|是|我|你|了|^本", label)  # 本集节目邀请了两位嘉宾：is a sentence
        and lex.person_role_end_re.search(label) is not None
        # one person, not a group heading a list item (终端用户：…): qualified (的, a counting word) or
        # ending in a role of one person (嘉宾, 研究员)
        and (re.search("[的之]", label) or COUNTING.search(label) or re.search(rf"(?:{lex.roles})$", label)) is not None
    )


def find_turn_labels(
    passages: list[Passage], book: SpeakerBook, lex: Lexicon, writer: str | None = None, teacher: str | None = None
) -> dict[int, Turn]:
    """Which passages open an interview turn. A single labelled passage in a whole document is a
    quoted remark, not an interview: it does not carry on into the passages after it. A class
    record's 师： is its credited ``teacher``."""
    raw = {i: m for i, p in enumerate(passages) if (m := _label_match(p.text, lex, book))}
    keys = label_keys(passages, lex, book)
    if teacher:
        keys.update({fold_name(label): book.lookup(teacher) or teacher for label in lex["teacher_labels"]})
    counts = Counter(fold_name(m.group("label")) for m in raw.values())
    comments = comments_start(passages, lex)
    turns = {}
    for index, match in raw.items():
        label = match.group("label")
        count = counts[fold_name(label)]
        if match.re is TIMED_TURN and count >= TIMED_RECURRENCE:
            count = max(count, LABEL_RECURRENCE)  # a subtitle file's labels are its speakers
        key = keys.get(fold_name(label.strip()))
        if "by_comment" in match.re.groupindex:  # Michelle Zhao (author): the post's writer
            own = (match.group("note") or "").strip().casefold() in AUTHOR_NOTES and writer
            turns[index] = Turn(writer if own else book.lookup(label.strip()) or label.strip(), match.end(), carries=False)
            continue
        if "by_handle" in match.re.groupindex:
            turns[index] = Turn(label.strip(), match.end(), carries=False)  # 使用者「海边的猫」：a user's own review
            continue
        if not key and match.re is TIMED_TURN and count >= TIMED_RECURRENCE and DISPLAY_NAME.fullmatch(label.strip()):
            key = label.strip()  # [21:12] 資料科學家Leo：a chat's display name, as the user wrote it
        turn = Turn(key, match.end()) if key else label_turn(label, match.end(), lex, book, count, writer)
        if turn is None and index > comments and match.re is TURN_LABEL and COMMENTER.fullmatch(label.strip()):
            turn = Turn(label.strip(), match.end(), carries=False)  # 留言（3） … 小蜗牛：a commenter's nickname
        if turn is None and match.re is TIMED_TURN and re.match(r"[\[［【]", label):  # [00:02:40] [画面字幕：…]: a caption
            turn = Turn(None, match.end(), carries=False)
        if turn is not None and match.re is BRACKET_TURN:  # 【主持人】 is the host, not a question to credit elsewhere
            turn = replace(turn, named_asker=turn.role == "question", carries=turn.statement)
        if turn is not None:
            turns[index] = turn
    turns = _askers_pointed_back(_bracketed_roles_named(turns, raw), lex)
    named = [t for t in turns.values() if not t.role]
    named += [i for n, m in raw.items() if n in turns for i in inline_turns(passages[n].text, m.end(), lex, book)]
    roles = {t.role for t in turns.values() if t.role}
    if not named and roles != {"question", "answer"}:
        turns = {i: t for i, t in turns.items() if not t.role}  # a lone 问： is a heading, not a turn
    if len(turns) < 2:
        return {index: turn if turn.statement else replace(turn, carries=False) for index, turn in turns.items()}
    return {**_sections(passages, turns), **turns}


def _sections(passages: list[Passage], turns: dict[int, Turn]) -> dict[int, Turn]:
    """【教师追问】贺老师没有急着评判… — a bracketed heading that is no turn, after the turns began,
    opens a section the writer narrates: the turn before it does not carry into it."""
    first = min(turns)
    return {
        index: Turn(None, bracket.end(), carries=False, section=True)
        for index, passage in enumerate(passages)
        if index > first and index not in turns and (bracket := BRACKET_TURN.match(passage.text))
    }


# A numbered floor of a thread, or a repost's @, then the user's nickname, whatever it is
# (#1 一只小狸花, 3楼 不吃香菜, //@码农阿七).
FLOOR = re.compile(
    r"(?:#\s?\d{1,5}|\d{1,5}\s?[楼樓F]|(?:【[^】]{1,6}】)?(?://)?@)\s*(?P<who>[^\s:：，,。！？!?“”「」@/（()）]{1,16})"
    r"(?:\s*[（(][^()（）]{1,20}[)）])?"
)  # also a repost's //@user and a post's 【原帖】@user


def forum_handle(label: str, lex: Lexicon) -> str | None:
    """推 kaohsiung_dev / → tofu_lover（豆腐）/ #1 一只小狸花: a reply marker and a user's handle, or
    a floor number and a nickname."""
    label = label.strip()
    note = r"(?:\s*[（(][^()（）]{1,20}[)）])?"
    match = (
        re.fullmatch(rf"(?:{alternation(lex['reply_markers'])})\s*(?P<who>{HANDLE}){note}", label)
        or re.fullmatch(rf"@(?P<who>{HANDLE}){note}\s*(?:{alternation(lex['reply_verbs'])})(?:\s*@{HANDLE})?", label)
        or FLOOR.fullmatch(label)
    )
    return match.group("who") if match else None


def inline_turns(text: str, start: int, lex: Lexicon, book: SpeakerBook) -> list[InlineTurn]:
    """Turns after the first inside one paragraph: …怎么看？马涛：… (offsets in ``text``)."""
    masked = masked_text(text, find_quotes(text))
    found = []
    for match in INLINE_TURN.finditer(masked, start):
        turn = label_turn(match.group("label"), match.end(), lex, book)
        if turn is not None:
            found.append(InlineTurn(match.start("label"), match.end(), turn))
    return found


def _recurring_label(label: str, count: int, lex: Lexicon) -> bool:
    return (
        count >= LABEL_RECURRENCE
        and len(label) <= MAX_LABEL_CHARS
        and label not in lex["non_person_labels"]
        and not re.search(r"\d|^[\[［【]", label)
        and not lex.person_pronoun_re.search(label)
    )


def interview_parties(
    lead_in: Passage | None, lead_speaker: str | None, after: Passage | None, book: SpeakerBook, lex: Lexicon
) -> tuple[str | None, str | None]:
    """(interviewer, interviewee) of a Q/A block, from the text that introduces or follows it:
    其 CEO 张鹏也在接受记者“AI 科技评论”的采访时表示:  ->  (AI 科技评论, 张鹏)."""
    interviewer = interviewee = None
    if lead_in is not None and (parties := asked_and_answered(lead_in.text, book, lex)):
        return parties  # 以下是X议员的提问和Y局长的书面答复：
    if lead_in is not None:
        match = INTERVIEW_PHRASE.search(lead_in.text)
        if match:
            who = INTERVIEWER_NOISE.sub("", match.group("who")).strip()
            if lex.self_pronoun_re.fullmatch(who):
                who = ""  # 接受本报专访: the writer asks, and has no name here
            interviewer = book.lookup(who) or (who or None)
            layout = Layout.of(lead_in.text, book, lex)
            named = [m for m in layout.names() if m.end <= match.start()]
            interviewee = named[-1].speaker if named else None
    if lead_speaker is not None:
        interviewee = lead_speaker
    if interviewee is None and after is not None:
        named = {m.speaker for m in Layout.of(after.text, book, lex).names()}
        interviewee = named.pop() if len(named) == 1 else None
    return interviewer, interviewee
