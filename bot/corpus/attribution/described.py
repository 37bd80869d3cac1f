"""Speakers the text names only by a role or a description: 一位香港券商的分析师, 云杉智算的相关负责人.

A user asking /who-said about their words wants to be told who they were, as the article puts it,
rather than "the article does not say". Such a speaker is the subject as written, from the start of
its clause to its role word (一位不愿具名的券商分析师, 省城一家三甲医院的信息中心主任, 省数据局有关负责人),
past connectives and adverbs (不过, 随后); a 这位 that points back is not part of it. Only one
particular person counts: counted (一位, 一家…的), described (X的…) or qualified (省数据局有关负责人);
a bare or plural role (专家, 业内人士, 有分析人士, 多位学者) names nobody, nor does a role owned by a
pronoun (他的发言人). A later 这位分析师 or 他 stands for the same phrase, and 这位不愿具名的研究员,
after someone brought in unnamed, for its own description.
"""

from __future__ import annotations

import re

from bot.corpus.attribution.layout import Layout
from bot.corpus.attribution.lexicon import (
    CLAUSE_BREAK,
    COUNTING,
    MASK,
    PLURAL,
    POINTERS,
    PRONOUN_OWNERS,
    SENTENCE_END,
    Lexicon,
    alternation,
)

MAX_PHRASE = 24  # a subject longer than this is cut to where its counting word starts
MAX_ROLE_EXTRA = 6  # characters before the role word after 的 (信息中心主任, 相关负责人)
SPECIFIC_EXTRA = 2  # characters besides the role word that make it particular (省数据局有关负责人)
MIN_BARE_BODY = 3  # 课题组, 主办方 speak bare; 公司 alone is anyone's
ASKED_TO = r"请|請|要求|责令|責令|邀请|邀請"  # 请发行人说明: whom a request asks to speak
OPENERS = r"不过|不過|但是|但|而|另外|此外|其中|会上|會上|现场|現場|席间|席間|这时候|這時候|这时|這時|此时|此時"


def described_speaker(layout: Layout, end: int) -> str | None:
    """The role phrase ending at ``end`` (where a speaker stands before a verb), or None."""
    return role_phrase(layout.masked, end, layout.lex, bodies=layout.book.bodies) or _body_pointed_back(layout, end)


def _body_pointed_back(layout: Layout, end: int) -> str | None:
    """一家提供模型接口服务的企业则持相反意见。该企业认为，… — 该/这家 + a kind of body points back to
    the one body of that kind the passage brought in counted (一家…企业) at a clause's start, as
    written, as 这位分析师 points back to someone brought in unnamed."""
    clause = re.split(rf"[{CLAUSE_BREAK}{MASK}]", layout.masked[max(0, end - 12) : end])[-1].strip()
    pointer = POINTERS.match(clause)
    kind = clause[pointer.end() :] if pointer and pointer.end() else ""
    if not kind or not re.fullmatch(alternation(layout.lex["organisations"] | layout.lex["organisation_kinds"]), kind):
        return None
    start = end - len(clause)
    counted = rf"一[家个個所间間][^{CLAUSE_BREAK}{MASK}]{{0,24}}?{re.escape(kind)}"
    if len(re.findall(counted, layout.masked[:start])) != 1:
        return None  # 一家…公司和一家…公司: which one, we cannot say
    found = re.search(rf"(?:^|(?<=[{CLAUSE_BREAK}]))\s*(?:{OPENERS})?(?P<who>{counted})", layout.masked[:start])
    return found.group("who") if found else None


def role_phrase(masked: str, end: int, lex: Lexicon, start: int = 0, bodies: dict[str, str] | None = None) -> str | None:
    """The subject ending at ``end`` as the article writes it, when it is one particular person known
    only by a role: from its clause's start (or ``start``), past connectives and adverbs; or a body
    (see ``_body_phrase``)."""
    clause = re.split(rf"[{CLAUSE_BREAK}{MASK}】\]｜|]", masked[max(start, end - 40) : end])[-1]  # 十一月｜一位前员工: a dated entry
    role = lex.person_role_end_re.search(clause)
    if not role:
        return _body_phrase(clause, lex, bodies or {})
    phrase = re.sub(rf"^(?:\s|{OPENERS}|{lex.adverbs})+", "", clause).strip()
    phrase = re.sub(r"^有(?=一[位名个個])", "", phrase)  # 有一位机构投资者提问：one person, brought in
    phrase = re.sub(r"^.*?[了过過](?=一[^位名个個家])", "", phrase)  # 节目念了一则观众留言: a clause's object, not its subject
    if re.match(ASKED_TO, phrase):
        return None  # 请该负责人说明：asked to speak, not speaking
    if (source := re.sub(r"^有", "", phrase)) in lex["anonymous_sources"]:
        return source  # 有知情人士透露: a source kept unnamed by custom is one particular person
    if len(phrase) > MAX_PHRASE:
        counted = list(COUNTING.finditer(phrase))
        phrase = phrase[counted[-1].start() :] if counted else ""
    if not phrase or PLURAL.search(phrase) or PRONOUN_OWNERS.search(phrase) or lex.label_role(phrase):
        return None
    if phrase.startswith("的"):
        return None  # 一位昵称为“小白兔”的用户: the description runs across quote marks we cannot write out
    titled = re.search(rf"(?:{alternation(lex['departments'])})(?P<titled>{lex.surname}(?:{alternation(lex['honorifics'])}))$", phrase)
    if titled:
        return titled.group("titled")  # 法务部林律师: a department's member, by surname and title
    particular = COUNTING.search(phrase) or "的" in phrase or len(phrase) - len(role.group()) > SPECIFIC_EXTRA
    return phrase if particular else None


