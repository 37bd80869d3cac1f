"""Forms met in session 7: the writer as the OBJECT of a telling verb (一位朋友私信我，说…), sources a
report keeps unnamed by custom (知情人士透露), relation words (这位学长, 一位老同学), a pronoun after a
sentence whose subject owns another's name (X曾是Y的导师，她认为…), a short first-person quote in a
story about one person, and a statement after a paragraph names someone's view as its topic. Each
form in both scripts, nobody listed; all sentences invented."""

from __future__ import annotations

import pytest

from tests.corpus.attribution.helpers import SCRIPTS, in_script, read, read_document, speaker_at

both_scripts = pytest.mark.parametrize("script", SCRIPTS)


@both_scripts
@pytest.mark.parametrize(
    "sentence, words, speaker",
    [
        ("一位做芯片设计的朋友私信我，说：“开源模型让我们这样的小团队第一次有了底气。”", "小团队第一次有了底气", "一位做芯片设计的朋友"),
        ("上周一位在银行做风控的老同学告诉我，闭源服务的账单已经比人工还贵。", "闭源服务的账单已经比人工还贵", "一位在银行做风控的老同学"),
        ("散会后，一位做游戏的前同事问我们：“权重放出去以后，谁来修漏洞？”", "谁来修漏洞", "一位做游戏的前同事"),
    ],
)
def test_the_writer_spoken_to_is_not_the_speaker(script, sentence, words, speaker):
    (p,) = read(sentence, script=script)
    assert speaker_at(p, words, script) == in_script(speaker, script)


@both_scripts
def test_the_writer_still_speaks_as_the_subject(script):
    (p,) = read("我告诉他，开源不等于免费。", script=script)
    assert speaker_at(p, "开源不等于免费", script) is None


@both_scripts
@pytest.mark.parametrize(
    "sentence, words, speaker",
    [
        ("知情人士透露，星桥智能将在明年开放其最大模型的权重。", "将在明年开放其最大模型的权重", "知情人士"),
        ("另据消息人士称，两家公司的谈判已经破裂。", "两家公司的谈判已经破裂", "消息人士"),
        ("有知情人士表示，这份协议在董事会上争论了三个小时。", "争论了三个小时", "知情人士"),
    ],
)
def test_a_source_kept_unnamed_by_custom_speaks_as_written(script, sentence, words, speaker):
    (p,) = read(sentence, script=script)
    assert speaker_at(p, words, script) == in_script(speaker, script)


@both_scripts
def test_a_bare_trade_still_names_nobody(script):
    (p,) = read("业内人士认为，开源模型的商业化还要再等两年。", script=script)
    assert speaker_at(p, "商业化还要再等两年", script) is None


@both_scripts
def test_a_relation_word_after_zhe_wei_points_back(script):
    first, second = read(
        "庞一帆说：“我们把权重全放出来了。”",
        "不过，这位学长并不是一开始就这么想。他坦承：“对方开的价钱够我们买房子。”",
        script=script,
    )
    assert speaker_at(second, "对方开的价钱够我们买房子", script) == in_script("庞一帆", script)


@both_scripts
def test_a_pronoun_after_a_subject_who_owns_another_name_is_the_subject(script):
    (p,) = read("本报也访问了数学系的柯若兰教授。柯教授曾是庞一帆的导师，她的看法比较保留。她认为，毕业后要学会评估风险。", script=script)
    assert speaker_at(p, "毕业后要学会评估风险", script) == in_script("柯若兰", script)


@both_scripts
def test_a_pronoun_after_an_owned_name_alone_is_still_that_name(script):
    (p,) = read("记者翻看了庞一帆的笔记。他说：“这些都是熬夜写的。”", script=script)
    assert speaker_at(p, "这些都是熬夜写的", script) == in_script("庞一帆", script)


@both_scripts
def test_a_short_first_person_quote_in_a_story_about_one_person(script):
    _first, second = read(
        "澜庭科技总经理邹明远表示，开源让他们省下了一半的成本。",
        "但邹总并不讳言代价。上线第一周就出了两次故障。“那十天我瘦了四斤。”说起这段经历，他摇了摇头。",
        script=script,
    )
    assert speaker_at(second, "那十天我瘦了四斤", script) == in_script("邹明远", script)


@both_scripts
def test_a_statement_after_a_paragraph_names_someones_view(script):
    _first, second = read(
        "澜庭科技总经理邹明远表示，开源让他们省下了一半的成本。",
        "对于另一部分业务，邹明远的态度截然不同。海外客服至今仍然使用付费服务。“这块业务对质量要求极高，出一次错可能丢一个大客户。”",
        script=script,
    )
    assert speaker_at(second, "出一次错可能丢一个大客户", script) == in_script("邹明远", script)


@both_scripts
def test_a_statement_with_no_view_named_stays_nobodys(script):
    _first, second = read(
        "澜庭科技总经理邹明远表示，开源让他们省下了一半的成本。",
        "对于另一部分业务，公司至今仍然使用付费服务。“这块业务对质量要求极高，出一次错可能丢一个大客户。”",
        script=script,
    )
    assert speaker_at(second, "出一次错可能丢一个大客户", script) is None


