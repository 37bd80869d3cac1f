"""People an article brings in without a speech verb at their name: by a code letter (受访者A), by
叫 (朋友叫X), by a quoted handle (网友叫“X”), described and then said to be someone (X的科长是…),
with a title after the full name (X议员指出); and the 他 after someone remembering another.
Each form in both scripts, with invented sentences and nobody listed."""

from __future__ import annotations

import pytest

from tests.corpus.attribution.helpers import SCRIPTS, in_script, read, speaker_at

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
