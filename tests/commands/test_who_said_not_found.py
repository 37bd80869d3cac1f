"""/who-said: remembered, misspelt and other-script quotations are found; a sentence with a word
changed is not; words copied into another article without credit are answered from the credited copy."""

import pytest
from rapidfuzz import fuzz

from bot.commands.dispatch import answer
from bot.commands.faithfulness import faithfulness, load_meaning_edits
from bot.commands.parse import Request
from bot.commands.results import WHO_SAID
from bot.config import Settings
from bot.search.library import Library
from bot.search.normalise import fold

NEWS = """北岭数据发布新模型

北岭数据创始人韩立舟在发布会上表示：“开放权重不是慈善，而是一笔算得清的账。”

对于外界的担心，韩立舟补充道：“许可证写得再细，也挡不住一个已经下载到本地的文件。”

韩立舟回忆说：“那年冬天，刚毕业的学生拿到一个开放的模型，白天拆开看、晚上动手改，一个季度就能交出像样的成果。”
"""

DIGEST = """早报

一句话点评：开放权重不是慈善，而是一笔算得清的账。
"""


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    root = tmp_path_factory.mktemp("lib")
    seeds, config = root / "seeds", root / "config"
    seeds.mkdir()
    config.mkdir()
    (seeds / "a_news.txt").write_text(NEWS, encoding="utf-8")
    (seeds / "b_digest.txt").write_text(DIGEST, encoding="utf-8")
    settings = Settings(config_dir=config, seeds_dir=seeds)
    return Library.load(settings), settings


def ask(library, text):
    lib, settings = library
    return answer(Request(WHO_SAID, text), lib, settings, limit=1)


@pytest.mark.parametrize(
    "query",
    [
        "许可证写得再细，也挡不住一个已经下载到本地的文件",  # exact
        "也挡不住一个已经下载到本地的文件",  # partial
        "許可證寫得再細，也擋不住一個已經下載到本地的文件",  # other script
        "许可证写得再细，也当不住一个已经下载到本地的文件",  # a sound slip (当 for 挡)
    ],
)
def test_remembered_quotations_are_found(library, query):
    reply = ask(library, query)
    assert reply.found and reply.results[0].speaker == "韩立舟"


@pytest.mark.parametrize(
    "query",
    [
        "许可证写得再细，也挡得住一个已经下载到本地的文件",  # the meaning turned round
        "开放权重就是慈善，而不是一笔算得清的账",
        "闭源模型一定会赢得这场竞争",  # nothing like it anywhere
    ],
)
def test_changed_or_absent_sentences_are_not_found(library, query):
    reply = ask(library, query)
    assert not reply.found


def test_the_credited_copy_answers(library):
    reply = ask(library, "开放权重不是慈善，而是一笔算得清的账")
    assert reply.found and reply.results[0].speaker == "韩立舟"
    assert reply.results[0].passage.doc_id == "a_news"


def test_a_sound_slip_costs_less_than_a_changed_word_and_an_opposite_most():
    text = fold("大厂要抄，闭源也挡不住。")
    edits = load_meaning_edits()
    slip = faithfulness(fold("大厂要抄，闭源也当不住"), text, edits=edits)
    changed = faithfulness(fold("大厂要抄，私源也挡不住"), text, edits=edits)
    opposite = faithfulness(fold("大厂要抄，开源也挡不住"), text, edits=edits)
    negated = faithfulness(fold("大厂要抄，闭源也挡得住"), text, edits=edits)
    assert faithfulness(fold("大厂要抄，闭源也挡不住"), text, edits=edits) == 1.0
    assert 0.95 < slip < 1.0 and changed < 0.92 and opposite < changed and negated < changed
    assert faithfulness("", text) == 0.0


def test_a_broken_who_said_yaml_still_answers(library, tmp_path):
    lib, settings = library
    (tmp_path / "who_said.yaml").write_text("opposites: [开闭闭]\n", encoding="utf-8")
    from dataclasses import replace

    reply = answer(Request(WHO_SAID, "也挡不住一个已经下载到本地的文件"), lib, replace(settings, config_dir=tmp_path), limit=1)
    assert reply.found


def test_a_left_out_aside_costs_less_than_a_changed_word():
    """People remember quotations with the asides left out; that is not a change of meaning."""
    text = fold("她在发布会上说：“把数据锁在自家的服务器里，省不下成本，只会换来一张越来越长的账单。”")
    edits = load_meaning_edits()
    remembered = faithfulness(fold("把数据锁在服务器里，只会换来越来越长的账单"), text, edits=edits)
    changed = faithfulness(fold("把数据锁在自家的服务器里，省得下成本"), text, edits=edits)
    reworded = faithfulness(fold("把数据锁在自家的服务器里，省不下时间"), text, edits=edits)
    dropped_negation = faithfulness(fold("把数据锁在自家的服务器里，省下成本"), text, edits=edits)
    assert remembered > 0.905  # three stretches left out, still above who-said's cut (raw 0.905)
    assert changed < 0.85 and reworded < 0.9 and dropped_negation < 0.85


def test_a_quotation_remembered_without_a_long_aside_is_found(library):
    """Leaving out a twelve-character aside halves the fuzzy alignment's score (the query's two ends
    lie far apart in the text), yet it is how people remember; the edit-by-edit alignment must
    still be asked, and it finds the words with their speaker."""
    query = "刚毕业的学生拿到一个开放的模型，一个季度就能交出像样的成果"
    reply = ask(library, query)
    assert reply.found and reply.results[0].speaker == "韩立舟"
    assert fuzz.partial_ratio(fold(query), fold(NEWS)) < 70  # the case this guards: a poor fuzzy alignment
