"""How `bot` reports a mistake: one line on stderr, and with --json one JSON object on stdout; exit 2."""

from __future__ import annotations

import json
import sys

EXIT_USAGE = 2


def fail(as_json: bool, message: str) -> int:
    """An error: one line on stderr, and with --json also `{"error": …}` on stdout; exit status 2."""
    if as_json:
        print(json.dumps({"error": message}, ensure_ascii=False), flush=True)
    print(f"error: {message}", file=sys.stderr)
    return EXIT_USAGE
