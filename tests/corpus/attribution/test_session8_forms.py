"""Forms met in session 8: a translated thread (its poster's handle and the name in brackets, numbered
posts, replies and quote-reposts set off by a bar), a turn label after a section heading that names
nobody (a design review's comments), and letters a family wrote each other (the heading's relation
names the writer). Each form in both scripts, nobody listed; all sentences invented."""

from __future__ import annotations

import pytest

from bot.corpus.attribution import attribute
from bot.corpus.models import Passage, Source
from tests.corpus.attribution.helpers import SCRIPTS, in_script, read, speaker_at

both_scripts = pytest.mark.parametrize("script", SCRIPTS)


def names(script: str, *people: str | None) -> list[str | None]:
    return [in_script(p, script) if p else None for p in people]


@both_scripts
def test_a_translated_thread_is_its_posters_and_replies_are_the_repliers(script):
    got = read(
        "来源：译自X用户@mira_pathwright（Mira Solberg，Pathwright联合创始人）上周发布的推文串；译者：钱若溪",
        "1/ 三年前我说过，权重锁起来的公司迟早会输。今天我想修正这句话。",
        "2/ 我们的小模型会继续开放，我为它们骄傲。",
        "3/ 但新的大模型，我们决定先只通过接口提供，等评估做完再说。",
        "回复｜@kwan_buildlog（关子墨，独立开发者）：评估做完这句话，我已经听过很多次了。",
        "引用转推｜安全研究员Jonas Ekberg：这是我今年看到最坦白的一串推文。",
        "回复｜@mira_pathwright：@kwan_buildlog 你说得对，所以这次我们把日期写进了章程。",
        script=script,
    )
    assert [p.speaker for p in got[1:]] == names(
        script, "Mira Solberg", "Mira Solberg", "Mira Solberg", "关子墨", "Jonas Ekberg", "Mira Solberg"
    )
    assert speaker_at(got[4], "我已经听过很多次了", script) == in_script("关子墨", script)


@both_scripts
def test_a_label_after_a_heading_naming_nobody_is_a_turn(script):
    got = read(
        "【摘要】本提案建议公开客服模型第二版的权重。",
        "【评审意见一】测试组范雨桐：“我们抽测过，它仍会吐出订单号的格式，放出去就收不回来了。”",
        "【提案人回复】邹景明：“接受以上意见，我同意先重新训练。”",
        "【决议】委员会决定有条件核准。",
        script=script,
    )
    assert speaker_at(got[1], "放出去就收不回来了", script) == in_script("范雨桐", script)
    assert speaker_at(got[2], "我同意先重新训练", script) == in_script("邹景明", script)
    assert got[3].speaker is None


@both_scripts
def test_a_mail_header_after_a_heading_is_still_the_mails_reader(script):
    got = read(
        "【邮件一】发件人：柏若川（首席技术官）　收件人：管理层　主题：建议公开",
        "各位，我建议下个月公开权重。",
        "【邮件二】发件人：伍嘉禾（销售副总裁）　收件人：柏若川　主题：回复",
        "若川，我理解你的想法，但请先看收入数字。",
        script=script,
    )
    assert speaker_at(got[1], "我建议下个月公开权重", script) == in_script("柏若川", script)
    assert speaker_at(got[3], "但请先看收入数字", script) == in_script("伍嘉禾", script)


def _sections(script: str, sections: list[tuple[str | None, str]]) -> list[Passage]:
    return [
        Passage(id=f"d:{n}", doc_id="d", number=n, text=in_script(t, script), raw_span=(0, len(t)),
                heading=in_script(h, script) if h else None)
        for n, (h, t) in enumerate(sections)
    ]


@both_scripts
def test_family_letters_are_written_by_the_relation_the_heading_names(script):
    sections = [
        (None, "本书收录退休机械师尹国栋，与在柏林一家实验室工作的儿子尹嘉木的往来书信，以下选录三封。"),
        ("【第一封】父亲致儿子，四月二日", "嘉木：见字如面。我在厂里修了三十年机床，图纸从来都是公开的。——爸爸"),
        ("【第二封】儿子覆父亲，四月二十日", "爸爸：收到信很高兴。不过我们的模型能教人做危险的事，我亲眼看过报告。"),
        ("【第二封】儿子覆父亲，四月二十日", "但我也不是说什么都该锁起来，小模型我们就放出去了。——嘉木"),
        ("【第三封】父亲致儿子，九月一日", "嘉木：你上次说的话，我想了半年，收回一半。"),
    ]
    got = attribute(_sections(script, sections), Source(), ())
    assert [p.speaker for p in got] == names(script, None, "尹国栋", "尹嘉木", "尹嘉木", "尹国栋")


