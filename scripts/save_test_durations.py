#!/usr/bin/env python3
"""Write tests/durations.json from the durations the last runs kept in pytest's cache.

The root conftest.py orders the tests that commit longest first by their durations: those in the cache
(.pytest_cache/, which git ignores), else those in tests/durations.json, so a fresh clone starts its long
tests early too. Run this (`make durations`) after a full `make test` on PostgreSQL, and commit the file.
Only tests of a second or more are kept, to a tenth of a second: the rest go last whatever their duration.

Usage: python scripts/save_test_durations.py   (exit status 1 when the cache holds no durations)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".pytest_cache" / "v" / "mentorbridge" / "durations"
TARGET = ROOT / "tests" / "durations.json"
SHORTEST_KEPT = 1.0


def main() -> int:
    try:
        durations = json.loads(CACHE.read_text())
    except FileNotFoundError:
        print(f"No durations in {CACHE.relative_to(ROOT)}: run the suite first (make test).", file=sys.stderr)
        return 1
    kept = {test: round(took, 1) for test, took in sorted(durations.items()) if took >= SHORTEST_KEPT}
    TARGET.write_text(json.dumps(kept, indent=1) + "\n")
    print(f"{TARGET.relative_to(ROOT)}: {len(kept)} of {len(durations)} tests ({SHORTEST_KEPT:g} s or more)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
