"""Organisations that speak as one, users known by a quoted handle, someone unnamed cited by a
paper and pointed back to, and verbs that always speak to someone: each form in both scripts,
with nobody listed."""

from __future__ import annotations

import pytest

from tests.corpus.attribution.helpers import SCRIPTS, in_script, read, speaker_at

pytestmark = pytest.mark.parametrize("script", SCRIPTS)


# --- organisations ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "body", "words"),
    [
        ("项目课题组在报告中指出，三成的中小工厂已经在本地跑模型。", "项目课题组", "三成的中小工厂已经在本地跑模型"),
        ("课题组建议，对高能力模型实行发布前评估。", "课题组", "对高能力模型实行发布前评估"),
        ("主办方表示，明年的比赛题目将全部公开。", "主办方", "明年的比赛题目将全部公开"),
        ("卫生主管机关表示，相关指引正在研拟中。", "卫生主管机关", "相关指引正在研拟中"),
        ("西江软件行业协会在声明中说：“我们反对一刀切的做法。”", "西江软件行业协会", "我们反对一刀切的做法"),
    ],
)
def test_an_organisation_as_written_is_the_speaker(script, sentence, body, words):
    (p,) = read(sentence, script=script)
    assert speaker_at(p, words, script) == in_script(body, script)


@pytest.mark.parametrize("who", ["公司", "该公司", "这家协会", "多家公司", "各协会", "他们公司"])
def test_a_bare_pointed_back_or_plural_organisation_names_nobody(script, who):
    (p,) = read(f"{who}表示，暂时不会公开模型权重。", script=script)
    assert speaker_at(p, "暂时不会公开模型权重", script) is None


def test_an_organisation_word_does_not_outrank_a_named_person(script):
    (p,) = read("课题组负责人邬明远表示，调研覆盖了一百多家工厂。", script=script)
    assert speaker_at(p, "调研覆盖了一百多家工厂", script) == in_script("邬明远", script)


# --- handles in quote marks -------------------------------------------------------------------


def test_a_quoted_handle_before_a_verb_is_the_speaker(script):
    (p,) = read("我们来念一则留言。帐号「深夜码农Kiki」说：「我们买了企业版，至少出事有人接电话。」", script=script)
    assert speaker_at(p, "至少出事有人接电话", script) == in_script("深夜码农Kiki", script)


def test_a_netizen_s_quoted_nickname_with_reported_words(script):
    (p,) = read("网友“山城老码农”留言称，开源模型省下的钱全花在运维上了。", script=script)
    assert speaker_at(p, "开源模型省下的钱全花在运维上了", script) == in_script("山城老码农", script)


def test_a_quoted_term_without_a_handle_word_is_nobody(script):
    (p,) = read("他提到“开放权重”说，这只是营销。", script=script)
    assert all(q.speaker != in_script("开放权重", script) for q in p.quotations)


def test_a_description_cut_by_quote_marks_is_no_speaker(script):
    (p,) = read("有一位昵称为“小白兔”的用户说：“我更相信付费的服务。”", script=script)
    assert all(not (q.speaker or "").startswith("的") for q in p.quotations)


# --- someone unnamed, cited by a paper, then pointed back to -----------------------------------


def test_this_person_after_a_paper_cites_someone_unnamed(script):
    (p,) = read(
        "《东岸财经》则援引一位接近云舟科技的人士的话称，这一决定“更像是融资前的表演”。"
        "这位人士说：“权重放出去，就像一辆没上锁的自行车。”",
        script=script,
    )
    described = in_script("一位接近云舟科技的人士", script)
    assert speaker_at(p, "更像是融资前的表演", script) == described
    assert speaker_at(p, "就像一辆没上锁的自行车", script) == described


def test_a_paper_cites_an_analyst_s_comment(script):
    (p,) = read("英文媒体援引分析师Petra Lind的评论称，“开放权重是一笔营销预算”。", script=script)
    assert speaker_at(p, "开放权重是一笔营销预算", script) == "Petra Lind"


# --- verbs that always speak to someone -------------------------------------------------------


def test_whoever_a_verb_speaks_to_is_not_its_words(script):
    (p,) = read(
        "一位物流企业的技术负责人告诉前来调研的研究人员，他们的调度系统用的是自己部署的模型。"
        "“调度数据是我们的命根子，不能出门。”",
        script=script,
    )
    described = in_script("一位物流企业的技术负责人", script)
    assert speaker_at(p, "调度系统用的是自己部署的模型", script) == described
    assert speaker_at(p, "调度数据是我们的命根子", script) == described


def test_a_described_firm_announcing_is_news_not_a_voice(script):
    (p,) = read("5月11日晚，总部位于杭州的云帆智能科技有限公司宣布，将其自研模型以开放权重的方式发布。", script=script)
    assert speaker_at(p, "将其自研模型以开放权重的方式发布", script) is None


def test_a_research_team_s_estimate(script):
    (p,) = read("南岭证券研究团队在报告中测算，今年第三季度的平均差距已缩小至四点二分。", script=script)
    assert speaker_at(p, "今年第三季度的平均差距已缩小至四点二分", script) == in_script("南岭证券研究团队", script)


def test_someone_unnamed_opening_a_clause_before_a_colon(script):
    (p,) = read(
        "《南溪晚报》采访了几位开发者，其中一位在木器厂做信息化的工程师算了笔账：“以前每个月光接口费就三千多，现在一个月电费三百块。”",
        script=script,
    )
    assert speaker_at(p, "现在一个月电费三百块", script) == in_script("一位在木器厂做信息化的工程师", script)


def test_the_bare_kind_is_the_body_the_article_named_in_full(script):
    out = read(
        "（香港，11月26日）北角数智产业协会今日发表调查报告。",
        "协会会长邝志远在发布会上表示，中小企并不执着于门派之争。",
        "协会建议政府推出专项资助，并为中小企提供技术咨询。",
        script=script,
    )
    assert speaker_at(out[1], "中小企并不执着于门派之争", script) == in_script("邝志远", script)
    assert speaker_at(out[2], "政府推出专项资助", script) == in_script("北角数智产业协会", script)


def test_the_bare_kind_names_nobody_when_two_bodies_share_it(script):
    out = read("北角数智产业协会和南湾软件协会今日联合发表报告。", "协会建议政府推出专项资助。", script=script)
    assert speaker_at(out[1], "政府推出专项资助", script) is None
