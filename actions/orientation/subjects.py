"""Which kind of office answers each orientation subject (territoire/orientation.yml)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from actions.text import fold, says_keyword

ROOT = Path(__file__).resolve().parents[2]
SUBJECTS_FILE = ROOT / "territoire" / "orientation.yml"
# The 12 sub-intents of the retrieval intent `orientation` (data/nlu/orientation.yml).
SUBJECTS = (
    "carte_grise",
    "permis_conduire",
    "impots",
    "caf",
    "sante",
    "msa",
    "emploi",
    "jeunes",
    "retraite",
    "justice",
    "plainte",
    "etrangers",
)


@dataclass(frozen=True)
class Subject:
    organismes: tuple[str, ...]
    france_services: bool
    words: tuple[str, ...] = ()  # `mots`: words that name this subject for sure


@lru_cache(maxsize=1)
def subjects(path: Path = SUBJECTS_FILE) -> dict[str, Subject]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    raw = data.get("sujets") or {}
    result = {}
    for name in SUBJECTS:
        entry = raw.get(name)
        if not isinstance(entry, dict) or not entry.get("organismes"):
            raise ValueError(f"{path.name} : le sujet « {name} » n'a pas de liste « organismes ».")
        words = tuple(str(w) for w in entry.get("mots") or [])
        result[name] = Subject(
            tuple(entry["organismes"]), bool(entry.get("france_services")), words
        )
    unknown = set(raw) - set(SUBJECTS)
    if unknown:
        raise ValueError(f"{path.name} : sujet(s) inconnu(s) : {', '.join(sorted(unknown))}.")
    return result


def named_subject(text: str) -> str | None:
    """The one subject whose `mots` the message says, or None (none, or several)."""
    words = fold(text).replace("'", " ").split()
    padded = " " + " ".join(words) + " "
    named = [n for n, s in subjects().items() if any(says_keyword(w, padded) for w in s.words)]
    return named[0] if len(named) == 1 else None
