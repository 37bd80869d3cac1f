"""Transcripts and threads whose labels say more than a name: a debate's sides before the names
(正方X：), a subtitle file's timecodes ([00:01:15] X：), a hearing chair named in brackets with a
title around the name, and an email thread's 发件人 headers. Each in both scripts, nobody listed;
all sentences invented."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.corpus.attribution import attribute
from bot.corpus.attribution.letters import heading_writer
from bot.corpus.attribution.lexicon import load_lexicon
from bot.corpus.models import Passage, Source
from tests.corpus.attribution.helpers import SCRIPTS, in_script, passages_of, read, speaker_at

pytestmark = pytest.mark.parametrize("script", SCRIPTS)


def speakers(passages: list[Passage]) -> list[str | None]:
    return [p.speaker for p in passages]


def names(script: str, *people: str | None) -> list[str | None]:
    return [in_script(p, script) if p else None for p in people]


def test_a_debate_label_gives_the_turn_to_the_name_after_the_side(script):
    got = read(
        "主持人卜文澜：今晚的题目是小工厂该不该自己养模型。先请正方。",
        "正方尉迟朗：我们车间去年自己部署了一套，质检返工少了一半。",
        "反方蔺秋禾：一半是好数字，可维护的人从哪里来？",
        "正方尉迟朗：从车间里来，我们培训了两个老师傅。",
        script=script,
    )
    assert speakers(got) == names(script, "卜文澜", "尉迟朗", "蔺秋禾", "尉迟朗")


def test_a_side_alone_or_a_side_with_a_space_before_the_name(script):
    got = read(
        "主持人 卜文澜：请反方回应。",
        "反方 蔺秋禾：我只问一句，出了事谁来负责？",
        "主持人 卜文澜：正方呢？",
        script=script,
    )
    assert speakers(got) == names(script, "卜文澜", "蔺秋禾", "卜文澜")


def test_subtitle_timecodes_before_the_labels(script):
    got = read(
        "[00:00:05] 小鹿：欢迎回来，这一集我们把模型装进旧笔电。",
        "[00:01:40] 缪星野：装得进去，可是风扇会一直转，我劝你插着电源用。",
        "[00:02:02] 小鹿：那我今天就不拔插头了。",
        "00:03:10,250 缪星野：记得把散热垫也垫上。",
        script=script,
    )
    assert speakers(got) == names(script, "小鹿", "缪星野", "小鹿", "缪星野")
    assert speaker_at(got[1], "我劝你插着电源用", script) == in_script("缪星野", script)


def test_a_timed_caption_between_turns_is_nobodys(script):
    got = read(
        "[00:00:05] 小鹿：欢迎回来，今天请到一位来宾。",
        "[00:00:20] [画面字幕：来宾　缪星野　散热工程师]",
        "[00:00:24] 缪星野：大家好，我先说散热。",
        "[00:00:40] 小鹿：好，请说。",
        script=script,
    )
    assert speakers(got) == names(script, "小鹿", None, "缪星野", "小鹿")


def test_a_chair_named_in_brackets_around_a_title_speaks_as_the_bare_chair_too(script):
    got = read(
        "主席（审议会召集人 沈书涵议员）：今天只谈第五条，每人五分钟。",
        "栾启东教授：谢谢主席。第五条对学生太重了。",
        "主席：谢谢栾教授。下一位。",
        "栾启东教授：我再补一句，学校没有法务。",
        script=script,
    )
    assert speakers(got) == names(script, "沈书涵", "栾启东", "沈书涵", "栾启东")


def test_each_mail_in_a_thread_is_its_senders_until_the_writer_reports_again(script):
    got = read(
        "编者按：一家仓储公司内部就模型是否开源通了几封邮件，经同意刊发。",
        "【邮件一】发件人：靳望舒（技术总监）　收件人：全体　主题：开源分拣模型",
        "各位，我建议把分拣模型开源，外面的数据能帮我们补上冷库的场景。",
        "我算过，补数据的钱我们自己出不起。",
        "【邮件二】发件人：詹若溪　收件人：靳望舒　主题：回复：开源分拣模型",
        "望舒，我担心的是客户合同里的保密条款，我们得先问法务。",
        "据了解，该公司最终决定先开源一个缩小的版本。",
        script=script,
    )
    assert speakers(got) == names(script, None, "靳望舒", "靳望舒", "靳望舒", "詹若溪", "詹若溪", None)
    assert speaker_at(got[2], "外面的数据能帮我们补上冷库的场景", script) == in_script("靳望舒", script)


def test_a_quote_inside_a_mail_stays_with_whom_it_quotes(script):
    got = read(
        "发件人：靳望舒　主题：客户的意见",
        "我把客户的原话转给大家：喻晓岚说：“你们开源了，我们就敢多签两年。”我觉得可以考虑。",
        "发件人：詹若溪　主题：回复：客户的意见",
        "我同意先谈，再决定。",
        script=script,
    )
    assert speaker_at(got[1], "我们就敢多签两年", script) == in_script("喻晓岚", script)
    assert speaker_at(got[1], "我觉得可以考虑", script) == in_script("靳望舒", script)
    assert got[3].speaker == in_script("詹若溪", script)


def test_a_sender_label_inside_a_sentence_is_no_header(script):
    got = read(
        "那封信的发件人：没人知道是谁，公司也没有查。",
        "我们只知道信里提到了模型开源。",
        script=script,
    )
    assert speakers(got) == [None, None]


def test_a_vox_pop_introduces_each_passer_by_with_an_age(script):
    got = read(
        "在车站卖早点的邹太太（58岁）表示，自己从来没用过这些工具。",
        "大学生宁同学（21岁）则两种都用。她表示，写报告用学校买的服务，因为“查得准”。",
        "出租车司机葛伯（66岁）就说，等有免费课程再学。“现在开车用不着。”",
        script=script,
    )
    assert speakers(got) == names(script, "邹太太", "宁同学", "葛伯")
    assert speaker_at(got[1], "查得准", script) == in_script("宁同学", script)



def test_a_report_section_heading_credits_its_writer(script):
    sections = [
        ("序言　研究组负责人夏知远", "我们花了一年走访四十家医院，结论是先用起来再说。"),
        ("序言　研究组负责人夏知远", "研究组在报告中列出了三类风险。"),
        ("第二章　风险（执笔：滕若川）", "我们认为，小模型应当放开，大模型要先评估。"),
        ("附录　数据", "据统计，去年公开的医疗模型不到二十个。"),
    ]
    passages = passages_of(*(in_script(text, script) for _heading, text in sections))
    headed = [replace(p, heading=in_script(heading, script)) for p, (heading, _text) in zip(passages, sections)]
    got = attribute(headed, Source(), ())
    assert speakers(got) == names(script, "夏知远", None, "滕若川", None)


def test_a_byline_line_is_no_section_credit(script):
    lex = load_lexicon()
    assert heading_writer(in_script("第二章　风险（执笔：滕若川）", script), lex) == in_script("滕若川", script)
    assert heading_writer(in_script("序言　研究组负责人夏知远", script), lex) == in_script("夏知远", script)
    for byline in ("文 / 邝语桐", "编辑：Nora Lim（林诺）", "附录　数据", "第四章"):
        assert heading_writer(in_script(byline, script), lex) is None


def test_a_view_named_as_a_topic_leaves_the_story_quote_to_its_person(script):
    got = read(
        "设计师Rowan（31岁）的看法正好相反。他在家里的旧电脑上装了开放模型，用来整理草图。“我每个月省下两百块，还能按我的习惯改它。”",
        script=script,
    )
    assert speaker_at(got[0], "还能按我的习惯改它", script) == "Rowan"


def test_a_speech_noun_opening_a_colon_still_stops_the_story_quote(script):
    got = read(
        "设计师Rowan（31岁）在家里的旧电脑上装了开放模型。同事的评价：“我每个月省下两百块，也不觉得值。”",
        script=script,
    )
    assert speaker_at(got[0], "也不觉得值", script) != "Rowan"


def test_an_unnamed_trader_described_by_their_trade_is_the_speaker(script):
    got = read("一位不愿具名的软件业者则透露，同行现在都两头下注。“没有哪家只押一边。”", script=script)
    assert speaker_at(got[0], "没有哪家只押一边", script) == in_script("一位不愿具名的软件业者", script)
