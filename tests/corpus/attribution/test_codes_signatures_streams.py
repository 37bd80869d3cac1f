"""Reviewers known by a code letter, signed paragraphs, replies in a Q&A thread, comments read out
on a stream, pen names, nicknames with a Latin name, and the people a feature story brings in by
role: each form in both scripts, with nobody listed."""

from __future__ import annotations

import pytest

from tests.corpus.attribution.helpers import SCRIPTS, in_script, quoted, read, read_document, speaker_at

pytestmark = pytest.mark.parametrize("script", SCRIPTS)


# --- people the text keeps anonymous or calls by a nickname ------------------------------------


def test_reviewers_known_by_a_code_letter_and_their_short_form(script):
    out = read(
        "评审委员甲肯定了项目的进度。委员甲指出，采购金额与实际支出有出入。",
        "评审委员乙的看法不同。他认为：“模型一旦放出去，就再也收不回来。”",
        script=script,
    )
    assert speaker_at(out[0], "采购金额与实际支出有出入", script) == in_script("评审委员甲", script)
    assert speaker_at(out[1], "就再也收不回来", script) == in_script("评审委员乙", script)


def test_a_nickname_with_a_latin_name(script):
    (p,) = read("做了十年运维的阿Leo一边泡茶一边说：“机器是自己的，半夜坏了也是自己的。”他说，同行大多改买服务了。", script=script)
    assert speaker_at(p, "半夜坏了也是自己的", script) == "阿Leo"
    assert speaker_at(p, "同行大多改买服务了", script) == "阿Leo"


def test_she_after_someone_brought_in_unnamed_as_the_subject(script):
    out = read(
        "车间主任孔德昌说，新系统很好用。",
        "一位外资券商的分析员却不以为然。她说，这类工厂三年后未必还在用本地模型。",
        script=script,
    )
    assert speaker_at(out[1], "这类工厂三年后未必还在用本地模型", script) == in_script("一位外资券商的分析员", script)


def test_a_factory_head_and_his_short_form(script):
    out = read(
        "厂长石怀远把记者领进机房，指着机箱说：“这台机器三万八。”",
        "石厂长坦言，刚装的时候厂里没人会弄。",
        script=script,
    )
    assert speaker_at(out[0], "这台机器三万八", script) == in_script("石怀远", script)
    assert speaker_at(out[1], "刚装的时候厂里没人会弄", script) == in_script("石怀远", script)


def test_a_name_after_a_role_before_a_time_word(script):
    (p,) = read("总经理蒲怀安第一次见记者时摆摆手：“这东西我们用不上。”", script=script)
    assert speaker_at(p, "这东西我们用不上", script) == in_script("蒲怀安", script)


def test_narration_between_a_colon_quote_and_the_next_is_nobody_s(script):
    (p,) = read("总经理蒲怀安第一次见记者时摆摆手：“这东西我们用不上。”一周后记者再去，他却改了口。“两头都用，谁说只能选一个？”", script=script)
    assert speaker_at(p, "一周后记者再去", script) is None


def test_a_person_introduced_with_a_role_in_brackets(script):
    out = read(
        "本期嘉宾：陶书衡（企业服务公司产品副总裁）",
        "陶书衡不同意这个比方。“菜谱公开了，食品安全谁来管？”他说。",
        script=script,
    )
    assert speaker_at(out[1], "食品安全谁来管", script) == in_script("陶书衡", script)


def test_unnamed_helpers_at_an_event_and_a_place_in_a_stage(script):
    out = read(
        "比赛现场的一位志愿者则告诉小编，今年用开放模型的队伍更多。",
        "一位会员企业负责人在征求意见阶段提出：“自愿登记管不住任何人。”",
        script=script,
    )
    assert speaker_at(out[0], "今年用开放模型的队伍更多", script) == in_script("比赛现场的一位志愿者", script)
    assert speaker_at(out[1], "自愿登记管不住任何人", script) == in_script("一位会员企业负责人", script)


# --- labels and signatures --------------------------------------------------------------------


