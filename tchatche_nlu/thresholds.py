"""Limits that several NLU and dialogue helpers must share, so that they agree on a message.

A reply of a few words and a long story are read differently (a follow-up, a commune answer, a
story with one cue): all use SHORT. « DIET is unsure » means below the FallbackClassifier's own
threshold, read from config.yml, so that a designer who moves it there moves it everywhere.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

SHORT = 14  # words: a reply in the conversation, not a new story
CONFIG = Path(__file__).resolve().parents[1] / "config.yml"
FALLBACK = "FallbackClassifier"


@lru_cache(maxsize=1)
def unsure() -> float:
    """The FallbackClassifier's threshold: below it, the resident gets « Vouliez-vous dire … ? »."""
    config = yaml.safe_load(CONFIG.read_text("utf-8")) or {}
    for component in config.get("pipeline") or []:
        if component.get("name") == FALLBACK:
            return float(component["threshold"])
    raise LookupError(f"{CONFIG} has no {FALLBACK}")
