"""`python -m tests.properties.determinism ROOT`: answer a fixed set of hostile lines, print the messages.

Run twice under different PYTHONHASHSEEDs by tests/test_properties.py; the two outputs must be
identical, or an answer depends on set or dict order, and a button clicked after a restart would
show something else than the page it promised.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from tests.properties import corpus
from tests.properties.strategies import COMMAND_WORDS, FRAGMENTS, SCRIPTS

LINES = 150
SEED = 20240501


def lines() -> list[str]:
    rng = random.Random(SEED)
    pool = FRAGMENTS + SCRIPTS * 4 + COMMAND_WORDS
    return ["".join(rng.choice(pool) for _ in range(rng.randint(0, 6))) for _ in range(LINES)]


def main(root: str) -> int:
    from bot.search.library import Library
    from bot.slack.answering import command_outcome, mention_outcome

    settings = corpus.build(Path(root))
    library = Library.load(settings)
    for line in lines():
        for name in ("/quote", "/who-said", "/compare"):
            print(json.dumps(command_outcome(name, line, library, settings).message.to_dict(), ensure_ascii=True, sort_keys=True))
        print(json.dumps(mention_outcome("<@UBOT00001> " + line, library, settings).message.to_dict(), ensure_ascii=True, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
