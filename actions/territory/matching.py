"""Finds which commune a resident means, whatever the spelling.

Residents write "vaulx", "achiet le gran", "Bucquoi", "BEHAGNIES" or "Avesnes les Bapaume": the NLU
entity (when there is one) and the raw message are both matched against every commune's names
and variants, accent-, case- and hyphen-insensitive, with a little tolerance for typos.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from actions.territory.model import Commune, Territory
from actions.text import fold

# Short words that are also plain French (or too short to be typo-tolerant) need an exact match.
MIN_FUZZY_LENGTH = 6
FUZZY_RATIO = 0.84
# Folded forms shared by several communes: the resident must say which one.
_STOP_PREFIXES = ("le ", "la ", "les ")


@dataclass(frozen=True)
class Match:
    """Result of a lookup: one commune, several candidates, or nothing."""

    commune: Commune | None
    candidates: tuple[Commune, ...] = ()
    mention: str = ""

    @property
    def ambiguous(self) -> bool:
        return self.commune is None and len(self.candidates) > 1


def _aliases(commune: Commune) -> set[str]:
    """Folded names a resident may use for this commune."""
    folded = fold(commune.nom)
    names = {folded, folded.replace(" les ", " lez "), folded.replace(" ", "")}
    for prefix in _STOP_PREFIXES:
        if folded.startswith(prefix):
            names.add(folded[len(prefix) :])
    for variant in commune.variantes:
        names.add(fold(variant))
    return {n for n in names if n}


class CommuneMatcher:
    def __init__(self, territory: Territory):
        self.territory = territory
        self.aliases: list[tuple[str, Commune]] = sorted(
            ((alias, c) for c in territory.communes.values() for alias in _aliases(c)),
            key=lambda item: -len(item[0]),
        )
        # Exact look-up; on a clash the longer-sorted entry wins, as in the scans below.
        self.by_alias: dict[str, Commune] = {}
        for alias, commune in self.aliases:
            self.by_alias.setdefault(alias, commune)
        # "achiet" alone is the first word of two communes: ambiguous, not a match.
        first_words: dict[str, list[Commune]] = {}
        for commune in territory.communes.values():
            words = [w for w in fold(commune.nom).split() if w not in ("le", "la", "les")]
            first_words.setdefault(words[0], []).append(commune)
        self.shared_prefixes = {w: tuple(cs) for w, cs in first_words.items() if len(cs) > 1}

    def resolve(self, mention: str) -> Match:
        """A value the NLU extracted (or a button payload): exact first, then fuzzy."""
        folded = fold(mention)
        if not folded:
            return Match(None, mention=mention)
        if folded in self.by_alias:
            return Match(self.by_alias[folded], mention=mention)
        found = self.find_in_text(mention)
        if found.commune or found.ambiguous:
            return Match(found.commune, found.candidates, mention)
        return Match(None, mention=mention)

    def resolve_whole(self, text: str) -> Match:
        """The whole text is one commune name (give or take a typo), or an ambiguous prefix."""
        folded = fold(text)
        if not folded:
            return Match(None)
        if folded in self.by_alias:
            return Match(self.by_alias[folded], mention=text)
        best: tuple[float, Commune | None] = (0.0, None)
        for alias, commune in self.aliases:
            if len(alias) >= MIN_FUZZY_LENGTH:
                ratio = SequenceMatcher(None, alias, folded).ratio()
                if ratio > best[0]:
                    best = (ratio, commune)
        if best[1] is not None and best[0] >= FUZZY_RATIO:
            return Match(best[1], mention=text)
        if folded in self.shared_prefixes:
            return Match(None, self.shared_prefixes[folded], mention=text)
        return Match(None)

    def find_in_text(self, text: str) -> Match:
        """Scans a whole message; the longest name wins ("Avesnes-lès-Bapaume" over "Bapaume")."""
        tokens = fold(text).split()
        if not tokens:
            return Match(None)
        padded = f" {' '.join(tokens)} "
        for alias, commune in self.aliases:
            if f" {alias} " in padded:
                return Match(commune, mention=alias)
        best: tuple[float, Commune | None, str] = (0.0, None, "")
        for alias, commune in self.aliases:
            size = len(alias.split())
            if len(alias) < MIN_FUZZY_LENGTH:
                continue
            for start in range(len(tokens)):
                for width in {size, size + 1, max(1, size - 1)}:
                    window = " ".join(tokens[start : start + width])
                    if len(window) < MIN_FUZZY_LENGTH - 1:
                        continue
                    ratio = SequenceMatcher(None, alias, window).ratio()
                    if ratio > best[0]:
                        best = (ratio, commune, window)
        if best[1] is not None and best[0] >= FUZZY_RATIO:
            return Match(best[1], mention=best[2])
        for word in tokens:
            if word in self.shared_prefixes:
                return Match(None, self.shared_prefixes[word], mention=word)
        return Match(None)


# Words around a commune name in an answer to "Dans quelle commune habitez-vous ?".
ANSWER_FILLERS = frozenset(
    "a au aux c ca ce cest commune de des du d en est et fait habite habites habitons j je la le "
    "les ma mais moi mon non nan oui ouais pardon plutot pour pr sur suis sommes vis ville "
    "village voulais dire on nous merci svp stp bonjour bjr ah euh alors ici chez ds dans".split()
)


def commune_answer(text: str, matcher: CommuneMatcher) -> Match | None:
    """The commune a message names when it says nothing else ("non, c'est pour Bucquoy").

    Returns None as soon as any other word is present: "horaires de Bucquoy" is a question.
    """
    tokens = fold(text).split()
    rest = [t for t in tokens if t not in ANSWER_FILLERS]
    if not rest or len(rest) > 4:
        return None
    match = matcher.resolve_whole(" ".join(rest))
    if match.commune is None and not match.ambiguous:
        return None
    return match
