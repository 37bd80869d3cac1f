"""Interview turns across a document: which passages open a turn, and who speaks in each.

What one label names is turn_labels.py's. Here: the labels of a whole document read together (a
label used three times counts though it is no name; a header may key initials to names; the bare
嘉宾： after 嘉宾（伍俊朗）： is 伍俊朗), turns that follow each other inside one paragraph, right
after a question or an answer ends (提问：…？马涛：…), and who asks and answers a Q/A block.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from bot.chars import HAN_CLASS
from bot.corpus.attribution.book import SpeakerBook, fold_name
from bot.corpus.attribution.cues import find_cues
from bot.corpus.attribution.layout import Layout
from bot.corpus.attribution.lexicon import Lexicon, alternation
from bot.corpus.attribution.names import label_name
from bot.corpus.attribution.people import INLINE_TURN, INTERVIEW_PHRASE, TURN_LABEL
from bot.corpus.attribution.post_labels import (
    AUTHOR_NOTES,
    COMMENTER,
    ENGLISH_COMMENT,
    asked_and_answered,
    comments_start,
    writers_label,
)
from bot.corpus.attribution.quotations import find_quotes, masked_text
from bot.corpus.attribution.turn_labels import (
    BRACKETED_NAME,
    LABEL_RECURRENCE,
    Turn,
    label_turn,
    written_by,
)
from bot.corpus.models import Passage

TIMED_RECURRENCE = 2  # a label after a subtitle's timecode ([00:01:15] 小鹿：) counts from this many passages
INTERVIEWER_NOISE = re.compile(r"^(?:记者|記者)|[“”「」\"]")


# A broadcast script's bracketed label at a passage's start: 【主持人】…, 【同期声：顾问 邵嘉峰】「…」.
BRACKET_TURN = re.compile(r"^\s*【(?P<label>[^】\n]{1,30})】\s*")
# A subtitle file's timecode before the label: [00:02:44] 林曜廷：… / 00:02:44,120 林曜廷：…
TIMECODE = r"^\s*[\[［(（]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?[\]］)）]?"
TIMED_TURN = re.compile(TIMECODE + TURN_LABEL.pattern.removeprefix("^"))
# A text's name with its writer in brackets, perhaps after a heading: 【年度人物：X】颁奖词（评委会撰写）：…
CREDITED_TURN = re.compile(r"^\s*(?:【[^】\n]{1,30}】)?\s*(?P<label>[^：:\n【】（()）]{0,12}[（(][^（()）\n]{2,20}[)）])\s*[:：]\s*")
# A section heading in 【】 naming nobody, then a turn label: 【审查意见一】资安组方舒婷：「…」
HEADED_TURN = re.compile(r"^\s*【[^】\n]{1,30}】\s*" + TURN_LABEL.pattern.removeprefix("^").removeprefix(r"\s*"))
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
class InlineTurn:
    label_start: int
    words_start: int
    turn: Turn


def _label_match(text: str, lex: Lexicon, book: SpeakerBook) -> re.Match[str] | None:
    """The label opening a passage: a broadcast script's 【…】 when it names someone, a user's quoted
    handle after a handle label, else a label before a colon (【原帖】@user：… is a repost, read as one)."""
    credited = CREDITED_TURN.match(text)
    if credited and written_by(credited.group("label"), lex):
        return credited  # 颁奖词（评委会撰写）：the writer in brackets, whatever the heading before names
    bracket = BRACKET_TURN.match(text)
    if bracket and label_turn(bracket.group("label"), bracket.end(), lex, book) is not None and (
        writers_label(bracket.group("label"), lex) or not _narrates(text, bracket.end(), lex, book)
    ):
        return bracket  # 【UP主置顶评论】补充一下：有人问… is the presenter's, whoever it names
    headed = HEADED_TURN.match(text) if bracket else None
    if headed and headed.group("label").strip() not in lex["sender_labels"] and _names_someone(headed.group("label"), lex, book):
        return headed  # 【提案人回覆】何承翰：the heading names nobody; the label after it does
    posted = re.match(rf"^\s*(?P<label>(?:{alternation(lex['english_post_labels'])})\s+by\s+\S{{2,30}}(?:\s*\([^()\n]{{1,20}}\))?)\s*:\s*", text)
    if posted and label_turn(posted.group("label"), posted.end(), lex, book):
        return posted  # Original post by u/quiet_owl (edited): longer than a label before a colon may be
    return handle_label_match(text, lex) or ENGLISH_COMMENT.match(text) or TIMED_TURN.match(text) or TURN_LABEL.match(text)


def _names_someone(label: str, lex: Lexicon, book: SpeakerBook) -> bool:
    """A label after a section heading counts only when it names a person on its own (not a mail's
    发件人：, whose sender the mail header's reader finds)."""
    turn = label_turn(label, 0, lex, book)
    return turn is not None and turn.speaker is not None and not turn.role


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


def _sections(passages: list[Passage], turns: dict[int, Turn]) -> dict[int, Turn]:
    """【教师追问】贺老师没有急着评判… — a bracketed heading that is no turn, after the turns began,
    opens a section the writer narrates: the turn before it does not carry into it."""
    first = min(turns)
    return {
        index: Turn(None, bracket.end(), carries=False, section=True)
        for index, passage in enumerate(passages)
        if index > first and index not in turns and (bracket := BRACKET_TURN.match(passage.text))
    }


def inline_turns(text: str, start: int, lex: Lexicon, book: SpeakerBook) -> list[InlineTurn]:
    """Turns after the first inside one paragraph: …怎么看？马涛：… (offsets in ``text``)."""
    masked = masked_text(text, find_quotes(text))
    found = []
    for match in INLINE_TURN.finditer(masked, start):
        turn = label_turn(match.group("label"), match.end(), lex, book)
        if turn is not None:
            found.append(InlineTurn(match.start("label"), match.end(), turn))
    return found


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
