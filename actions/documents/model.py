"""The GED contract shared by every backend.

Backends (embedded SQLite FTS5, Mayan EDMS) return the same `Document` records so that the
assistant, the signed-link route and the contract tests never know which GED is behind them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal, Protocol

Audience = Literal["public", "elus"]

# One spelling per document type, used in the corpus metadata, both backends and the NLU.
DOC_TYPES: tuple[str, ...] = (
    "compte_rendu",  # séance du conseil : procès-verbal, liste des délibérations (le mot des
    # habitants reste « compte rendu », supprimé le 1er juillet 2022, ordonnance 2021-1310)
    "arrete",  # arrêté du maire
    "formulaire",
    "menu_cantine",
    "calendrier_collecte",
    "bulletin",  # bulletin municipal
    "reglement",  # règlement (salle, cimetière…)
    "urbanisme",  # extrait du PLU, plans
    "convocation",  # convocation du conseil (élus)
    "deliberation",  # projet de délibération (élus)
)


@dataclass(frozen=True)
class Document:
    """One document as the assistant sees it, whatever the GED."""

    id: str  # stable identifier inside the backend (never shown as a path)
    title: str
    doc_type: str  # one of DOC_TYPES
    communes: tuple[str, ...]  # INSEE codes; empty tuple = the whole intercommunalité
    date: dt.date  # date of the document (séance, signature, publication)
    audience: Audience = "public"
    valid_from: dt.date | None = None  # menus, calendriers: the period they cover
    valid_until: dt.date | None = None
    tags: tuple[str, ...] = ()
    filename: str = ""
    mime: str = "application/pdf"
    size: int = 0  # bytes


@dataclass(frozen=True)
class SearchQuery:
    """What the resident asked, already understood (see actions/documents/request.py)."""

    text: str = ""  # free words, matched full-text (accent/case-insensitive, French forms)
    commune_insee: str | None = None  # documents of this commune or of the whole territory
    doc_types: tuple[str, ...] = ()  # empty = any type
    date_from: dt.date | None = None  # document date (or validity period) overlaps this range
    date_to: dt.date | None = None
    audiences: tuple[Audience, ...] = ("public",)  # "elus" only for an authenticated élu
    limit: int = 5


@dataclass
class SearchResult:
    documents: list[Document] = field(default_factory=list)


class GedUnavailable(Exception):
    """The GED did not answer in time or answered with an error: the caller tells the resident."""


class DocumentStore(Protocol):
    """What every GED backend provides. All calls may raise GedUnavailable."""

    def search(self, query: SearchQuery) -> list[Document]:
        """Best match first; never returns a document whose audience is not in query.audiences."""
        ...

    def get(self, doc_id: str) -> Document | None: ...

    def content(self, doc_id: str) -> bytes:
        """The file's bytes (PDF)."""
        ...
