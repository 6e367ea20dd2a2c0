"""Mayan EDMS as the commune's GED, through its REST API v4.

Why the work is split between Mayan and this client:
- Mayan's full-text search (Whoosh) reads the PDFs' text, OCR and metadata, folds accents and
  matches word prefixes, but it does not know the assistant's rules (commune or whole territory,
  audience, validity periods) nor French plurals and stop words. So Mayan answers "which documents
  contain this word" and this client filters and ranks, so that results follow `SearchQuery`
  exactly like the embedded backend.
- The assistant's fields (type, communes, date, audience, validity) are Mayan metadata types
  created by `scripts/ged_import.py`; agents can read and edit them in Mayan's own interface.
- A catalogue of the Tchatche documents (listing + metadata) is cached for a short time, because
  Mayan returns metadata one document at a time.

Every call has a deadline of `timeout` seconds in total: a slow or dead GED raises GedUnavailable
and the resident gets an answer instead of a spinning chat.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import requests

from actions import clock
from actions.documents.french import SYNONYMS, query_words, stem, words
from actions.documents.model import (
    DOC_TYPES,
    Audience,
    Document,
    DocumentStore,
    GedUnavailable,
    SearchQuery,
)

# Names of the Mayan objects the importer creates and this client reads. The name is the key;
# the label is what an agent sees in Mayan.
DOCUMENT_TYPE_LABEL = "Tchatche - document communal"
METADATA_TYPES: dict[str, str] = {
    "tchatche_type": "Type de document (Tchatche)",
    "tchatche_communes": "Communes INSEE (vide = tout le territoire)",
    "tchatche_date": "Date du document (AAAA-MM-JJ)",
    "tchatche_audience": "Public visé (public ou elus)",
    "tchatche_valide_du": "Valable du (AAAA-MM-JJ)",
    "tchatche_valide_au": "Valable au (AAAA-MM-JJ)",
    "tchatche_mots_cles": "Mots-clés (séparés par des virgules)",
    "tchatche_fichier": "Nom du fichier d'origine",
}

_ID_RE = re.compile(r"[0-9]{1,12}")
_CATALOGUE_TTL = 30.0  # seconds: a document imported in Mayan shows up this fast
_METADATA_TTL = 300.0  # seconds: metadata edited by an agent in Mayan shows up this fast
_PAGE_SIZE = 100  # Mayan's maximum page size
# Mayan nests whole objects in its answers (18 kB for a document's metadata); asking only for the
# fields used makes each call 2 to 20 times faster.
DOCUMENT_FIELDS = (
    "id,label,datetime_created,document_type__id,file_latest__id,file_latest__size,"
    "file_latest__mimetype,file_latest__filename,file_latest__checksum"
)
METADATA_FIELDS = "id,value,metadata_type__name"


def _stems(text: str) -> frozenset[str]:
    """The Snowball stems of every word of a text, as the embedded index sees it."""
    return frozenset(stem(w) for w in words(text))


def query_groups(text: str) -> list[tuple[tuple[str, ...], ...]]:
    """One group per meaningful word of the query: the word's stems, then each synonym phrase's
    stems (french.SYNONYMS). A document matches a group when it has all stems of one of them."""
    groups = []
    for word in dict.fromkeys(query_words(text)):
        options = [
            (stem(word),),
            *(tuple(stem(w) for w in words(s)) for s in SYNONYMS.get(word, ())),
        ]
        groups.append(tuple(dict.fromkeys(options)))
    return groups


def _parse_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _matches_filters(doc: Document, query: SearchQuery) -> bool:
    """The filters of SearchQuery, identical for every backend (see model.py)."""
    if doc.audience not in query.audiences:
        return False
    if query.doc_types and doc.doc_type not in query.doc_types:
        return False
    if query.commune_insee and doc.communes and query.commune_insee not in doc.communes:
        return False
    if query.date_from or query.date_to:
        # A document with a validity period is judged on it (a menu is "for" its week, not for
        # the day it was published), the others on their date; open ends stay open.
        lo = query.date_from or dt.date.min
        hi = query.date_to or dt.date.max
        if doc.valid_from or doc.valid_until:
            start, end = doc.valid_from or dt.date.min, doc.valid_until or dt.date.max
            if not (start <= hi and lo <= end):
                return False
        elif not lo <= doc.date <= hi:
            return False
    return True


def _cut(response: requests.Response) -> None:
    """Shuts the response's socket so that a read blocked in another thread returns at once."""
    sock = getattr(getattr(response.raw, "connection", None), "sock", None)
    if sock is None:  # http.client let go of it (HTTP/1.0, "Connection: close"): via the file
        buffered = getattr(getattr(response.raw, "_fp", None), "fp", None)
        sock = getattr(getattr(buffered, "raw", None), "_sock", None)
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


