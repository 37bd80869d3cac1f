"""Speakers known only by a role, columns and notebooks in the writer's voice, Cantonese speech,
and the look-alikes that hid a verb: each form in both scripts, with nobody listed."""

from __future__ import annotations

import pytest

from bot.corpus.attribution import attribute
from bot.corpus.models import Passage, Source
from tests.corpus.attribution.helpers import SCRIPTS, in_script, quoted, read, read_document, speaker_at

pytestmark = pytest.mark.parametrize("script", SCRIPTS)


# --- speakers known only by a role ------------------------------------------------------------


def test_a_counted_role_with_a_description_is_the_speaker_as_written(script):
    (p,) = read("也有人唱反调。北方一家城商行的风控总监认为，小银行养不起运维团队，“出了事没人兜底”。", script=script)
    assert speaker_at(p, "小银行养不起运维团队", script) == in_script("北方一家城商行的风控总监", script)
    assert speaker_at(p, "出了事没人兜底", script) == in_script("北方一家城商行的风控总监", script)


def test_a_firm_s_unnamed_official_after_two_places(script):
    (p,) = read("据行业媒体报道，松果云的相关负责人在签约仪式后对记者表示，明年会开放一款小模型。", script=script)
    assert speaker_at(p, "明年会开放一款小模型", script) == in_script("松果云的相关负责人", script)


def test_the_subject_as_written_from_its_clause_start(script):
    (p,) = read("一位自称在某大厂负责模型评测的工程师留言说，内部其实也在用开源模型。", script=script)
    assert speaker_at(p, "内部其实也在用开源模型", script) == in_script("一位自称在某大厂负责模型评测的工程师", script)


def test_this_role_after_someone_brought_in_unnamed(script):
    (p,) = read(
        "一位深圳私募的研究员因公司规定要求匿名。这位研究员认为：“开源模型的维护成本被严重低估了。”",
        script=script,
    )
    assert quoted(p) == [(in_script("开源模型的维护成本被严重低估了。", script), in_script("一位深圳私募的研究员", script))]


def test_this_described_role_is_as_it_describes_itself(script):
    out = read(
        "赵明川说，工厂已经用上了开源模型。",
        "后来我联系了研究院的一位工程师。这位不愿透露姓名的工程师说，像这样的工厂并不多见。",
        script=script,
    )
    assert speaker_at(out[1], "像这样的工厂并不多见", script) == in_script("不愿透露姓名的工程师", script)


@pytest.mark.parametrize("who", ["业内人士", "有分析人士", "多位学者", "他的发言人"])
def test_a_bare_plural_or_owned_role_names_nobody(script, who):
    (p,) = read(f"{who}认为，开源模型的价格战还会持续。", script=script)
    assert speaker_at(p, "开源模型的价格战还会持续", script) is None


def test_a_qualified_role_without_a_counting_word(script):
    (p,) = read("不过，省数据局有关负责人表示，公共数据将优先向本地部署的模型开放。", script=script)
    assert speaker_at(p, "公共数据将优先向本地部署的模型开放", script) == in_script("省数据局有关负责人", script)


def test_a_question_label_that_says_who_asks(script):
    out = read_document(script, [
        "有记者问：新规何时开始实施？",
        "答：明年一月起试行。",
        "《东岸日报》记者问：小企业的负担会不会加重？",
        "答：规模较小的模型适用简化程序。",
    ])
    assert [p.speaker for p in out][::2] == [in_script("记者", script), in_script("《东岸日报》记者", script)]


# --- columns, notebooks, letters ---------------------------------------------------------------


def test_a_reporter_s_notebook_is_the_reporter_s_voice(script):
    out = read_document(
        script,
        [
            "出发之前，我以为这会是一篇关于价格的稿子。",
            "接待我的是工厂的老板向志远。他领我走进机房，指着一台服务器说：“我们的质检系统就跑在这台机器上。”",
            "也许，开放还是封闭，在一间小厂里并没有标准答案。",
        ],
        headings=("记者手记／在一间小工厂里", "记者 蒋思源／苏州报道"),
    )
    assert [p.speaker for p in out] == [in_script(n, script) for n in ("蒋思源", "向志远", "蒋思源")]


def test_a_column_title_makes_the_piece_its_writer_s(script):
    out = read_document(
        script,
        ["专栏·周末茶话｜开源是免费的吗？", "我认为，小公司先算清楚人工再谈开源。", "结论是：会做饭就自己做，不会就出去吃。"],
        headings=("文：孔令仪",),
    )
    assert out[2].speaker == in_script("孔令仪", script)


def test_an_unattributed_statement_in_an_op_ed_is_not_the_writer_s(script):
    out = read_document(
        script,
        ["我一直主张开放。", "有一次，台下有人站起来问：“你们开放了，出了事谁负责？”我答不上来。", "我现在仍然主张开放。"],
        headings=("作者：贺知章",),
    )
    assert speaker_at(out[1], "你们开放了，出了事谁负责", script) is None
    assert speaker_at(out[1], "我答不上来", script) == in_script("贺知章", script)


# --- Cantonese --------------------------------------------------------------------------------


def test_cantonese_nicknames_colon_verbs_and_pronoun(script):
    out = read(
        "做保险IT嘅阿豪最先开口：「我哋公司一律用收费服务，出咗事有人负责。」",
        "阿豪唔服气：「咁你点算？」Vivian话：「我哋自己就系负责嗰个。」",
        "做咗十年运维嘅老龚就摇头：「两样都唔系免费午餐。」",
        "一直冇出声嘅阿晴，佢慢慢咁讲：「我哋实验室两样都用。」",
        script=script,
    )
    assert speaker_at(out[0], "我哋公司一律用收费服务", script) == in_script("阿豪", script)
    assert speaker_at(out[1], "咁你点算", script) == in_script("阿豪", script)
    assert speaker_at(out[1], "我哋自己就系负责嗰个", script) == "Vivian"
    assert speaker_at(out[2], "两样都唔系免费午餐", script) == in_script("老龚", script)
    assert speaker_at(out[3], "我哋实验室两样都用", script) == in_script("阿晴", script)


