"""Reads a commune's GED folder (PDFs + documents.yml, format in ged/LISEZMOI.md).

The folder is prepared by hand in a mairie: every mistake must be reported in French with the file
and the entry number, so that the secretary can fix it without reading Python.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from actions.documents.model import DOC_TYPES

ROOT = Path(__file__).resolve().parents[2]
INDEX_FILE = "documents.yml"
KEYS = ("fichier", "titre", "type", "communes", "date", "audience", "valide_du", "valide_au",
        "mots_cles")  # fmt: skip


@dataclass(frozen=True)
class FolderEntry:
    """One validated entry of documents.yml."""

    number: int  # 1-based, as the secretary counts
    path: Path
    filename: str
    title: str
    doc_type: str
    communes: tuple[str, ...]
    date: dt.date
    audience: str
    valid_from: dt.date | None
    valid_until: dt.date | None
    tags: tuple[str, ...]


class FolderError(ValueError):
    """The folder cannot be imported; `problems` lists every mistake found, in French."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@lru_cache(maxsize=1)
def known_insee() -> frozenset[str]:
    """The 26 INSEE codes of the territory (territoire/communes_insee.csv)."""
    with (ROOT / "territoire" / "communes_insee.csv").open(encoding="utf-8") as handle:
        return frozenset(row["code_insee"] for row in csv.DictReader(handle))


def _date(value: Any, where: str, key: str, problems: list[str]) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        problems.append(f"{where} : « {key} » doit être une date AAAA-MM-JJ, pas « {value} ».")
        return None


def _entry(raw: Any, number: int, folder: Path, problems: list[str]) -> FolderEntry | None:
    where = f"{folder / INDEX_FILE}, entrée n° {number}"
    if not isinstance(raw, dict):
        problems.append(f"{where} : chaque entrée doit être un dictionnaire (fichier, titre…).")
        return None
    before = len(problems)
    unknown = sorted(set(raw) - set(KEYS))
    if unknown:
        problems.append(f"{where} : clé inconnue {', '.join(unknown)}.")
    for key in ("fichier", "titre", "type", "date"):
        if not raw.get(key):
            problems.append(f"{where} : « {key} » est obligatoire.")
    filename = str(raw.get("fichier") or "")
    where = f"{where} ({filename})" if filename else where
    path = folder / filename
    if filename and (Path(filename).name != filename or filename.startswith(".")):
        problems.append(f"{where} : « fichier » doit être un simple nom de fichier du dossier.")
    elif filename and not path.is_file():
        problems.append(f"{where} : le fichier {filename} est introuvable dans {folder}.")
    elif filename and not filename.lower().endswith(".pdf"):
        problems.append(f"{where} : seuls les fichiers PDF sont acceptés.")
    doc_type = raw.get("type")
    if doc_type and doc_type not in DOC_TYPES:
        problems.append(f"{where} : type « {doc_type} » inconnu ; types : {', '.join(DOC_TYPES)}.")
    communes = raw.get("communes", [])
    if communes is None:
        communes = []
    if not isinstance(communes, list):
        problems.append(f"{where} : « communes » doit être une liste de codes INSEE ([] = toutes).")
        communes = []
    codes = tuple(str(c) for c in communes)
    for code in codes:
        if code not in known_insee():
            problems.append(f"{where} : code INSEE {code} absent de territoire/communes_insee.csv.")
    audience = raw.get("audience", "public")
    if audience not in ("public", "elus"):
        problems.append(f"{where} : « audience » vaut public ou elus, pas « {audience} ».")
    date = _date(raw.get("date"), where, "date", problems)
    valid_from = _date(raw.get("valide_du"), where, "valide_du", problems)
    valid_until = _date(raw.get("valide_au"), where, "valide_au", problems)
    if (valid_from is None) != (valid_until is None):
        problems.append(f"{where} : « valide_du » et « valide_au » vont ensemble.")
    elif valid_from and valid_until and valid_from > valid_until:
        problems.append(f"{where} : « valide_du » est après « valide_au ».")
    tags = raw.get("mots_cles") or []
    if not isinstance(tags, list):
        problems.append(f"{where} : « mots_cles » doit être une liste.")
        tags = []
    if len(problems) > before or date is None:
        return None
    return FolderEntry(
        number=number,
        path=path,
        filename=filename,
        title=str(raw["titre"]),
        doc_type=str(doc_type),
        communes=codes,
        date=date,
        audience=audience,
        valid_from=valid_from,
        valid_until=valid_until,
        tags=tuple(str(t) for t in tags),
    )


def read_folder(folder: Path) -> list[FolderEntry]:
    """All entries of `folder`/documents.yml, or FolderError listing every problem."""
    index = folder / INDEX_FILE
    if not index.is_file():
        raise FolderError([f"{index} : fichier introuvable (voir ged/LISEZMOI.md)."])
    try:
        data = yaml.safe_load(index.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise FolderError([f"{index} : YAML illisible ({error}).".replace("\n", " ")]) from error
    if data is None:
        data = []
    if not isinstance(data, list):
        raise FolderError([f"{index} : le fichier doit contenir une liste d'entrées."])
    problems: list[str] = []
    entries: list[FolderEntry] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(data, start=1):
        entry = _entry(raw, number, folder, problems)
        if entry is None:
            continue
        if entry.filename in seen:
            problems.append(
                f"{index}, entrée n° {number} ({entry.filename}) : fichier déjà décrit "
                f"à l'entrée n° {seen[entry.filename]}."
            )
            continue
        seen[entry.filename] = number
        entries.append(entry)
    if problems:
        raise FolderError(problems)
    return entries
