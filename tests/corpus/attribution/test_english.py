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


def test_an_english_description_is_the_speaker_as_written():
    out = read(
        'An analyst at Harrow Securities said the open models were "a marketing budget, not a business".',
        '"We will not publish the weights," a spokesperson for Lumen Labs said.',
    )
    assert quoted(out[0]) == [("a marketing budget, not a business", "An analyst at Harrow Securities")]
    assert quoted(out[1]) == [("We will not publish the weights", "a spokesperson for Lumen Labs")]


def test_the_firm_in_a_description_is_no_person_and_she_is_the_description():
    out = read(
        "An analyst at Harrow Securities said that the gap was closing.",
        '"Nobody can close this door again," she said.',
    )
    assert all(q.speaker != "Harrow Securities" for p in out for q in p.quotations)
    assert quoted(out[1]) == [("Nobody can close this door again", "An analyst at Harrow Securities")]


def test_a_name_with_its_description_in_commas():
    out = read(
        "Mara Quill, chief executive of Brightfold, said that open weights were the future.",
        '"Nobody can close this door again," she said.',
    )
    assert quoted(out[0]) == [("open weights were the future.", "Mara Quill")]
    assert quoted(out[1]) == [("Nobody can close this door again", "Mara Quill")]


def test_a_name_set_off_by_commas_from_its_role_is_a_person_anywhere():
    out = read(
        "A shipping firm in Ningbo told us its bill had tripled. Its lead engineer, Fang Zhiyuan, priced two servers instead. "
        '"The machines pay for themselves within a year," Fang said.',
        "Then there is Oskar Lindgren, founder of the Malmo start-up Reedwork, whose team released its weights in June. "
        '"I expected nothing back," he told us.',
        "We put the question to Dana Whitcombe, a partner at a law firm that advises insurers. "
        '"An insurer is buying a signature," she said.',
    )
    assert quoted(out[0])[-1] == ("The machines pay for themselves within a year", "Fang Zhiyuan")
    assert quoted(out[1]) == [("I expected nothing back", "Oskar Lindgren")]
    assert quoted(out[2]) == [("An insurer is buying a signature", "Dana Whitcombe")]


def test_a_named_subject_whose_sentence_hands_over_with_a_colon():
    (p,) = read(
        'Not everyone agrees. Ines Moreau, who runs compliance at a clinic chain in Lyon, was blunt when we met her: '
        '"I want one number to call when something breaks."'
    )
    assert quoted(p) == [("I want one number to call when something breaks.", "Ines Moreau")]