@both_scripts
def test_a_heading_with_a_relation_but_no_family_named_credits_nobody(script):
    sections = [
        (None, "以下是几封读者来信。"),
        ("【第一封】父亲致女儿", "我在厂里修了三十年机床，图纸从来都是公开的。"),
    ]
    got = attribute(_sections(script, sections), Source(), ())
    assert [p.speaker for p in got] == [None, None]


@both_scripts
def test_a_design_documents_proposer_writes_it_and_a_body_resolves(script):
    got = read(
        "RFC-0107：公开推荐模型权重之提案",
        "【摘要】提案人：庞书远（推荐算法组）。本提案建议公开推荐模型第二版的权重。",
        "【动机】社区的同级模型已经追到只差半代，我们若不公开，手上握着的只是一个过时的秘密。",
        "【非目标】本提案不涉及公开用户数据。",
        "【决议】架构委员会于十二月三日审查后决议：本提案有条件核准，小版本明年公开。",
        script=script,
    )
    writer = in_script("庞书远", script)
    assert [p.speaker for p in got[1:4]] == [writer, writer, writer]
    assert speaker_at(got[4], "本提案有条件核准", script) == in_script("架构委员会", script)


@both_scripts
def test_the_writer_quoting_their_own_words_keeps_them(script):
    got = read(
        "作者：蓝一舟",
        "两年前，我在这里发过一句话：“权重锁起来的人终究会输。”今天我想收回一半。",
        "我一直记得，有人对我说：“你们开放了，出了事谁负责？”我答不上来。",
        "上个月我在会上听到一句话：“开源就是正义。”我不同意。",
        "前几天我在报上读到一句话：“闭源才是正道。”我笑了。",
        script=script,
    )
    assert speaker_at(got[1], "权重锁起来的人终究会输", script) == in_script("蓝一舟", script)
    assert speaker_at(got[2], "出了事谁负责", script) is None
    assert speaker_at(got[3], "开源就是正义", script) is None
    assert speaker_at(got[4], "闭源才是正道", script) is None  # read (讀到 too): someone else's words


@both_scripts
def test_a_quote_after_someone_acts_is_theirs_though_the_writer_is_its_object(script):
    got = read(
        "作者：闵晓棠",
        "三月二日，阴。法务部的卓佩瑜听到消息，中午直接走到我们桌前。“你们自己架的服务，半夜出事是谁写报告？是我。”",
        "三月三日，晴。我自己留下来试了一晚，心里有一点不安。",
        script=script,
    )
    assert speaker_at(got[1], "半夜出事是谁写报告", script) == in_script("卓佩瑜", script)


@both_scripts
def test_a_family_member_is_whom_the_pronoun_after_them_means(script):
    got = read(
        "作者：邬静怡",
        "周一，主管翁立群说：“账单比我的工资还高了。”",
        "周四，打电话给老爸，他在乡下开了三十年五金店。听我讲完，他说：“零件坏了，隔壁的师傅就能修。”",
        script=script,
    )
    assert speaker_at(got[2], "隔壁的师傅就能修", script) == in_script("老爸", script)


@both_scripts
def test_a_text_credited_to_its_writer_in_brackets_is_theirs(script):
    got = read(
        "11月30日晚，第三届年度开源人物揭晓。",
        "【年度人物：祁望舒】颁奖词（评委会撰写）：她是那个在发布前喊停的人。三年里，她带着红队找出了上千个漏洞。",
        "这位安全负责人的感言很短。“门不是用来挡人的，是让人知道往哪里走。”她说。",
        script=script,
    )
    assert speaker_at(got[1], "她带着红队找出了上千个漏洞", script) == in_script("评委会", script)
    assert speaker_at(got[2], "门不是用来挡人的", script) == in_script("祁望舒", script)


