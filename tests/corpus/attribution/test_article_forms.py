"""Whole-article forms where the speaker is set by the article's shape, not by a verb: a Q&A whose
interviewee is only introduced, a speech transcript, a 知乎 answer, a forum thread, readers'
letters, a translated op-ed credited in Latin letters. Each in both scripts, with nobody listed."""

from __future__ import annotations

import pytest

from bot.corpus.attribution import attribute
from bot.corpus.attribution.letters import introduced_writer
from bot.corpus.attribution.lexicon import load_lexicon
from bot.corpus.models import Passage, Source
from tests.corpus.attribution.helpers import SCRIPTS, in_script, read

pytestmark = pytest.mark.parametrize("script", SCRIPTS)


def speakers(passages: list[Passage]) -> list[str | None]:
    return [p.speaker for p in passages]


def test_answers_go_to_the_person_the_introduction_names(script):
    got = read(
        "北岸某农商银行今年上线了三个大模型应用。该行首席财务官庞以衡主导了这次选型。以下为访谈节选。",
        "问：你们选了开源还是闭源？",
        "答：两种都用。客户数据碰得到的地方，我们全部自己跑。",
        "问：为什么不全部外包？",
        "答：供应商明年涨价三倍怎么办？我们得有别的路。",
        script=script,
    )
    assert speakers(got) == [None, None, in_script("庞以衡", script), None, in_script("庞以衡", script)]


def test_a_speech_excerpt_is_the_speakers(script):
    got = read(
        "以下为青岚学院院长贺明远在开学典礼上的演辞节录，标题为编者所加。",
        "各位同学：今天我想讲一个旧故事。我读书的时候，机房的电脑是可以拆开的。",
        "所以我们会把两种模型都交给你们。",
        script=script,
    )
    assert speakers(got)[1:] == [in_script("贺明远", script)] * 2


@pytest.mark.parametrize("label", ["回答者", "答主"])
def test_an_answer_credited_to_its_writer_is_theirs_even_in_the_plural(script, label):
    got = read(
        f"来源：问答社区  {label}：岑木槿（某云服务公司架构师）",
        "谢邀。我们公司两种都在用，我负责算账。",
        "先算接口。我们的问答业务一天四十万次调用，一个月五万多元。",
        "再算自建。我们租了两台服务器，一个月三万二。",
        "所以量小用接口，量大自建。",
        script=script,
    )
    assert speakers(got)[1:] == [in_script("岑木槿", script)] * 4


def test_credits_on_one_line_part_at_an_ideographic_space(script):
    got = read(
        "最后编辑：2026-08-30\u3000作者：栾一宁",
        "这份笔记原本写给新来的志工。我稍微整理了一下。",
        "三年前，我们七个人开始整理公开文件。我负责授权。",
        script=script,
    )
    assert speakers(got)[1:] == [in_script("栾一宁", script)] * 2


def test_a_translated_op_ed_is_its_author_by_the_chinese_name(script):
    got = read(
        "原文作者：Hanna Kowalczyk\u3000编译：宁小禾",
        "【编者按】本文作者汉娜·科瓦尔奇克（Hanna Kowalczyk）曾在华沙一家审计机构工作七年。",
        "我做审计的第一年，供应商只给了我们一份说明文件。我要求看模型本身，被拒绝了。",
        "我的主张很简单：对审计员开放，不应该再讨论。",
        script=script,
    )
    author = in_script("汉娜·科瓦尔奇克", script)
    assert speakers(got) == [None, None, author, author]  # the editor's note is not the author's


def test_a_translated_op_ed_named_only_in_the_editors_note(script):
    got = read(
        "原文作者：Oskar Lindgren  编译：冉小舟",
        "编者按：本文作者奥斯卡·林格伦是瑞典一家开源实验室的联合创始人。",
        "上个月，我在听证会上被一位议员问到开源的动机。我说这是供应链安全。",
        "我并不认为闭源公司是敌人。",
        script=script,
    )
    assert speakers(got)[2:] == [in_script("奥斯卡·林格伦", script)] * 2


