"""Forms met in session 5's unseen styles: a dialogue whose header keys its initials to names
(对话人：M——麦青禾…), a documentary's captions (【同期声·字幕：葛晓岚　社区志愿者】), a meeting's
minutes (股东户号第四二一号股东发言：, 根据公司估算), a backer's handle (赞助者「…」留言), someone brought
in by a cleft (带我参观的是一位…), a surname with 阿姨, and a dated entry (九月｜一名…). Each in both
scripts, nobody listed; all sentences invented."""

from __future__ import annotations

import pytest

from tests.corpus.attribution.helpers import SCRIPTS, in_script, quoted, read, speaker_at

pytestmark = pytest.mark.parametrize("script", SCRIPTS)


def test_initials_keyed_to_names_in_a_header_are_those_people(script):
    got = read(
        "对话人：M——麦青禾（一家软件公司创始人）；R——饶子墨（一个开放模型社区的发起人）。",
        "M：我们的客户要的是有人接电话，不是一份代码。",
        "R：可是代码在手里，客户才睡得着。",
        "M：这一点我不同意。",
        script=script,
    )
    assert [p.speaker for p in got[1:]] == [in_script(n, script) for n in ("麦青禾", "饶子墨", "麦青禾")]


def test_keys_that_name_nobody_are_no_header(script):
    got = read(
        "我们比较了两条路：M——本地部署；N——租用接口。",
        "M：这个方案最贵。",
        "M：但最安全。",
        "M：也最难维护。",
        script=script,
    )
    assert got[1].speaker == in_script("M", script)  # a recurring label, as before: no key says who M is


def test_a_caption_names_the_person_before_what_they_are(script):
    got = read(
        "【解说】夜里十一点，机房的灯还亮着。",
        "【同期声·字幕：葛晓岚　社区志愿者】这台机器是大家凑钱买的，谁都可以来用。",
        "【同期声·画面打码，字幕：一位在数据中心值夜班的技术员】我们每天都在看日志，看有没有人动了不该动的东西。",
        script=script,
    )
    assert got[1].speaker == in_script("葛晓岚", script)
    assert got[2].speaker == in_script("一位在数据中心值夜班的技术员", script)


def test_minutes_give_the_floor_to_a_shareholder_and_to_a_named_director(script):
    got = read(
        "主席致词：本次会议讨论是否公开旧版模型。",
        "股东户号第四二一号股东发言：本人持股八年，担心对手一夜之间追上来。",
        "总经理倪嘉树答复：谢谢指教。根据公司估算，公开之后两年内可以收回成本。",
        "独立董事苏文澜补充说明：外部机构的评估报告已经放在网站上。",
        script=script,
    )
    assert got[1].speaker == in_script("股东户号第四二一号股东", script)
    assert got[2].speaker == in_script("倪嘉树", script)  # 根据公司估算: the company is a source, not a speaker
    assert got[3].speaker == in_script("苏文澜", script)
    assert got[0].speaker is None  # a bare role taking the floor names nobody


def test_a_backer_known_by_a_handle_speaks(script):
    got = read("【赞助者留言】赞助者「山里的小满」留言：「家里信号只有一格，终于有不用连网的东西了。」", script=script)
    assert quoted(got[0]) == [(in_script("家里信号只有一格，终于有不用连网的东西了。", script), in_script("山里的小满", script))]


def test_someone_brought_in_by_a_cleft_is_the_she_after_it(script):
    got = read(
        "第一站是河边的一家小公司。负责人葛望舒博士指着窗外说：“河是大家的。”",
        "第二站是一座新城里的研究院。带我参观的是一位年轻的工程师，她不肯透露名字。走到门口时，她停下来说：“模型从来不出这扇门。”",
        script=script,
    )
    assert speaker_at(got[1], "模型从来不出这扇门", script) == in_script("一位年轻的工程师", script)


def test_a_surname_with_auntie_after_a_job_is_a_person(script):
    got = read(
        "第一站是河边的一家小公司。负责人葛望舒博士指着窗外说：“河是大家的。”",
        "合作社的会计冼阿姨用一台旧电脑核对账目。她说：“便宜的做小事，贵的做大事。”",
        script=script,
    )
    assert speaker_at(got[1], "便宜的做小事", script) == in_script("冼阿姨", script)


def test_a_dated_entry_starts_the_description_after_its_bar(script):
    got = read(
        "八月｜在发布会上，首席执行官应书衡说：“免费的东西最贵。”",
        "九月｜一名来自山区的高二学生用公开的模型做了一个识别药盒的小程序。她说：“网上能下载的模型就是我们的老师。”",
        "十月｜远山的一位前员工在社交平台上发文告别：“门关上了，我也该走了。”",
        script=script,
    )
    assert speaker_at(got[1], "网上能下载的模型", script) == in_script("一名来自山区的高二学生", script)
    assert speaker_at(got[2], "门关上了", script) == in_script("远山的一位前员工", script)


def test_the_words_someone_unnamed_said_are_theirs_not_the_she_before(script):
    got = read("她经手的一起纠纷里，当事企业负责人反复说的一句话是：“出了事凭什么找我？”", script=script)
    assert quoted(got[0]) == [(in_script("出了事凭什么找我？", script), in_script("当事企业负责人", script))]
