"""Finds which commune a resident means, whatever the spelling.

Residents write "vaulx", "achiet le gran", "Bucquoi", "BEHAGNIES" or "Avesnes les Bapaume": the NLU
entity (when there is one) and the raw message are both matched against every commune's names
and variants, accent-, case- and hyphen-insensitive, with a little tolerance for typos.

Places. « rue de Bapaume, chez nous à Favreuil »: a commune named after « rue de », « route d' »…
is a street when another commune is named; the resident lives in the other one. A commune outside
the territory (« Ervillers », « Arras », « Avesnes-le-Comte », « Bapaume-lès-Lille ») is reported as
outside (`Match.outside`), never replaced by a near spelling of one inside (« Grévillers »):
territoire/communes_voisines.csv lists the real communes around whose names look like ours.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path

from actions.territory.model import Commune, Territory
from actions.text import fold

NEIGHBOURS = Path(__file__).resolve().parents[2] / "territoire" / "communes_voisines.csv"
# « rue de Bapaume », « route d'Albert », « av. de Cambrai »: the name that follows is a street's.
STREET_WORDS = frozenset(
    "rue route rte chemin avenue av place pl boulevard bd impasse allee chaussee faubourg quai "
    "square sentier voie ruelle".split()
)
_OF = ("de", "d", "du", "des")
# « Bapaume-lès-Lille », « Achiet-le-Vieux »: our name joined to more words is another place.
CONNECTORS = frozenset("les lez le la sur sous en au aux saint sainte st ste".split())
# Capitalised words after a commune's name that make no other place (« Bapaume Le Samedi »).
_NOT_A_PLACE = frozenset(
    "lundi mardi mercredi jeudi vendredi samedi dimanche janvier fevrier mars avril mai juin "
    "juillet aout septembre octobre novembre decembre matin soir midi mairie svp stp".split()
)
_WORD = re.compile(r"[^\W_]+")

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
    outside: str = ""  # a commune outside the territory named instead (« Arras »)

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


def _fold(text: str) -> str:
    """fold() that also reads « œ » as « oe » (« Lesbœufs »)."""
    return fold(text.replace("œ", "oe").replace("Œ", "Oe"))


def neighbour_names(path: Path = NEIGHBOURS) -> list[str]:
    """Real communes around the territory (official spelling): residents from there are told so."""
    try:
        with path.open(encoding="utf-8") as handle:
            return [row["nom"].strip() for row in csv.DictReader(handle) if row.get("nom")]
    except OSError:
        return []


@lru_cache(maxsize=4096)
def _bigrams(text: str) -> frozenset[str]:
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


def _ratio(alias: str, window: str, floor: float) -> float:
    """SequenceMatcher's ratio, skipped (0) when its cheap upper bounds cannot beat `floor`.

    A near spelling (one or two typos) keeps most of the name's letter pairs: a window sharing
    fewer than half of them cannot reach FUZZY_RATIO, and is skipped before any matcher is built
    (scanning a message against ~400 names took 30 ms without this, under 5 ms with it).
    """
    limit = max(floor, FUZZY_RATIO - 0.01)
    pairs = _bigrams(alias)
    if len(pairs & _bigrams(window)) * 2 < len(pairs):
        return 0.0
    # The same bound as real_quick_ratio(), before building a matcher: most windows stop here.
    if 2 * min(len(alias), len(window)) <= limit * (len(alias) + len(window)):
        return 0.0
    matcher = SequenceMatcher(None, alias, window)
    if matcher.real_quick_ratio() <= limit or matcher.quick_ratio() <= limit:
        return 0.0
    return matcher.ratio()


@dataclass(frozen=True)
class _Word:
    token: str  # folded
    start: int  # characters in the original text
    end: int
    capital: bool  # written with a capital letter (« Lille »)
    joined: bool  # followed by a hyphen (« Bapaume-lès-… »)


def _words(text: str) -> list[_Word]:
    """The folded tokens of a message with where they stand in it, as fold(text).split()."""
    words = []
    for found in _WORD.finditer(text):
        raw = found.group()
        joined = text[found.end() : found.end() + 1] == "-"
        for token in _fold(raw).split():
            words.append(_Word(token, found.start(), found.end(), raw[:1].isupper(), joined))
    return words


@dataclass(frozen=True)
class _Span:
    """A name found in the message: one of ours (commune) or a neighbour's (outside)."""

    start: int
    end: int  # token positions, end excluded
    alias: str
    commune: Commune | None = None
    outside: str = ""


