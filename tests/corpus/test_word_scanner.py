"""WordScanner (attribution's faster ``finditer`` over word alternations) finds exactly what the
one compiled alternation finds, and a speaker book built on another (``with_names``) is the
book ``SpeakerBook.of`` builds whole."""

from __future__ import annotations

import random
import re

from bot.corpus.attribution.book import SpeakerBook, fold_name
from bot.corpus.attribution.lexicon import WordScanner, alternation, word_pattern
from bot.corpus.models import Speaker

LISTED = (Speaker(name="韩立舟", aliases=("韩总", "Han Lizhou")), Speaker(name="Mara Quill", aliases=("Quill",)),
          Speaker(name="欧阳青禾", aliases=("青禾",)))
TEXTS = (
    "韩立舟说，韩总认为开源更好；欧阳青禾和青禾团队不同意。",
    "Mara Quill said the Quills disagree; QUILL agreed, marquill did not. Han  Lizhou nodded; HanLizhou too.",
    "韩立舟舟与韩立说：韩立舟是韩立的兄弟，韩立舟子不是。",
    "xQuill, Quillx, 9Quill, Quill9 and (Quill) and Mara\tQuill.",
    "",
)


def _spans(matches) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in matches]


def test_one_part_finds_what_the_alternation_finds():
    words = ("说", "认为", "said", "Quill", "表示", "agreed")
    pattern = re.compile(alternation(words), re.IGNORECASE)
    scanner = WordScanner([(pattern, words)])
    for text in TEXTS:
        assert _spans(scanner.finditer(text)) == _spans(pattern.finditer(text))


def test_a_book_built_on_another_is_the_book_built_whole():
    base = SpeakerBook.of(LISTED)
    for found in ({"韩立": "韩立", "韩立舟舟": "韩立舟舟"}, {"QUILL": "Q"}, {"Han Lizhou": "韩立舟", "立舟": "韩立舟"}, {}):
        built_on = base.with_names(found, {"协会": "某协会"})
        whole = SpeakerBook.of((), {**base.canonical, **found}, {"协会": "某协会"})
        assert built_on.canonical == whole.canonical and built_on.bodies == whole.bodies
        every = re.compile("|".join(word_pattern(s) for s in sorted(whole.canonical, key=len, reverse=True)), re.IGNORECASE)
        for text in TEXTS:
            assert _spans(built_on.pattern.finditer(text)) == _spans(every.finditer(text)) == _spans(whole.pattern.finditer(text))
            assert built_on.mentions(text) == whole.mentions(text)


def test_random_texts_and_names_agree_with_the_whole_alternation():
    rng = random.Random(7)
    letters = "韩立舟青禾欧阳abAB "
    for _ in range(300):
        base = {fold_name(w): w for w in ("".join(rng.choice(letters) for _ in range(rng.randint(1, 4))) for _ in range(5)) if fold_name(w)}
        extra = {w: w for w in ("".join(rng.choice(letters) for _ in range(rng.randint(1, 4))) for _ in range(4)) if fold_name(w)}
        book = SpeakerBook.of((), base).with_names(extra)
        whole = SpeakerBook.of((), {**base, **extra})
        text = "".join(rng.choice(letters + "，。x9") for _ in range(40))
        assert _spans(book.pattern.finditer(text)) == _spans(whole.pattern.parts[0][0].finditer(text))
