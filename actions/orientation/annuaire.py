"""Reads the offices directory in the shape of Service-Public.fr's Annuaire de l'administration.

The real export nests JSON strings inside JSON records (`pivot`, `adresse`, `telephone`,
`plage_ouverture`…); this loader accepts both that and plain values, so a commune can drop in an
official export unchanged. Which office covers which commune comes only from `pivot` (INSEE codes).
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from datetime import time
from functools import lru_cache
from pathlib import Path
from typing import Any

from actions.territory.model import Schedule, TimeRange

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_PATH = ROOT / "territoire" / "annuaire" / "annuaire.json"
DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
# Older names of office types still found in exports.
TYPE_ALIASES = {"pole_emploi": "france_travail", "msap": "france_services", "cdad": "point_justice"}


class AnnuaireError(ValueError):
    """A directory file that cannot be used; the message says what to fix, in French."""


@dataclass(frozen=True)
class Office:
    id: str
    nom: str
    types: tuple[str, ...]
    communes: frozenset[str]  # INSEE codes covered
    adresse: str
    telephone: str | None
    telephone_note: str | None
    courriel: str | None
    site: str | None
    horaires: Schedule
    url: str | None
    exemple: bool


def _decoded(value: Any) -> Any:
    """Export fields are often JSON text inside JSON: decode them when they look like JSON."""
    if isinstance(value, str) and value.strip()[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def _as_list(value: Any) -> list[Any]:
    value = _decoded(value)
    if value in (None, ""):
        return []
    return value if isinstance(value, list) else [value]


def _time(value: str) -> time | None:
    value = (value or "").strip()
    if not value:
        return None
    parts = value.split(":")
    return time(int(parts[0]), int(parts[1]) if len(parts) > 1 else 0)


def _schedule(raw: Any, where: str) -> Schedule:
    weekly: dict[int, list[TimeRange]] = {}
    for row in _as_list(raw):
        if not isinstance(row, dict):
            raise AnnuaireError(f"{where} : « plage_ouverture » doit être une liste de plages.")
        first = str(row.get("nom_jour_debut", "")).strip().lower()
        last = str(row.get("nom_jour_fin", "") or first).strip().lower()
        if first not in DAYS or last not in DAYS:
            raise AnnuaireError(
                f"{where} : jour inconnu dans « plage_ouverture » ({first!r} à {last!r}). "
                "Écrivez Lundi, Mardi… Dimanche."
            )
        ranges = []
        for n in (1, 2):
            start = _time(str(row.get(f"valeur_heure_debut_{n}") or ""))
            end = _time(str(row.get(f"valeur_heure_fin_{n}") or ""))
            if start and end:
                if end <= start:
                    raise AnnuaireError(f"{where} : une plage horaire finit avant de commencer.")
                ranges.append(TimeRange(start, end))
        for day in range(DAYS.index(first), DAYS.index(last) + 1):
            weekly.setdefault(day, []).extend(ranges)
    return Schedule({d: tuple(sorted(r, key=lambda x: x.start)) for d, r in weekly.items()})


def _address(raw: Any) -> str:
    for item in _as_list(raw):
        if isinstance(item, dict):
            street = ", ".join(p for p in (item.get("numero_voie"), item.get("complement1")) if p)
            town = " ".join(p for p in (item.get("code_postal"), item.get("nom_commune")) if p)
            return ", ".join(p for p in (street, town) if p)
        if isinstance(item, str) and item:
            return item
    return ""


def _first_value(raw: Any) -> tuple[str | None, str | None]:
    for item in _as_list(raw):
        if isinstance(item, dict) and item.get("valeur"):
            return str(item["valeur"]), (item.get("description") or None)
        if isinstance(item, str) and item:
            return item, None
    return None, None


def _office(record: dict[str, Any], where: str) -> Office:
    nom = str(record.get("nom") or "").strip()
    if not nom:
        raise AnnuaireError(f"{where} : le champ « nom » est vide.")
    types: list[str] = []
    communes: set[str] = set()
    for item in _as_list(record.get("pivot")):
        if not isinstance(item, dict) or "type_service_local" not in item:
            raise AnnuaireError(
                f"{where} ({nom}) : « pivot » doit lister des objets "
                "{type_service_local, code_insee_commune}."
            )
        kind = str(item["type_service_local"])
        types.append(TYPE_ALIASES.get(kind, kind))
        codes = item.get("code_insee_commune") or []
        communes.update(str(c) for c in (codes if isinstance(codes, list) else [codes]))
    if not types:
        raise AnnuaireError(f"{where} ({nom}) : « pivot » est vide : quel type de bureau ?")
    telephone, note = _first_value(record.get("telephone"))
    site, _ = _first_value(record.get("site_internet"))
    return Office(
        id=str(record.get("id") or nom),
        nom=nom,
        types=tuple(types),
        communes=frozenset(communes),
        adresse=_address(record.get("adresse")),
        telephone=telephone,
        telephone_note=note,
        courriel=str(record.get("adresse_courriel") or "") or None,
        site=site,
        horaires=_schedule(record.get("plage_ouverture"), f"{where} ({nom})"),
        url=str(record.get("url_service_public") or "") or None,
        exemple=bool(record.get("tchatche_exemple")),
    )


def _records(data: Any) -> list[dict[str, Any]]:
    """A plain list (bulk export), or the Opendatasoft API shapes (`results`, `records`)."""
    if isinstance(data, dict):
        if isinstance(data.get("results"), list):
            data = data["results"]
        elif isinstance(data.get("records"), list):
            data = [r.get("fields", r) if isinstance(r, dict) else r for r in data["records"]]
        elif "nom" in data:  # a single record
            data = [data]
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise AnnuaireError("le fichier doit contenir une liste de fiches (objets JSON).")
    return data


class Annuaire:
    def __init__(self, offices: list[Office]) -> None:
        self.offices = offices

    def office_for(self, insee: str, types: list[str] | tuple[str, ...]) -> Office | None:
        """First office, in the order of `types`, whose pivot covers the commune."""
        for kind in types:
            for office in self.offices:
                if kind in office.types and insee in office.communes:
                    return office
        return None


def load_annuaire(path: Path | str) -> Annuaire:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise AnnuaireError(f"{path} : fichier illisible ({exc.strerror}).") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        # JSON Lines (one record per line), another export format.
        try:
            data = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as exc:
            raise AnnuaireError(
                f"{path}, ligne {exc.lineno} : ce n'est pas du JSON valide ({exc.msg})."
            ) from exc
    try:
        records = _records(data)
    except AnnuaireError as exc:
        raise AnnuaireError(f"{path} : {exc}") from exc
    return Annuaire([_office(r, f"{path.name}, fiche {i}") for i, r in enumerate(records, 1)])


@lru_cache(maxsize=1)
def annuaire() -> Annuaire:
    return load_annuaire(os.environ.get("TCHATCHE_ANNUAIRE") or DEFAULT_PATH)


def main() -> int:
    """Checks the directory against territoire/orientation.yml: every subject, every commune."""
    from actions.orientation.subjects import subjects
    from actions.territory.loader import territory

    try:
        directory = annuaire()
        rules = subjects()
    except (AnnuaireError, ValueError) as exc:
        print(f"ERREUR : {exc}")
        return 1
    missing = [
        f"{c.nom} : aucun bureau pour « {name} » (types {', '.join(s.organismes)})"
        for name, s in rules.items()
        for c in territory().communes.values()
        if directory.office_for(c.insee, s.organismes) is None
    ]
    print(f"{len(directory.offices)} bureaux lus, {len(rules)} sujets d'orientation.")
    for line in missing:
        print(f"ATTENTION : {line}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
