"""Reads territoire/demandes.yml: where each demande goes, when appointments can be booked.

Kept apart from territoire/communes/*.yml so that the commune files (and their strict loader)
stay as they are. Errors are reported in French with file and line, all at once, like the
territory loader, because a secrétaire de mairie edits this file by hand.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date, time
from functools import lru_cache
from pathlib import Path
from typing import Any

from actions.demandes.models import SERVICES
from actions.territory.loader import DAYS, Issue, _read_yaml
from actions.territory.model import Schedule, Territory, TimeRange
from actions.text import of_place

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "territoire" / "demandes.yml"
INTERCOMMUNALITE = "intercommunalite"
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
RANGE = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")


class DemandesConfigError(Exception):
    """Every problem of demandes.yml, one per line."""

    def __init__(self, issues: list[Issue]):
        self.issues = issues
        super().__init__(
            "La configuration des demandes contient des erreurs :\n"
            + "\n".join(f"  - {i}" for i in issues)
        )


@dataclass(frozen=True)
class BookingRules:
    """Appointment rules of one equipped mairie."""

    jours: Schedule  # weekly ranges in which slots start and end
    duree_minutes: int = 20
    fermetures: tuple[date, ...] = ()
    delai_minimum_heures: int = 2
    horizon_jours: int = 30


@dataclass(frozen=True)
class DemandesConfig:
    mailboxes: dict[str, dict[str, str]]  # insee -> service (or "defaut") -> email
    booking: dict[str, BookingRules]  # insee -> rules
    exemple: bool = False
    intercommunalite_email: str = ""

    def mailbox(self, territory: Territory, insee: str, service: str) -> str:
        """Service mailbox, else the commune's default, else the mairie's courriel."""
        own = self.mailboxes.get(insee, {})
        address = own.get(service) or own.get("defaut") or territory.communes[insee].mairie.courriel
        if address == INTERCOMMUNALITE:
            return territory.intercommunalite.courriel
        return address


@dataclass
class _Reader:
    path: Path
    territory: Territory
    issues: list[Issue] = field(default_factory=list)

    def error(self, line: int, message: str) -> None:
        self.issues.append(Issue(self.path, line, message))

    def commune(self, name: str, line: int) -> str | None:
        commune = self.territory.by_name(name)
        if commune is None:
            self.error(line, f"commune « {name} » inconnue : écrivez son nom comme dans sa fiche.")
            return None
        return commune.insee

    def ranges(self, value: Any, line: int) -> tuple[TimeRange, ...]:
        if not isinstance(value, list):
            self.error(line, 'attendu une liste de plages, par exemple ["09:00-12:00"].')
            return ()
        result = []
        for item in value:
            match = RANGE.match(str(item))
            if not match:
                self.error(line, f"plage « {item} » invalide : écrivez par exemple 09:00-12:00.")
                continue
            h1, m1, h2, m2 = map(int, match.groups())
            if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59 or (h1, m1) >= (h2, m2):
                self.error(
                    line, f"plage « {item} » invalide : l'heure de fin doit suivre le début."
                )
                continue
            result.append(TimeRange(time(h1, m1), time(h2, m2)))
        return tuple(result)

    def positive_int(self, data: dict, key: str, default: int) -> int:
        value = data.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            self.error(
                data.key_lines.get(key, data.line), f"« {key} » doit être un entier positif."
            )
            return default
        return value

    def mailboxes(self, data: Any, line: int) -> dict[str, dict[str, str]]:
        if not isinstance(data, dict):
            self.error(line, "« boites » doit associer des communes à des courriels.")
            return {}
        result: dict[str, dict[str, str]] = {}
        for name, services in data.items():
            name_line = data.key_lines[name]
            insee = self.commune(str(name), name_line)
            if not isinstance(services, dict):
                self.error(name_line, f"« {name} » : attendu des lignes « service: courriel ».")
                continue
            boxes = {}
            for service, address in services.items():
                sline = services.key_lines[service]
                if service != "defaut" and service not in SERVICES:
                    self.error(
                        sline,
                        f"service « {service} » inconnu ; possibles : defaut, "
                        + ", ".join(SERVICES)
                        + ".",
                    )
                elif address != INTERCOMMUNALITE and not EMAIL.match(str(address)):
                    self.error(sline, f"« {address} » n'est pas une adresse de courriel.")
                else:
                    boxes[service] = str(address)
            if insee:
                result[insee] = boxes
        return result

    def booking(self, data: Any, line: int) -> dict[str, BookingRules]:
        if not isinstance(data, dict):
            self.error(line, "« rendez_vous » doit associer des communes à leurs réglages.")
            return {}
        result = {}
        known = {"jours", "duree_minutes", "fermetures", "delai_minimum_heures", "horizon_jours"}
        for name, rules in data.items():
            name_line = data.key_lines[name]
            insee = self.commune(str(name), name_line)
            if not isinstance(rules, dict):
                self.error(name_line, f"« {name} » : réglages de rendez-vous attendus.")
                continue
            for key in set(rules) - known:
                self.error(
                    rules.key_lines[key],
                    f"clé « {key} » inconnue ; possibles : {', '.join(sorted(known))}.",
                )
            if insee is None:
                continue
            commune = self.territory.communes[insee]
            if not commune.mairie.recueil_titres:
                self.error(
                    name_line,
                    f"la mairie {of_place(name)} ne prend pas les demandes de titres "
                    "(recueil_titres: false dans sa fiche).",
                )
            schedule = commune.mairie.horaires
            if "jours" in rules:
                jours = rules["jours"]
                weekly: dict[int, tuple[TimeRange, ...]] = {}
                if not isinstance(jours, dict):
                    self.error(rules.key_lines["jours"], "« jours » : attendu « lundi: [...] »…")
                else:
                    for day, ranges in jours.items():
                        if day not in DAYS:
                            self.error(jours.key_lines[day], f"jour « {day} » inconnu.")
                            continue
                        weekly[DAYS.index(day)] = self.ranges(ranges, jours.key_lines[day])
                # The mairie's own closures still apply to a custom booking week.
                schedule = Schedule(weekly, schedule.closures)
            closures = []
            raw = rules.get("fermetures", [])
            for item in raw if isinstance(raw, list) else []:
                try:
                    closures.append(date.fromisoformat(str(item)))
                except ValueError:
                    self.error(
                        rules.key_lines["fermetures"],
                        f"date « {item} » invalide : écrivez AAAA-MM-JJ, par exemple 2026-12-07.",
                    )
            if not isinstance(raw, list):
                self.error(
                    rules.key_lines["fermetures"], "« fermetures » : liste de dates attendue."
                )
            result[insee] = BookingRules(
                jours=schedule,
                duree_minutes=self.positive_int(rules, "duree_minutes", 20),
                fermetures=tuple(closures),
                delai_minimum_heures=self.positive_int(rules, "delai_minimum_heures", 2),
                horizon_jours=self.positive_int(rules, "horizon_jours", 30),
            )
        return result


def load_config(territory: Territory, path: Path | None = None) -> DemandesConfig:
    """Reads and checks demandes.yml against the territory; raises DemandesConfigError."""
    path = Path(path or os.environ.get("TCHATCHE_DEMANDES_CONFIG") or DEFAULT_PATH)
    reader = _Reader(path, territory)
    data = _read_yaml(path, reader.issues)
    if data is None and not reader.issues:
        data = {}
    if data is not None and not isinstance(data, dict):
        reader.error(1, "le fichier doit contenir « boites: » et « rendez_vous: ».")
        data = None
    config = None
    if data is not None:
        for key in set(data) - {"exemple", "boites", "rendez_vous"}:
            reader.error(
                data.key_lines[key],
                f"clé « {key} » inconnue ; possibles : exemple, boites, rendez_vous.",
            )
        config = DemandesConfig(
            mailboxes=reader.mailboxes(data.get("boites", {}), data.key_lines.get("boites", 1)),
            booking=reader.booking(
                data.get("rendez_vous", {}), data.key_lines.get("rendez_vous", 1)
            ),
            exemple=bool(data.get("exemple", False)),
            intercommunalite_email=territory.intercommunalite.courriel,
        )
    if reader.issues:
        raise DemandesConfigError(reader.issues)
    assert config is not None
    return config


@lru_cache(maxsize=1)
def demandes_config() -> DemandesConfig:
    from actions.territory.loader import territory

    return load_config(territory())
