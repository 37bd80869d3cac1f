"""English articles: names before or after the verb, tags, reported speech, nobody listed."""

from __future__ import annotations

from tests.corpus.attribution.helpers import quoted, read


def test_english_forms():
    out = read(
        "Open models are catching up fast, said Priya Raman, a researcher at a lab in Boston.",
        '"We measured the gap every quarter," Raman said. "It shrank every time."',
        "She said that the remaining gap is mostly in long reasoning.",
    )
    assert quoted(out[0]) == [("Open models are catching up fast", "Priya Raman")]
    assert [s for _, s in quoted(out[1])] == ["Priya Raman", "Priya Raman"]
    assert quoted(out[2]) == [("the remaining gap is mostly in long reasoning.", "Priya Raman")]


def test_english_without_a_name_gives_nothing():
    (p,) = read('"It is early days," a spokesperson said. They said that more was coming.')
    assert p.quotations == ()
