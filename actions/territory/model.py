"""Typed view of the territory configuration (territoire/*.yml), built by loader.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time


@dataclass(frozen=True)
class TimeRange:
    start: time
    end: time


@dataclass(frozen=True)
class Closure:
    start: date
    end: date
    reason: str


@dataclass(frozen=True)
class Schedule:
    """Weekly opening hours (0 = Monday) and exceptional closures; public holidays are implied."""

    weekly: dict[int, tuple[TimeRange, ...]]
    closures: tuple[Closure, ...] = ()


@dataclass(frozen=True)
class Elu:
    nom: str
    fonction: str


@dataclass(frozen=True)
class Mairie:
    adresse: str
    telephone: str
    courriel: str
    recueil_titres: bool
    horaires: Schedule


@dataclass(frozen=True)
class SalleDesFetes:
    nom: str
    capacite: int
    tarif_habitants: int
    tarif_exterieurs: int
    caution: int


@dataclass(frozen=True)
class Ecole:
    nom: str
    adresse: str
    cantine: bool


@dataclass(frozen=True)
class Collecte:
    ordures_menageres: str
    tri_selectif: str
    dechetterie: str


@dataclass(frozen=True)
class Commune:
    nom: str
    insee: str
    mairie: Mairie
    elus: tuple[Elu, ...]
    collecte: Collecte
    salle_des_fetes: SalleDesFetes | None = None
    ecole: Ecole | None = None
    variantes: tuple[str, ...] = ()
    exemple: bool = False


@dataclass(frozen=True)
class Dechetterie:
    ident: str
    nom: str
    adresse: str
    horaires: Schedule


@dataclass(frozen=True)
class Intercommunalite:
    nom: str
    adresse: str
    telephone: str
    courriel: str


@dataclass(frozen=True)
class GestionDechets:
    nom: str
    telephone: str
    # Public holidays (names as in holidays.py) without collection; the others are collected.
    jours_feries_sans_collecte: tuple[str, ...] = ()
    report: str = ""  # what happens to a cancelled collection, e.g. "reportée au lendemain"


@dataclass(frozen=True)
class Territory:
    nom: str
    intercommunalite: Intercommunalite
    dechets: GestionDechets
    competences: dict[str, str]
    dechetteries: dict[str, Dechetterie]
    communes: dict[str, Commune] = field(default_factory=dict)
    exemple: bool = False

    def by_name(self, nom: str) -> Commune | None:
        return next((c for c in self.communes.values() if c.nom == nom), None)

    def mairies_recueil_titres(self) -> list[Commune]:
        """Communes whose mairie takes carte d'identité and passeport applications."""
        return [c for c in self.communes.values() if c.mairie.recueil_titres]
