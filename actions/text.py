"""Text normalisation shared by commune matching and the checks on residents' messages."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case, strip accents, turn hyphens and apostrophes into spaces.

    Residents write "behagnies", "Béhagnies" or "BEHAGNIES", "achiet le grand" or
    "Achiet-le-Grand": all fold to the same string.
    """
    decomposed = unicodedata.normalize("NFKD", text.lower())
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", ascii_only).strip()