def test_nicknames_are_never_common_words(script):
    (p,) = read("老板说：“明年全面转向开源。”", script=script)
    assert speaker_at(p, "明年全面转向开源", script) is None  # 老板 is a boss, not someone called 老板


# --- verbs that look-alikes hid, and the sentence's topic ------------------------------------------


def test_a_verb_before_a_commoner_word_still_speaks(script):
    (p,) = read("孟庆川笑了笑，说客户的图纸都是机密，“谁敢传到国外的服务器上？”", script=script)
    assert speaker_at(p, "谁敢传到国外的服务器上", script) == in_script("孟庆川", script)


def test_a_verb_after_a_commoner_word_still_speaks(script):
    (p,) = read("副教授霍云帆援引团队的实验数据说，开源模型的漏洞修得更快。", script=script)
    assert speaker_at(p, "开源模型的漏洞修得更快", script) == in_script("霍云帆", script)


def test_a_pronoun_opening_the_sentence_is_its_topic(script):
    out = read("工程师葛书言负责这套系统。", "他带我们走进机房，指着一台服务器说：“模型就跑在这里。”", script=script)
    assert speaker_at(out[1], "模型就跑在这里", script) == in_script("葛书言", script)


def test_the_words_someone_said(script):
    (p,) = read("回程路上，我一直想着庞慧敏说的那句话：“免费的东西最贵。”", script=script)
    assert speaker_at(p, "免费的东西最贵", script) == in_script("庞慧敏", script)


# --- hearings, scripts, logs, minutes -------------------------------------------------------------


def test_court_labels_with_a_title_after_the_name(script):
    out = read(
        "审判长：请原告代理人陈述。",
        "原告诉讼代理人韦思齐律师：原告投入了三年时间训练模型。",
        "证人、机器学习学者符望舒：仅凭输出很难判断来源。",
        "韦思齐律师：我们愿意向鉴定人提供资料。",
        script=script,
    )
    assert [p.speaker for p in out[1:]] == [in_script(n, script) for n in ("韦思齐", "符望舒", "韦思齐")]


def test_a_name_with_a_long_note_in_brackets_and_a_role_before_it(script):
    out = read(
        "主持人：下一位提问的是分析师Laura Chen。",
        "Laura Chen（Harbor Securities）：我想问旗舰模型会不会开放。",
        "首席财务官甘叙言：我补充一下成本。",
        "主持人：有一位机构投资者通过网络平台提问：开放出去的模型如果被人拿去做坏事，公司要不要承担法律责任？有没有为此计提准备金？",
        script=script,
    )
    assert [p.speaker for p in out[1:]] == ["Laura Chen", in_script("甘叙言", script), in_script("一位机构投资者", script)]


def test_a_broadcast_script(script):
    out = read_document(
        script,
        [
            "【主持人】本地一家初创公司用开放模型训练方言模型。",
            "【记者旁白】十几个年轻人正在校对字幕。一位参与过政府项目的工程师就表示，两种做法可以并存，各管一摊。",
            "【同期声：科技顾问 尹嘉树】“出了问题谁负责？我会建议医院选商业服务。”",
            "【记者旁白】下一步，他们会加入客家话。",
        ],
        headings=("记者：乔一帆　摄影：贾南星",),
    )
    assert [p.speaker for p in out] == [in_script(n, script) for n in ("主持人", "一位参与过政府项目的工程师", "尹嘉树", "乔一帆")]


def test_a_chat_export(script):
    senders = ("老唐做SaaS", "阿May", "冯工（算法）")
    texts = ("有个客户要私有化部署，大家怎么看？", "自己搭。硬件一次性投入，后面不用交调用费。", "别听她的，运维花了多少人天？")
    passages = [
        Passage(id=f"d:{n}", doc_id="d", number=n, text=in_script(t, script), raw_span=(0, len(t)), heading=in_script(f"{s} 21:0{n}", script))
        for n, (s, t) in enumerate(zip(senders, texts))
    ]  # the loader keeps each sender's header line as the heading of the message under it
    got = attribute(passages, Source(), ())
    assert [p.speaker for p in got] == [in_script(s, script) for s in senders]


def test_an_issue_tracker_s_replies(script):
    out = read(
        "@lin-maint（维护者）开题：",
        "有云厂商把我们的权重包装成付费接口，要不要改授权？",
        "@rust_fan 回复 @lin-maint：",
        "我反对改授权，当初选宽松授权就是为了让任何人都能用。",
        "译注：截至截稿，该议题仍未关闭。",
        script=script,
    )
    assert [p.speaker for p in out] == ["lin-maint", "lin-maint", "rust_fan", "rust_fan", None]


def test_minutes_a_colon_after_a_sum_or_a_proposal(script):
    out = read(
        "财务处副处长祝令仪从成本角度提出意见。她算了一笔账：甲方案五年总成本约六百万元，乙方案约七百万元。",
        "特邀专家、高校教授严望川建议采用分层做法：一般咨询用本地模型，涉及个人信息的接入专属云。",
        script=script,
    )
    assert speaker_at(out[0], "甲方案五年总成本约六百万元", script) == in_script("祝令仪", script)
    assert speaker_at(out[1], "一般咨询用本地模型", script) == in_script("严望川", script)