@both_scripts
@pytest.mark.parametrize(
    "sentence, words, speaker",
    [
        ("上台领奖的是一位戴着口罩的志愿者代表。她只说了一句话：“路是大家修的，谁来走都行。”", "谁来走都行", "一位戴着口罩的志愿者代表"),
        ("对于网友的疑问，市数据局一位负责同志回应说，政务系统对稳定性的要求极高。", "政务系统对稳定性的要求极高", "市数据局一位负责同志"),
        ("【意见二】法务部池律师表示，授权若允许商业使用，对手可以直接拿去用。", "对手可以直接拿去用", "池律师"),
    ],
)
def test_unnamed_and_titled_speakers_as_written(script, sentence, words, speaker):
    (p,) = read(sentence, script=script)
    assert speaker_at(p, words, script) == in_script(speaker, script)


@both_scripts
def test_an_excerpt_under_a_heading_ends_at_the_next_heading(script):
    got = read(
        "【报告原文摘录】市长甘承宇代表市政府作工作报告。以下为报告中涉及人工智能的段落。",
        "过去一年，我们建成了公共算力平台，免费向中小企业开放。",
        "【解读一：为什么要开放】有市民问为什么医院还要买商业服务。",
        script=script,
    )
    assert speaker_at(got[1], "我们建成了公共算力平台", script) == in_script("甘承宇", script)
    assert speaker_at(got[2], "有市民问为什么医院还要买商业服务", script) is None


@both_scripts
def test_a_bare_roles_exact_words_are_theirs_as_written(script):
    got = read(
        "作者：邝一鸣",
        "今天全员会后，我一直在想这件事。老板原话：“藏了三年，也没藏出一个客户来。”散会以后组里一片安静。",
        "专家表示，开源模型的安全评估还不成熟。",
        script=script,
    )
    assert speaker_at(got[1], "也没藏出一个客户来", script) == in_script("老板", script)
    assert speaker_at(got[2], "开源模型的安全评估还不成熟", script) is None


@both_scripts
def test_a_diarys_dated_entries_are_the_diarists(script):
    got = read(
        "作者：曲映彤",
        "3月1日（一）晴。早上站会，我提议把客服模型搬回机房。",
        "3月2日（二）阴。我留下来试了一晚，效果比预期好。",
        "3月3日（三）雨。评估会开到很晚，结论是两边各管一块。",
        "3月4日（四）晴。不写程序，去河边骑车。",
        script=script,
    )
    writer = in_script("曲映彤", script)
    assert [p.speaker for p in got[1:]] == [writer] * 4


@both_scripts
def test_a_news_report_with_a_date_or_two_is_no_diary(script):
    got = read(
        "作者：曲映彤",
        "3月1日，星桥智能的新模型上线了。",
        "我认为这是一件好事，我也相信社区会接住它。",
        "我去年就写过，开放是迟早的事。",
        "3月2日，另一家公司的模型也上线了。",
        script=script,
    )
    assert got[1].speaker is None and got[4].speaker is None


@both_scripts
def test_a_speech_credited_on_the_source_line_is_the_speakers(script):
    got = read(
        "来源：南屿大学校园新闻网，致词者：资工系杰出校友、「拾光智能」创办人祁语安",
        "各位毕业生、家长、师长，大家午安。十年前，我坐在你们现在的位子。",
        "第一把钥匙，是大三那年，系上的老师借给我的。",
        "最后，祝大家一路顺风。",
        script=script,
    )
    writer = in_script("祁语安", script)
    assert [p.speaker for p in got[1:]] == [writer, writer, writer]


def test_an_english_forums_posts_are_their_users():
    got = read(
        "Source: r/SmallShopIT forum, thread excerpt, usernames as posted",
        "Original post by u/quiet_ledger: I run IT for three bakeries and host our own model.",
        "Reply by u/flour_md: Honest answer: I care about who fixes it at night.",
        "Reply by u/quiet_ledger (edited): Update after a long meeting: we split the work.",
    )
    assert [p.speaker for p in got[1:]] == ["u/quiet_ledger", "u/flour_md", "u/quiet_ledger"]


