"""Understands a resident's request for a document, in plain or SMS French.

"le compte rendu du dernier conseil municipal de Bucquoy", "calendrier poubelle 2026", "le menu de
la cantine cette semaine stp": the message is folded (no accents, no case), then the document types,
the period and the commune are recognised and removed; what is left is matched full-text.

Menus and collection calendars cover a period: they are chosen by the date asked (today by
default), so that a resident never gets last month's menu when this week's is online.
`find_documents` says when nothing covers that date and then offers the nearest ones.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from actions.documents import french
from actions.documents.model import Audience, Document, DocumentStore, SearchQuery
from actions.territory.loader import territory
from actions.territory.matching import CommuneMatcher
from actions.text import fold

# Types whose documents cover a period that the resident means as "the current one".
DATED_TYPES = frozenset({"menu_cantine", "calendrier_collecte"})
# Types usually asked about ahead of time: "le 14 juillet" is the next one, not the last one.
UPCOMING_TYPES = frozenset({"menu_cantine", "calendrier_collecte", "convocation"})

# Words naming the kind of document: always a type, always removed from the free text.
_STRONG: dict[str, tuple[str, ...]] = {
    "compte_rendu": (
        "compte rendu", "comptes rendus", "compte rendus", "cr", "pv", "proces verbal",
        "proces verbaux", "compte rendu du conseil", "comptes rendus du conseil",
        "liste des deliberations", "listes des deliberations",
    ),
    "arrete": ("arrete", "arretes", "arrete municipal", "arretes municipaux", "arrete du maire"),
    "formulaire": (
        "formulaire", "formulaires", "imprime", "imprimes", "dossier", "cerfa", "fiche",
        "inscription", "demande de", "demande d",
    ),
    "menu_cantine": ("menu", "menus"),
    "calendrier_collecte": ("calendrier", "calendriers", "planning"),
    "bulletin": (
        "bulletin", "bulletins", "journal", "magazine", "gazette", "bulletin municipal",
        "journal municipal", "bulletin communal", "journal communal", "journal de la commune",
    ),
    "reglement": ("reglement", "reglements", "reglement interieur"),
    "urbanisme": ("plu", "plan local d urbanisme", "plan local urbanisme", "cadastre"),
    "convocation": ("convocation", "convocations", "ordre du jour"),
    "deliberation": ("deliberation", "deliberations", "note de synthese", "notes de synthese"),
}  # fmt: skip
# Topic words: a type only when no document kind was named ("inscription cantine" is a form).
_WEAK: dict[str, tuple[str, ...]] = {
    "compte_rendu": ("conseil municipal", "conseil", "seance", "reunion du conseil"),
    "menu_cantine": (
        "cantine", "cantines", "repas", "restauration scolaire", "dejeuner", "manger", "mange",
        "mangent", "midi",
    ),
    "calendrier_collecte": (
        "poubelle", "poubelles", "collecte", "collectes", "ramassage", "ordures",
        "ordures menageres", "tri selectif", "bac jaune", "sacs jaunes", "encombrants", "dechets",
    ),
    "urbanisme": ("urbanisme", "permis de construire", "zonage", "constructible"),
}  # fmt: skip

MONTHS = {
    "janvier": 1, "janv": 1, "fevrier": 2, "fev": 2, "fevr": 2, "mars": 3, "avril": 4, "avr": 4,
    "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9, "sept": 9,
    "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "decembre": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS = {
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
}  # fmt: skip
_LATEST = ("le plus recent", "la plus recente", "plus recent", "plus recente", "plus recents",
           "dernier", "derniere", "derniers", "dernieres", "nouveau", "nouvelle")  # fmt: skip
# Words that only frame the question once types and period are known.
_FILLER = frozenset(
    "actuel actuelle actuels en cours vigueur semaine mois annee an jour jours prochain prochaine "
    "ci le la les de du des ce cette est quoi quel quels quelle quelles sera seront ya y a "
    "municipal municipale municipaux communal communale commune passe passent passer "
    "celui celle ceux celles et svp".split()
)


@dataclass(frozen=True)
class DocumentRequest:
    """What the resident asked for; turn it into a SearchQuery with `query()`."""

    doc_types: tuple[str, ...] = ()
    text: str = ""  # free words left for full-text search
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    latest: bool = False  # "le dernier", "le plus récent": newest first
    day: dt.date | None = None  # one precise day asked ("demain", "le 14 juillet")
    commune_insee: str | None = None  # commune named in the message, if any
    explicit_period: bool = False  # the resident gave the period (else today, for dated types)

    def query(
        self,
        commune_insee: str | None = None,
        audiences: tuple[Audience, ...] = ("public",),
        limit: int = 5,
    ) -> SearchQuery:
        """The search to run. `commune_insee` (the conversation's commune, or an élu's own)
        takes precedence over the commune named in the message: the caller decides."""
        return SearchQuery(
            text=self.text,
            commune_insee=commune_insee or self.commune_insee,
            doc_types=self.doc_types,
            date_from=self.date_from,
            date_to=self.date_to,
            audiences=audiences,
            limit=limit,
        )


@dataclass
class DocumentAnswer:
    """Documents to offer; `covers_date` is False when none covers the period asked (dated
    types) and the documents are the nearest ones instead."""

    documents: list[Document] = field(default_factory=list)
    covers_date: bool = True


# --- period ------------------------------------------------------------------------------------


def _week(day: dt.date) -> tuple[dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def _month(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _year_range(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _add_months(day: dt.date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def _find(tokens: list[str], used: set[int], phrase: str) -> int:
    """Index where the phrase starts among unused tokens, or -1."""
    words = phrase.split()
    for start in range(len(tokens) - len(words) + 1):
        span = range(start, start + len(words))
        if all(tokens[i] == w and i not in used for i, w in zip(span, words, strict=False)):
            return start
    return -1


def _take(tokens: list[str], used: set[int], phrase: str) -> bool:
    start = _find(tokens, used, phrase)
    if start < 0:
        return False
    used.update(range(start, start + len(phrase.split())))
    return True


def _day_number(token: str) -> int | None:
    token = "1" if token == "premier" else token.removesuffix("er")
    return int(token) if token.isdigit() and 1 <= int(token) <= 31 else None


def _year(token: str) -> int | None:
    return (
        int(token) if token.isdigit() and len(token) == 4 and 2000 <= int(token) <= 2099 else None
    )


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


@dataclass
class _Period:
    start: dt.date | None = None
    end: dt.date | None = None
    day: dt.date | None = None
    latest: bool = False

    def set(self, start: dt.date, end: dt.date | None = None) -> None:
        if self.start is None:
            self.start, self.end = start, end or start
            if end is None:
                self.day = start


def _period(tokens: list[str], used: set[int], today: dt.date, upcoming: bool) -> _Period:
    """Recognises the period and marks its tokens as used."""
    found = _Period()
    # Relative weeks, months, years (before "dernier" is read as "the latest").
    relative = (
        ("semaine prochaine", lambda: _week(today + dt.timedelta(days=7))),
        ("prochaine semaine", lambda: _week(today + dt.timedelta(days=7))),
        ("semaine derniere", lambda: _week(today - dt.timedelta(days=7))),
        ("semaine passee", lambda: _week(today - dt.timedelta(days=7))),
        ("cette semaine", lambda: _week(today)),
        ("semaine en cours", lambda: _week(today)),
        ("mois prochain", lambda: _month(*_add_months(today, 1))),
        ("mois dernier", lambda: _month(*_add_months(today, -1))),
        ("ce mois ci", lambda: _month(today.year, today.month)),
        ("ce mois", lambda: _month(today.year, today.month)),
        ("mois en cours", lambda: _month(today.year, today.month)),
        ("annee prochaine", lambda: _year_range(today.year + 1)),
        ("an prochain", lambda: _year_range(today.year + 1)),
        ("annee derniere", lambda: _year_range(today.year - 1)),
        ("an dernier", lambda: _year_range(today.year - 1)),
        ("cette annee", lambda: _year_range(today.year)),
    )  # fmt: skip
    for phrase, compute in relative:
        if _take(tokens, used, phrase):
            found.set(*compute())
    days = (
        ("apres demain", 2), ("avant hier", -2), ("aujourd hui", 0), ("aujourdhui", 0),
        ("auj", 0), ("ce jour", 0), ("ce midi", 0), ("ce soir", 0), ("demain", 1), ("hier", -1),
    )  # fmt: skip
    for phrase, offset in days:
        if _take(tokens, used, phrase):
            found.set(today + dt.timedelta(days=offset))
    # "14 juillet 2026", "le 1er mai", "mars 2025", "en mars", "2025".
    for i, token in enumerate(tokens):
        if i in used or token not in MONTHS:
            continue
        month = MONTHS[token]
        day = _day_number(tokens[i - 1]) if i > 0 and i - 1 not in used else None
        year = _year(tokens[i + 1]) if i + 1 < len(tokens) and i + 1 not in used else None
        span = {i} | ({i - 1} if day else set()) | ({i + 1} if year else set())
        if day:
            if year is None:
                candidate = _safe_date(today.year, month, day)
                if candidate is not None and upcoming and candidate < today:
                    candidate = _safe_date(today.year + 1, month, day)
                elif candidate is not None and not upcoming and candidate > today:
                    candidate = _safe_date(today.year - 1, month, day)
            else:
                candidate = _safe_date(year, month, day)
            if candidate is None:
                continue
            found.set(candidate)
        else:
            if year is None:
                year = today.year
                if upcoming and month < today.month:
                    year += 1
                elif not upcoming and month > today.month:
                    year -= 1
            found.set(*_month(year, month))
        used.update(span)
    for i, token in enumerate(tokens):
        if i not in used and _year(token):
            year = _year(token)
            assert year is not None
            found.set(*_year_range(year))
            used.add(i)
    # Week days: "lundi", "lundi prochain", "mardi dernier".
    for i, token in enumerate(tokens):
        if i in used or token not in WEEKDAYS:
            continue
        after = tokens[i + 1] if i + 1 < len(tokens) and i + 1 not in used else ""
        delta = (WEEKDAYS[token] - today.weekday()) % 7
        if after in ("prochain", "pro"):
            day = today + dt.timedelta(days=delta or 7)
            used.add(i + 1)
        elif after in ("dernier", "passe"):
            day = today - dt.timedelta(days=(today.weekday() - WEEKDAYS[token]) % 7 or 7)
            used.add(i + 1)
        elif upcoming:
            day = today + dt.timedelta(days=delta)
        else:  # "bruit le dimanche": a habit, not a date to filter on
            continue
        used.add(i)
        found.set(day)
    for phrase in _LATEST:
        if _take(tokens, used, phrase):
            found.latest = True
    return found


# --- types and commune -------------------------------------------------------------------------


def _types(tokens: list[str], used: set[int]) -> tuple[str, ...]:
    """Document types named in the message, longest phrases first."""

    def phrases(table: dict[str, tuple[str, ...]]) -> list[tuple[str, str]]:
        pairs = [(p, t) for t, ps in table.items() for p in ps]
        return sorted(pairs, key=lambda pair: -len(pair[0].split()))

    strong: list[str] = []
    for phrase, doc_type in phrases(_STRONG):
        while _take(tokens, used, phrase):
            strong.append(doc_type)
    weak_hits: list[tuple[str, str]] = []
    for phrase, doc_type in phrases(_WEAK):
        if _find(tokens, used, phrase) >= 0:
            weak_hits.append((phrase, doc_type))
    chosen = list(dict.fromkeys(strong))
    if not chosen:
        chosen = list(dict.fromkeys(t for _, t in weak_hits))
    if "convocation" in chosen or "deliberation" in chosen:
        chosen = [t for t in chosen if t != "compte_rendu"]
    for phrase, doc_type in weak_hits:  # a topic word that only repeats the type goes away
        council_papers = "convocation" in chosen or "deliberation" in chosen
        if doc_type in chosen or (doc_type == "compte_rendu" and council_papers):
            while _take(tokens, used, phrase):
                pass
    return tuple(chosen)


# « et celui d'avant ? », « le précédent » after a document: the same kind, just older.
_BEFORE = re.compile(
    r"\b(celui d avant|celle d avant|ceux d avant|celui avant|celle avant|le precedent|"
    r"la precedente|les precedents|l avant dernier|l avant derniere|avant dernier|"
    r"avant derniere|d avant|plus ancien|plus ancienne|"
    # « y en a un autre ? » right after a document: another of the same kind, the one before.
    r"(?:il )?y en a (?:un autre|une autre|d autres)|ya (?:un autre|une autre|d autres))\b"
)
MAX_BEFORE_WORDS = 8


def asks_the_one_before(text: str) -> bool:
    """A short message asking the document before the one just sent."""
    folded = fold(text).replace("'", " ")
    return len(folded.split()) <= MAX_BEFORE_WORDS and bool(_BEFORE.search(folded))


def asks_another_period(text: str) -> bool:
    """« et celui de la semaine prochaine ? » after a menu: a short message naming a period and
    no kind of document; the kind is the one just sent (ActionChercherDocument)."""
    tokens = fold(_spell_dates(text)).replace("'", " ").split()
    # The word tests first: recognising kinds of documents (_types) costs close to a millisecond.
    if len(tokens) > MAX_BEFORE_WORDS or not _SPANS & set(tokens) or _types(tokens, set()):
        return False  # a day (« et demain ? ») is the topic's own follow-up: collection, hours
    # Whether a period is named, not which: any day serves as « today ».
    return _period(tokens, set(), dt.date(2026, 1, 7), False).start is not None


_SPANS = frozenset({"semaine", "mois", "annee", "an"})


def names_a_kind(text: str) -> bool:
    """« les arrêtés », « le calendrier » : a kind of document named by its own words."""
    tokens = fold(text).replace("'", " ").split()
    return bool(_types(tokens, set())) and any(
        _find(tokens, set(), phrase) >= 0 for phrases in _STRONG.values() for phrase in phrases
    )


@lru_cache(maxsize=1)
def territory_matcher() -> CommuneMatcher:
    return CommuneMatcher(territory())


def _commune(text: str, tokens: list[str], used: set[int]) -> str | None:
    """The commune named in the message (its words are removed from the free text)."""
    match = territory_matcher().find_in_text(text)
    if match.mention:
        _take(tokens, used, match.mention)
    return match.commune.insee if match.commune else None


# 15/10/2026, 15/10/26, 15/10, 15.10.2026 (a dot needs the year: "version 3.5" is no date).
_NUMERIC_DATE = re.compile(
    r"\b(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?\b|\b(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})\b"
)
_MONTH_NAMES = [name for name, number in MONTHS.items() if len(name) > 4 or name == "mai"]


def _spell_dates(text: str) -> str:
    """ "15/10/2026" -> "15 octobre 2026", so that dates read the same however they are typed."""

    def spelled(match: re.Match[str]) -> str:
        parts = match.groups()[:3] if match[1] else match.groups()[3:]
        day, month, year = int(parts[0]), int(parts[1]), parts[2]
        if not (1 <= day <= 31 and 1 <= month <= 12):
            return match[0]
        name = next(n for n in _MONTH_NAMES if MONTHS[n] == month)
        full_year = (f"20{year}" if len(year) == 2 else year) if year else ""
        return f"{day} {name} {full_year}".strip()

    return _NUMERIC_DATE.sub(spelled, text)


def understand(text: str, today: dt.date) -> DocumentRequest:
    """Types, period, commune and free words of a French request (accents optional)."""
    text = _spell_dates(text)
    tokens = fold(text).split()
    used: set[int] = set()
    commune = _commune(text, tokens, used)
    doc_types = _types(tokens, used)
    upcoming = bool(doc_types) and all(t in UPCOMING_TYPES for t in doc_types)
    period = _period(tokens, used, today, upcoming)
    explicit = period.start is not None
    start, end = period.start, period.end
    dated = bool(doc_types) and all(t in DATED_TYPES for t in doc_types)
    if not explicit and dated:  # "le dernier menu" is the current one, too
        if "menu_cantine" in doc_types and today.weekday() >= 5:  # weekend: next school week
            start, end = _week(today + dt.timedelta(days=7))
            end = start + dt.timedelta(days=4)
        else:
            start = end = today
    leftover = [t for i, t in enumerate(tokens) if i not in used and t not in _FILLER]
    free = " ".join(french.query_words(" ".join(leftover)))
    return DocumentRequest(
        doc_types=doc_types,
        text=free,
        date_from=start,
        date_to=end,
        latest=period.latest,
        day=period.day,
        commune_insee=commune,
        explicit_period=explicit,
    )


# --- search ------------------------------------------------------------------------------------


def _distance(document: Document, start: dt.date, end: dt.date) -> int:
    first = document.valid_from or document.date
    last = document.valid_until or document.date
    if last < start:
        return (start - last).days
    if first > end:
        return (first - end).days
    return 0


def find_documents(
    store: DocumentStore,
    request: DocumentRequest,
    commune_insee: str | None = None,
    audiences: tuple[Audience, ...] = ("public",),
    limit: int = 5,
) -> DocumentAnswer:
    """Searches the store; if nothing covers the period asked, offers the nearest documents."""
    query = request.query(commune_insee, audiences, limit)
    dated = bool(request.doc_types) and all(t in DATED_TYPES for t in request.doc_types)
    documents = store.search(query)
    if not documents and dated and query.text:  # "menu cantine pour mon fils": words don't matter
        query = replace(query, text="")
        documents = store.search(query)
    if documents:
        if request.latest:
            documents.sort(key=lambda d: d.valid_from or d.date, reverse=True)
        return DocumentAnswer(documents, covers_date=True)
    if query.date_from is None and query.date_to is None:
        return DocumentAnswer([], covers_date=True)
    start = query.date_from or dt.date.min
    end = query.date_to or dt.date.max
    nearby = store.search(replace(query, date_from=None, date_to=None, limit=50))
    nearby.sort(key=lambda d: (_distance(d, start, end), -(d.valid_from or d.date).toordinal()))
    return DocumentAnswer(nearby[:limit], covers_date=False)
