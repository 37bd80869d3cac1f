"""People an article brings in without a speech verb at their name: by a code letter (受访者A), by
叫 (朋友叫X), by a quoted handle (网友叫“X”), described and then said to be someone (X的科长是…),
with a title after the full name (X议员指出); and the 他 after someone remembering another.
Each form in both scripts, with invented sentences and nobody listed."""

from __future__ import annotations

import pytest

from tests.corpus.attribution.helpers import SCRIPTS, in_script, read, read_document, speaker_at

pytestmark = pytest.mark.parametrize("script", SCRIPTS)


def test_participants_known_by_a_capital_letter(script):
    (p,) = read(
        "受访者A是一家灯具厂的厂长，他说：“我们厂连一个懂电脑的人都没有。”"
        "受访者B在一家连锁超市管账，她的看法类似：每个月的账单，买来的是出了事有人管，“这个钱我愿意花”。",
        script=script,
    )
    assert speaker_at(p, "我们厂连一个懂电脑的人都没有", script) == in_script("受访者A", script)
    assert speaker_at(p, "这个钱我愿意花", script) == in_script("受访者B", script)


def test_a_code_letter_later_in_a_report(script):
    (p,) = read("用户C经营一家十人的设计工作室。她说，草图交给本地的小模型，“大图才花钱找云端”。", script=script)
    assert speaker_at(p, "大图才花钱找云端", script) == in_script("用户C", script)


def test_a_capital_inside_a_word_is_no_code(script):
    (p,) = read("公司在B轮融资后表示，将继续扩张。", script=script)
    assert p.speaker is None or "B" not in p.speaker


def test_someone_called_by_name_then_a_pronoun(script):
    (p,) = read("我有个开面馆的表哥叫凌万山，他跟我讲过一句很实在的话：“我是煮面的，不是修机器的。”", script=script)
    assert speaker_at(p, "我是煮面的，不是修机器的", script) == in_script("凌万山", script)


def test_a_thing_called_something_is_nobody(script):
    (p,) = read("这种做法叫开源，大家都听过。", script=script)
    assert p.speaker is None and not p.quotations


def test_a_handle_brought_in_by_a_label_then_a_pronoun(script):
    (p,) = read("昨天后台有个读者叫“夜行的狐狸”，她留言说：“你们只算了电费，没算人工。”这条留言被顶到了第一。", script=script)
    assert speaker_at(p, "你们只算了电费，没算人工", script) == in_script("夜行的狐狸", script)


def test_someone_described_and_then_said_to_be_someone(script):
    (p,) = read(
        "去年春节我回了一趟老家，镇卫生院的院办主任是我中学同学，他给我算了一笔账：买服务一年要二十万。"
        "他问我：“你们那个东西，是不是只给大城市用的？”",
        script=script,
    )
    assert speaker_at(p, "是不是只给大城市用的", script) == in_script("镇卫生院的院办主任", script)


def test_a_pronoun_after_someone_remembering_is_another(script):
    _, p = read(
        "秦远舟表示，他的工作室很小。",
        "采访结束时，秦远舟带我去看了他的工作室。宁书白记得他说，机器一年比一年小，可他还是每天睡前来看一眼。",
        script=script,
    )
    assert speaker_at(p, "机器一年比一年小", script) == in_script("秦远舟", script)


def test_a_full_name_with_a_title_after_it(script):
    (p,) = read("在上月的会议上，苗嘉朗议员指出，按用量收费的服务“用得越多，付得越多”。", script=script)
    assert speaker_at(p, "用得越多，付得越多", script) == in_script("苗嘉朗", script)
    (p,) = read("下课前，柴书亭老师在黑板上写下一句话：“今天没有标准答案。”", script=script)
    assert speaker_at(p, "今天没有标准答案", script) == in_script("柴书亭", script)


def test_a_short_form_keeps_its_title(script):
    (p,) = read("韩总表示，明年会开放一款小模型。", script=script)
    assert p.speaker == in_script("韩总", script)


