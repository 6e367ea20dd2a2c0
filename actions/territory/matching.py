"""Finds which commune a resident means, whatever the spelling.

Residents write "vaulx", "achiet le gran", "Bucquoi", "BEHAGNIES" or "Avesnes les Bapaume": the NLU
entity (when there is one) and the raw message are both matched against every commune's names
and variants, accent-, case- and hyphen-insensitive, with a little tolerance for typos.

Places. « rue de Bapaume, chez nous à Favreuil »: a commune named after « rue de », « route d' »…
is a street when another commune is named; the resident lives in the other one. A commune outside
the territory (« Ervillers », « Arras », « Avesnes-le-Comte », « Bapaume-lès-Lille ») is reported as
outside (`Match.outside`), never replaced by a near spelling of one inside (« Grévillers »):
territoire/communes_voisines.csv lists the real communes around whose names look like ours.

Whose place. « je suis sur le site de Bucquoy mais moi j'habite à Vaulx »: where the resident lives
(« j'habite à », « jhabite », « moi c'est », « on vient d'emménager à ») wins over every other
commune named (`Match.home`). Someone else's town (« elle habite à Lille », « ma fille habite à
Arras ») and where the resident comes from (« on arrive de Lille », « je viens de Lens ») are not
the resident's commune: they are neither answered for nor reported as outside. A word after
« j'habite à » that is no known name (« jhabite Montreuil ») is reported as outside too.

Common words. « personne » is one letter away from Péronne, « moral » from Morval: the fuzzy matcher
never reads a word of COMMON_WORDS as a commune (tests/test_places_frequent_words.py checks the most
frequent French words against every name the matcher knows).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path

from actions.territory.loader import territory
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
_ARTICLES = ("les", "le", "la")

# Frequent French words (folded) within FUZZY_RATIO of a name the matcher knows, inside or outside
# the territory: « je suis une personne âgée » is not about Péronne, « j'ai pas le moral » not about
# Morval. A window made of these words is never fuzzy-matched, and an outside name that is itself
# one of them (« aménager les combles ») counts only with a capital or after « à », « de »…
# tests/test_places_frequent_words.py names any frequent word to add when a name is added.
COMMON_WORDS = frozenset(
    "abeille abeilles ancienne anciennes belle belles comble combles combler comblee comblees "
    "merveille merveilles moral personne personnes persone persones personnel personnels "
    "personnelle personnelles quant reveiller amies miens".split()
)

# --- whose place: the resident's home, or someone else's town ---------------------------------
# Words between « j'habite » and the name: « j'habite seule au Transloy », « on habite ensemble à
# Beaulencourt », « j'habite sur la commune de Bucquoy ».
_LINK_WORDS = (
    "a au aux en sur dans le la les l seul seule seuls seules ensemble maintenant mtn mnt "
    "actuellement desormais toujours tjrs tjs aussi bien tous toutes toute tout deux juste donc "
    "plutot vraiment ici"
)
_LINK_SET = frozenset(_LINK_WORDS.split())
_LINKS = (
    rf"(?:\s+(?:{'|'.join(_LINK_WORDS.split())}"
    r"|(?:commune|ville|village|centre|coeur|bourg)\s+(?:de|d|du))){0,5}"
)
_FIRST = r"(?:j|je|on|moi|nous|ns)"
_LIVE = r"(?:habite|habites|habitons|vis|vivons|reside|residons|demeure|demeurons|loge|logeons)"
# Glued SMS spellings: « jhabite », « jsuis de », « chui de ».
_GLUED = r"(?:jhabite|jhabites|jhabit|jabite|jabites|jvis|jreside|jdemeure)"
# The resident's own home: the verb (or its SMS spelling) that takes an unknown word as a place.
_HOME_VERB = (
    rf"(?:(?:^|\s){_FIRST}\s+{_LIVE}|(?:^|\s)on\s+vit|^{_LIVE}|(?:^|\s){_GLUED}"
    r"|(?:^|\s)(?:(?:j|je|moi|nous|ns|on)\s+(?:suis|sommes|somme|est)|jsuis|jsui|chui|chuis)"
    r"\s+(?:de|d|du)"
    r"|(?:^|\s)habitante?s?\s+(?:de|d|du|a)"
    # Moving in, always with « à »: « on vient d'emménager à », not « on a emménagé la semaine ».
    r"|(?:^|\s)(?:emm?enag\w*|demenag\w*|install(?:e|es|ee|ees|er|ons|ez)"
    r"|(?:vien[st]|venons|viennent)\s+d\s+amm?enag\w*)\s+(?:a|au|aux|sur|dans|en|vers))"
)
# Cues that say the resident lives at a known name, not a way to name an unknown one: « moi c'est
# Vaulx » (« moi c'est Marie » is a first name), « chez nous à Favreuil ».
_HOME_KNOWN = r"(?:(?:^|\s)(?:moi|nous|perso)\s+c\s*est|(?:^|\s)chez\s+(?:moi|nous))"
_HOME = re.compile(rf"(?:{_HOME_VERB}|{_HOME_KNOWN}){_LINKS}$")
_HOME_UNKNOWN = re.compile(rf"{_HOME_VERB}{_LINKS}$")
# Someone else's town (« elle habite à », « ma fille habite », « qui vit à »), a past or denied one
# (« j'habitais à », « je n'habite plus à », « l'ancienne adresse de »), or where the resident comes
# from (« on arrive de »).
_ELSEWHERE = re.compile(
    r"(?:(?:^|\s)(?!(?:j|je|on|moi|nous|ns)\s)[a-z]+\s+"
    r"(?:habite|habites|habitent|vit|vivent|reside|resident|demeure|demeurent|loge|logent)"
    r"(?:\s+(?:pas|plus|jamais))?"
    r"|(?:^|\s)(?:habitai[st]|habitait|habitions|habitaient|vivai[st]|vivions|vivaient)"
    r"|(?:^|\s)(?:arriv\w*|vien[st]?|viennent|venons|venez|venue?s?|reviens|revient|revenons"
    r"|reviennent|rentr\w*|originaires?|provenance|demenag\w*)\s+(?:de|d|du|des)"
    r"|(?:^|\s)quitt\w*"
    # The address still on a title (« ma carte a encore l'adresse d'Amiens »), a former one.
    r"|(?:^|\s)(?:encore|ancienne|vieille|toujours|tjrs|tjs|ex)\s+(?:l\s+)?adresse(?:\s+(?:de|d|du|a))?)"
    rf"{_LINKS}$"
)
_CLAUSE_BREAK = re.compile(r"[.,;:!?()\n]")
HOME, ELSEWHERE = "home", "elsewhere"
# Words after « j'habite (à) » or « je suis de » that are no place: « j'habite seule », « à côté »,
# « en face », « je suis de passage », « je suis d'accord ».
_NOT_A_HOME = frozenset(
    "un une des du de d mon ma mes ton ta tes son sa ses notre nos votre vos leur leurs ce cet "
    "cette ces quel quelle qui que quoi ou dont et mais car ni si comme quand il elle ils elles "
    "y pas plus jamais encore depuis avec chez pres loin proche cote proximite face centre "
    "bourg calme bout fond bord dessus dessous etage rez rdc angle sortie entree campagne ville "
    "village commune quartier coin secteur region departement environs alentours rue route "
    "chemin avenue impasse allee residence lotissement cite hameau ferme maison appartement "
    "appart immeuble batiment hlm logement location colocation etranger france meme limite "
    "frontiere peripherie exterieur interieur sud nord est ouest haut bas pleine plein zone "
    "passage retour garde permanence repos service nationalite origine accord avis astreinte "
    "humeur bonne mauvaise nouveau nouvelle ailleurs ceux celles celui celle facon mal mieux "
    "pareil autre autres gauche droite premier premiere deuxieme second seconde dernier "
    "derniere rien personne part partout dedans dehors gare eglise ecole poste plage montagne "
    "mer foret bois champs pavillon caserne camping ehpad foyer chateau moulin pont parc stade "
    "lycee college cimetiere carrefour rond studio caravane deux trois quatre cinq six sept huit "
    "neuf dix quinze vingt trente cent mille km kilometres minutes min metres".split()
)


@dataclass(frozen=True)
class Match:
    """Result of a lookup: one commune, several candidates, or nothing."""

    commune: Commune | None
    candidates: tuple[Commune, ...] = ()
    mention: str = ""
    outside: str = ""  # a commune outside the territory named instead (« Arras »)
    home: bool = False  # named as where the resident lives (« j'habite à Vaulx »)
    # One of ours named only as someone else's town (« mon père vit à Bancourt »): not the
    # resident's commune, used only when no other commune is known.
    elsewhere: Commune | None = None

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
    # The same bound as real_quick_ratio(), before building a matcher: most windows stop here.
    if 2 * min(len(alias), len(window)) <= limit * (len(alias) + len(window)):
        return 0.0
    pairs = _bigrams(alias)
    if len(pairs & _bigrams(window)) * 2 < len(pairs):
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
    role: str = ""  # HOME, ELSEWHERE or "" (just named)


# Before an outside name that is also a common word (« Combles »), the words that make it a place.
_PLACE_BEFORE = frozenset("a au aux de d du sur vers pour en mairie commune ville village".split())
# Words looked at before a name to tell whose place it is: the cues are a few words long.
_ROLE_WINDOW = 12


def _before(text: str, words: list[_Word], index: int) -> str:
    """The folded words just before words[index], in the same clause (« jhabite achicourt, c est
    quand » : « c est quand » only), a few at most.
    """
    start = max(0, index - _ROLE_WINDOW)
    for i in range(index - 1, start - 1, -1):
        if _CLAUSE_BREAK.search(text[words[i].end : words[i + 1].start]):
            start = i + 1
            break
    return " ".join(w.token for w in words[start:index])


def _role(text: str, words: list[_Word], index: int) -> str:
    """HOME, ELSEWHERE or "": whose place the name starting at words[index] is, from the words
    just before it in the same clause (« moi j'habite à » / « elle habite à », « on arrive de »).
    """
    before = _before(text, words, index)
    if not before:
        return ""
    if _HOME.search(before):
        return HOME
    if _ELSEWHERE.search(before):
        return ELSEWHERE
    return ""


def _may_be_a_place(word: str) -> bool:
    """A word after « j'habite à » that can be a commune's name we do not know (« Montreuil »)."""
    return (
        len(word) >= 3
        and word.isalpha()
        and word not in _NOT_A_HOME
        and word not in _LINK_SET
        and word not in COMMON_WORDS
        and word not in STREET_WORDS
        and word not in _NOT_A_PLACE
        and word not in ANSWER_FILLERS
    )


# A name the fuzzy matcher compares: (folded alias, our commune or None, outside official name,
# number of words, the alias without its article or "" when it has none).
_FuzzyName = tuple[str, Commune | None, str, int, str]


def _fuzzy_names(names: Iterable[tuple[str, Commune | None, str]]) -> list[_FuzzyName]:
    """The names long enough to be recognised with a typo, in the order given.

    The article does not count: « le sars » (or « lesars ») is « sars », too short, and « le gars »,
    « le bars », « le mars » are one letter away from it.
    """
    names = list(names)
    known = {alias for alias, _, _ in names}
    kept = []
    for alias, commune, outside in names:
        words = alias.split()
        content = " ".join(words[1:]) if words[0] in _ARTICLES else alias
        for article in _ARTICLES:  # « lesars »: « le » glued to another name of the list
            if content == alias and alias.startswith(article) and alias[len(article) :] in known:
                content = alias[len(article) :]
        if len(content) >= MIN_FUZZY_LENGTH:
            bare = content if words[0] in _ARTICLES else ""
            kept.append((alias, commune, outside, len(words), bare))
    return kept


# How a name sounds, for residents who write it as they hear it (« bapomme », « bucoy »): the
# spellings of one sound made one, then doubled letters made single. Exact equality only.
_SOUNDS = (
    ("eau", "o"), ("au", "o"), ("ph", "f"), ("qu", "k"), ("ck", "k"), ("q", "k"), ("y", "i"),
)  # fmt: skip
_HARD_C = re.compile(r"c(?=[aou])")
_SILENT_H = re.compile(r"(?<![cspt])h")
_DOUBLED = re.compile(r"(\w)\1+")


@lru_cache(maxsize=8192)
def sound(text: str) -> str:
    for spelling, spoken in _SOUNDS:
        text = text.replace(spelling, spoken)
    return _DOUBLED.sub(r"\1", _SILENT_H.sub("", _HARD_C.sub("k", text)))


def _near(alias: str, alias_bare: str, window: str, bare: str, floor: float) -> float:
    """_ratio() of a name and a window, the article set aside when the window has one.

    « le trans » and « Le Transloy »: the article says nothing of the name, only « trans » and
    « transloy » are compared; « la miens » is no near spelling of Amiens, which has no article.
    """
    if not bare:
        return _ratio(alias, window, floor)
    return _ratio(alias_bare, bare, floor) if alias_bare else 0.0


_SoundKey = tuple[bool, str]  # (written with an article, how the rest sounds)


def _sound_index(names: list[_FuzzyName]) -> dict[_SoundKey, tuple[Commune | None, str]]:
    """How each name sounds -> the name: one look-up per window, not one per name."""
    index: dict[_SoundKey, tuple[Commune | None, str]] = {}
    for alias, commune, outside, _, alias_bare in names:
        index.setdefault((bool(alias_bare), sound(alias_bare or alias)), (commune, outside))
    return index


def _sounds_like(
    index: dict[_SoundKey, tuple[Commune | None, str]], window: str, bare: str
) -> tuple[Commune | None, str] | None:
    """The name a window sounds exactly like (« bapomme » : Bapaume), else None."""
    return index.get((bool(bare), sound(bare or window)))


FOUND_CACHE = 4096  # messages whose commune look-up is kept


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
        self._fuzzy_ours = _fuzzy_names((a, c, "") for a, c in self.aliases)
        self._fuzzy_outside = _fuzzy_names((a, None, n) for a, n in self.outside.items())
        self._sounds_ours = _sound_index(self._fuzzy_ours)
        self._sounds_outside = _sound_index(self._fuzzy_outside)
        # The look-back (actions/commune.py) reads the same earlier messages at every turn: the
        # fuzzy scan of one message (~2 ms) is done once. Match is frozen, so sharing is safe.
        self._found: dict[str, Match] = {}

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

    def _places(self, text: str) -> tuple[list[_Word], list[_Span], list[_Span]]:
        """Names in the message with whose place they are, without the streets when another
        place is named; apart, someone else's towns (« elle habite à Lille », « on arrive de
        Lille »).
        """
        words = _words(text)
        tokens = [w.token for w in words]
        spans, elsewhere = [], []
        for span in self._spans(tokens):
            other = self._lookalike(text, words, span) if span.commune else ""
            if other:
                span = _Span(span.start, span.end, span.alias, None, other)
            span = replace(span, role=_role(text, words, span.start))
            if span.role == ELSEWHERE:
                elsewhere.append(span)
            elif span.commune is not None or self._placed(text, words, span):
                spans.append(span)  # not « aménager les combles »: the word, not Combles
        homes = [s for s in spans if not self._street(tokens, s)]
        return words, (homes or spans), elsewhere

    @staticmethod
    def _placed(text: str, words: list[_Word], span: _Span) -> bool:
        """An outside name that is also a common word (« combles ») is a place only when written
        with a capital, after « à », « de », « mairie »…, as where one lives, or alone.
        """
        if span.alias not in COMMON_WORDS:
            return True
        first = words[span.start]
        before = words[span.start - 1].token if span.start else ""
        alone = len(words) == span.end - span.start
        return first.capital or before in _PLACE_BEFORE or span.role == HOME or alone

    def role_at(self, text: str, char_start: int) -> str:
        """Whose place the name starting at this character is (an NLU entity's `start`)."""
        words = _words(text)
        for index, word in enumerate(words):
            if word.end > char_start:
                return _role(text, words, index)
        return ""

    def speaks_of_elsewhere(self, text: str) -> bool:
        """The message names someone else's town or where the resident comes from."""
        words = _words(text)
        return any(_role(text, words, i) == ELSEWHERE for i in range(len(words)))

    def only_street(self, text: str, commune: Commune) -> bool:
        """The commune is named only as a street (« rue de Bapaume ») next to another place."""
        words = _words(text)
        tokens = [w.token for w in words]
        spans = self._spans(tokens)
        named = [s for s in spans if s.commune is not None and s.commune.insee == commune.insee]
        others = [s for s in spans if s not in named and not self._street(tokens, s)]
        return bool(named) and bool(others) and all(self._street(tokens, s) for s in named)

    @staticmethod
    def _fuzzy(
        tokens: list[str],
        starts: set[int],
        names: list[_FuzzyName],
        sounds: dict[_SoundKey, tuple[Commune | None, str]],
    ) -> tuple[float, Commune | None, str, str]:
        """Best near spelling among `names` in windows starting at `starts`; without one, a
        window that sounds exactly like a name counts as a near spelling (FUZZY_RATIO): « la
        mairie de bapomme » is Bapaume (0.71 letter by letter).

        Returns (ratio, commune, outside name, words matched). A window made only of common words
        (« personne », « moral ») is never a near spelling of a name.
        """
        # width -> (window, the window without its article or "" when it has none)
        windows: dict[int, list[tuple[str, str]]] = {}

        def of_width(width: int) -> list[tuple[str, str]]:
            if width not in windows:
                found = []
                for start in sorted(starts):
                    window = tokens[start : start + width]
                    joined = " ".join(window)
                    if len(joined) >= MIN_FUZZY_LENGTH - 1 and not all(
                        t in COMMON_WORDS for t in window
                    ):
                        bare = " ".join(window[1:]) if window[0] in _ARTICLES else ""
                        found.append((joined, bare))
                windows[width] = found
            return windows[width]

        best: tuple[float, Commune | None, str, str] = (0.0, None, "", "")
        for alias, commune, outside, size, alias_bare in names:
            for width in {size, size + 1, max(1, size - 1)}:
                for joined, bare in of_width(width):
                    ratio = _near(alias, alias_bare, joined, bare, best[0])
                    if ratio > best[0]:
                        best = (ratio, commune, outside, joined)
        if best[0] < FUZZY_RATIO:
            for width in sorted(windows, reverse=True):  # the longest name first
                for joined, bare in windows[width]:
                    heard = _sounds_like(sounds, joined, bare)
                    if heard is not None:
                        return (FUZZY_RATIO, heard[0], heard[1], joined)
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
        words = folded.split()
        if all(t in COMMON_WORDS for t in words):
            return Match(None)  # « personne » is not Péronne
        bare = " ".join(words[1:]) if words[0] in _ARTICLES else ""
        best: tuple[float, Commune | None] = (0.0, None)
        for alias, commune, _, _, alias_bare in self._fuzzy_ours:
            ratio = _near(alias, alias_bare, folded, bare, best[0])
            if ratio > best[0]:
                best = (ratio, commune)
        # Short names (« Pys », « Lens », « Ytres ») are too close to plain words (« pays »,
        # « les », « très ») to be recognised with a typo, as in find_in_text.
        neighbour = max(
            (
                (_near(a, a_bare, folded, bare, 0.0), n)
                for a, _, n, _, a_bare in self._fuzzy_outside
            ),
            default=(0.0, ""),
        )
        if best[0] < FUZZY_RATIO and neighbour[0] < FUZZY_RATIO:
            heard = _sounds_like(self._sounds_ours, folded, bare)  # « bapomme »
            if heard is not None:
                best = (FUZZY_RATIO, heard[0])
        if neighbour[0] >= FUZZY_RATIO and neighbour[0] > best[0]:
            return Match(None, mention=text, outside=neighbour[1])
        if best[1] is not None and best[0] >= FUZZY_RATIO:
            return Match(best[1], mention=text)
        if folded in self.shared_prefixes:
            return Match(None, self.shared_prefixes[folded], mention=text)
        return Match(None)

    def find_in_text(self, text: str) -> Match:
        """Scans a whole message; the longest name wins ("Avesnes-lès-Bapaume" over "Bapaume").

        Where the resident lives (« moi j'habite à Vaulx ») wins over any other commune named. A
        street named after a commune does not count when another place is named; a commune
        outside the territory, written in full or nearly, is reported in `outside`; someone
        else's town (« elle habite à Lille ») is not reported at all, one of ours only in
        `elsewhere`.
        """
        cached = self._found.get(text)
        if cached is not None:
            return cached
        words, places, elsewhere = self._places(text)
        found = self._find(text, words, places)
        if found.commune is None and not found.ambiguous:
            theirs = next((s.commune for s in elsewhere if s.commune is not None), None)
            found = replace(found, elsewhere=theirs)
        if len(self._found) >= FOUND_CACHE:
            self._found.clear()  # bounded: a day of messages, then start again
        self._found[text] = found
        return found

    def _find(self, text: str, words: list[_Word], places: list[_Span]) -> Match:
        """find_in_text() without someone else's town."""
        tokens = [w.token for w in words]
        if not tokens:
            return Match(None)
        homes = [s for s in places if s.role == HOME and s.commune is not None]
        if homes:  # « je suis sur le site de Bucquoy mais moi j'habite à Vaulx »
            return Match(homes[-1].commune, mention=homes[-1].alias, home=True)
        ours = [s for s in places if s.commune is not None]
        if ours:
            best = max(ours, key=lambda s: len(s.alias))
            return Match(best.commune, mention=best.alias)
        if places:
            first = next((s for s in places if s.role == HOME), places[0])
            mention = text[words[first.start].start : words[first.end - 1].end]
            return Match(None, mention=mention, outside=first.outside, home=first.role == HOME)
        roles = [_role(text, words, i) for i in range(len(words))]
        home_starts = {i for i, r in enumerate(roles) if r == HOME}
        starts = {i for i, r in enumerate(roles) if r != ELSEWHERE}
        # A near spelling where the resident says they live first, then anywhere else.
        for group in (home_starts, starts):
            if not group:
                continue
            best = self._fuzzy(tokens, group, self._fuzzy_ours, self._sounds_ours)
            neighbour = self._fuzzy(tokens, group, self._fuzzy_outside, self._sounds_outside)
            home = group is home_starts
            if neighbour[0] >= FUZZY_RATIO and neighbour[0] > best[0]:
                return Match(None, mention=neighbour[3], outside=neighbour[2], home=home)
            if best[1] is not None and best[0] >= FUZZY_RATIO:
                return Match(best[1], mention=best[3], home=home)
        for i, word in enumerate(tokens):
            if word in self.shared_prefixes and roles[i] != ELSEWHERE:
                prefix = _Span(i, i + 1, word)
                other = self._lookalike(text, words, prefix)  # « Achiet-le-Vieux »
                if other:
                    return Match(None, mention=other, outside=other)
                return Match(None, self.shared_prefixes[word], mention=word)
        return self._unknown_home(text, words)

    @staticmethod
    def _unknown_home(text: str, words: list[_Word]) -> Match:
        """« jhabite Montreuil », « je suis de Hesdin »: a word where the resident says they live
        that is none of the names we know is a commune outside the territory all the same.
        """
        for index, word in enumerate(words):
            if not _may_be_a_place(word.token):
                continue
            # « moi c'est Marie », « chez nous »: a first name, a word, no unknown commune.
            if _role(text, words, index) != HOME or not _HOME_UNKNOWN.search(
                _before(text, words, index)
            ):
                continue
            end = index
            while words[end].joined and end + 1 < len(words):  # « Saint-Laurent-Blangy »
                end += 1
            mention = text[word.start : words[end].end]
            return Match(None, mention=mention, outside=mention, home=True)
        return Match(None)


# Words around a commune name in an answer to "Dans quelle commune habitez-vous ?", with their
# glued SMS spellings (« jhabite bucquoy », « jsuis de vaulx »).
ANSWER_FILLERS = frozenset(
    "a au aux c ca ce cest commune de des du d en est et fait habite habites habitons j je la le "
    "les ma mais moi mon non nan oui ouais pardon plutot pour pr sur suis sommes vis ville "
    "village voulais dire on nous merci svp stp bonjour bjr ah euh alors ici chez ds dans "
    "jhabite jhabites jabite jsuis jsui chui chuis jvis".split()
)


def commune_answer(text: str, matcher: CommuneMatcher) -> Match | None:
    """The commune a message names when it says nothing else ("non, c'est pour Bucquoy").

    Returns None as soon as any other word is present: "horaires de Bucquoy" is a question.
    "j'habite Ervillers" is an answer too, naming a commune outside the territory (`outside`), and
    so is « jhabite Montreuil », a name we do not know where the resident says they live. « elle
    habite à Bapaume » is not: it tells someone else's town, not the resident's commune.
    """
    tokens = fold(text).split()
    rest = [t for t in tokens if t not in ANSWER_FILLERS]
    if not rest or len(rest) > 4 or matcher.speaks_of_elsewhere(text):
        return None
    match = matcher.resolve_whole(" ".join(rest))
    if match.commune is None and not match.ambiguous and not match.outside:
        found = matcher.find_in_text(text)
        if found.home and found.outside and fold(found.mention) == " ".join(rest):
            return found
        return None
    return match


@lru_cache(maxsize=1)
def territory_matcher() -> CommuneMatcher:
    """The matcher of the configured territory, built once per process (it indexes every name)."""
    return CommuneMatcher(territory())
