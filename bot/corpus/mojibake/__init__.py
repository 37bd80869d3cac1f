"""Undo GBK mojibake: stretches that were encoded as gb18030 and decoded again one byte late.

Such a stretch reads as rare characters (谧鲆患墀偪竦...). Each garbage character holds the trail byte
of one original character and the lead byte of the next, so putting the first byte back and decoding
again gives the original. Damage is found, and hidden bytes filled in, by comparing how likely
the readings are under character and word frequencies from jieba's dictionary, so no position or
string of any document is listed here.

The seeds add complications that the model has to absorb:
- a garbage character that could not be rendered became `?`; a pinyin note such as `?cè)` after it
  (its `(` usually went with the lost byte) is the only trace of its reading;
- some garbage characters vanished altogether, leaving two original characters half known;
- full-width punctuation and letters were folded to ASCII, so `!` in a run may be ！ (A3 A1);
- the lone byte that ends a run can swallow the ASCII byte after it: the `<` of `</p>`, a space,
  or the `(` of a pinyin note.

The package is a pipeline of five stages, each built only on the one below it:

1. `model` (built by `build`): how likely characters and words are, which bytes make which
   character. The `CharModel` is handed down to every stage; its constants and types (bytes,
   costs in bits) are the vocabulary all stages share.
2. `cells`: the text as the damage saw it, each character with the bytes it may hold.
3. `runs`: a Viterbi over the cells finds the damaged runs, and what surrounds each.
4. `recovery` (with its decoder `slots`): the likeliest original of a run, kept only when it reads
   far likelier than the run as it stands.
5. `text`: the whole text, repaired run by run.
"""

from __future__ import annotations

from bot.corpus.mojibake.build import load_char_model
from bot.corpus.mojibake.model import CharModel
from bot.corpus.mojibake.recovery import Repair
from bot.corpus.mojibake.text import RepairResult, repair_text

__all__ = ["CharModel", "Repair", "RepairResult", "find_runs", "load_char_model", "repair_mojibake"]


def repair_mojibake(text: str, model: CharModel | None = None) -> RepairResult:
    """Replace every damaged run with the text it was; pass a loaded model to skip the lookup."""
    return repair_text(text, model or load_char_model())


def find_runs(text: str, model: CharModel | None = None) -> list[Repair]:
    """The damaged runs the text still holds; empty for clean text."""
    return list(repair_mojibake(text, model).repairs)