def test_reviews_labelled_by_their_users_quoted_handles(script):
    out = read(
        "我们整理了几则有代表性的评论。",
        "★☆☆☆☆　用户“山里的雨”：以前没信号也能用，现在一进电梯就转圈。",
        "★★★★☆　使用者「Momo在高雄」：两边我都能理解，何必只留一个？",
        script=script,
    )
    assert out[1].speaker == in_script("山里的雨", script)
    assert out[2].speaker == in_script("Momo在高雄", script)
    assert out[0].speaker is None


def test_a_firm_s_service_desk_replying_under_the_reviews(script):
    (p,) = read("【开发者回复】言川科技客服在多则评论下方回复：「离线模式的维护成本远超预期。」", script=script)
    assert speaker_at(p, "离线模式的维护成本远超预期", script) == in_script("言川科技客服", script)


def test_a_spokesperson_of_a_firm_after_a_time_word(script):
    (p,) = read("岚石科技发言人晚间回应称，公司将为高校提供免费额度。", script=script)
    assert speaker_at(p, "公司将为高校提供免费额度", script) == in_script("岚石科技发言人", script)


def test_a_surname_the_list_lacked(script):
    (p,) = read("据本刊向对方查证，公司执行长傅承远表示，团队正在评估重新开放旧版模型。", script=script)
    assert speaker_at(p, "团队正在评估重新开放旧版模型", script) == in_script("傅承远", script)


def test_a_name_after_a_role_with_no_listed_word_after_it(script):
    (p,) = read(
        "来自嘉义的研究生邝若岚上台时红了眼眶。她说自己读的是一所很小的学校。“如果那扇门是关着的，我今天不会站在这里。”",
        script=script,
    )
    assert speaker_at(p, "自己读的是一所很小的学校", script) == in_script("邝若岚", script)
    assert speaker_at(p, "我今天不会站在这里", script) == in_script("邝若岚", script)


def test_a_role_before_common_words_is_no_name(script):
    (p,) = read("院长高度评价这项工作。", script=script)
    assert p.speaker is None and not p.quotations


def test_a_spouse_named_after_the_kinship_word(script):
    (p,) = read("谭先生的妻子苏婉秋最后致词。她说丈夫住院时还在回讯息，“医生叫他休息，他说别人的问题还卡着”。", script=script)
    assert speaker_at(p, "医生叫他休息", script) == in_script("苏婉秋", script)


def test_a_paper_issued_by_a_body_calls_itself_by_its_kind(script):
    passages = read_document(
        script,
        ["本文件说明各部门采购服务的现行安排。", "本署委托的顾问研究显示，自建成本较低。本署认为，两种方式各有所长，现阶段不宜一刀切。"],
        headings=("云岭数字发展署　二〇二六年十一月", "背景"),
    )
    assert speaker_at(passages[1], "两种方式各有所长", script) == in_script("云岭数字发展署", script)
    assert passages[0].speaker is None


def test_a_newspaper_or_a_body_s_paper_as_the_source(script):
    (p,) = read("据《潮平晚报》报道，至少三家券商已在内部部署公开模型。", script=script)
    assert speaker_at(p, "至少三家券商已在内部部署公开模型", script) == in_script("潮平晚报", script)
    (p,) = read("据东岭软件商会提交的意见书，会员普遍支持分级安排。", script=script)
    assert speaker_at(p, "会员普遍支持分级安排", script) == in_script("东岭软件商会", script)


def test_a_body_publishing_a_report_says(script):
    (p,) = read("澜川数字经济研究院发布报告称，八家企业同时使用两种方式。", script=script)
    assert speaker_at(p, "八家企业同时使用两种方式", script) == in_script("澜川数字经济研究院", script)


def test_a_post_after_a_colon(script):
    (p,) = read("晚上，芮青川在个人账号再发一条：一个人发明了轮子，要是只许别人租，今天满街跑的会是什么？", script=script)
    assert speaker_at(p, "一个人发明了轮子", script) == in_script("芮青川", script)


