"""Loads and validates the territory configuration.

A secrétaire de mairie edits these YAML files by hand, so every mistake is reported in French
with the file, the line and what to change, all at once rather than one per run.
"""

from __future__ import annotations

import csv
import difflib
import os
import re
from dataclasses import dataclass
from datetime import date, time
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from actions.territory.holidays import public_holidays
from actions.territory.model import (
    Closure,
    Collecte,
    Commune,
    Dechetterie,
    Ecole,
    Elu,
    GestionDechets,
    Intercommunalite,
    Mairie,
    SalleDesFetes,
    Schedule,
    Territory,
    TimeRange,
)

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "territoire"
DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
TOPICS = (
    "etat_civil",
    "carte_identite_passeport",
    "listes_electorales",
    "recensement_citoyen",
    "urbanisme",
    "salle_des_fetes",
    "cimetiere",
    "inscription_scolaire",
    "menu_cantine",
    "collecte_dechets",
    "dechetterie",
    "signaler_probleme",
)
_RANGE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class Issue:
    file: Path
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, ligne {self.line}" if self.line else f"{self.file}"
        return f"{where} : {self.message}"


class TerritoryError(Exception):
    """All the problems found in the territory files, one per line."""

    def __init__(self, issues: list[Issue]):
        self.issues = issues
        super().__init__(
            "La configuration du territoire contient des erreurs :\n"
            + "\n".join(f"  - {i}" for i in issues)
        )


