"""The proof a /who-said answer shows is the whole sentence around the match, in either language."""

from bot.commands.who_said import sentence_around


def proof(text: str, words: str) -> str:
    start = text.index(words)
    lo, hi = sentence_around(text, (start, start + len(words)), (0, len(text)))
    return text[lo:hi]


def test_an_english_passage_gives_one_sentence_not_the_whole_voice():
    text = "Open models win on cost. Closed models lose money on every call. The rest is marketing."
    assert proof(text, "lose money") == "Closed models lose money on every call."


def test_a_version_number_does_not_end_a_sentence():
    text = "They shipped v1.5 last week and it held up. Nobody expected that."
    assert proof(text, "shipped v1.5") == "They shipped v1.5 last week and it held up."


def test_a_chinese_sentence_keeps_its_closing_quote():
    text = "他说：“开源会赢。”随后离开了会场。"
    assert proof(text, "开源会赢") == "他说：“开源会赢。”"
