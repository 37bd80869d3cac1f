"""A person introduced by what they did or thought, then speaking as 他/她 in the next sentence:
each form in both scripts, with nobody listed and the name said only once."""

from __future__ import annotations

import pytest

from tests.corpus.attribution.helpers import SCRIPTS, in_script, read, speaker_at

pytestmark = pytest.mark.parametrize("script", SCRIPTS)


def test_a_name_opening_the_sentence_before_he_speaks(script):
    (p,) = read("韦思远则持相反意见。他说：“小公司根本养不起一支运维队伍。”", script=script)
    assert speaker_at(p, "小公司根本养不起一支运维队伍", script) == in_script("韦思远", script)


def test_a_name_after_a_description_in_the_sentence_before(script):
    (p,) = read("在物流公司做调度系统的受访者韦思远并不同意。她说：“接口一涨价，我们就得跟着改预算。”", script=script)
    assert speaker_at(p, "接口一涨价", script) == in_script("韦思远", script)


def test_the_person_is_known_for_the_rest_of_the_article(script):
    first, second = read(
        "韦思远则持相反意见。他说：“小公司根本养不起一支运维队伍。”",
        "几个月后再见面时，韦思远的看法没变：“还是那句话，先算账。”",
        script=script,
    )
    assert speaker_at(second, "还是那句话，先算账", script) == in_script("韦思远", script)


def test_two_people_before_the_pronoun_point_nowhere(script):
    (p,) = read("韦思远和柴文卿都不同意。他说：“小公司根本养不起一支运维队伍。”", script=script)
    assert speaker_at(p, "小公司根本养不起一支运维队伍", script) is None


def test_a_pronoun_without_a_sentence_before_finds_nobody_new(script):
    (p,) = read("他说：“小公司根本养不起一支运维队伍。”", script=script)
    assert speaker_at(p, "小公司根本养不起一支运维队伍", script) is None


def test_a_counted_subject_is_someone_unnamed_whatever_jieba_tags_inside_it(script):
    (p,) = read("一名来自山区县城的高三学生做了一个识别药盒的小程序。她说：“网上能下载的模型就是我们的老师。”", script=script)
    assert speaker_at(p, "网上能下载的模型就是我们的老师", script) == in_script("一名来自山区县城的高三学生", script)
