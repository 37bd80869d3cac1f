"""What one turn label names: the label before a colon (or in a script's 【…】) read on its own.

A label counts when it is a role (问/答, Q/A, 记者/主持人/提问), a listed speaker, a person's name
(found as names.py finds names; a name used once is enough), a role naming its person in brackets
(嘉宾（伍俊朗）：), a forum reply (推 user：, #3 nickname：) or the thread's author (原po回：), a
description ending in a role (部委研究机构的研究员：), or any other label that opens at least three
passages (嘉宾甲：). A salutation (编辑同志：) is nobody. Labels that never name anyone (注：, 来源：,
图：) and definitions (企业：可以降低成本) do not count. Which passages open turns across a document
is turns.py's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.corpus.attribution.book import SpeakerBook
from bot.corpus.attribution.lexicon import COUNTING, Lexicon, alternation
from bot.corpus.attribution.names import HANDLE, LATIN_NAME, label_name
from bot.corpus.attribution.post_labels import credited_statement, writers_label

LABEL_RECURRENCE = 3  # an unlisted label that is no name must open this many passages to count
MAX_LABEL_CHARS = 16
# A transcript's speaker label in capitals, two to four words (HANNAH LEIGH:, JEAN-LUC MOREAU:); one
# capitalised word (NOTE:, UPDATE:) is no name, nor a listed heading (``caps_labels_not_names``).
CAPS_NAME = re.compile(r"[A-Z]{2,}(?:-[A-Z]{2,})?(?: [A-Z]{2,}(?:-[A-Z]{2,})?){1,3}")
BRACKETED_NAME = re.compile(r"(?P<role>[^（()）]{1,8})\s*[（(](?P<name>[^（()）]{2,12})[)）]")  # 嘉宾（伍俊朗）
BRACKET_PARTS = re.compile(r"(?P<kind>[^：:｜|（()）]{1,12})\s*[：:｜|]\s*(?P<who>[^：:｜|]{2,24})")


@dataclass(frozen=True)
class Turn:
    speaker: str | None
    label_end: int  # the turn's words start here in the labelled passage
    role: str | None = None  # "question" or "answer" for role labels
    carries: bool = True  # whether unlabelled passages after it go on with it
    named_asker: bool = False  # a question label saying who asks (《南岸科技报》记者问：), over the interviewer
    section: bool = False  # a bracketed heading that is no turn (【教师追问】…): it ends the turn before it
    statement: bool = False  # a heading crediting a statement (【CTO寄语｜X】): it carries though it is the only one


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
    if writer := written_by(label, lex):
        return Turn(book.lookup(writer) or writer, end, carries=False)  # 颁奖词（评委会撰写）：
    if threaded := _thread_reply(label, alternation(lex["reply_markers"]), lex):
        return Turn(book.lookup(threaded) or threaded, end, carries=False)  # 回覆｜@user：a thread's reply
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
    bare = re.sub(r"\s*[（(][^()（）]{1,30}[)）]\s*$", "", label)
    if re.fullmatch(rf"{lex.surname}(?:{alternation(lex['honorifics'])})", bare) and bare not in lex["not_names"]:
        return Turn(book.lookup(bare) or bare, end)  # 周老师（律所IT）：someone known by surname and title
    if _recurring_label(label, count, lex) or described_person(label, lex):
        return Turn(label, end)
    return None


def written_by(label: str, lex: Lexicon) -> str | None:
    """颁奖词（评委会撰写）/ 推荐语（主编 邵清和执笔）: a text's name and, in brackets, who wrote it (a
    byline word of two characters or more after them): a person's name, a body, or someone described."""
    words = alternation(w for w in lex["byline_labels"] if len(w) >= 2)
    match = re.search(rf"[（(](?P<who>[^（()）]{{2,16}}?)\s*(?:{words})[)）]$", label)
    if not match:
        return None
    who = match.group("who").strip()
    if name := label_name(who, lex, None, "byline"):
        return name
    return who if lex.organisation_end_re.search(who) or described_person(who, lex) else None


def _captioned(who: str, lex: Lexicon) -> str | None:
    """Who a script's caption names: 顾问 邵嘉峰 (role, then name), 聂晚汀　社区维护者 (name, then what
    they are), or only what they are when the film hides them (一位曾在两类公司任职的工程师)."""
    who = who.strip()
    if name := label_name(who, lex, None, "turn"):
        return name
    first, _, rest = who.partition(next((c for c in who if c.isspace()), "\0"))
    if rest.strip() and (name := label_name(first, lex, None, "turn")):
        return name
    return who if described_person(who, lex) else None


