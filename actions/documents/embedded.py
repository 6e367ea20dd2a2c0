"""The default GED backend: a folder of PDFs indexed in SQLite FTS5, no server to run.

A small commune has no GED server; a folder (ged/LISEZMOI.md) and this index are enough. The index
is rebuilt by itself whenever the folder changes, so the secretary only drops files and edits
documents.yml. Words are folded and stemmed in French (actions/documents/french.py) on both sides.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import logging
import os
import re
import sqlite3
import threading
from pathlib import Path

from actions.documents import french
from actions.documents.folder import INDEX_FILE, FolderEntry, FolderError, read_folder
from actions.documents.model import Document, GedUnavailable, SearchQuery

log = logging.getLogger(__name__)
SCHEMA_VERSION = "1"
_ID = re.compile(r"^[0-9a-f]{16}$")
# Title words weigh most, then keywords, then the body; bm25 is negative, smaller is better.
_BM25 = "bm25(fts, 6.0, 4.0, 1.0)"
# Results whose relevance is within this share of the best one count as equally relevant and are
# ordered by date: "compte rendu conseil" must give the latest séance, not the longest one.
_TIE_SHARE = 0.2


def document_id(filename: str, data: bytes) -> str:
    """Opaque, stable id: same file, same id across rebuilds; never reveals a path."""
    return hashlib.sha256(filename.encode("utf-8") + b"\0" + data).hexdigest()[:16]


def extract_text(data: bytes) -> str:
    """Every page's text; a broken or image-only PDF still gets indexed by title and keywords.

    pypdf is imported here: only a rebuilt index reads PDFs, and pypdf (with cryptography) would
    otherwise stay in the action server's memory all day for nothing."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except Exception as error:  # noqa: BLE001 - pypdf raises many kinds of errors
        log.warning("Texte illisible dans un PDF de la GED : %s", error)
        return ""