@both_scripts
def test_a_titled_name_jieba_misses_is_confirmed_by_its_short_form(script):
    _first, second = read(
        "庞一帆是本校的校友，去年回校演讲。",
        "本报也访问了资工系的林颖慧教授。林教授曾是庞一帆的指导老师，她的看法比较保留。她认为：“不是每一种工作都适合用免费的东西。”",
        script=script,
    )
    assert speaker_at(second, "不是每一种工作都适合用免费的东西", script) == in_script("林颖慧", script)


@both_scripts
def test_a_titled_word_without_its_short_form_is_no_name(script):
    (p,) = read("这所大学的高级教授们表示，开源让教学更容易。", script=script)
    assert speaker_at(p, "开源让教学更容易", script) is None


@both_scripts
@pytest.mark.parametrize(
    "sentence, words, speaker",
    [
        ("一家提供模型接口服务的企业则持相反意见。该企业认为：“守规矩的反而吃亏。”", "守规矩的反而吃亏", "一家提供模型接口服务的企业"),
        ("一家做语音识别的公司不同意。这家公司表示，开放权重会让小厂商无利可图。", "开放权重会让小厂商无利可图", "一家做语音识别的公司"),
    ],
)
def test_a_body_brought_in_counted_then_pointed_back_to(script, sentence, words, speaker):
    (p,) = read(sentence, script=script)
    assert speaker_at(p, words, script) == in_script(speaker, script)


@both_scripts
@pytest.mark.parametrize(
    "sentence",
    [
        "一家做语音识别的公司和一家做翻译的公司都不同意。这家公司表示，开放权重会让小厂商无利可图。",
        "该公司表示，开放权重会让小厂商无利可图。",
    ],
)
def test_a_body_pointed_back_to_among_two_or_none_names_nobody(script, sentence):
    (p,) = read(sentence, script=script)
    assert speaker_at(p, "开放权重会让小厂商无利可图", script) is None


@both_scripts
def test_a_person_a_caption_names_is_whom_a_later_pronoun_means(script):
    _caption, told = read(
        "【同期声·字幕：聂晚汀　开源社区维护者】这个模型是三年前放出来的。",
        "【解说】第五个月时，聂晚汀维护的模型被人改造了。那一周，她几乎没有合眼。她后来告诉摄制组，开放的门不能关，但门口得有人站岗。",
        script=script,
    )
    assert speaker_at(told, "门口得有人站岗", script) == in_script("聂晚汀", script)


@both_scripts
def test_a_source_line_crediting_a_posts_handle_makes_it_the_writer(script):
    got = read_document(
        script,
        [
            "来源：小红书 @橘子汽水 的笔记，发布于十月三日",
            "辞职第五个月，我把付费接口全换成了自己跑的模型。我算了一下，四个月就回本。",
            "当然我也踩过坑，碰到药量换算我还是不敢全交给它。",
            "@咸豆花：你自己跑的模型被人注入提示词，谁帮你兜底？",
        ],
    )
    assert [p.speaker for p in got] == [None, in_script("橘子汽水", script), in_script("橘子汽水", script), in_script("咸豆花", script)]


def test_an_english_post_by_its_writer_with_comments_by_name_and_role():
    got = read_document(
        "simplified",
        [
            "Source: LinkedIn post by Rowan Pike (Ro Pike), founder of Quillmoss; with selected comments",
            "Last year I paid more for API calls than for rent. So we moved to an open model.",
            "I am not saying closed models are bad. Use the strongest tool where a mistake is expensive.",
            "Ada Brenner, ML engineer: Great post, but someone now owns that GPU at midnight.",
            "Ro Pike (author): Fair. It is me at midnight, twice a month.",
        ],
    )
    assert [p.speaker for p in got] == [None, "Rowan Pike", "Rowan Pike", "Ada Brenner", "Rowan Pike"]


@both_scripts
def test_only_before_the_verb_is_an_adverb_not_part_of_a_name(script):
    (p,) = read("帮我确认的是兽医朋友阿澄。她看完我的方案只说了一句：“它算得快，但猫只有一条命。”", script=script)
    assert speaker_at(p, "但猫只有一条命", script) == in_script("阿澄", script)


@both_scripts
def test_a_question_and_its_written_answer_credited_in_the_lead_in(script):
    got = read_document(
        script,
        [
            "以下是今日在议会会议上卢振邦议员的提问和数字发展局局长柯慧敏的书面答复：",
            "问题：政府可否告知本会，有多少个部门采用开源模型？",
            "（二）政府评估两类模型时采用什么准则？",
            "答复：主席：截至今年十月底，共有九个部门试用人工智能模型。",
            "就问题（二），政府认为，涉及个人资料的系统部署于本地较为稳妥。",
        ],
    )
    assert [p.speaker for p in got[1:]] == [in_script(n, script) for n in ("卢振邦", "卢振邦", "柯慧敏", "柯慧敏")]