_Hits = Callable[[tuple[str, ...]], set[str]]


@dataclass
class _Entry:
    """A catalogue line: the Document and the normalized words used to rank it."""

    doc: Document
    title_stems: frozenset[str]
    other_stems: frozenset[str]  # keywords and type
    file_id: int | None


class MayanStore(DocumentStore):
    """DocumentStore backed by a Mayan EDMS server (REST API v4, token authentication)."""

    def __init__(
        self,
        base_url: str,
        username: str,
        password: str,
        timeout: float = 5.0,
        document_type_label: str = DOCUMENT_TYPE_LABEL,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.username = username
        self.password = password
        self.timeout = timeout
        self.document_type_label = document_type_label
        self._session = requests.Session()
        self._session.headers["Accept"] = "application/json"
        self._token: str | None = None
        self._document_type_id: int | None = None
        self._metadata_type_ids: dict[str, int] = {}
        self._catalogue: dict[str, _Entry] = {}
        self._catalogue_time = 0.0
        self._metadata_time = 0.0
        self._lock = threading.Lock()

    @classmethod
    def from_env(cls, timeout: float = 5.0) -> MayanStore:
        """Reads TCHATCHE_MAYAN_URL, TCHATCHE_MAYAN_USER and TCHATCHE_MAYAN_PASSWORD."""
        try:
            url = os.environ["TCHATCHE_MAYAN_URL"]
            user = os.environ["TCHATCHE_MAYAN_USER"]
            password = os.environ["TCHATCHE_MAYAN_PASSWORD"]
        except KeyError as missing:
            raise GedUnavailable(f"GED Mayan non configurée : variable {missing} absente") from None
        return cls(url, user, password, timeout=timeout)

    # ---- HTTP -------------------------------------------------------------------------------

    def _remaining(self, deadline: float) -> float:
        left = deadline - time.monotonic()
        if left <= 0:
            raise GedUnavailable(f"la GED n'a pas répondu en {self.timeout:g} s")
        return left

    def _send(self, method: str, url: str, deadline: float, **kwargs: Any) -> requests.Response:
        """One HTTP exchange bounded by the deadline, network trouble turned into GedUnavailable.
        The read timeout of requests is per packet: a server trickling bytes would escape it, so
        a timer cuts the connection when the deadline comes while the body is being read."""
        try:
            response = self._session.request(
                method, url, timeout=self._remaining(deadline), stream=True, **kwargs
            )
        except requests.Timeout:
            raise GedUnavailable(f"la GED n'a pas répondu en {self.timeout:g} s") from None
        except requests.RequestException as error:
            raise GedUnavailable(f"GED injoignable ({type(error).__name__})") from None
        timer = threading.Timer(max(0.0, deadline - time.monotonic()), _cut, (response,))
        timer.daemon = True
        timer.start()
        try:
            with response:
                response._content = response.raw.read(decode_content=True) or b""
                response._content_consumed = True  # lets close() give the connection back
        except Exception as error:  # urllib3 and socket errors of a cut or broken connection
            if time.monotonic() >= deadline:
                raise GedUnavailable(f"la GED n'a pas répondu en {self.timeout:g} s") from None
            raise GedUnavailable(f"GED injoignable ({type(error).__name__})") from None
        finally:
            timer.cancel()
        if time.monotonic() >= deadline:
            raise GedUnavailable(f"la GED n'a pas répondu en {self.timeout:g} s")
        return response

    def _obtain_token(self, deadline: float) -> str:
        response = self._send(
            "POST",
            f"{self.base_url}/api/v4/auth/token/obtain/",
            deadline,
            json={"username": self.username, "password": self.password},
        )
        if response.status_code in (400, 401, 403):
            raise GedUnavailable("identifiants de la GED refusés")
        if response.status_code != 200:
            raise GedUnavailable(f"la GED a répondu HTTP {response.status_code}")
        try:
            return str(response.json()["token"])
        except (ValueError, KeyError, TypeError):
            raise GedUnavailable("réponse inattendue de la GED (jeton)") from None

    def request(
        self,
        method: str,
        path: str,
        deadline: float | None = None,
        ok_statuses: tuple[int, ...] = (200, 201, 202, 204),
        **kwargs: Any,
    ) -> requests.Response:
        """One authenticated call. Returns the response when its status is in ok_statuses or is
        404 (the caller decides); anything else, and any network trouble, is GedUnavailable."""
        if deadline is None:
            deadline = time.monotonic() + self.timeout
        url = path if path.startswith("http") else f"{self.base_url}/api/v4/{path.lstrip('/')}"
        logged_in_again = False
        while True:
            token = self._token
            if token is None:
                token = self._token = self._obtain_token(deadline)
            response = self._send(
                method, url, deadline, headers={"Authorization": f"Token {token}"}, **kwargs
            )
            status = response.status_code
            if status in (401, 403) and not logged_in_again:
                self._token = None  # token revoked or expired: log in again once
                logged_in_again = True
                continue
            if status == 429:  # a Mayan with API throttling on: wait if the deadline allows
                try:
                    wait = max(0.1, float(response.headers.get("Retry-After", "0.5")))
                except ValueError:
                    wait = 0.5
                if wait >= deadline - time.monotonic():
                    raise GedUnavailable("la GED limite le nombre de requêtes (HTTP 429)")
                time.sleep(wait)
                continue
            if status in ok_statuses or status == 404:
                return response
            if status in (401, 403):
                raise GedUnavailable("accès refusé par la GED")
            detail = response.text[:200] if status < 500 else ""
            raise GedUnavailable(f"la GED a répondu HTTP {status} {detail}".strip())

    def _json(self, response: requests.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            raise GedUnavailable("réponse inattendue de la GED (pas du JSON)") from None

    def iterate(self, path: str, deadline: float, **params: Any) -> Iterator[dict[str, Any]]:
        """Every result of a paginated Mayan list."""
        url: str | None = path
        params = {"page_size": _PAGE_SIZE, **params}
        while url:
            response = self.request("GET", url, deadline, params=params)
            if response.status_code == 404:
                return
            data = self._json(response)
            yield from data.get("results", [])
            url, params = data.get("next"), {}

    # ---- Catalogue --------------------------------------------------------------------------

    def document_type_id(self, deadline: float) -> int | None:
        """Id of the Tchatche document type (cached); None when nothing was imported yet."""
        if self._document_type_id is None:
            for item in self.iterate("document_types/", deadline, _fields_only="id,label"):
                if item.get("label") == self.document_type_label:
                    self._document_type_id = int(item["id"])
                    break
        return self._document_type_id

    def metadata_type_ids(self, deadline: float) -> dict[str, int]:
        """Ids of the tchatche_* metadata types by name (cached)."""
        if not self._metadata_type_ids:
            self._metadata_type_ids = {
                item["name"]: int(item["id"])
                for item in self.iterate("metadata_types/", deadline, _fields_only="id,name")
                if item.get("name") in METADATA_TYPES
            }
        return self._metadata_type_ids

    def _metadata(self, doc_id: int, deadline: float) -> dict[str, str]:
        return {
            item["metadata_type"]["name"]: item.get("value") or ""
            for item in self.iterate(
                f"documents/{doc_id}/metadata/", deadline, _fields_only=METADATA_FIELDS
            )
        }

    def _entry(self, item: dict[str, Any], meta: dict[str, str]) -> _Entry:
        """Builds the Document from Mayan's document JSON and its tchatche_* metadata."""
        file_latest = item.get("file_latest") or {}
        doc_type = meta.get("tchatche_type", "") or ""
        audience: Audience = (
            "elus" if meta.get("tchatche_audience", "").strip() == "elus" else "public"
        )
        created = _parse_date(item.get("datetime_created")) or clock.now().date()
        keywords = tuple(
            k.strip() for k in meta.get("tchatche_mots_cles", "").split(",") if k.strip()
        )
        doc = Document(
            id=str(item["id"]),
            title=item.get("label") or "",
            doc_type=doc_type if doc_type in DOC_TYPES else "",
            communes=tuple(re.findall(r"[0-9AB]{5}", meta.get("tchatche_communes", ""))),
            date=_parse_date(meta.get("tchatche_date")) or created,
            audience=audience,
            valid_from=_parse_date(meta.get("tchatche_valide_du")),
            valid_until=_parse_date(meta.get("tchatche_valide_au")),
            tags=keywords,
            filename=meta.get("tchatche_fichier") or file_latest.get("filename") or "",
            mime=file_latest.get("mimetype") or "application/pdf",
            size=int(file_latest.get("size") or 0),
        )
        return _Entry(
            doc=doc,
            title_stems=_stems(doc.title),
            other_stems=_stems(" ".join((*keywords, doc.doc_type.replace("_", " ")))),
            file_id=file_latest.get("id"),
        )

    def catalogue(self, deadline: float) -> dict[str, _Entry]:
        """All Tchatche documents with their metadata, refreshed every _CATALOGUE_TTL seconds.
        Metadata is fetched in parallel (4 requests at a time) only for new or changed files."""
        if time.monotonic() - self._catalogue_time < _CATALOGUE_TTL:
            return self._catalogue
        # Another conversation may be refreshing it: serve the previous catalogue meanwhile, or
        # wait no longer than this call's own deadline.
        if not self._lock.acquire(blocking=False):
            if self._catalogue:
                return self._catalogue
            if not self._lock.acquire(timeout=self._remaining(deadline)):
                raise GedUnavailable(f"la GED n'a pas répondu en {self.timeout:g} s")
        try:
            if time.monotonic() - self._catalogue_time < _CATALOGUE_TTL:
                return self._catalogue
            type_id = self.document_type_id(deadline)
            if type_id is None:
                return {}
            items = list(
                self.iterate(
                    f"document_types/{type_id}/documents/", deadline, _fields_only=DOCUMENT_FIELDS
                )
            )
            known = self._catalogue
            everything = time.monotonic() - self._metadata_time > _METADATA_TTL
            todo = [
                item
                for item in items
                if str(item["id"]) not in known
                or known[str(item["id"])].file_id != (item.get("file_latest") or {}).get("id")
                or everything
            ]
            with ThreadPoolExecutor(max_workers=4) as pool:
                metas = list(pool.map(lambda it: self._metadata(int(it["id"]), deadline), todo))
            fresh = {
                str(it["id"]): self._entry(it, meta) for it, meta in zip(todo, metas, strict=True)
            }
            self._catalogue = {
                str(item["id"]): fresh.get(str(item["id"])) or known[str(item["id"])]
                for item in items
            }
            self._catalogue_time = time.monotonic()
            if everything:
                self._metadata_time = self._catalogue_time
            return self._catalogue
        finally:
            self._lock.release()

    def _content_hits(self, stems: tuple[str, ...], deadline: float) -> set[str]:
        """Ids of the documents whose text, OCR or metadata contain words starting with these
        stems, according to Mayan's full-text search (it folds accents, matches prefixes and
        ANDs the words), so "poubel" finds "poubelles" in a PDF's text."""
        return {
            str(item["id"])
            for item in self.iterate(
                "search/documents.documentsearchresult/",
                deadline,
                q=" ".join(stems),
                _fields_only="id",
            )
        }

    def _score(
        self, entry: _Entry, groups: list[tuple[tuple[str, ...], ...]], hits: _Hits
    ) -> tuple[int, int]:
        """(groups matched, weight): the title weighs 3, keywords and type 2, the text 1."""
        matched = weight = 0
        for group in groups:
            best = 0
            for option in group:
                if all(s in entry.title_stems for s in option):
                    best = 3
                    break
                if all(s in entry.title_stems or s in entry.other_stems for s in option):
                    best = max(best, 2)
            if not best and any(entry.doc.id in hits(option) for option in group):
                best = 1
            if best:
                matched += 1
                weight += best
        return matched, weight

    # ---- DocumentStore ----------------------------------------------------------------------

    def search(self, query: SearchQuery) -> list[Document]:
        """Best match first, like the embedded backend: every meaningful word of the text (or one
        of its synonyms) must be in the title, keywords, type or text; when no document has them
        all, the documents with the most of them come. No text: newest first."""
        deadline = time.monotonic() + self.timeout
        entries = [e for e in self.catalogue(deadline).values() if _matches_filters(e.doc, query)]
        if not entries or query.limit <= 0:
            return []
        groups = query_groups(query.text)
        if not groups:
            entries.sort(key=lambda e: e.doc.title)
            entries.sort(key=lambda e: e.doc.date, reverse=True)  # stable: title breaks ties
            return [e.doc for e in entries[: query.limit]]
        cache: dict[tuple[str, ...], set[str]] = {}

        def hits(option: tuple[str, ...]) -> set[str]:
            # Asked lazily: a word found in every title costs no request to Mayan.
            if option not in cache:
                cache[option] = self._content_hits(option, deadline)
            return cache[option]

        scored = [(self._score(e, groups, hits), e) for e in entries]
        best = max(matched for (matched, _), _ in scored)
        if best == 0:
            return []
        kept = [(score, e) for score, e in scored if score[0] == len(groups)]
        if not kept:  # no document has every word: the closest ones (at least one word)
            kept = [(score, e) for score, e in scored if score[0] > 0]
        kept.sort(key=lambda se: se[1].doc.title)
        kept.sort(key=lambda se: (se[0], se[1].doc.date), reverse=True)  # stable: title ties
        return [e.doc for _, e in kept[: query.limit]]

    def get(self, doc_id: str) -> Document | None:
        """The document, or None when the id is unknown, malformed or not a Tchatche document."""
        if not isinstance(doc_id, str) or not _ID_RE.fullmatch(doc_id):
            return None
        deadline = time.monotonic() + self.timeout
        entry = self.catalogue(deadline).get(doc_id)
        if entry is not None:
            return entry.doc
        # Imported after the last catalogue refresh: ask for this one only.
        response = self.request(
            "GET", f"documents/{doc_id}/", deadline, params={"_fields_only": DOCUMENT_FIELDS}
        )
        if response.status_code == 404:
            return None
        item = self._json(response)
        type_id = self.document_type_id(deadline)
        if type_id is None or (item.get("document_type") or {}).get("id") != type_id:
            return None
        return self._entry(item, self._metadata(int(doc_id), deadline)).doc

    def content(self, doc_id: str) -> bytes:
        """The latest file of the document; KeyError when the id is malformed or unknown."""
        if not isinstance(doc_id, str) or not _ID_RE.fullmatch(doc_id):
            raise KeyError(doc_id)  # never sent to Mayan: no path tricks, no probing
        deadline = time.monotonic() + self.timeout
        if self.get(doc_id) is None:
            raise KeyError(doc_id)
        response = self.request(
            "GET", f"documents/{doc_id}/", deadline, params={"_fields_only": "id,file_latest__id"}
        )
        file_id = (self._json(response).get("file_latest") or {}).get("id")
        if response.status_code == 404 or not file_id:
            raise KeyError(doc_id)
        download = self.request("GET", f"documents/{doc_id}/files/{file_id}/download/", deadline)
        if download.status_code == 404:
            raise KeyError(doc_id)
        return download.content

    def catalogue_documents(self) -> list[Document]:
        """Every Tchatche document, whatever its audience (importer checks, tests, benchmarks)."""
        return [e.doc for e in self.catalogue(time.monotonic() + self.timeout).values()]

    def invalidate(self) -> None:
        """Forget the cached catalogue (after an import, in tests)."""
        self._catalogue_time = self._metadata_time = 0.0
        self._catalogue = {}