def _named_part(label: str, lex: Lexicon) -> str | None:
    """正方盛嘉树 / 主持人 方黎: a debate's or a panel's label, the part played (``label_parts``) and
    then the person's name; the name speaks."""
    match = re.fullmatch(rf"(?:{alternation(lex['label_parts'])})[\s\u3000]*(?P<name>\S.{{1,19}})", label)
    return label_name(match.group("name"), lex, None, "turn") if match else None


def _replying(label: str, lex: Lexicon) -> str | None:
    """莊以寧回覆：/ 韩立舟追问： — a name, then a verb of replying or asking (``reply_labels``): the
    person speaks that turn (a quoted handle before such a verb is read as speech: handles.py)."""
    named = re.fullmatch(rf"(?P<who>\S.{{1,15}}?)\s*(?:{alternation(lex['reply_labels'])})", label)
    if not named:
        return None
    who = named.group("who")
    if lex.organisation_end_re.search(who) and len(who) >= 3 and not re.search(r"是|我|你|了|的", who):
        return who  # 发行人回复：a body (a party of a filing) replies as one
    return label_name(who, lex, None, "turn")


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
    if match and lex.label_role(match.group("role").strip()) == "question" and described_person(match.group("who").strip(), lex):
        return match.group("who").strip()
    return None


def described_person(label: str, lex: Lexicon) -> bool:
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


def _recurring_label(label: str, count: int, lex: Lexicon) -> bool:
    return (
        count >= LABEL_RECURRENCE
        and len(label) <= MAX_LABEL_CHARS
        and label not in lex["non_person_labels"]
        and not re.search(r"\d|^[\[［【]", label)
        and not lex.person_pronoun_re.search(label)
    )


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
    markers = alternation(lex["reply_markers"])
    if threaded := _thread_reply(label, markers, lex):
        return threaded
    posted = re.fullmatch(
        rf"(?:{alternation(lex['english_post_labels'])})\s+by\s+(?P<who>u/[A-Za-z0-9_\-]{{3,24}}|@?{HANDLE}|{LATIN_NAME})(?:\s*\([^()]{{1,20}}\))?",
        label,
    )
    if posted:
        return posted.group("who")  # Reply by u/quiet_owl (edited): an English forum's user, as posted
    replying = re.fullmatch(rf"(?P<who>[^\s@]{{2,16}}?(?: [A-Z][a-z]+)?)\s+(?:{alternation(lex['reply_verbs'])})\s+\S.{{0,15}}", label)
    if replying and not lex.label_role(replying.group("who")):
        return replying.group("who")  # 蒋一帆 回复 滕佳：a post's comment thread, the replier first
    match = (
        re.fullmatch(rf"(?:{markers})\s*(?P<who>{HANDLE}){note}", label)
        or re.fullmatch(rf"@(?P<who>{HANDLE}){note}\s*(?:{alternation(lex['reply_verbs'])})(?:\s*@{HANDLE})?", label)
        or FLOOR.fullmatch(label)
    )
    return match.group("who") if match else None


def _thread_reply(label: str, markers: str, lex: Lexicon) -> str | None:
    """回覆｜@huang_devlog（黃德祿，獨立開發者）/ 引用轉推｜資安研究員Tomás Reyes — a thread's reply or
    quote-repost set off by a bar: the person the bracketed note names first (the handle's owner),
    else the handle, else the name (perhaps after a role) the label gives."""
    match = re.fullmatch(rf"(?:{markers})\s*[｜|]\s*(?P<who>.+)", label)
    if not match:
        return None
    handle = re.fullmatch(rf"@?(?P<handle>{HANDLE})(?:\s*[（(](?P<note>[^()（）]{{1,30}})[)）])?", match.group("who").strip())
    if handle:
        owner = re.split(r"[，,、；;]", handle.group("note") or "")[0].strip()
        return (label_name(owner, lex, None, "turn") if owner else None) or handle.group("handle")
    latin = re.search(rf"(?:{lex.roles})\s*(?P<name>{LATIN_NAME})$", match.group("who"))
    return latin.group("name") if latin else label_name(match.group("who"), lex, None, "turn")
