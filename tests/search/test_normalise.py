"""Each normalisation step on its own, and the offsets that map folded text back to the original."""

from __future__ import annotations

import pytest

from bot.search.normalise import detect_script, fold, fold_with_offsets, fold_with_offsets_as, to_script


def test_width_folding_turns_full_width_letters_and_digits_into_ascii():
    assert fold("ＡＩ２０２５") == "ai2025"


def test_case_folding():
    assert fold("Linux") == fold("LINUX") == "linux"


@pytest.mark.parametrize(
    "traditional, simplified",
    [("軟體", "软件"), ("網路", "网络"), ("資訊", "信息"), ("開源模型", "开源模型"), ("閉源", "闭源")],
)
def test_traditional_becomes_simplified_with_taiwan_vocabulary(traditional, simplified):
    assert fold(traditional) == simplified


def test_punctuation_and_spaces_are_ignored():
    assert fold("“开源”，不是 免费！") == fold("开源不是免费") == "开源不是免费"
    assert fold("Jim Zemlin") == "jimzemlin"


def test_emoji_and_control_characters_are_dropped():
    assert fold("开源😀\x00\x07\u200b模型") == "开源模型"
    assert fold("😀🎉\n\t") == ""


def test_offsets_point_at_the_source_character():
    text = "「開源」軟體，ＡＩ！"
    folded, offsets = fold_with_offsets(text)
    assert folded == "开源软件ai"
    assert [text[o] for o in offsets] == ["開", "源", "軟", "體", "Ａ", "Ｉ"]


def test_offsets_stay_in_range_when_conversion_changes_length():
    text = "我買了一個隨身碟。"  # tw2sp: 隨身碟 -> U盘 (3 -> 2 characters)
    folded, offsets = fold_with_offsets(text)
    assert "u盘" in folded
    assert len(offsets) == len(folded)
    assert offsets == sorted(offsets) and all(0 <= o < len(text) for o in offsets)


def test_to_script_keeps_length_and_converts_both_ways():
    assert to_script("開源軟體", "simplified") == "开源软体"
    assert to_script("开源软件", "traditional") == "開源軟件"
    assert to_script("開源", "original") == "開源"
    for text in ["我買了一個隨身碟。", "开源，闭源", "AI 時代"]:
        for script in ("simplified", "traditional", "original"):
            assert len(to_script(text, script)) == len(text)


@pytest.mark.parametrize(
    "text, script",
    [("開源軟體", "traditional"), ("开源软件", "simplified"), ("人工智能", None), ("Linux", None), ("", None)],
)
def test_detect_script(text, script):
    assert detect_script(text) == script


@pytest.mark.parametrize("text", [
    "開源軟體讓每個人都能看到程式碼，網路上的資訊也因此更加透明。",
    "把檔案存到隨身碟裡。",  # a phrase whose conversion changes its length
    "ＡＩ２０２５年，Straße 與 ΣΊΣΥΦΟΣ：開源？",  # full width, case folding that changes length
    "扎克伯格表示，Meta会继续开源Llama模型。",
    "㈱と㍻、ﬁ ligature",
    "",
])
def test_offsets_from_the_saved_folded_text_are_those_of_the_full_fold(text):
    assert fold_with_offsets_as(text, fold(text)) == fold_with_offsets(text)


def test_offsets_given_another_texts_folded_form_are_still_this_texts():
    text = "開源軟體讓每個人都能看到程式碼"
    assert fold_with_offsets_as(text, fold("另一段文字，長度也不同")) == fold_with_offsets(text)


def test_a_character_that_widens_under_nfkc_maps_every_piece_back_to_it():
    folded, offsets = fold_with_offsets("ａ㈱ｂ，Ｃ")  # ㈱ -> (株): three characters from one
    assert folded == "a株bc"
    assert offsets == [0, 1, 2, 4]
