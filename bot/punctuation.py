"""Where a sentence ends, defined once for the layers that show sentences (who-said's proof, Slack
excerpts): CJK or Latin end punctuation, a Latin full stop only before a space or the end (so
"3.18" and "v1.5" stay whole), and the closing quotes or brackets that belong to the sentence.

Attribution and the stance reader split their masked copies on their own narrower sets of
characters (``bot.corpus.attribution.lexicon.SENTENCE_END``), where a Latin full stop would cut
names such as "J. Doe" apart.
"""

from __future__ import annotations

import re

SENTENCE_END = r"(?:[。！？!?；;…]+|\.(?=\s|$))[”’」』\"')）]*"
"""A sentence's end as a regular expression (embed it, or use ``SENTENCE_END_RE``)."""

SENTENCE_END_RE = re.compile(SENTENCE_END)