def test_forum_replies_are_their_users_and_the_original_poster_is_the_author(script):
    got = read(
        "看板：软件工作 作者：greyheron42（灰鹭）",
        "我们公司要把云端的服务全部换成本地模型，合理吗？我有点担心。",
        "推 pier_dev：六个人要管整套本地模型？等着加班吧。",
        "→ pier_dev：补充，我们去年也这样搞过。",
        "嘘 owl2020：你们只算了推理的钱。",
        "原po回：谢谢各位，我整理一下大家的意思。",
        script=script,
    )
    assert speakers(got)[2:] == ["pier_dev", "pier_dev", "owl2020", "greyheron42"]


def test_readers_letters_each_speak_for_their_own_section(script):
    texts = [
        ("读者来信｜孩子的作业交给哪种模型？", None),
        ("本报收到多封读者来函，以下摘录两封。", None),
        ("我是一所国中的资讯老师甘雨桐。我在社团里用旧电脑跑了一个小模型。", "一、别让孩子只会按按钮"),
        ("今年我还会继续带学生拆开它看。", "一、别让孩子只会按按钮"),
        ("看了甘老师的来函，我很敬佩。我是一名家长，也是一名系统工程师，阙明德。", "二、学校没有那么多甘老师"),
        ("我宁可让每个孩子用到一个安全的商用服务。", "二、学校没有那么多甘老师"),
        ("本版欢迎读者投书，来函请附真实姓名。", "二、学校没有那么多甘老师"),
    ]
    passages = [
        Passage(id=f"d:{n}", doc_id="d", number=n, text=in_script(t, script), raw_span=(0, len(t)),
                heading=in_script(h, script) if h else None)
        for n, (t, h) in enumerate(texts)
    ]
    got = attribute(passages, Source(), ())
    first, second = in_script("甘雨桐", script), in_script("阙明德", script)
    assert speakers(got) == [None, None, first, first, second, second, None]


def test_a_role_alone_or_a_word_is_not_a_self_introduction(script):
    lex = load_lexicon()
    for text, name in [
        ("我是一名老师。", None),
        ("我是说，这件事没那么简单。", None),
        ("我是真的不懂。", None),
        ("我是刘总的朋友，他说过。", None),
        ("我叫王小明，今年十六岁。", "王小明"),
        ("我是律师张伟。", "张伟"),
        ("我是一名家长，也是一名系统工程师，赖明德。", "赖明德"),
    ]:
        assert introduced_writer(in_script(text, script), lex) == (in_script(name, script) if name else None), text


def test_a_first_person_quotation_in_a_story_about_one_person_is_theirs(script):
    got = read(
        "工程师蒲立言说，最初他并不赞成这件事。",
        "让他改变想法的，是去年冬天的一次断网。整整一天，系统全部停摆。“那天我在机房里站了一夜，什么也做不了。”",
        "蒲立言最得意的，是他自己加的一个小功能。“要是模型说错了，我一眼就能找到出处。”",
        script=script,
    )
    assert [q.speaker for p in got[1:] for q in p.quotations] == [in_script("蒲立言", script)] * 2


@pytest.mark.parametrize(
    "story",
    [
        "让他改变想法的，是一次断网。运维主管甘小雨也在场。“那天我在机房里站了一夜，什么也做不了。”",  # two people
        "让他改变想法的，是一次断网。有人回忆说：“那天我在机房里站了一夜，什么也做不了。”",  # someone else speaks
        "让他改变想法的，是一次断网。墙上贴着“机房重地，闲人免进”。",  # a sign, no first person
        "我们赶到时，他已经在机房里站了一夜。“那天我在机房里站了一夜，什么也做不了。”",  # the writer is there
    ],
)
def test_a_story_quotation_is_nobodys_when_someone_else_could_have_said_it(script, story):
    got = read("工程师蒲立言说，最初他并不赞成这件事。", story, script=script)
    assert all(q.speaker != in_script("蒲立言", script) for q in got[1].quotations)


