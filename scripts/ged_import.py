"""Loads a commune's documents (a folder of PDFs + documents.yml) into Mayan EDMS.

    python -m scripts.ged_import --dossier var/ged/demo [--url URL --user USER --password PASS]

Defaults come from TCHATCHE_MAYAN_URL, TCHATCHE_MAYAN_USER and TCHATCHE_MAYAN_PASSWORD.
It creates what Tchatche needs in Mayan if missing (a document type and the tchatche_* metadata
types that actions/documents/mayan.py reads), then uploads each PDF with its metadata.
Re-running is safe: a document is recognised by its file name (metadata tchatche_fichier); an
unchanged file is not sent again, a changed one becomes a new file of the same document (its id,
hence the links already given to residents, stays the same), changed metadata is updated.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from actions.documents.folder import FolderEntry, FolderError, read_folder
from actions.documents.mayan import (
    DOCUMENT_FIELDS,
    DOCUMENT_TYPE_LABEL,
    METADATA_FIELDS,
    METADATA_TYPES,
    MayanStore,
)
from actions.documents.model import GedUnavailable

# An upload makes Mayan parse (and, unless disabled, OCR) the file inside the request.
_IMPORT_TIMEOUT = 300.0


@dataclass(frozen=True)
class Entry:
    """One document to import: its file, title and the tchatche_* metadata Mayan will hold."""

    path: Path
    title: str
    metadata: dict[str, str]  # tchatche_* name -> value ("" = no value)


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def to_entry(item: FolderEntry) -> Entry:
    """The Mayan form of a documents.yml entry (already validated by actions/documents/folder)."""
    return Entry(
        path=item.path,
        title=item.title,
        metadata={
            "tchatche_type": item.doc_type,
            "tchatche_communes": " ".join(item.communes),
            "tchatche_date": item.date.isoformat(),
            "tchatche_audience": item.audience,
            "tchatche_valide_du": _iso(item.valid_from),
            "tchatche_valide_au": _iso(item.valid_until),
            "tchatche_mots_cles": ", ".join(item.tags),
            "tchatche_fichier": item.filename,
        },
    )


class Importer:
    """The Mayan side of the import; every call goes through MayanStore.request."""

    def __init__(self, store: MayanStore, ocr: bool) -> None:
        self.store = store
        self.ocr = ocr

    def _deadline(self) -> float:
        return time.monotonic() + self.store.timeout

    def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.store.request(method, path, self._deadline(), **kwargs)
        if response.status_code == 404:
            raise GedUnavailable(f"la GED ne connaît pas {path}")
        return response.json() if response.content else None

    def ensure_schema(self) -> int:
        """Creates the document type and metadata types if missing; returns the type's id."""
        type_id = self.store.document_type_id(self._deadline())
        if type_id is None:
            type_id = int(
                self._json("POST", "document_types/", json={"label": DOCUMENT_TYPE_LABEL})["id"]
            )
            self.store._document_type_id = type_id
        # Born-digital PDFs have a text layer that Mayan's parser reads; OCR is for scans and
        # costs about a second per page. The choice is stored on the document type.
        self._json("PATCH", f"document_types/{type_id}/ocr/settings/", json={"auto_ocr": self.ocr})
        known = self.store.metadata_type_ids(self._deadline())
        for name, label in METADATA_TYPES.items():
            if name not in known:
                created = self._json("POST", "metadata_types/", json={"name": name, "label": label})
                known[name] = int(created["id"])
        attached = {
            item["metadata_type"]["id"]
            for item in self.store.iterate(
                f"document_types/{type_id}/metadata_types/",
                self._deadline(),
                _fields_only="id,metadata_type__id",
            )
        }
        for name in METADATA_TYPES:
            if known[name] not in attached:
                self._json(
                    "POST",
                    f"document_types/{type_id}/metadata_types/",
                    json={"metadata_type_id": known[name], "required": False},
                )
        return type_id

    def existing(self, type_id: int) -> dict[str, dict[str, Any]]:
        """Documents already imported, by original file name."""
        found: dict[str, dict[str, Any]] = {}
        for item in self.store.iterate(
            f"document_types/{type_id}/documents/", self._deadline(), _fields_only=DOCUMENT_FIELDS
        ):
            metadata = self.metadata(int(item["id"]))
            # The uploaded file keeps its name: a document whose metadata step was interrupted
            # is found again by it, instead of being uploaded twice.
            name = (metadata.get("tchatche_fichier") or {}).get("value") or (
                item.get("file_latest") or {}
            ).get("filename")
            if name and name not in found:
                found[name] = {"document": item, "metadata": metadata}
        return found

    def metadata(self, doc_id: int) -> dict[str, dict[str, Any]]:
        """The document's metadata entries ({id, value}) by metadata type name."""
        return {
            m["metadata_type"]["name"]: m
            for m in self.store.iterate(
                f"documents/{doc_id}/metadata/", self._deadline(), _fields_only=METADATA_FIELDS
            )
        }

    def set_metadata(self, doc_id: int, wanted: dict[str, str], current: dict[str, Any]) -> bool:
        """Brings the document's tchatche_* metadata to `wanted`; True if something changed."""
        changed = False
        ids = self.store.metadata_type_ids(self._deadline())
        for name, value in wanted.items():
            have = current.get(name)
            if have is None:
                if value:
                    self._json(
                        "POST",
                        f"documents/{doc_id}/metadata/",
                        json={"metadata_type_id": ids[name], "value": value},
                    )
                    changed = True
            elif (have.get("value") or "") != value:
                self._json(
                    "PATCH", f"documents/{doc_id}/metadata/{have['id']}/", json={"value": value}
                )
                changed = True
        return changed

    def upload(self, type_id: int, entry: Entry) -> int:
        with entry.path.open("rb") as file:
            created = self._json(
                "POST",
                "documents/upload/",
                data={"document_type_id": type_id, "label": entry.title, "language": "fra"},
                files={"file": (entry.path.name, file, "application/pdf")},
            )
        return int(created["id"])

    def replace_file(self, doc_id: int, entry: Entry) -> None:
        with entry.path.open("rb") as file:
            self._json(
                "POST",
                f"documents/{doc_id}/files/",
                data={"action_name": "replace", "comment": "Mise à jour (import Tchatche)"},
                files={"file_new": (entry.path.name, file, "application/pdf")},
            )

    def run(self, entries: list[Entry]) -> dict[str, int]:
        type_id = self.ensure_schema()
        existing = self.existing(type_id)
        counts = {"ajoutés": 0, "mis à jour": 0, "inchangés": 0}
        for entry in entries:
            known = existing.get(entry.path.name)
            if known is None:
                doc_id = self.upload(type_id, entry)
                self.set_metadata(doc_id, entry.metadata, self.metadata(doc_id))
                counts["ajoutés"] += 1
                continue
            document = known["document"]
            doc_id = int(document["id"])
            changed = False
            checksum = hashlib.sha256(entry.path.read_bytes()).hexdigest()
            if (document.get("file_latest") or {}).get("checksum") != checksum:
                self.replace_file(doc_id, entry)
                changed = True
            if document.get("label") != entry.title:
                self._json("PATCH", f"documents/{doc_id}/", json={"label": entry.title})
                changed = True
            changed |= self.set_metadata(doc_id, entry.metadata, known["metadata"])
            counts["mis à jour" if changed else "inchangés"] += 1
        self.store.invalidate()
        return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Importe les documents d'une commune dans Mayan EDMS."
    )
    parser.add_argument(
        "--dossier", required=True, type=Path, help="dossier avec documents.yml et les PDF"
    )
    parser.add_argument(
        "--url", default=os.environ.get("TCHATCHE_MAYAN_URL", "http://127.0.0.1:8010")
    )
    parser.add_argument("--user", default=os.environ.get("TCHATCHE_MAYAN_USER", "admin"))
    parser.add_argument("--password", default=os.environ.get("TCHATCHE_MAYAN_PASSWORD"))
    parser.add_argument(
        "--ocr",
        action="store_true",
        help="faire l'OCR des fichiers (documents scannés ; environ 1 s par page en plus)",
    )
    args = parser.parse_args(argv)
    if not args.password:
        print(
            "ERREUR : mot de passe de la GED manquant (--password ou TCHATCHE_MAYAN_PASSWORD).",
            file=sys.stderr,
        )
        return 2
    started = time.monotonic()
    try:
        entries = [to_entry(item) for item in read_folder(args.dossier)]
    except FolderError as error:
        print(f"ERREUR : le dossier {args.dossier} ne peut pas être importé :", file=sys.stderr)
        for problem in error.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 2
    store = MayanStore(args.url, args.user, args.password, timeout=_IMPORT_TIMEOUT)
    try:
        counts = Importer(store, ocr=args.ocr).run(entries)
    except GedUnavailable as error:
        print(
            f"ERREUR : import interrompu, la GED ({args.url}) est indisponible : {error}",
            file=sys.stderr,
        )
        return 1
    took = time.monotonic() - started
    print(
        f"Import terminé dans Mayan ({args.url}) : {len(entries)} documents lus, "
        f"{counts['ajoutés']} ajoutés, {counts['mis à jour']} mis à jour, "
        f"{counts['inchangés']} inchangés, en {took:.1f} s."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
