"""Forms that span paragraphs: interview turns, lead-ins, lists, letters, transcripts, op-eds."""

from __future__ import annotations

import pytest

from bot.corpus.models import Source
from tests.corpus.attribution.helpers import SCRIPTS, in_script, quoted, read, speaker_at

pytestmark = pytest.mark.parametrize("script", SCRIPTS)


def names(out, script):
    return [p.speaker for p in out], script


def test_a_turn_label_used_once_names_its_speaker(script):
    out = read("记者：您怎么看开源？", "郑永年：开源是一种长期投资。", "记者：那闭源呢？", "也有它的位置。", script=script)
    assert out[1].speaker == in_script("郑永年", script)
    assert quoted(out[1]) == [(in_script("开源是一种长期投资。", script), in_script("郑永年", script))]
    assert out[2].speaker == in_script("记者", script)
    assert out[3].speaker == in_script("记者", script)  # the turn goes on until the next label


def test_inline_turns_after_a_question(script):
    (p,) = read("提问：开源会不会让公司失去护城河？马涛：护城河从来不在代码里，在团队里。", script=script)
    assert speaker_at(p, "护城河从来不在代码里", script) == in_script("马涛", script)
    assert speaker_at(p, "开源会不会让公司失去护城河", script) is None  # an unnamed asker
    assert speaker_at(p, "马涛", script) is None  # the label is nobody's words


@pytest.mark.parametrize("labels", [("问", "答"), ("Q", "A")])
def test_question_and_answer_labels(script, labels):
    out = read(
        "智澜科技首席科学家顾青山在接受本报专访时谈到了开源。",
        f"{labels[0]}：为什么选择开源？",
        f"{labels[1]}：因为我们需要更多开发者。",
        script=script,
    )
    assert out[1].speaker is None
    assert out[2].speaker == in_script("顾青山", script)


def test_a_numbered_list_after_a_lead_in_that_names_its_holder(script):
    out = read(
        "在昨天的峰会上，启明智算创始人沈知远提出了以下几个核心判断：",
        "1. 开源模型会在两年内追上闭源模型。",
        "2. 算力成本每年下降一半。",
        "3. 应用层才是真正的战场。",
        "峰会随后进入圆桌环节。",
        script=script,
    )
    assert [p.speaker for p in out[1:4]] == [in_script("沈知远", script)] * 3
    assert out[4].speaker is None


def test_a_lead_in_followed_by_first_person_paragraphs(script):
    out = read(
        "青禾数据联合创始人许清扬在一篇文章中写道：",
        "我创业的第一天就决定开源。",
        "那时候很多人不理解。",
        "今天回头看，我不后悔。",
        "我依然相信社区的力量。",
        "这篇文章在业内引起了不少讨论。",
        script=script,
    )
    assert [p.speaker for p in out[1:5]] == [in_script("许清扬", script)] * 4
    assert out[5].speaker is None


def test_a_speech_transcript(script):
    out = read(
        "以下是远帆科技董事长贺明川在2025开发者大会上的演讲全文：",
        "各位朋友，大家好。",
        "今天我想谈谈开源和闭源。",
        "谢谢大家。",
        script=script,
    )
    assert [p.speaker for p in out[1:]] == [in_script("贺明川", script)] * 3


def test_an_op_ed_is_its_author_s(script):
    out = read("作者：陈思远", "我一直认为，开源是技术进步的引擎。", "闭源公司也在变。", "我并不反对它们。", script=script)
    assert [p.speaker for p in out[1:]] == [in_script("陈思远", script)] * 3
    out = read("我一直认为，开源是技术进步的引擎。", script=script, source=Source(author="罗晓青"))
    assert out[0].speaker == "罗晓青"


def test_a_quoted_paragraph_after_an_open_lead_in(script):
    out = read("对于外界的质疑，韩立舟回应道：", "“我们会把最好的模型开源。”", script=script)
    assert quoted(out[1]) == [(in_script("我们会把最好的模型开源。", script), in_script("韩立舟", script))]


def test_a_label_with_a_note_in_brackets(script):
    out = read("主持人：第一个问题？", "韩骁（织机作者）：开源让我们活了下来。", "主持人：谢谢。", script=script)
    assert out[1].speaker == in_script("韩骁", script)


def test_bylines_in_the_headings_name_the_interviewer_and_the_writer(script):
    from bot.corpus.attribution import attribute
    from tests.corpus.attribution.helpers import passages_of

    texts = ["智澜科技首席科学家顾青山接受了专访。", "Q：为什么开源？", "A：因为需要开发者。"]
    out = attribute(passages_of(*(in_script(t, script) for t in texts)), Source(), (), headings=(in_script("采访：本刊记者 计晨", script),))
    assert [p.speaker for p in out[1:]] == [in_script("计晨", script), in_script("顾青山", script)]
    texts = ["我一直认为开源是引擎。", "今年五月，某公司公开了权重。", "我并不反对闭源。"]
    out = attribute(passages_of(*(in_script(t, script) for t in texts)), Source(), (), headings=(in_script("作者：罗晓青", script),))
    assert [speaker_at(p, p.text[:4]) for p in out] == [in_script("罗晓青", script), None, in_script("罗晓青", script)]


def test_a_byline_names_a_writer_whose_surname_no_list_holds(script):
    """骞 is in no surname list; after 作者： two or three Han characters are a person all the same."""
    from bot.corpus.attribution import attribute
    from tests.corpus.attribution.helpers import passages_of

    texts = ["这几年，我越来越怀疑把钥匙交给所有人是不是好主意。", "我并不反对开放，只是门槛要跟能力一起涨。"]
    out = attribute(passages_of(*(in_script(t, script) for t in texts)), Source(), (), headings=(in_script("作者：骞一舟", script),))
    assert [p.speaker for p in out] == [in_script("骞一舟", script)] * 2


def test_a_quotation_after_a_colon_is_the_subject_s(script):
    """技术总监卜嘉树算了另一笔账：“…” — no speech verb, but the one person the sentence names
    opens it, and a colon hands over to the quotation. An owned name (X的) does not speak."""
    (p,) = read("华南一家电商平台的技术总监卜嘉树算了另一笔账：“接口降价以后，我们的账单只降了三成。”", script=script)
    assert speaker_at(p, "接口降价以后，我们的账单只降了三成", script) == in_script("卜嘉树", script)
    (q,) = read("记者注意到，卜嘉树的办公室门口贴着一张标语：“先跑通，再省钱，最后才谈开放。”", script=script)
    assert q.quotations == ()


def test_words_a_colon_opens_run_to_the_end_of_the_passage(script):
    """A forum reply (X回复：…。…。) or an opinion (X则持相反意见：…。…。) is all the speaker's, not
    only its first sentence; a sentence naming someone else ends it."""
    (p,) = read("资深开发者温嘉欣回复：三个人就别自建了。光是搞定驱动和升级就没时间做产品。接口至少让你一周内交得出东西。", script=script)
    assert speaker_at(p, "接口至少让你一周内交得出东西", script) == in_script("温嘉欣", script)
    (q,) = read("创办人赖志朗则持相反意见：接口今天便宜，不代表明年还便宜。版主郑可欣随后锁了帖子。", script=script)
    assert speaker_at(q, "不代表明年还便宜", script) == in_script("赖志朗", script)
    assert speaker_at(q, "随后锁了帖子", script) is None
