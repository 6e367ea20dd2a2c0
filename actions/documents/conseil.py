"""« C'est quand le prochain conseil municipal ? »: a date, not a document.

The convocation is sent to the councillors (élus only in the GED), but the date of the séance
is public: the mairie posts it (CGCT L2121-10) and anyone may attend (L2121-18). So the date is
read from the title of the next convocation, and the resident gets it without the document. With
no convocation yet, the rule: at least one séance a quarter (L2121-7), the date posted a few
days before.
"""

from __future__ import annotations

import datetime as dt
import re

from actions.documents.model import Document, DocumentStore, SearchQuery
from actions.territory.hours import MONTHS
from actions.text import fold

_COUNCIL = re.compile(r"\b(conseil|conseils|seance|seances|reunion du conseil)\b")
_NEXT = re.compile(
    r"\b(prochain|prochaine|prochains|a venir|quand|kan|qd|quelle date|quel jour|la date)\b"
)
# The last one is a document (its minutes), not a date to come.
_PAST = re.compile(r"\b(dernier|derniere|derniers|passe|precedent|precedente|compte rendu|pv)\b")
_DAY_IN_TITLE = re.compile(
    r"\b(\d{1,2})(?:er)? (" + "|".join(fold(m) for m in MONTHS) + r") (\d{4})\b"
)
# A convocation is sent a few days before its séance: those signed this long ago are past.
LOOK_BACK = dt.timedelta(days=60)


def asks_next_council(text: str) -> bool:
    """« c quand le prochain conseil », « la date du conseil municipal », not « le dernier pv »."""
    folded = fold(text)
    return bool(_COUNCIL.search(folded) and _NEXT.search(folded) and not _PAST.search(folded))


def seance_day(doc: Document) -> dt.date | None:
    """The séance's day, as the convocation's title says it (« … du 3 décembre 2026 »)."""
    found = _DAY_IN_TITLE.search(fold(doc.title))
    if not found:
        return None
    month = [fold(m) for m in MONTHS].index(found.group(2)) + 1
    try:
        return dt.date(int(found.group(3)), month, int(found.group(1)))
    except ValueError:
        return None


def next_seance(store: DocumentStore, insee: str | None, today: dt.date) -> dt.date | None:
    """The earliest séance still to come among the commune's recent convocations."""
    query = SearchQuery(
        commune_insee=insee,
        doc_types=("convocation",),
        date_from=today - LOOK_BACK,
        audiences=("public", "elus"),
        limit=10,
    )
    days = [d for d in (seance_day(doc) for doc in store.search(query)) if d and d >= today]
    return min(days, default=None)
