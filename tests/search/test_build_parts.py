"""The index's cross-document parts built in forked processes (while stances are judged) are the
ones the build makes in its own process; per-process memories of terms and words change no output."""

from __future__ import annotations

import numpy as np
import pytest

from bot.chars import is_han
from bot.search.analysis import TermKeys, analyse_batch
from bot.search.build import Forked, attribution_priority, forks, index_parts, start_index_parts
from bot.search.postings import term_hash
from bot.search.terms import BIGRAM, WORD
from bot.search.pinyin import word_readings
from bot.search.tokenize import make_tokenizer, parts_of

TEXTS = [  # invented, in the library's shapes: a near-copy pair, Traditional, English, digits
    ("北岭数据创始人韩立舟表示，开源模型的权重应当公开，这样研究者才能检验。", "simplified"),
    ("北岭数据创始人韩立舟表示，开源模型的权重应当公开，这样研究者才能检验！", "simplified"),
    ("評論者韓驍指出，所謂的半開源往往只公開推理代碼。", "traditional"),
    ("\"Open weights let anyone audit the model,\" said Priya Venkat of Lumen Forge in 2024.", None),
    ("星河智算在2025年发布了GPT式的闭源模型，首席技术官邵博文直言不讳。", None),
]


def _same(a, b, arrays) -> bool:
    return all(np.array_equal(getattr(a, n), getattr(b, n)) and getattr(a, n).dtype == getattr(b, n).dtype
               for n in arrays)


@pytest.mark.skipif(not forks(), reason="needs a process that can fork")
def test_parts_built_in_a_forked_process_are_the_same():
    batches = [analyse_batch(TEXTS[:2], ()), analyse_batch(TEXTS[2:], ())]
    priority = [1, 0, 1, 1, 0]
    here = index_parts(batches, priority)
    there = Forked(index_parts, batches, priority).result()
    assert _same(here.postings, there.postings, here.postings.ARRAYS)
    assert _same(here.groups, there.groups, here.groups.ARRAYS)
    assert (here.latin_words, here.pinyin_words) == (there.latin_words, there.pinyin_words)
    assert here.groups.leader[0] == here.groups.leader[1] == 1  # the near-copy pair, led by its attributed member


@pytest.mark.skipif(not forks(), reason="needs a process that can fork")
def test_a_failure_in_the_forked_process_is_raised_here():
    with pytest.raises(ZeroDivisionError):
        Forked(divmod, 1, 0).result()


def test_one_core_builds_the_parts_in_the_build_itself():
    assert start_index_parts([analyse_batch(TEXTS, ())], [], workers=1) is None


def test_priority_puts_attributed_passages_first():
    class P:
        def __init__(self, speaker, quotations):
            self.speaker, self.quotations = speaker, quotations

    assert attribution_priority([P(None, ()), P("韩立舟", ()), P(None, ("引语",))]) == [1, 0, 0]


def test_term_hashes_remembered_across_batches_are_the_terms_hashes(monkeypatch):
    monkeypatch.setattr(TermKeys, "KEPT", 50)  # forces the memory to be emptied and refilled mid-way
    keys = TermKeys()
    for text, _ in TEXTS:
        terms = {WORD + text[:4], BIGRAM + text[-3:], WORD + "venkat", BIGRAM + "ab"}
        keys.learn(terms)
        assert all(keys.hashes[t] == term_hash(t) for t in terms)
        assert {t for t in terms if t in keys.latin} == {WORD + "venkat"} | ({WORD + text[:4]} if text[:4].isascii() else set())


def test_a_batch_is_the_same_whatever_was_analysed_before():
    alone = analyse_batch(TEXTS[2:], ())
    analyse_batch(TEXTS[:2], ())  # fills the process's term and word memories
    again = analyse_batch(TEXTS[2:], ())
    for name in ("hashes", "counts", "terms_per_passage"):
        assert np.array_equal(getattr(alone, name), getattr(again, name))
    assert (alone.folded, alone.sound, alone.latin_words, alone.readings) == \
        (again.folded, again.sound, again.latin_words, again.readings)
    assert "venkat" in alone.latin_words and "priya" in alone.latin_words


def test_word_facts_are_the_words_readings_and_parts():
    segmenter = make_tokenizer(["开源模型"])
    for word in ["开源模型", "研究者", "权重", "韩", "北岭数据", "ai", "2024"]:
        readings = tuple(word_readings(word))
        whole = "".join(readings) if all(readings) and is_han(word[0]) else None
        assert segmenter.word_facts(word) == (readings, tuple(parts_of(word, segmenter.is_word)), whole)


def test_a_process_that_may_not_fork_builds_the_same_index_one_part_after_the_other(bundled_corpus, bundled_settings):
    """``build_index`` with two cores: the English dictionary in a forked process beside the postings;
    in a process with another thread running (a server loading in the background) no fork, the same
    parts one after the other, and the same index."""
    import threading

    from bot.search.build import build_index
    from bot.search.vocabulary import Vocabulary

    vocabulary = Vocabulary.load(bundled_settings.config_dir, bundled_corpus, use_dictionary=False)
    beside = build_index(bundled_corpus, vocabulary, workers=2, dictionary=True)
    stop = threading.Event()
    waiting = threading.Thread(target=stop.wait, daemon=True)
    waiting.start()
    try:
        assert not forks()
        after = build_index(bundled_corpus, vocabulary, workers=2, dictionary=True)
    finally:
        stop.set()
        waiting.join()
    assert beside.lexicon.vocabulary.dictionary  # the seeds use CC-CEDICT words
    assert beside.lexicon.vocabulary == after.lexicon.vocabulary
    assert _same(beside.postings, after.postings, beside.postings.ARRAYS)
    assert _same(beside.groups, after.groups, beside.groups.ARRAYS)