class CommuneMatcher:
    def __init__(self, territory: Territory, neighbours: Iterable[str] | None = None):
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
        names = neighbour_names() if neighbours is None else list(neighbours)
        self.outside: dict[str, str] = {}  # folded name -> official name
        for name in names:
            folded = _fold(name)
            if folded and folded not in self.by_alias:
                self.outside.setdefault(folded, name)
                self.outside.setdefault(folded.replace(" les ", " lez "), name)
                self.outside.setdefault(folded.replace(" ", ""), name)
        self.outside_words = {w for name in self.outside for w in name.split() if len(w) > 3}

    # --- exact names in a message -------------------------------------------------------------

    def _spans(self, tokens: list[str]) -> list[_Span]:
        """Every name of ours or of a neighbour written in full; the longest wins where they
        overlap (« Avesnes-lès-Bapaume » over « Bapaume », « Avesnes-le-Comte » over « Avesnes »).
        """
        found: list[_Span] = []
        names = [(a, c, "") for a, c in self.aliases] + [
            (a, None, n) for a, n in self.outside.items()
        ]
        for alias, commune, outside in names:
            size = len(alias.split())
            words = alias.split()
            for start in range(len(tokens) - size + 1):
                if tokens[start : start + size] == words:
                    found.append(_Span(start, start + size, alias, commune, outside))
        found.sort(key=lambda s: (-len(s.alias), s.start))
        chosen: list[_Span] = []
        for span in found:
            if all(span.end <= c.start or span.start >= c.end for c in chosen):
                chosen.append(span)
        return sorted(chosen, key=lambda s: s.start)

    @staticmethod
    def _street(tokens: list[str], span: _Span) -> bool:
        """« rue de Bapaume », « route d'Albert », « place Bapaume »."""
        before = tokens[max(0, span.start - 2) : span.start]
        if before and before[-1] in STREET_WORDS:
            return True
        return len(before) == 2 and before[1] in _OF and before[0] in STREET_WORDS

    def _lookalike(self, text: str, words: list[_Word], span: _Span) -> str:
        """« Bapaume-lès-Lille », « Bapaume les Arras »: our name made into another commune's."""
        after = span.end
        if after + 1 >= len(words) or words[after].token not in CONNECTORS:
            return ""
        nxt = words[after + 1]
        if not nxt.token.isalpha() or nxt.token in _NOT_A_PLACE:
            return ""
        hyphenated = words[after - 1].joined and words[after].joined
        if not (hyphenated or nxt.capital or nxt.token in self.outside_words):
            return ""
        other = text[words[span.start].start : nxt.end]
        folded = _fold(other)
        if any(SequenceMatcher(None, a, folded).ratio() >= FUZZY_RATIO for a, _ in self.aliases):
            return ""  # « Douchy-les-Ayettes »: ours, misspelt
        return other

    def _places(self, text: str) -> tuple[list[_Word], list[_Span]]:
        """Names in the message, without the streets when another place is named."""
        words = _words(text)
        tokens = [w.token for w in words]
        spans = []
        for span in self._spans(tokens):
            other = self._lookalike(text, words, span) if span.commune else ""
            spans.append(_Span(span.start, span.end, span.alias, None, other) if other else span)
        homes = [s for s in spans if not self._street(tokens, s)]
        return words, (homes or spans)

    def only_street(self, text: str, commune: Commune) -> bool:
        """The commune is named only as a street (« rue de Bapaume ») next to another place."""
        words = _words(text)
        tokens = [w.token for w in words]
        spans = self._spans(tokens)
        named = [s for s in spans if s.commune is not None and s.commune.insee == commune.insee]
        others = [s for s in spans if s not in named and not self._street(tokens, s)]
        return bool(named) and bool(others) and all(self._street(tokens, s) for s in named)

    def _outside_fuzzy(self, text: str) -> tuple[float, str, str]:
        """Best near spelling of a neighbour's name: (ratio, official name, words matched)."""
        tokens = _fold(text).split()
        best: tuple[float, str, str] = (0.0, "", "")
        for alias, name in self.outside.items():
            if len(alias) < MIN_FUZZY_LENGTH:
                continue
            size = len(alias.split())
            for start in range(len(tokens)):
                for width in {size, size + 1, max(1, size - 1)}:
                    window = " ".join(tokens[start : start + width])
                    if len(window) < MIN_FUZZY_LENGTH - 1:
                        continue
                    ratio = _ratio(alias, window, best[0])
                    if ratio > best[0]:
                        best = (ratio, name, window)
        return best

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
        return Match(None, mention=mention, outside=found.outside)

    def resolve_whole(self, text: str) -> Match:
        """The whole text is one commune name (give or take a typo), or an ambiguous prefix."""
        folded = fold(text)
        if not folded:
            return Match(None)
        if folded in self.by_alias:
            return Match(self.by_alias[folded], mention=text)
        if _fold(text) in self.outside:
            return Match(None, mention=text, outside=self.outside[_fold(text)])
        best: tuple[float, Commune | None] = (0.0, None)
        for alias, commune in self.aliases:
            if len(alias) >= MIN_FUZZY_LENGTH:
                ratio = SequenceMatcher(None, alias, folded).ratio()
                if ratio > best[0]:
                    best = (ratio, commune)
        neighbour = max(
            ((SequenceMatcher(None, a, folded).ratio(), n) for a, n in self.outside.items()),
            default=(0.0, ""),
        )
        if neighbour[0] >= FUZZY_RATIO and neighbour[0] > best[0]:
            return Match(None, mention=text, outside=neighbour[1])
        if best[1] is not None and best[0] >= FUZZY_RATIO:
            return Match(best[1], mention=text)
        if folded in self.shared_prefixes:
            return Match(None, self.shared_prefixes[folded], mention=text)
        return Match(None)

    def find_in_text(self, text: str) -> Match:
        """Scans a whole message; the longest name wins ("Avesnes-lès-Bapaume" over "Bapaume").

        A street named after a commune does not count when another place is named; a commune
        outside the territory, written in full or nearly, is reported in `outside`.
        """
        words, places = self._places(text)
        tokens = [w.token for w in words]
        if not tokens:
            return Match(None)
        ours = [s for s in places if s.commune is not None]
        if ours:
            best = max(ours, key=lambda s: len(s.alias))
            return Match(best.commune, mention=best.alias)
        if places:
            first = places[0]
            mention = text[words[first.start].start : words[first.end - 1].end]
            return Match(None, mention=mention, outside=first.outside)
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
                    ratio = _ratio(alias, window, best[0])
                    if ratio > best[0]:
                        best = (ratio, commune, window)
        neighbour = self._outside_fuzzy(text)
        if neighbour[0] >= FUZZY_RATIO and neighbour[0] > best[0]:
            return Match(None, mention=neighbour[2], outside=neighbour[1])
        if best[1] is not None and best[0] >= FUZZY_RATIO:
            return Match(best[1], mention=best[2])
        for i, word in enumerate(tokens):
            if word in self.shared_prefixes:
                prefix = _Span(i, i + 1, word)
                other = self._lookalike(text, words, prefix)  # « Achiet-le-Vieux »
                if other:
                    return Match(None, mention=other, outside=other)
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
    "j'habite Ervillers" is an answer too, naming a commune outside the territory (`outside`).
    """
    tokens = fold(text).split()
    rest = [t for t in tokens if t not in ANSWER_FILLERS]
    if not rest or len(rest) > 4:
        return None
    match = matcher.resolve_whole(" ".join(rest))
    if match.commune is None and not match.ambiguous and not match.outside:
        return None
    return match
