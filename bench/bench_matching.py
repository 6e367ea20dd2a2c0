"""How long finding the commune in a message takes (actions/territory/matching.py), in process.

The matcher reads every message (and earlier ones for the look-back): exact names, near
spellings, then names written as they sound. Times `find_in_text` over the held-out messages of
tests/nlu_holdout.yml on a fresh matcher (no cache), several rounds, and prints the median.
Usage: .venv/bin/python bench/bench_matching.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from actions.territory.loader import load_territory  # noqa: E402
from actions.territory.matching import CommuneMatcher  # noqa: E402
from tests import nlu_eval  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    texts = [e.text for e in nlu_eval.read_examples(nlu_eval.HOLDOUT)]
    territory = load_territory()
    per_message = []
    for _ in range(rounds):
        matcher = CommuneMatcher(territory)  # its cache of messages starts empty
        start = time.perf_counter()
        for text in texts:
            matcher.find_in_text(text)
        per_message.append(1000 * (time.perf_counter() - start) / len(texts))
    shown = ", ".join(f"{v:.2f}" for v in per_message)
    print(
        f"{len(texts)} messages, {rounds} tours : médiane {statistics.median(per_message):.2f} "
        f"ms par message ({shown})"
    )


if __name__ == "__main__":
    main()
