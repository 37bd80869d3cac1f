"""Forms met in session 6's unseen styles: a letter signed with an ideographic space and dated
after its signature, a question put to the writer (当面问我：), a researcher's field notes whose
people go by nicknames (阿X, 小X after a role, 大家叫他X老板), a group's statement whose source line
names the group, and an English profile giving its subject's age. Each Chinese form in both
scripts, nobody listed; all sentences invented."""

from __future__ import annotations

import pytest

from tests.corpus.attribution.helpers import SCRIPTS, in_script, read, read_document, speaker_at

both_scripts = pytest.mark.parametrize("script", SCRIPTS)


@both_scripts
def test_a_letter_signed_role_and_name_on_one_line_then_dated(script):
    got = read_document(
        script,
        [
            "各位合伙人：",
            "这是我接手这家公司的第四年。今年我们把自己的翻译模型放到了网上，任何人都能免费下载。",
            "我知道这个决定让不少人睡不着。明年我们会继续公开小模型，大模型仍然收费。",
        ],
        headings=("致合伙人信｜我们为什么这样做", "总经理　卢望舒", "二〇二七年四月二日"),
    )
    assert [p.speaker for p in got] == [in_script("卢望舒", script)] * 3


@both_scripts
def test_a_question_put_to_the_writer_is_the_askers(script):
    (p,) = read("去年的说明会上，一位从创业起就入股的小股东当面问我：“你们把模型送出去，我们还卖什么？”", script=script)
    assert speaker_at(p, "我们还卖什么", script) == in_script("一位从创业起就入股的小股东", script)


@both_scripts
def test_a_nickname_at_the_verb_after_another_sentence(script):
    (p,) = read("那天下着雨，饭桌上没人说话。阿岚认为，县里自己搭的服务器迟早要出事。", script=script)
    assert speaker_at(p, "县里自己搭的服务器迟早要出事", script) == in_script("阿岚", script)


@both_scripts
def test_what_everyone_calls_someone_is_their_name(script):
    got = read(
        "我住在一家修车铺的阁楼上，店主姓巫，大家叫他巫老板，五十来岁。",
        "巫老板告诉我，他去年买了一套付费的诊断软件，一年要两千块。“贵是贵，出了错有人管。”",
        script=script,
    )
    assert speaker_at(got[1], "他去年买了一套付费的诊断软件", script) == in_script("巫老板", script)
    assert speaker_at(got[1], "出了错有人管", script) == in_script("巫老板", script)


@both_scripts
def test_a_nickname_after_a_role_is_the_she_that_follows(script):
    got = read(
        "下午去了乡里的农技站。站里的技术员小蔓，二十一岁，刚从职校毕业。",
        "我问她，免费的模型靠不靠得住。她想了想，说：“看病靠不住，看天气够用了。”",
        script=script,
    )
    assert speaker_at(got[1], "看天气够用了", script) == in_script("小蔓", script)


@both_scripts
def test_two_characters_after_a_role_making_a_word_are_no_nickname(script):
    (p,) = read("会议由技术员小组负责记录。她说：“明天再讨论。”", script=script)
    assert speaker_at(p, "明天再讨论", script) is None


@both_scripts
def test_a_groups_statement_is_the_group_named_in_its_source_line(script):
    got = read_document(
        script,
        [
            "近两年，模型要不要公开，争论一直没停。我们经过两轮讨论，形成以下看法。",
            "我们认为，公开的模型和收费的服务可以并存。",
            "小团队用得起先进技术，是一件好事。",
            "对于风险最高的模型，我们建议先评估、后公开。",
        ],
        headings=("联合声明｜关于模型开放的几点看法", "来源：澄湖开放模型起草组，由九位学者共同签署"),
    )
    assert [p.speaker for p in got] == [in_script("澄湖开放模型起草组", script)] * 4


@both_scripts
def test_a_source_line_naming_a_paper_is_no_group(script):
    got = read_document(
        script,
        ["我们认为，公开的模型和收费的服务可以并存。", "我们建议先评估、后公开。"],
        headings=("来源：澄湖日报2026年第三期",),
    )
    assert [p.speaker for p in got] == [None, None]