class EmbeddedStore:
    """DocumentStore over a folder; `index_path` is a disposable cache of the folder."""

    def __init__(self, folder: Path | str, index_path: Path | str):
        self.folder = Path(folder)
        self.index_path = Path(index_path)
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._signature = ""

    # -- index maintenance ---------------------------------------------------------------------

    def prepare(self) -> None:
        """Brings the index up to date now. ./run.sh calls it before the servers start, so that
        the action server, which finds the index current, never loads pypdf to read PDFs."""
        with self._lock:
            self._connection()

    def _folder_signature(self) -> str:
        """Changes whenever documents.yml or any file of the folder is added, removed or edited."""
        digest = hashlib.sha256(SCHEMA_VERSION.encode())
        try:
            digest.update((self.folder / INDEX_FILE).read_bytes())
            for entry in sorted(os.scandir(self.folder), key=lambda e: e.name):
                if entry.is_file():
                    info = entry.stat()
                    digest.update(f"{entry.name}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
        except OSError as error:
            raise GedUnavailable(f"Dossier GED illisible : {self.folder} ({error})") from error
        return digest.hexdigest()

    def _connection(self) -> sqlite3.Connection:
        """The open index, rebuilt first if the folder changed since it was built."""
        signature = self._folder_signature()
        if self._conn is not None and signature == self._signature:
            return self._conn
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if not self._index_matches(signature):
            self._rebuild(signature)
        self._conn = sqlite3.connect(self.index_path, check_same_thread=False)
        self._signature = signature
        return self._conn

    def _index_matches(self, signature: str) -> bool:
        if not self.index_path.is_file():
            return False
        try:
            with sqlite3.connect(self.index_path) as conn:
                row = conn.execute("SELECT value FROM meta WHERE key = 'signature'").fetchone()
        except sqlite3.Error:
            return False
        return row is not None and row[0] == signature

    def _rebuild(self, signature: str) -> None:
        try:
            entries = read_folder(self.folder)
        except FolderError as error:
            log.error("Dossier GED invalide :\n%s", error)
            raise GedUnavailable(str(error)) from error
        self.index_path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.index_path.with_name(f"{self.index_path.name}.{os.getpid()}.tmp")
        temporary.unlink(missing_ok=True)
        conn = sqlite3.connect(temporary)
        try:
            self._fill(conn, entries, signature)
            conn.commit()
        finally:
            conn.close()
        os.replace(temporary, self.index_path)  # readers never see a half-built index
        log.info("Index GED reconstruit : %d documents", len(entries))

    @staticmethod
    def _fill(conn: sqlite3.Connection, entries: list[FolderEntry], signature: str) -> None:
        conn.executescript(
            """
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
            CREATE TABLE docs (
                rowid INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, filename TEXT NOT NULL,
                title TEXT NOT NULL, doc_type TEXT NOT NULL, communes TEXT NOT NULL,
                date TEXT NOT NULL, audience TEXT NOT NULL, valid_from TEXT, valid_until TEXT,
                tags TEXT NOT NULL, size INTEGER NOT NULL);
            CREATE VIRTUAL TABLE fts USING fts5(
                title, tags, body, tokenize = 'unicode61 remove_diacritics 2');
            """
        )
        for entry in entries:
            data = entry.path.read_bytes()
            cursor = conn.execute(
                "INSERT INTO docs (id, filename, title, doc_type, communes, date, audience,"
                " valid_from, valid_until, tags, size) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (
                    document_id(entry.filename, data),
                    entry.filename,
                    entry.title,
                    entry.doc_type,
                    "," + ",".join(entry.communes) + "," if entry.communes else "",
                    entry.date.isoformat(),
                    entry.audience,
                    entry.valid_from.isoformat() if entry.valid_from else None,
                    entry.valid_until.isoformat() if entry.valid_until else None,
                    json.dumps(list(entry.tags), ensure_ascii=False),
                    len(data),
                ),
            )
            conn.execute(
                "INSERT INTO fts (rowid, title, tags, body) VALUES (?,?,?,?)",
                (
                    cursor.lastrowid,
                    french.index_terms(entry.title),
                    french.index_terms(" ".join(entry.tags)),
                    french.index_terms(extract_text(data)),
                ),
            )
        conn.execute("INSERT INTO meta VALUES ('signature', ?)", (signature,))

    # -- DocumentStore -------------------------------------------------------------------------

    _COLUMNS = (
        "d.id, d.filename, d.title, d.doc_type, d.communes, d.date, d.audience, d.valid_from,"
        " d.valid_until, d.tags, d.size"
    )

    @staticmethod
    def _document(row: tuple) -> Document:
        (doc_id, filename, title, doc_type, communes, date, audience, vfrom, vuntil, tags, size) = (
            row[:11]
        )
        return Document(
            id=doc_id,
            title=title,
            doc_type=doc_type,
            communes=tuple(c for c in communes.split(",") if c),
            date=dt.date.fromisoformat(date),
            audience=audience,
            valid_from=dt.date.fromisoformat(vfrom) if vfrom else None,
            valid_until=dt.date.fromisoformat(vuntil) if vuntil else None,
            tags=tuple(json.loads(tags)),
            filename=filename,
            size=size,
        )

    @staticmethod
    def _filters(query: SearchQuery) -> tuple[str, list[object]]:
        clauses = [f"d.audience IN ({','.join('?' * len(query.audiences))})"]
        params: list[object] = list(query.audiences)
        if query.commune_insee:
            clauses.append("(d.communes = '' OR instr(d.communes, ?) > 0)")
            params.append(f",{query.commune_insee},")
        if query.doc_types:
            clauses.append(f"d.doc_type IN ({','.join('?' * len(query.doc_types))})")
            params.extend(query.doc_types)
        # A document with a validity period is judged on it (a menu is "for" its week), the
        # others on their date; open ends of the asked range stay open.
        start = query.date_from.isoformat() if query.date_from else "0000-01-01"
        end = query.date_to.isoformat() if query.date_to else "9999-12-31"
        if query.date_from or query.date_to:
            clauses.append(
                "((d.valid_from IS NOT NULL AND d.valid_from <= ? AND d.valid_until >= ?)"
                " OR (d.valid_from IS NULL AND d.date BETWEEN ? AND ?))"
            )
            params.extend([end, start, start, end])
        return " AND ".join(clauses), params

    def search(self, query: SearchQuery) -> list[Document]:
        """Best match first, equally relevant ones newest first; filters are strict."""
        audiences = tuple(a for a in query.audiences if a in ("public", "elus"))
        if not audiences or query.limit <= 0:
            return []
        query = SearchQuery(**{**query.__dict__, "audiences": audiences})
        where, params = self._filters(query)
        with self._lock:
            conn = self._connection()
            if not french.query_words(query.text):
                rows = conn.execute(
                    f"SELECT {self._COLUMNS} FROM docs d WHERE {where}"
                    " ORDER BY d.date DESC, d.title LIMIT ?",
                    [*params, query.limit],
                ).fetchall()
                return [self._document(r) for r in rows]
            rows = []
            for mode in ("AND", "OR"):  # every word first; else the documents sharing most words
                rows = conn.execute(
                    f"SELECT {self._COLUMNS}, {_BM25} AS score FROM fts"
                    f" JOIN docs d ON d.rowid = fts.rowid WHERE fts MATCH ? AND {where}"
                    " ORDER BY score LIMIT 200",
                    [french.fts_query(query.text, mode), *params],
                ).fetchall()
                if rows:
                    break
        best = min(r[11] for r in rows) if rows else 0.0

        # Bucket relevance so that near-equal matches are ordered by recency.
        def key(row: tuple) -> tuple[int, str]:
            share = row[11] / best if best else 1.0
            return (int((1.0 - share) / _TIE_SHARE), _negate(row[5]))

        rows.sort(key=key)
        return [self._document(r) for r in rows[: query.limit]]

    def _row(self, doc_id: str) -> tuple | None:
        if not isinstance(doc_id, str) or not _ID.match(doc_id):
            return None
        with self._lock:
            conn = self._connection()
            return conn.execute(
                f"SELECT {self._COLUMNS} FROM docs d WHERE d.id = ?", (doc_id,)
            ).fetchone()

    def get(self, doc_id: str) -> Document | None:
        """None for any id that is not in the index (including paths and junk)."""
        row = self._row(doc_id)
        return self._document(row) if row else None

    def content(self, doc_id: str) -> bytes:
        """The PDF's bytes; KeyError for any id that is not in the index."""
        row = self._row(doc_id)
        if row is None:
            raise KeyError(doc_id)
        path = self.folder / row[1]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise GedUnavailable(f"Fichier GED illisible : {row[1]}") from error
        if document_id(row[1], data) != doc_id:  # changed since indexing: not the same document
            raise KeyError(doc_id)
        return data


def _negate(iso_date: str) -> str:
    """Sort key putting later ISO dates first."""
    return "".join(chr(ord("9") - ord(c) + ord("0")) if c.isdigit() else c for c in iso_date)