def test_a_class_record_s_teacher_label_and_its_narrated_sections(script):
    passages = read_document(
        script,
        [
            "【导入】上课铃响后，杭书宁老师在黑板上写下一个问题：“它应该交给所有人吗？”",
            "师：好，我们先听反对的一方。苗嘉禾，你来。",
            "苗嘉禾：我觉得不应该。模型越厉害，柜子就越该锁好。",
            "晏小桐：我反对。你锁住的是我表哥，又不是坏人。",
            "【教师追问】杭老师没有急着评判，而是让全班再想一想。",
            "【教师小结】杭老师说：“今天没有标准答案。”下课前，她让同学们重新举手。",
            "【教研组点评】本课以真实的社会议题为载体，学生观点鲜明。",
        ],
        headings=("课堂实录｜谁该拥有模型", "执教：澄江第二中学　杭书宁老师　记录：教研组"),
    )
    assert passages[1].speaker == in_script("杭书宁", script)
    assert passages[2].speaker == in_script("苗嘉禾", script)
    assert passages[4].speaker is None  # the writer narrates; 晏小桐's turn does not carry on
    assert speaker_at(passages[5], "今天没有标准答案", script) == in_script("杭书宁", script)
    assert passages[6].speaker == in_script("教研组", script)


def test_his_advice_is_colon(script):
    (p,) = read("骆泽远认为，云端服务的品质仍然领先一截。他的建议是：重要的文件交给云端，日常杂事交给本机。", script=script)
    assert speaker_at(p, "日常杂事交给本机", script) == in_script("骆泽远", script)
    (p,) = read("专家的建议很有用。", script=script)
    assert p.speaker is None and not p.quotations


def test_someone_s_wife_named_after_the_kinship_word(script):
    (p,) = read("谭先生的太太苏婉秋最后致词。她说丈夫住院时还在回讯息，“医生叫他休息，他说别人的问题还卡着”。", script=script)
    assert speaker_at(p, "医生叫他休息", script) == in_script("苏婉秋", script)


def test_a_paper_reporting_someone_who_speaks_gives_the_words_to_them(script):
    (p,) = read("据《潮平晚报》报道，岭光智能首席执行官邬既明在一封内部信中写道：“我们把权重放出去。”", script=script)
    assert speaker_at(p, "我们把权重放出去", script) == in_script("邬既明", script)
    (p,) = read("三月｜据《潮平晚报》报道，一位参与起草规定的人士透露，监管部门“不打算在发布环节设卡”。", script=script)
    assert speaker_at(p, "不打算在发布环节设卡", script) == in_script("一位参与起草规定的人士", script)


def test_a_body_s_website_as_the_source_and_its_we(script):
    passages = read_document(
        script,
        ["我局就《办法》向社会征求意见，共收到反馈二百条。", "我局认为，公开发布前的审批时限应当缩短。"],
        headings=("来源：岚州市数据管理局官方网站  2026-11-19",),
    )
    assert speaker_at(passages[1], "公开发布前的审批时限应当缩短", script) == in_script("岚州市数据管理局", script)


def test_a_pronoun_opening_a_clause_before_a_colon(script):
    (p,) = read("七月｜骆怀川宣布，新模型只通过接口提供。面对记者追问，他沉默了几秒：“一月那句话，是我说得太早了。”", script=script)
    assert speaker_at(p, "是我说得太早了", script) == in_script("骆怀川", script)


def test_this_role_points_back_to_the_description_ending_in_it(script):
    (p,) = read(
        "一位会计师事务所合伙人在意见中写道，审计最难的是讲清模型从哪来。这位合伙人认为，无论权重公开与否，都应当写明谁部署、谁负责。",
        script=script,
    )
    assert speaker_at(p, "都应当写明谁部署、谁负责", script) == in_script("一位会计师事务所合伙人", script)