def test_an_english_profile_gives_its_subject_by_name_and_age():
    got = read(
        "Tan Ruolin, 52, runs a small lab that sells fine-tuning to clinics.",
        "Q: Why release the weights at all?",
        "Tan: Because our customers want to see what they are buying.",
        "Q: And the big model?",
        "Tan: That one stays behind the API for now.",
    )
    assert [p.speaker for p in got[2::2]] == ["Tan Ruolin", "Tan Ruolin"]


@both_scripts
def test_a_heading_with_a_role_a_colon_and_a_name_introduces_the_sections_person(script):
    got = read_document(
        script,
        [
            "记者追问：开放的模型出了事谁管？向晓禾笑了笑：“谁用谁管，和菜刀一样。”",
            "第二位是柏听澜代表。她说，今年还要继续提建立公共模型库的建议。",
        ],
        headings=("【代表：向晓禾，一家县医院的信息科主任】", "【代表：柏听澜，某高校教师】"),
    )
    assert speaker_at(got[0], "和菜刀一样", script) == in_script("向晓禾", script)
    assert speaker_at(got[1], "今年还要继续提建立公共模型库的建议", script) == in_script("柏听澜", script)


@both_scripts
def test_question_labels_describing_the_asker_in_brackets(script):
    got = read(
        "问（一家保险公司的研究员）：你们公开了模型，靠什么收费？",
        "蔺若川：靠替客户部署和维护。",
        "问（一位私募基金的合伙人）：那大客户用的是哪一种？",
        "蔺若川：收费的那一种。",
        "问（同一位研究员）：十年以后呢？",
        "蔺若川：两种都在。",
        script=script,
    )
    askers = [p.speaker for p in got[0::2]]
    assert askers == [in_script(w, script) for w in ("一家保险公司的研究员", "一位私募基金的合伙人", "一家保险公司的研究员")]
    assert got[1].speaker == in_script("蔺若川", script)


def test_an_english_interview_credit_names_who_asks():
    got = read(
        "Source: Northgate Review; interview by Priya Lalwani in Singapore, edited for length",
        "Tan Ruolin, 52, runs a small lab that sells fine-tuning to clinics.",
        "Q: Why release the weights at all?",
        "Tan: Because our customers want to see what they are buying.",
        "Q: And the big model?",
        "Tan: That one stays behind the API for now.",
    )
    assert [p.speaker for p in got[2::2]] == ["Priya Lalwani", "Priya Lalwani"]


@both_scripts
def test_a_described_speaker_before_a_place_ending_in_xia(script):
    (p,) = read("但一位高职院校的教师受访者在同一道题下反驳：“工具没有好坏，看谁在用。”", script=script)
    assert speaker_at(p, "看谁在用", script) == in_script("一位高职院校的教师受访者", script)


@both_scripts
def test_a_chat_display_name_gluing_a_role_to_a_latin_name_is_kept_whole(script):
    got = read(
        "[20:01] 运维工程师Kai：我们上周把自建的模型停了，改用接口。",
        "[20:03] 豆腐脑：为什么？自己跑不是更便宜吗？",
        "[20:05] 运维工程师Kai：便宜，但半夜出事只有我一个人扛。",
        "[20:06] 豆腐脑：懂了，买的是睡眠。",
        script=script,
    )
    assert [p.speaker for p in got] == [in_script(n, script) for n in ("运维工程师Kai", "豆腐脑", "运维工程师Kai", "豆腐脑")]


def test_an_english_verb_reaches_a_quotation_further_into_its_sentence():
    (p,) = read(
        'Our first investor, Nadia Brennan, told me she did not fund a charity. '
        'She now tells other founders the open model is "the cheapest marketing we ever bought."'
    )
    assert speaker_at(p, "the cheapest marketing we ever bought") == "Nadia Brennan"


def test_an_english_verb_far_from_a_subject_found_further_back_does_not_reach():
    (p,) = read(
        'Tobias Renner, founder of Norvale, said the chip ships in May. A spokesperson for one of the large cloud '
        'firms declined to comment on Renner, but said in an emailed statement that "small models and big ones will live side by side".'
    )
    assert speaker_at(p, "small models and big ones will live side by side") != "Tobias Renner"