def test_a_name_and_reply_verb_label_in_a_q_and_a_thread(script):
    out = read_document(
        script,
        [
            "网友“北门老猫”提问：你们靠什么活下去？",
            "郝知行回复：我们靠帮企业做定制赚钱。",
            "网友“山道客”提问：会不会有一天也收回权重？",
            "郝知行回复：不会。",
        ],
    )
    assert [p.speaker for p in out] == [in_script(n, script) for n in ("北门老猫", "郝知行", "山道客", "郝知行")]


def test_a_speech_verb_label_with_a_quotation_stays_speech(script):
    (p,) = read("云杉智能创始人韩立舟回应：“成本会持续下降。”", script=script)
    assert quoted(p) == [(in_script("成本会持续下降。", script), in_script("韩立舟", script))]


def test_a_paragraph_signed_with_a_dash(script):
    out = read_document(
        script,
        ["【本期简介】本期节目时长七十分钟。", "【主播手记】录完这期，我最大的感受是，两位嘉宾说的是同一件事。——卓一帆"],
    )
    assert out[1].speaker == in_script("卓一帆", script)
    assert out[0].speaker is None


@pytest.mark.parametrize("label", ["【嘉宾金句】", "【时间轴】"])
def test_a_bracketed_section_label_is_nobody(script, label):
    (p,) = read_document(script, [f"{label}00:03 开场；06:40 红烧肉之争；21:15 创业公司要不要自己训练模型。"])
    assert p.speaker is None


def test_a_columnist_s_pen_name(script):
    out = read_document(
        script,
        ["上星期，我问了几位相熟的行内朋友。", "有人说要追，有人说要等。", "至于我自己？老实讲，我看不懂模型，但看得懂人性。"],
        headings=("【股海闲谈】模型股的开与关", "文／沙田闲人"),
    )
    assert out[2].speaker == in_script("沙田闲人", script)


# --- comments read out on a stream, bodies by name ---------------------------------------------


def test_comments_read_out_on_a_stream(script):
    out = read_document(
        script,
        [
            "小桔：家人们晚上好！",
            "小桔：弹幕有人在问，我念一下。“夜行舟”问：“机器过两年过时了怎么办？还不如每个月订阅。”",
            "罗志恒：模型可以免费更新。",
            "小桔：好，我再念一条。“青梅煮酒”说：“上次买的那种一体机，客服两个月就找不到人了。”",
        ],
    )
    assert speaker_at(out[1], "还不如每个月订阅", script) == in_script("夜行舟", script)
    assert speaker_at(out[1], "我念一下", script) == in_script("小桔", script)
    assert speaker_at(out[3], "客服两个月就找不到人了", script) == in_script("青梅煮酒", script)


def test_a_body_after_a_word_for_its_kind(script):
    (p,) = read("保荐机构澄江证券在核查意见中认为：“客户迁移一次的成本，比三年的服务费还高。”", script=script)
    assert speaker_at(p, "比三年的服务费还高", script) == in_script("澄江证券", script)


def test_a_quotation_signed_with_a_dash(script):
    (p,) = read("“开源不是慈善，而是一笔算得清的生意。”——韩立舟（星桥智能创始人）", script=script)
    assert speaker_at(p, "而是一笔算得清的生意", script) == in_script("韩立舟", script)


def test_a_signature_with_a_role_after_the_name(script):
    out = read_document(script, ["【主播手记】录完这期，我最大的感受是，两位嘉宾说的是同一件事。——卓一帆，本期主播"])
    assert out[0].speaker == in_script("卓一帆", script)


@pytest.mark.parametrize(
    "place", ["在朋友圈写道", "在发布会表示", "向《南岭日报》记者表示", "在微博发文称", "在直播间说"]
)
def test_a_place_or_an_addressee_between_the_name_and_the_verb(script, place):
    (p,) = read(f"星桥智能创始人韩立舟{place}，明年将开放权重。", script=script)
    assert speaker_at(p, "明年将开放权重", script) == in_script("韩立舟", script)
