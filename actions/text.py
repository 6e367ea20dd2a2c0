"""Text normalisation shared by commune matching and the checks on residents' messages."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case, strip accents, turn hyphens and apostrophes into spaces.

    Residents write "behagnies", "Béhagnies" or "BEHAGNIES", "achiet le grand" or
    "Achiet-le-Grand": all fold to the same string.
    """
    decomposed = unicodedata.normalize("NFKD", text.lower())
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", ascii_only).strip()


_CLAUSE_END = re.compile(r"[,.;:?!\n]+")


def folded_clauses(text: str) -> list[str]:
    """The message cut at its punctuation, each part folded: « décédée à l'hôpital d'Arras hier,
    on habite Achiet » → the place of death is looked for in the first part only."""
    return [f for f in (fold(part) for part in _CLAUSE_END.split(text)) if f]


# Words beginning with an h that is not sounded (h muet): « l'hôtel », « d'habitation ». Any
# other word beginning with h keeps the full article (« le hameau », « de haie »).
_H_MUET = (
    "hab", "harmon", "hebdo", "heberg", "herb", "herit", "heur", "hier", "hippo",
    "histoir", "hiver", "homm", "honn", "honor", "hopit", "horair", "horizon", "hospit", "hotel",
    "huile", "humain", "humid", "hygien", "hyp",
)  # fmt: skip
_ELIDED = {"de": "d'", "le": "l'", "la": "l'", "que": "qu'", "je": "j'", "ne": "n'", "se": "s'"}


def starts_with_vowel_sound(word: str) -> bool:
    """« arrêté », « école », « hôtel de ville » begin with a vowel sound; « hameau » does not."""
    folded = fold(word)
    if not folded:
        return False
    if folded[0] in "aeiou":
        return True
    return folded[0] == "h" and folded.startswith(_H_MUET)


def elide(small: str, word: str) -> str:
    """« de » + « arrêté du maire » → « d'arrêté du maire »; « de » + « menu » → « de menu ».

    `small` is one of de, le, la, que, je, ne, se (lower case, as inside a sentence).
    """
    if small in _ELIDED and starts_with_vowel_sound(word):
        return f"{_ELIDED[small]}{word}"
    return f"{small} {word}"


def of_place(name: str) -> str:
    """« de Bapaume », « d'Achiet-le-Grand », « du Sars » (Le Sars), « des … » (Les …)."""
    if name.startswith("Le "):
        return f"du {name[3:]}"
    if name.startswith("Les "):
        return f"des {name[4:]}"
    return elide("de", name)


def at_place(name: str) -> str:
    """« à Bapaume », « au Transloy » (Le Transloy), « aux … » (Les …)."""
    if name.startswith("Le "):
        return f"au {name[3:]}"
    if name.startswith("Les "):
        return f"aux {name[4:]}"
    return f"à {name}"


def says_keyword(keyword: str, padded: str) -> bool:
    """A designer's keyword in a folded message padded with spaces (« ␣mots du message␣ »).

    One rule for every keyword file (aspects.yml, orientation.yml `mots`): a whole word or
    phrase, or, ending with « * », any word that begins so (« papier* » is said by « papiers »);
    « # » is any number (« on est # » is said by « on est 80 »).
    """
    if NUMBER_WORD in keyword or "#" in keyword:
        return _number_pattern(keyword).search(padded) is not None
    if keyword.endswith("*"):
        return f" {keyword[:-1]}" in padded
    return f" {keyword} " in padded


# « # » in a designer's keyword stands for any number (« on est # » is said by « on est 80 »).
# Keyword files fold « # » to this word first, as « ? » is folded to « qmark ».
NUMBER_WORD = "qnombre"


@lru_cache(maxsize=256)
def _number_pattern(keyword: str) -> re.Pattern[str]:
    star = keyword.endswith("*")
    plain = keyword.rstrip("*").replace("#", NUMBER_WORD)
    parts = [re.escape(p) for p in plain.split(NUMBER_WORD)]
    body = r"\d+".join(parts)
    return re.compile(f" {body}" + ("" if star else " "))