class _Node(dict):
    """A mapping that remembers the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class _Seq(list):
    line: int = 0
    item_lines: list[int]


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _Node:
    result = _Node()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> _Seq:
    result = _Seq(loader.construct_object(n, deep=True) for n in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [n.start_mark.line + 1 for n in node.value]
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
# Dates stay strings: "2026-12-24" is checked and parsed by the validator, with its line.
_LineLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Checker:
    """Collects issues for one file while converting its content to the model."""

    def __init__(self, file: Path, issues: list[Issue]):
        self.file = file
        self.issues = issues

    def error(self, line: int, message: str) -> None:
        self.issues.append(Issue(self.file, line, message))

    def line_of(self, node: Any, key: str | None = None) -> int:
        if key is not None and isinstance(node, _Node):
            return node.key_lines.get(key, node.line)
        return getattr(node, "line", 1)

    def mapping(
        self, node: Any, where: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> _Node | None:
        if not isinstance(node, _Node):
            self.error(self.line_of(node), f"« {where} » doit être une liste de clés : valeurs.")
            return None
        allowed = required + optional
        for key in node:
            if key not in allowed:
                hint = difflib.get_close_matches(str(key), allowed, n=1)
                advice = f" Vouliez-vous écrire « {hint[0]} » ?" if hint else ""
                self.error(
                    node.key_lines.get(key, node.line),
                    f"clé « {key} » inconnue dans « {where} ».{advice}"
                    f" Clés possibles : {', '.join(allowed)}.",
                )
        for key in required:
            if key not in node:
                self.error(node.line, f"il manque la clé « {key} » dans « {where} ».")
        return node

    def text(self, node: _Node, key: str, where: str) -> str:
        value = node.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if key in node:
                self.error(self.line_of(node, key), f"« {where}.{key} » est vide.")
            return ""
        if not isinstance(value, str | int):
            self.error(self.line_of(node, key), f"« {where}.{key} » doit être un texte.")
            return ""
        return str(value).strip()

    def holidays(self, node: _Node, key: str, where: str) -> tuple[str, ...]:
        value = node.get(key) or []
        names = set(public_holidays(2026).values())
        if not isinstance(value, list) or any(v not in names for v in value):
            self.error(
                self.line_of(node, key),
                f"« {where}.{key} » doit être une liste de jours fériés parmi : "
                f"{', '.join(sorted(names))}.",
            )
            return ()
        return tuple(value)

    def integer(self, node: _Node, key: str, where: str) -> int:
        value = node.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            self.error(
                self.line_of(node, key), f"« {where}.{key} » doit être un nombre entier positif."
            )
            return 0
        return value

    def boolean(self, node: _Node, key: str, where: str, default: bool = False) -> bool:
        value = node.get(key, default)
        if not isinstance(value, bool):
            self.error(
                self.line_of(node, key), f"« {where}.{key} » doit valoir true (oui) ou false (non)."
            )
            return default
        return value

    def day(self, node: _Node, key: str, where: str) -> date | None:
        value = node.get(key)
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.error(
                self.line_of(node, key),
                f"« {where}.{key} » : « {value} » n'est pas une date au format AAAA-MM-JJ.",
            )
            return None

    def schedule(self, node: _Node, key: str, where: str) -> Schedule:
        hours = self.mapping(node.get(key), f"{where}.{key}", (), DAYS)
        weekly: dict[int, tuple[TimeRange, ...]] = {}
        if hours is not None:
            for day_name, ranges in hours.items():
                if day_name not in DAYS:
                    continue
                weekly[DAYS.index(day_name)] = self.ranges(
                    ranges, hours.key_lines[day_name], f"{where}.{key}.{day_name}"
                )
        closures: list[Closure] = []
        raw = node.get("fermetures") or []
        if not isinstance(raw, list):
            self.error(self.line_of(node, "fermetures"), "« fermetures » doit être une liste.")
            raw = []
        for item in raw:
            closure = self.mapping(item, f"{where}.fermetures", ("du", "au"), ("motif",))
            if closure is None:
                continue
            start = self.day(closure, "du", f"{where}.fermetures")
            end = self.day(closure, "au", f"{where}.fermetures")
            if start and end:
                if end < start:
                    self.error(closure.line, "fermeture : la date « au » est avant la date « du ».")
                else:
                    reason = str(closure.get("motif") or "fermeture exceptionnelle")
                    closures.append(Closure(start, end, reason))
        return Schedule(weekly, tuple(closures))

    def ranges(self, value: Any, line: int, where: str) -> tuple[TimeRange, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.error(line, f'« {where} » doit être une liste, par exemple ["09:00-12:00"].')
            return ()
        result: list[TimeRange] = []
        for item in value:
            match = _RANGE.match(str(item).replace(" ", ""))
            if not match:
                self.error(
                    line,
                    f"« {where} » : « {item} » n'est pas une plage horaire."
                    ' Écrivez par exemple "09:00-12:00".',
                )
                continue
            h1, m1, h2, m2 = (int(g) for g in match.groups())
            start, end = time(h1, m1), time(h2, m2)
            if end <= start:
                self.error(line, f"« {where} » : « {item} » finit avant de commencer.")
                continue
            result.append(TimeRange(start, end))
        result.sort(key=lambda r: r.start)
        for before, after in zip(result, result[1:], strict=False):
            if after.start < before.end:
                self.error(line, f"« {where} » : deux plages horaires se chevauchent.")
        return tuple(result)


def _read_yaml(path: Path, issues: list[Issue]) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else 1
        issues.append(Issue(path, line, f"syntaxe YAML invalide ({exc.problem})."))
    except (OSError, UnicodeDecodeError) as exc:
        issues.append(Issue(path, 1, f"fichier illisible ({exc})."))
    return None


def _reference_communes(directory: Path, issues: list[Issue]) -> dict[str, str]:
    """INSEE code -> official name, from the INSEE list shipped with the territory."""
    path = directory / "communes_insee.csv"
    try:
        with path.open(encoding="utf-8") as handle:
            return {row["code_insee"]: row["nom"] for row in csv.DictReader(handle)}
    except (OSError, KeyError) as exc:
        issues.append(Issue(path, 1, f"liste INSEE illisible ({exc})."))
        return {}


def _load_commune(path: Path, issues: list[Issue], reference: dict[str, str]) -> Commune | None:
    data = _read_yaml(path, issues)
    if data is None:
        return None
    check = _Checker(path, issues)
    root = check.mapping(
        data,
        "commune",
        ("commune", "insee", "mairie", "elus", "collecte"),
        ("exemple", "variantes", "salle_des_fetes", "ecole"),
    )
    if root is None:
        return None
    nom = check.text(root, "commune", "commune")
    insee = check.text(root, "insee", "commune")
    if insee and insee not in reference:
        check.error(
            check.line_of(root, "insee"),
            f"code INSEE « {insee} » absent de la liste des communes du territoire.",
        )
    elif insee and nom and reference[insee] != nom:
        check.error(
            check.line_of(root, "commune"),
            f"le code INSEE {insee} correspond à « {reference[insee]} », pas à « {nom} ».",
        )
    mairie = check.mapping(
        root.get("mairie"),
        "mairie",
        ("adresse", "telephone", "courriel", "horaires"),
        ("recueil_titres", "fermetures"),
    )
    elus_raw = root.get("elus")
    elus: list[Elu] = []
    if not isinstance(elus_raw, list) or not elus_raw:
        check.error(check.line_of(root, "elus"), "« elus » doit être une liste non vide.")
    else:
        for item in elus_raw:
            elu = check.mapping(item, "elus", ("nom", "fonction"))
            if elu is not None:
                elus.append(
                    Elu(check.text(elu, "nom", "elus"), check.text(elu, "fonction", "elus"))
                )
    collecte = check.mapping(
        root.get("collecte"), "collecte", ("ordures_menageres", "tri_selectif", "dechetterie")
    )
    salle = None
    if root.get("salle_des_fetes") is not None:
        node = check.mapping(
            root["salle_des_fetes"],
            "salle_des_fetes",
            ("nom", "capacite", "tarif_habitants", "tarif_exterieurs", "caution"),
        )
        if node is not None:
            salle = SalleDesFetes(
                check.text(node, "nom", "salle_des_fetes"),
                check.integer(node, "capacite", "salle_des_fetes"),
                check.integer(node, "tarif_habitants", "salle_des_fetes"),
                check.integer(node, "tarif_exterieurs", "salle_des_fetes"),
                check.integer(node, "caution", "salle_des_fetes"),
            )
    ecole = None
    if root.get("ecole") is not None:
        node = check.mapping(root["ecole"], "ecole", ("nom", "adresse"), ("cantine",))
        if node is not None:
            ecole = Ecole(
                check.text(node, "nom", "ecole"),
                check.text(node, "adresse", "ecole"),
                check.boolean(node, "cantine", "ecole", default=True),
            )
    variantes = root.get("variantes") or []
    if not isinstance(variantes, list):
        check.error(check.line_of(root, "variantes"), "« variantes » doit être une liste.")
        variantes = []
    if mairie is None or collecte is None:
        return None
    return Commune(
        nom=nom,
        insee=insee,
        mairie=Mairie(
            adresse=check.text(mairie, "adresse", "mairie"),
            telephone=check.text(mairie, "telephone", "mairie"),
            courriel=check.text(mairie, "courriel", "mairie"),
            recueil_titres=check.boolean(mairie, "recueil_titres", "mairie"),
            horaires=check.schedule(mairie, "horaires", "mairie"),
        ),
        elus=tuple(elus),
        collecte=Collecte(
            check.text(collecte, "ordures_menageres", "collecte"),
            check.text(collecte, "tri_selectif", "collecte"),
            check.text(collecte, "dechetterie", "collecte"),
        ),
        salle_des_fetes=salle,
        ecole=ecole,
        variantes=tuple(str(v) for v in variantes),
        exemple=check.boolean(root, "exemple", "commune"),
    )


def load_territory(directory: Path | None = None) -> Territory:
    """Reads territoire.yml and communes/*.yml; raises TerritoryError listing every problem."""
    directory = Path(directory or os.environ.get("TCHATCHE_TERRITOIRE") or DEFAULT_DIR)
    issues: list[Issue] = []
    reference = _reference_communes(directory, issues)
    main_path = directory / "territoire.yml"
    data = _read_yaml(main_path, issues)
    check = _Checker(main_path, issues)
    root = None
    if data is not None:
        root = check.mapping(
            data,
            "territoire",
            ("nom", "intercommunalite", "dechets", "competences", "dechetteries"),
            ("exemple",),
        )
    inter = Intercommunalite("", "", "", "")
    dechets = GestionDechets("", "")
    competences: dict[str, str] = {}
    dechetteries: dict[str, Dechetterie] = {}
    if root is not None:
        node = check.mapping(
            root.get("intercommunalite"),
            "intercommunalite",
            ("nom", "adresse", "telephone", "courriel"),
        )
        if node is not None:
            inter = Intercommunalite(
                check.text(node, "nom", "intercommunalite"),
                check.text(node, "adresse", "intercommunalite"),
                check.text(node, "telephone", "intercommunalite"),
                check.text(node, "courriel", "intercommunalite"),
            )
        node = check.mapping(
            root.get("dechets"),
            "dechets",
            ("nom", "telephone"),
            ("jours_feries_sans_collecte", "report"),
        )
        if node is not None:
            dechets = GestionDechets(
                check.text(node, "nom", "dechets"),
                check.text(node, "telephone", "dechets"),
                check.holidays(node, "jours_feries_sans_collecte", "dechets"),
                check.text(node, "report", "dechets") if "report" in node else "",
            )
        comp = check.mapping(root.get("competences"), "competences", (), TOPICS)
        if comp is not None:
            for topic, who in comp.items():
                if who not in ("commune", "intercommunalite"):
                    check.error(
                        comp.key_lines[topic],
                        f"« competences.{topic} » doit valoir « commune » ou « intercommunalite ».",
                    )
                else:
                    competences[topic] = who
        sites = root.get("dechetteries")
        if not isinstance(sites, _Node):
            check.error(
                check.line_of(root, "dechetteries"), "« dechetteries » doit être une liste."
            )
        else:
            for ident, raw in sites.items():
                site = check.mapping(raw, f"dechetteries.{ident}", ("nom", "adresse", "horaires"))
                if site is not None:
                    dechetteries[str(ident)] = Dechetterie(
                        str(ident),
                        check.text(site, "nom", f"dechetteries.{ident}"),
                        check.text(site, "adresse", f"dechetteries.{ident}"),
                        check.schedule(site, "horaires", f"dechetteries.{ident}"),
                    )
    communes: dict[str, Commune] = {}
    files: dict[str, Path] = {}
    for path in sorted((directory / "communes").glob("*.yml")):
        commune = _load_commune(path, issues, reference)
        if commune is None or not commune.insee:
            continue
        if commune.insee in communes:
            issues.append(
                Issue(
                    path,
                    1,
                    f"la commune {commune.insee} est déjà décrite dans {files[commune.insee]}.",
                )
            )
            continue
        if dechetteries and commune.collecte.dechetterie not in dechetteries:
            issues.append(
                Issue(
                    path,
                    1,
                    f"déchetterie « {commune.collecte.dechetterie} » inconnue ; possibles : "
                    + ", ".join(dechetteries),
                )
            )
        communes[commune.insee] = commune
        files[commune.insee] = path
    for insee, nom in reference.items():
        if insee not in communes and not any(i.file.parent.name == "communes" for i in issues):
            issues.append(
                Issue(directory / "communes", 0, f"aucune fiche pour la commune {nom} ({insee}).")
            )
    if issues:
        raise TerritoryError(issues)
    return Territory(
        nom=str(root.get("nom")) if root else "",
        intercommunalite=inter,
        dechets=dechets,
        competences=competences,
        dechetteries=dechetteries,
        communes=communes,
        exemple=bool(root.get("exemple")) if root else False,
    )


@lru_cache(maxsize=1)
def territory() -> Territory:
    """The territory loaded once per process (the action server reads it at start)."""
    return load_territory()
