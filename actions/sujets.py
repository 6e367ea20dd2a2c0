"""The topics (`sujet` slot values) as the domain lists them: one place for designers to edit.

A designer adds a topic that depends on the commune by adding its value to the `sujet` slot of
domain.yml (with its intent, rule and responses); the action server reads the list from there at
start, so no Python list has to follow. tests/test_conception.py names, in French, any piece a
topic is missing.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DOMAIN = Path(__file__).resolve().parents[1] / "domain.yml"
NOTED = "commune_notee"  # the commune was given with no question: not a topic
NATIONAL, LOCAL = "_national", "_local"
DAY = "_jour"  # `<sujet>_jour`: a day asked in a follow-up, answered alone (actions/commune.py)
# Answered through action_preparer_reponse but valid without a commune: the action only
# normalises their terms (actions/procedures.py), so their behaviour is code, not content.
GENERAL_TOPICS = ("etat_civil", "urbanisme")


@lru_cache(maxsize=1)
def domain() -> dict[str, Any]:
    return yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))


def sujet_values(data: dict[str, Any] | None = None) -> tuple[str, ...]:
    """`data`: another domain (a designer's scratch copy in tests); domain.yml by default."""
    return tuple((data or domain())["slots"]["sujet"]["values"])


def commune_topics(data: dict[str, Any] | None = None) -> tuple[str, ...]:
    """Topics whose answer depends on the commune: every `sujet` value but the markers."""
    values = sujet_values(data)
    return tuple(
        v
        for v in values
        if v != NOTED and v not in GENERAL_TOPICS and not v.endswith((NATIONAL, LOCAL, DAY))
    )


def national_first(data: dict[str, Any] | None = None) -> tuple[str, ...]:
    """Topics with a national part said before the commune (`<sujet>_national` and `_local`)."""
    values = set(sujet_values(data))
    return tuple(
        t for t in commune_topics(data) if f"{t}{NATIONAL}" in values and f"{t}{LOCAL}" in values
    )
