"""bot/chars.py: the base definitions every layer shares."""

from __future__ import annotations

import opencc
import pytest

from bot import chars
from bot.chars import converter, script_spellings
from bot.commands.words import parse_command_words
from bot.corpus.attribution.lexicon import parse_lexicon


def test_a_listed_word_is_spelled_in_both_scripts():
    assert {"开源", "開源"} <= script_spellings("开源")
    assert {"软件", "軟件", "軟體"} & script_spellings("软件") >= {"软件", "軟件"}


def test_every_layer_reuses_the_process_converters(monkeypatch):
    """Each OpenCC converter holds MB of dictionaries: the lexicons and the command words must
    use the ones built once (before `bot serve`'s search processes fork), not build their own."""
    for conversion in {chars.TO_SIMPLIFIED, "t2s", *chars.SCRIPT_CONVERSIONS}:
        converter(conversion)

    def no_new_converter(*_args, **_kwargs):
        raise AssertionError("a new OpenCC converter was built")

    monkeypatch.setattr(opencc, "OpenCC", no_new_converter)
    words = parse_command_words({"compare_conjunctions": ["與"]})
    lexicon = parse_lexicon({"speech_verbs": ["表示"], "surnames": "张"})
    assert {"與", "与"} <= set(words.conjunctions)
    assert {"表示"} <= lexicon["speech_verbs"] and lexicon.simplified("張") == "张"


@pytest.mark.parametrize("conversion", chars.SCRIPT_CONVERSIONS)
def test_one_converter_per_conversion(conversion):
    assert converter(conversion) is converter(conversion)
