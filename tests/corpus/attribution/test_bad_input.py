"""Bad input: no guesses, nothing raises."""

from __future__ import annotations

import pytest

from tests.corpus.attribution.helpers import SCRIPTS, read

pytestmark = pytest.mark.parametrize("script", SCRIPTS)


def test_an_article_with_no_speakers(script):
    out = read("开源软件的历史可以追溯到上世纪八十年代。", "如今，大部分服务器运行着开源系统。", script=script)
    assert all(p.speaker is None and p.quotations == () for p in out)


def test_an_article_that_is_all_quotation(script):
    out = read("“开源会赢。”", "“闭源也不会消失。”", "「两者会共存。」", script=script)
    assert all(p.quotations == () for p in out)


def test_a_quotation_mark_never_closed(script):
    (p,) = read("韩立舟表示：“我们会继续开源，而且", script=script)
    assert [q.speaker for q in p.quotations] == [read("韩立舟", script=script)[0].text]
    (p,) = read("有人写下“开源万岁", script=script)
    assert p.quotations == ()


@pytest.mark.parametrize("label", ["注", "来源", "图", "编辑", "责编", "摄影", "资料来源"])
def test_label_like_lines_are_not_people(script, label):
    out = read(f"{label}：本文数据截至去年底。", f"{label}：部分内容有删节。", f"{label}：网络。", script=script)
    assert all(p.speaker is None and p.quotations == () for p in out)


def test_a_5000_character_paragraph(script):
    text = "开源与闭源之争由来已久，" * 400 + "韩立舟表示，开源会赢。"
    (p,) = read(text[:5000], script=script)
    assert all(0 <= q.start < q.end <= len(p.text) for q in p.quotations)


def test_pronoun_with_nobody_named_gives_nothing(script):
    (p,) = read("他说：“我们会继续开源。”她也表示，这很难。", script=script)
    assert p.quotations == ()