def test_a_commentators_byline_makes_the_piece_theirs_however_rarely_it_says_i(script):
    got = read(
        "本报评论员 郁清和",
        "近日，多个省份相继出台支持人工智能产业发展的政策。",
        "什么叫自主？我以为，要看上游断供的那一天还剩下什么。",
        "不妨回顾一下操作系统的历史。真正摆脱依赖的，是开放的生态。",
        "真正的自主，是有选择的能力。",
        script=script,
    )
    assert speakers(got)[2:] == [in_script("郁清和", script)] * 3


def test_a_role_label_that_names_its_person_once_names_them_after(script):
    got = read(
        "记者：云帆最初用的是什么模型？",
        "嘉宾（邝俊朗）：全部是闭源的云端模型。",
        "记者：后来为什么改变？",
        "嘉宾：有两件事。第一是客户的数据不能出境。",
        script=script,
    )
    assert speakers(got)[1] == speakers(got)[3] == in_script("邝俊朗", script)


def test_a_panel_that_names_its_speakers_only_by_what_they_are(script):
    got = read(
        "主持人：什么是主权AI？",
        "部委研究机构的研究员：关键时刻，别人按不下你的暂停键。",
        "国有云企业的总工程师：先把能力建起来。",
        "东南亚国家的官员：我们的人口不到三千万。",
        "主持人：最后请每位用一句话总结。",
        script=script,
    )
    described = [in_script(w, script) for w in ("部委研究机构的研究员", "国有云企业的总工程师", "东南亚国家的官员")]
    assert speakers(got)[1:4] == described



def test_a_group_heading_a_list_item_is_no_speaker(script):
    got = read(
        "开源模型让三类人受益。",
        "终端用户：产品更便宜，也更容易拿到。",
        "中小企业：不必为每次调用付费。",
        "研究人员：可以检查权重，复现结果。",
        script=script,
    )
    assert speakers(got)[1:4] == [None, None, None]

@pytest.mark.parametrize("line", ["最怕的是两种人：一种只看价格。", "但我想提醒各位立法者：合规的成本太高。", "原文作者：Hanna Kowalczyk"])
def test_a_sentence_or_a_credit_before_a_colon_is_no_speaker(script, line):
    got = read("主持人：你怎么看？", "嘉宾邝俊朗：我同意。", line, script=script)
    assert got[2].speaker != in_script(line.split("：")[0], script)


def test_a_thread_with_numbered_floors_and_nicknames(script):
    got = read(
        "节点：机器学习 · 楼主：沉默的瓦片",
        "楼主：新出的开放模型许可证，你们公司法务怎么说？",
        "#1 一只小狸花：我们法务的意见一样，别用。",
        "#2 不吃香菜：不同意楼上。",
        "3楼 老周不修bug：看业务规模。",
        script=script,
    )
    assert speakers(got)[1:] == [in_script(n, script) for n in ("沉默的瓦片", "一只小狸花", "不吃香菜", "老周不修bug")]


def test_letters_one_after_another_each_with_its_writer_and_a_salutation(script):
    got = read(
        "编辑部的话：上期刊发后，收到不少读者来信，选登其中两封。",
        "编辑同志：我叫冯建业，今年五十九岁，炒股二十年。",
        "我亏了一笔以后才想到一个问题：它为什么这么说？",
        "编辑同志：我是一名大学教金融的老师，姓甄，甄若愚。我认为要把依据写出来。",
        script=script,
    )
    first, second = in_script("冯建业", script), in_script("甄若愚", script)
    assert speakers(got) == [None, first, first, second]