def _body_phrase(clause: str, lex: Lexicon, bodies: dict[str, str]) -> str | None:
    """课题组, 卫生主管机关, 东岸软件协会: a body that speaks as one, as written (``organisations``);
    after a word for its kind (保荐机构澜庭证券), its own name; the bare kind (协会, 该协会) the one
    body of that kind the article named in full (``bodies``)."""
    if not lex.organisation_end_re.search(clause):
        return None
    phrase = re.sub(rf"^(?:\s|{OPENERS}|{lex.adverbs})+", "", clause).strip()
    phrase = re.sub(rf"^(?:{alternation(lex['source_prepositions'])})", "", phrase)  # 根据公司估算: 公司, not 根据公司
    if re.match(ASKED_TO, phrase):
        return None  # 请发行人说明：the issuer is asked to explain; the asker speaks
    if (bare := POINTERS.sub("", phrase)) in bodies:
        return bodies[bare]  # 协会建议…, after 鲤门数智产业协会 was named
    phrase = re.sub(rf"^.*(?:{alternation(lex['organisation_kinds'])})(?=.{{2}})", "", phrase)  # 保荐机构澜庭证券
    if len(phrase) > MAX_PHRASE or len(phrase) < MIN_BARE_BODY or POINTERS.search(phrase) or PLURAL.search(phrase):
        return None
    if PRONOUN_OWNERS.search(phrase) or COUNTING.search(phrase) or re.search(r"[，,、\s的]", phrase):
        return None  # 总部位于杭州的星桥智能科技有限公司宣布: a firm a news report describes is its subject, not a voice
    return phrase


def introduced_before(layout: Layout, index: int, since: int, role: str | None = None) -> str | None:
    """一位香港券商的分析师…。这位分析师认为 — the last person the passage brought in with a
    counting word (一位, 一名) between ``since`` and ``index``, as written: whom a bare 这位分析师 means.
    With ``role`` (合伙人 of 这位合伙人), the description must end in it (一位律师事务所合伙人, not 一位律师)."""
    words = re.escape(role) if role else layout.lex.compound_role
    found = None
    for match in re.finditer(rf"[一某][位名个個][^{CLAUSE_BREAK}{MASK}]{{0,24}}?(?:{words})", layout.masked[since:index]):
        found = role_phrase(layout.masked, since + match.end(), layout.lex, since + match.start()) or found
    interviewed = rf"(?<={alternation(layout.lex['interviewing_verbs'])})[^{CLAUSE_BREAK}{MASK}]{{1,16}}?(?:{words})(?=[{CLAUSE_BREAK}])"
    for match in re.finditer(interviewed, layout.masked[since:index]):
        found = layout.masked[since + match.start() : since + match.end()]  # 访谈了发行人技术负责人。该负责人表示
    return found


def introduced_subject(layout: Layout, index: int, since: int, breaks: str = SENTENCE_END) -> str | None:
    """一位中資券商的分析員卻不以為然。她說，… — someone brought in unnamed as the subject of a
    sentence (at its start, past connectives; or of a clause, with ``breaks``), or after a cleft's 的是
    (带我参观的是一位年轻的研究员，她…), or described and then said to be someone (县医院的信息科长是我
    初中同学，他…), after anyone was last named: whom a later 他/她 means."""
    words = layout.lex.compound_role
    found = None
    pattern = rf"(?:^|(?<=[{breaks}｜|])|(?<=的是))\s*(?:{OPENERS})?[一某][位名个個][^{CLAUSE_BREAK}{MASK}]{{0,24}}?(?:{words})"
    # 县医院的信息科长是我初中同学，他…: a clause opening with someone described (X的 + role) and 是
    described = rf"(?:^|(?<=[{CLAUSE_BREAK}｜|]))[^{CLAUSE_BREAK}{MASK}]{{1,12}}的[^{CLAUSE_BREAK}{MASK}的]{{0,4}}?(?:{words})(?=是)"
    for match in sorted([*re.finditer(pattern, layout.masked[since:index]), *re.finditer(described, layout.masked[since:index])], key=lambda m: m.end()):
        found = role_phrase(layout.masked, since + match.end(), layout.lex, since + match.start()) or found
    return found


def anaphor_phrase(layout: Layout, start: int, end: int) -> str | None:
    """这位不愿具名的研究员: a role anaphor with a description of its own is that described person."""
    words = layout.masked[start:end]
    if "的" not in words:
        return None
    anaphor = re.match(alternation(layout.lex["role_anaphors"]), words)
    return role_phrase(layout.masked, end, layout.lex, start + (anaphor.end() if anaphor else 0))
