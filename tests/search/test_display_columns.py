"""The display columns the build saves: the same offsets and display texts a hit used to compute."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from bot.commands.display import make_hit
from bot.search.display_columns import DISPLAY_SCRIPTS, DisplayColumns
from bot.search.library import Library
from bot.search.normalise import fold, fold_with_offsets, to_script
from bot.search.saved import open_library, save

QUERIES = ["開源軟體讓每個人", "闭源模型的护城河", "开源模型 智商税", "Linux 癌症", "kaiyuan moxing",
           "這家公司去年花了三千万美元", "护成河正在消失", "Meta Llama", "显卡"]


def _texts(index):
    return [index.passages.get(n).text for n in range(index.size)]


def test_saved_offsets_and_display_texts_are_what_each_hit_computed(index):
    display = index.display
    assert display is not None
    for n, text in enumerate(_texts(index)):
        folded, offsets = fold_with_offsets(text)
        assert folded == index.folded[n]
        assert display.offsets_of(n).tolist() == offsets
        for script in (*DISPLAY_SCRIPTS, "original"):
            assert display.text_in(n, script, text) == to_script(text, script)


def test_hits_are_the_same_with_the_columns_and_without(index, corpus):
    without = dataclasses.replace(index, display=None)
    compared = 0
    for query in QUERIES:
        for script in ("simplified", "traditional", "original"):
            ours, theirs = index.search(query, limit=5), without.search(query, limit=5)
            assert [(m.number, m.score) for m in ours] == [(m.number, m.score) for m in theirs]
            for a, b in zip(ours, theirs):
                assert a.highlights == b.highlights
                assert a.text_in(script) == b.text_in(script) == to_script(a.passage.text, script)
                hit_a = make_hit(corpus, a.passage, score=a.score, script=script, highlights=a.highlights,
                                 display_text=a.text_in(script))
                hit_b = make_hit(corpus, b.passage, score=b.score, script=script, highlights=b.highlights)
                assert hit_a == hit_b
                compared += bool(a.highlights)
    assert compared > 10


def test_the_columns_survive_saving_and_are_mapped(index, corpus, vocabulary, tmp_path):
    save(Library(corpus, vocabulary, index), tmp_path / "saved", "key")
    reopened = open_library(tmp_path / "saved", "key").index
    assert reopened.display is not None
    assert isinstance(reopened.display.offsets.base, np.memmap) or not reopened.display.offsets.flags.owndata
    for n, text in enumerate(_texts(index)):
        assert reopened.display.offsets_of(n).tolist() == index.display.offsets_of(n).tolist()
        for script in DISPLAY_SCRIPTS:
            assert reopened.display.text_in(n, script, text) == index.display.text_in(n, script, text)


def test_a_library_saved_without_them_still_shows_hits(index):
    without = dataclasses.replace(index, display=None)
    match = without.search("闭源模型的护城河", limit=1)[0]
    assert match.highlights and match.text_in("traditional") == to_script(match.passage.text, "traditional")


def test_long_passages_get_wide_offsets_and_a_foreign_fold_is_not_trusted():
    long = "，".join(["开源模型"] * 20000)  # 99,999 characters: past uint16
    columns = DisplayColumns.build([long, "閉源模型。"], [fold(long), "别的"])
    assert columns.offsets.dtype == np.int32
    assert columns.offsets_of(0).tolist() == fold_with_offsets(long)[1]
    assert columns.offsets_of(1) is None  # the index holds other folded text for it: computed per hit instead
    assert columns.text_in(1, "simplified", "閉源模型。") == "闭源模型。"


@pytest.mark.parametrize("texts", [[], [""], ["   ", "。"]])
def test_empty_libraries_and_passages(texts):
    columns = DisplayColumns.build(texts, [fold(t) for t in texts])
    for n, text in enumerate(texts):
        assert columns.offsets_of(n).tolist() == []
        assert columns.text_in(n, "traditional", text) == text