@both_scripts
def test_a_filings_parties_speak_as_bodies(script):
    got = read(
        "问题3：关于开源依赖。上市审核中心问询：请发行人说明底座模型的许可是否可撤销。",
        "发行人回复：发行人所用底座模型的许可协议允许商业使用，且不可撤销。",
        "保荐机构就上述事项访谈了发行人技术负责人。该负责人表示：“底座谁都能下载，缺陷图谁也下载不到。”",
        "保荐机构核查意见：经查阅许可协议，保荐机构认为发行人的说明真实。",
        script=script,
    )
    assert speaker_at(got[0], "底座模型的许可是否可撤销", script) == in_script("上市审核中心", script)
    assert speaker_at(got[1], "且不可撤销", script) == in_script("发行人", script)
    assert speaker_at(got[2], "缺陷图谁也下载不到", script) == in_script("发行人技术负责人", script)
    assert speaker_at(got[3], "经查阅许可协议", script) == in_script("保荐机构", script)


@both_scripts
def test_a_judgments_parties_and_statement_verbs(script):
    got = read(
        "庭审中，闵若川陈述：“开放不是放弃权利，恰恰要靠规则才能走下去。”",
        "岚湾公司辩称：被告从未向第三方分发模型权重。",
        "最后陈述阶段，他的态度有所松动。他表示，被告愿意在产品说明中补充标注。",
        script=script,
    )
    assert speaker_at(got[0], "恰恰要靠规则才能走下去", script) == in_script("闵若川", script)
    assert speaker_at(got[1], "被告从未向第三方分发模型权重", script) == in_script("岚湾公司", script)
    assert speaker_at(got[2], "被告愿意在产品说明中补充标注", script) == in_script("闵若川", script)


@both_scripts
def test_a_posts_comment_thread_with_times_replies_and_titles(script):
    got = read(
        "蒋亦舟（12月1日 23:47）：今天把合同审查模块切回了我们自己部署的开源模型。",
        "蒋亦舟 回复 滕可：老实说没完全解决，长合同还是会漏看几条。",
        "周老师（律所IT）：大厂哪天悄悄换一次版本，你这个功能就白做了。",
        script=script,
    )
    assert [p.speaker for p in got] == names(script, "蒋亦舟", "蒋亦舟", "周老师")


@both_scripts
def test_an_elders_and_an_officers_nicknames_are_people(script):
    got = read(
        "下午三点，茶餐厅的客人刚散。老板德叔一边抹台，一边叹气。熟客关Sir坐在老位置。",
        "“这部机器本来好方便。”德叔说，“但供应商话要加价。”",
        "关Sir笑了一声：“免费的东西最贵。”",
        script=script,
    )
    assert speaker_at(got[1], "这部机器本来好方便", script) == in_script("德叔", script)
    assert speaker_at(got[2], "免费的东西最贵", script) == ("關Sir" if script == "traditional" else "关Sir")


@both_scripts
def test_a_columns_writer_owns_their_first_person_scene_only(script):
    got = read(
        "来源：《港湾晚报》副刊专栏「茶记闲谈」，作者：阿乐",
        "下午三点，茶餐厅的客人刚散，老板一边抹台一边叹气。",
        "我埋单的时候，老板已经在纸上画了两个格。",
        script=script,
    )
    assert got[1].speaker is None
    assert got[2].speaker == in_script("阿乐", script)


@both_scripts
def test_whom_a_request_asks_to_speak_is_no_speaker(script):
    (p,) = read("上市审核中心问询：请发行人说明：底座模型的许可是否可以撤销。", script=script)
    assert speaker_at(p, "底座模型的许可是否可以撤销", script) == in_script("上市审核中心", script)


@both_scripts
@pytest.mark.parametrize(
    "sentence, words, speaker",
    [
        ("反方一辩祁若帆申论时指出，开放权重一旦公开，任何人都能移除安全限制。", "任何人都能移除安全限制", "祁若帆"),
        ("这时前排一位观众突然喊：“那你们自己部署啊！”", "那你们自己部署啊", "前排一位观众"),
    ],
)
def test_an_occasion_before_the_verb_and_a_shout(script, sentence, words, speaker):
    (p,) = read(sentence, script=script)
    assert speaker_at(p, words, script) == in_script(speaker, script)
