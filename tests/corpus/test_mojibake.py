"""GBK mojibake in the seeds: stretches encoded as gb18030 and decoded one byte late, then repaired."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.corpus.mojibake import RepairResult, find_runs, load_char_model, repair_mojibake

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
DAMAGED_SEEDS = ("000_de9d05bb3827361c.txt", "002_b1b6fddccfa7d0fa.txt")
CLEAN_SEEDS = ("001_8616b6db4cbc247a.txt", "003_5d259b127fe30fde.txt", "004_8128588bea26b9cb.txt")

TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
LOST_WITH_NOTE = re.compile(rf"\?\(?[a-zü]*[{TONED}][a-zü{TONED}]*\)")
TAG_WITHOUT_OPENING = re.compile(r"(?<!<)/p>")


def seed(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def model():
    return load_char_model()


# The worked examples of the spec, on small inline strings.
SPEC_EXAMPLES = [
    ("作出貢獻(xiàn)?!敝袊?guó)分析人士", "作出貢獻(xiàn)。”中國分析人士"),
    ("你們?cè)谧鲆患\ue481墀偪竦氖聠幔俊?,", "你們在做一件很瘋狂的事嗎?”,"),
    ("能夠?qū)⑼庠诘纳虡I(yè)成功", "能夠將外在的商業(yè)成功"),
    ("模型?!/p>", "模型。”</p>"),
    ("我們?nèi)粘I畹膶嶋H應(yīng)用", "我們日常生活的實際應(yīng)用"),
    ("產(chǎn)生收入?!睘?DeepSeek", "產(chǎn)生收入。”為DeepSeek"),
    ("因?yàn)?DeepSeek", "因為DeepSeek"),
    ("社區(qū)?!妒\ue1a2奈鍑?guó)家信息化", "社區(qū)。《十四五國家信息化"),
    ("他們?yōu)長inux", "他們為Linux"),
    ("領(lǐng)域?qū)ふ覄?chuàng)造", "領(lǐng)域尋找創造"),
    # The same damage with the notes' `(` still in place, as the spec writes them.
    ("你們?(cè)谧鲆患\ue481墀偪竦氖聠幔俊?,", "你們在做一件很瘋狂的事嗎?”,"),
    ("作出貢獻(xiàn)?!敝袊?(guó)分析人士", "作出貢獻(xiàn)。”中國分析人士"),
]


@pytest.mark.parametrize(("damaged", "expected"), SPEC_EXAMPLES)
def test_spec_examples_are_repaired(model, damaged, expected):
    assert repair_mojibake(damaged, model).text == expected


# Every run the seeds hold, with a little of the text around it copied from the seed.
SEED_RUNS = [
    # 000
    ("化為能夠觸及我們?nèi)粘I畹膶嶋H應(yīng)用", "化為能夠觸及我們日常生活的實際應(yīng)用"),
    ("領(lǐng)域?qū)ふ覄?chuàng)造價值的地方。", "領(lǐng)域尋找創造價值的地方。"),
    (
        # The bytes spell 如何從中迂？; 迂 fits nowhere (the article likely read 盈利), so it is dropped.
        ",因為其他人可以自己部署模型,不必從他們那里購買API。當他們開源后,他們?nèi)绾螐闹杏兀?/p>",
        ",因為其他人可以自己部署模型,不必從他們那里購買API。當他們開源后,他們如何從中?</p>",
    ),
    (")者聊過天,他們?yōu)長inux內(nè", ")者聊過天,他們為Linux內(nè"),
    ("我們?nèi)柫四切┰陂_源領(lǐng)", "我們問了那些在開源領(lǐng)"),
    ("ù)幾件,你能夠?qū)⑼庠诘纳虡I(yè)成功——", "ù)幾件,你能夠將外在的商業(yè)成功——"),
    # 002
    ("是去選擇閉源模型?!?/p>", "是去選擇閉源模型。”</p>"),
    ("chǎn)生收入?!睘?DeepSeek", "chǎn)生收入。”為DeepSeek"),
    ("iàng)目,因?yàn)?DeepSeek", "iàng)目,因為DeepSeek"),
    ("n)梁文峰“你們?cè)谧鲆患\ue481墀偪竦氖聠幔俊?,他的回答則十分", "n)梁文峰“你們在做一件很瘋狂的事嗎?”,他的回答則十分"),
    ("的,但精神很滿足?!?/p>", "的,但精神很滿足。”</p>"),
    ("投入地去做一件事?!?/p>", "投入地去做一件事。”</p>"),
    ("重他們的工作,因?yàn)樵谕饨缈磥?lái),中國(guó)", "重他們的工作,因為在外界看來,中國(guó)"),
    (")是被低估的。因?yàn)檎麄€(gè)社會(huì)層", ")是被低估的。因為整個社會(huì)層"),
    ("(lái)。我們?cè)谧鲎铍y的事,對(duì", "(lái)。我們在做最難的事,對(duì"),
    ("們就是有吸引力的?!?/p>", "們就是有吸引力的。”</p>"),
    ("g)社區(qū)?!妒\ue1a2奈鍑?guó)家信息化發(fā", "g)社區(qū)。《十四五國家信息化發(fā"),
    (")險(xiǎn)?!?/p>", ")險(xiǎn)。”</p>"),
    ("貢獻(xiàn)?!敝袊?guó)分析人士指出,具", "貢獻(xiàn)。”中國分析人士指出,具"),
    ("i)源一樣,是因?yàn)閷?duì)開(kāi)放、", "i)源一樣,是因為對開(kāi)放、"),
]


@pytest.mark.parametrize(("damaged", "expected"), SEED_RUNS)
def test_each_run_of_the_seeds_is_repaired(model, damaged, expected):
    assert repair_mojibake(damaged, model).text == expected


def test_the_seeds_hold_exactly_these_runs(model):
    repaired_in_place = []
    for name in DAMAGED_SEEDS:
        text = seed(name)
        result = repair_mojibake(text, model)
        repaired_in_place += [_apply_one(text, repair.start, repair.end, repair.recovered) for repair in result.repairs]
    assert len(repaired_in_place) == len(SEED_RUNS) == 20
    for (damaged, expected), repaired in zip(SEED_RUNS, repaired_in_place):
        assert expected in repaired, damaged


def _apply_one(text: str, start: int, end: int, recovered: str) -> str:
    return text[:start] + recovered + text[end:]


def test_a_repair_records_where_the_run_stood(model):
    text = seed(DAMAGED_SEEDS[1])
    result = repair_mojibake(text, model)
    rebuilt, cursor = [], 0
    for repair in result.repairs:
        assert text[repair.start : repair.end] == repair.damaged
        rebuilt += [text[cursor : repair.start], repair.recovered]
        cursor = repair.end
    assert "".join(rebuilt) + text[cursor:] == result.text


def test_notes_outside_runs_stay_and_notes_inside_are_used_up(model):
    repaired = repair_mojibake("作出貢獻(xiàn)?!敝袊?guó)分析人士", model).text
    assert "貢獻(xiàn)" in repaired
    assert "guó)" not in repaired
    assert "商業(yè)" in repair_mojibake("能夠?qū)⑼庠诘纳虡I(yè)成功", model).text


@pytest.mark.parametrize("name", DAMAGED_SEEDS)
def test_no_damage_is_left_in_the_damaged_seeds(model, name):
    repaired = repair_mojibake(seed(name), model).text
    assert not re.search("[\ue000-\uf8ff]", repaired)
    assert "\ufffd" not in repaired
    assert not LOST_WITH_NOTE.search(repaired)
    assert not TAG_WITHOUT_OPENING.search(repaired)
    assert find_runs(repaired, model) == []


@pytest.mark.parametrize("name", CLEAN_SEEDS)
def test_clean_seeds_come_out_byte_identical(model, name):
    text = seed(name)
    result = repair_mojibake(text, model)
    assert result.repairs == ()
    assert result.text == text


@pytest.mark.parametrize("name", CLEAN_SEEDS)
def test_clean_paragraphs_are_unchanged(model, name):
    paragraphs = [line for line in seed(name).splitlines() if len(line) > 40][:3]
    for paragraph in paragraphs:
        assert repair_mojibake(paragraph, model).text == paragraph


ORDINARY_QUESTIONS = [
    "我們究竟該如何理解正在發(fā)生的一切?這股勢不可擋的開源浪潮,是曇花一現(xiàn)的嗎?",
    "你認為這是為什么?",
    "AI更加自由和共享嗎?在您看來,要保障“人人可用”,什么是必不可少的?",
    "那么构建者呢?那些分享其软件的人又有什么意义呢?",
    "他們還會留下來嗎?</p>",
    "这是为什么?\n下一段。",
]


@pytest.mark.parametrize("text", ORDINARY_QUESTIONS)
def test_ordinary_question_marks_stay(model, text):
    assert repair_mojibake(text, model).text == text


def test_unrecoverable_characters_are_dropped_and_counted(model):
    # 谧 replaced by 趢 (DA 80): the byte 80 cannot lead a character, so 做 is lost for good.
    damaged = "梁文峰“你們?cè)趢鲆患\ue481墀偪竦氖聠幔俊?,他的回答"
    result = repair_mojibake(damaged, model)
    assert result.text == "梁文峰“你們在一件很瘋狂的事嗎?”,他的回答"
    assert [repair.dropped for repair in result.repairs] == [1]
    assert result.dropped == 1


def test_the_corpus_reports_its_dropped_characters(model):
    dropped = {name: repair_mojibake(seed(name), model).dropped for name in DAMAGED_SEEDS + CLEAN_SEEDS}
    assert dropped == {DAMAGED_SEEDS[0]: 1, DAMAGED_SEEDS[1]: 0} | {name: 0 for name in CLEAN_SEEDS}


def test_the_model_is_loaded_once_and_can_be_passed_around(model):
    assert load_char_model() is model
    text = "因?yàn)?DeepSeek"
    assert repair_mojibake(text) == repair_mojibake(text, model)


def test_empty_and_plain_text():
    assert repair_mojibake("") == RepairResult("", ())
    assert repair_mojibake("plain ASCII? yes.").text == "plain ASCII? yes."


# The package is a pipeline: each stage builds on the one below it only (the model, the shared
# vocabulary every stage is handed, excepted).
STAGE_IMPORTS = {
    "model": set(),
    "build": {"model"},
    "cells": {"model"},
    "runs": {"model", "cells"},
    "slots": {"model", "runs"},
    "recovery": {"model", "runs", "slots"},
    "text": {"model", "recovery"},
}


@pytest.mark.parametrize("stage", sorted(STAGE_IMPORTS))
def test_each_stage_imports_only_the_stage_below(stage):
    import ast

    path = Path(__file__).resolve().parents[2] / "bot" / "corpus" / "mojibake" / f"{stage}.py"
    imported = {
        node.module.rsplit(".", 1)[-1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("bot.corpus.mojibake")
    }
    assert imported == STAGE_IMPORTS[stage]