@both_scripts
def test_a_heading_crediting_a_statement_carries_to_its_first_person(script):
    got = read_document(
        script,
        [
            "岗位职责：负责模型在消费级显卡上的推理优化。",
            "【CTO寄语｜邝嘉禾】很多候选人都会问我同一个问题：模型都免费了，公司靠什么活？",
            "我的回答是：靠下载了它的人里，总有一部分会在凌晨两点遇到问题。",
            "团队里的声音：“在这里写的每一行代码，都会有陌生人帮你审。”推理组工程师苏可说。",
        ],
    )
    assert [p.speaker for p in got] == [None, in_script("邝嘉禾", script), in_script("邝嘉禾", script), in_script("苏可", script)]


@both_scripts
def test_a_clause_ending_in_a_body_word_is_no_body_name(script):
    (p,) = read("政府认为，部署于本地较为稳妥。开放模型可由政府人员自行检视。", script=script)
    assert p.quotations == ()


@both_scripts
def test_a_role_word_ending_in_a_surname_character_keeps_the_name_whole(script):
    (p,) = read("在织锦纺织，信息主管谭敏翻出一份故障记录：“上半年我们三个月坏了五回，每回都是半夜。”", script=script)
    assert speaker_at(p, "三个月坏了五回", script) == in_script("谭敏", script)


@both_scripts
@pytest.mark.parametrize(
    "sentence, words, speaker",
    [
        ("节目也念了一则观众留言，署名“南港阿伯”：“如果全世界的AI都握在三家公司手上，我们怎么办？”", "都握在三家公司手上", "南港阿伯"),
        ("热评第二来自认证为“某公司算法负责人”的用户@潮汐码农：“测试很用心，但能不能上线才是问题。”", "能不能上线才是问题", "潮汐码农"),
        ("弹幕里，一位ID叫“函数受害者”的观众连刷两条：“差价懂的都懂。”“第五题笑死我了。”", "第五题笑死我了", "函数受害者"),
    ],
)
def test_a_handle_before_the_colon_that_opens_a_quotation(script, sentence, words, speaker):
    (p,) = read(sentence, script=script)
    assert speaker_at(p, words, script) == in_script(speaker, script)


@both_scripts
def test_a_video_page_presenter_speaks_the_labelled_segments(script):
    got = read_document(
        script,
        [
            "来源：哔哩哔哩 UP主“显卡老钟”视频页，播放十二万",
            "【口播节选 00:42】“先说结论。”他把答题卡排开，“免费那边对了四道，最贵的对了五道。”",
            "【UP主置顶评论】补充一下：有人问为什么不测某家最新的模型，因为它不对个人开放。",
            "老钟在这条热评下面回了一句：“理解，这正是我说先用接口兜底的意思。”",
        ],
    )
    assert [p.speaker for p in got[1:]] == [in_script("显卡老钟", script)] * 3


@both_scripts
def test_comments_under_a_post_are_their_nicknames_and_the_writers_nickname_is_the_writer(script):
    got = read_document(
        script,
        [
            "作者：邵明哲（阿哲），某大学博士生",
            "上个月，我把研究室的论文助理从云端搬回了自己的机房。我算了一下，电费一个月一千出头。",
            "所以最后说服我的不是钱，是资料一个字都没有离开过这栋楼。",
            "留言（2）",
            "小蜗牛：学长你漏算一件事。云端那边的模型每两个月就升级一次。",
            "阿哲 回复：它会停在今天，但也不会哪天突然被下架。",
        ],
    )
    assert [p.speaker for p in got[4:]] == [in_script("小蜗牛", script), in_script("邵明哲", script)]


@both_scripts
def test_a_pronoun_frame_after_someone_unnamed_spoke_is_them(script):
    (p,) = read(
        "讨论到书中“只要眼睛足够多，所有错误都浅显”一句时，一位不愿具名的安全工程师摇头说，这句话得改一改。在他看来，把强大的模型交给所有人，并不会让它更安全。",
        script=script,
    )
    assert speaker_at(p, "并不会让它更安全", script) == in_script("一位不愿具名的安全工程师", script)
    assert speaker_at(p, "所有错误都浅显", script) is None  # a line of the book the phrase names, not the engineer's


@both_scripts
@pytest.mark.parametrize(
    "sentence, words",
    [
        ("散场前，韦知远做了总结：大教堂和集市从来不是二选一。", "大教堂和集市从来不是二选一"),
        ("领读人韦知远（某互联网公司架构师）一开场就抛出问题：今天换成大模型，书里的道理还成立吗？", "书里的道理还成立吗"),
    ],
)
def test_a_light_verb_before_a_speech_word_and_its_colon(script, sentence, words):
    (p,) = read(sentence, script=script)
    assert speaker_at(p, words, script) == in_script("韦知远", script)


@both_scripts
def test_a_tag_whose_speaker_opens_a_clause_after_the_quote_still_tags_it(script):
    _intro, p = read("内科医生冉春梅今年四十岁。", "“以前一上午看四十个病人，写病历写到手酸。”冉春梅一边核对草稿，一边对记者说。", script=script)
    assert speaker_at(p, "写病历写到手酸", script) == in_script("冉春梅", script)