def test_a_speech_recorded_after_the_speaker_is_introduced(script):
    got = read(
        "9月10日，教育论坛在成都举行。实验中学校长吕文渊在分论坛上作了发言。以下根据现场录音整理，有删节。",
        "各位同行，我今天讲三个我们学校的小故事。",
        "第三个故事是关于钱的。",
        script=script,
    )
    assert speakers(got)[1:] == [in_script("吕文渊", script)] * 2


def test_an_editors_note_after_a_speech_or_an_interview_is_nobodys(script):
    got = read(
        "以下为青岚学院院长贺明远在开学典礼上的演讲全文。",
        "各位同学：今天我想讲一个旧故事。",
        "（本文根据现场录音整理，已经讲者确认。）",
        "本文仅代表作者个人意见。",
        script=script,
    )
    assert speakers(got)[1:] == [in_script("贺明远", script), None, None]


def test_a_verb_or_an_addressee_is_never_a_name(script):
    (first, second) = read(
        "一位长期研究工业安全的高校学者向本报表示，开放的模型更容易审计。",
        "谈到监管，他认为初步方向是按风险分级。",
        script=script,
    )
    assert first.speaker != in_script("向本报", script) and second.speaker != in_script("谈到", script)


def test_a_legislators_label_with_the_title_after_the_name(script):
    got = read("主席：祁凯琳议员。", "祁凯琳议员：主席，我想提醒大家开放模型的风险。", "麦启源议员：主席，政府应该先开放。", script=script)
    assert speakers(got)[1:] == [in_script("祁凯琳", script), in_script("麦启源", script)]


def test_a_short_name_given_hereafter_stands_for_the_person(script):
    got = read(
        "本期请来澄江智能创始人郑羽川（以下简称“郑”）和白塔模型首席执行官骆思远（以下简称“骆”）。",
        "郑：我们所有模型都开源。",
        "骆：我们只提供接口。",
        script=script,
    )
    assert speakers(got)[1:] == [in_script("郑羽川", script), in_script("骆思远", script)]


def test_reposts_each_speak_for_their_user_and_carry_no_further(script):
    got = read(
        "【原帖】@云杉智算官方：我们今天开放了模型权重。",
        "//@码农阿七：先别急着夸。训练数据呢？",
        "//@橘子汽水不加冰：回复@码农阿七：你要人家把数据也放出来？",
        "据一家财经媒体报道，该公司暂未回应。",
        script=script,
    )
    assert speakers(got) == [in_script(n, script) if n else None for n in ("云杉智算官方", "码农阿七", "橘子汽水不加冰", None)]


def test_a_letter_signed_at_the_end_is_its_signers(script):
    got = attribute(
        [Passage(id=f"d:{n}", doc_id="d", number=n, text=in_script(t, script), raw_span=(0, len(t))) for n, t in enumerate([
            "亲爱的开发者朋友们：",
            "过去两年，我们一直以开放授权发布模型。我知道这个决定会让很多人失望。",
            "今天写这封信，是要向大家说明一个不容易的决定。",
            "如果你有任何意见，欢迎写信给我。我会亲自读每一封信。",
        ])],
        Source(),
        (),
        headings=(in_script("致开发者的一封信", script), in_script("岚谷科技共同创办人暨首席执行官", script), in_script("赖承恩", script)),
    )
    # the salutation and a dated paragraph that turns to the readers (大家) are the writer's too
    assert speakers(got) == [in_script("赖承恩", script)] * 4


def test_an_english_story_gives_the_chinese_name_in_brackets(script):
    got = read(
        "Source: Pearl River Tech Wire",
        "\"我们卖的是芯片，不是模型，\" chairman Gao Mingze (高明泽) told reporters.",
        "Gao added that the company had tested five open models.",
        script=script,
    )
    assert speakers(got) == [None, in_script("高明泽", script), in_script("高明泽", script)]


def test_a_firm_with_its_chinese_name_in_brackets_is_no_person(script):
    got = read("Kingsoft (金山) said it would open its office models.", script=script)
    assert got[0].speaker != in_script("金山", script)
