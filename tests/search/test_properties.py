"""Properties that must hold for any input: offsets stay valid, display conversion keeps length, search never fails."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.search.normalise import fold, fold_with_offsets, to_script

# Han (both scripts), Latin, full-width forms, punctuation, emoji, controls
TEXT = st.text(
    alphabet=st.sampled_from(
        list("開源軟體网络资讯隨身碟护城河美元美圆一鸣惊人abcXYZ019ＡＢ１２ 　，。！？“”、·-_()😀🎉\x00\x07\u200b\ufeffßİ")
    ),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_offsets_are_valid_and_ordered(text):
    folded, offsets = fold_with_offsets(text)
    assert folded == fold(text)
    assert len(offsets) == len(folded)
    assert all(0 <= o < len(text) for o in offsets)
    assert offsets == sorted(offsets)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_display_conversion_keeps_length(text):
    for script in ("simplified", "traditional", "original"):
        assert len(to_script(text, script)) == len(text)


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_search_accepts_anything(index, text):
    matches = index.search(text, limit=5)
    assert len(matches) <= 5
    for match in matches:
        assert 0.0 <= match.score <= 1.0
        assert all(0 <= s < e <= len(match.passage.text) for s, e in match.highlights)
