"""Slot values naming the office that covers a commune for an orientation subject."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from actions.orientation.annuaire import Annuaire, Office, annuaire
from actions.orientation.subjects import subjects
from actions.territory.hours import fmt_time, opening_state, weekly_text

EXAMPLE_NOTE = "\n(Coordonnées d'exemple de la démonstration, à vérifier dans l'annuaire officiel.)"
FRANCE_SERVICES = "france_services"


def today_text(office: Office, now: datetime) -> str:
    """ "ouvert en ce moment, jusqu'à 16 h 30" or "fermé en ce moment ; prochaine ouverture …"."""
    state = opening_state(office.horaires, now)
    if state.status == "ouverte":
        return f"ouvert en ce moment, jusqu'à {fmt_time(state.closes_at)}"
    if state.status == "ferme_bientot":
        return f"ouvert, mais il ferme bientôt : à {fmt_time(state.closes_at)}"
    reason = f" ({state.reason_closed})" if state.reason_closed else ""
    if state.next_opening is None:
        return f"fermé en ce moment{reason} ; aucune ouverture prévue dans les deux prochains mois"
    return f"fermé en ce moment{reason} ; prochaine ouverture : {state.describe_next(now)}"


def _phone(office: Office) -> str:
    if not office.telephone:
        return "non communiqué"
    return (
        f"{office.telephone} ({office.telephone_note})"
        if office.telephone_note
        else (office.telephone)
    )


def orientation_facts(
    subject: str, insee: str, now: datetime, directory: Annuaire | None = None
) -> dict[str, Any]:
    directory = directory or annuaire()
    rule = subjects()[subject]
    office = directory.office_for(insee, rule.organismes)
    facts: dict[str, Any] = {
        "organisme_trouve": office is not None,
        "organisme_nom": None,
        "organisme_adresse": None,
        "organisme_telephone": None,
        "organisme_aujourdhui": None,
        "organisme_horaires": None,
        "organisme_exemple": "",
        "france_services_aide": False,
        "france_services_nom": None,
        "france_services_adresse": None,
        "france_services_telephone": None,
        "france_services_aujourdhui": None,
    }
    if office is not None:
        facts.update(
            organisme_nom=office.nom,
            organisme_adresse=office.adresse or "non communiquée",
            organisme_telephone=_phone(office),
            organisme_aujourdhui=today_text(office, now),
            organisme_horaires=weekly_text(office.horaires),
            organisme_exemple=EXAMPLE_NOTE if office.exemple else "",
        )
    helper = directory.office_for(insee, [FRANCE_SERVICES]) if rule.france_services else None
    if helper is not None and helper != office:
        facts.update(_helper_facts(helper, now))
    return facts


def _helper_facts(helper: Office, now: datetime) -> dict[str, Any]:
    """The France Services office that helps with the procedure, as response slots."""
    return {
        "france_services_aide": True,
        "france_services_nom": helper.nom,
        "france_services_adresse": helper.adresse or "adresse non communiquée",
        "france_services_telephone": _phone(helper),
        "france_services_aujourdhui": today_text(helper, now),
    }


def france_services_facts(
    insee: str, now: datetime, directory: Annuaire | None = None
) -> dict[str, Any]:
    """The France Services office that helps a resident of `insee` with papers, alone (« j'ai
    besoin d'aide pour mes papiers »: no subject, so no office of a subject)."""
    helper = (directory or annuaire()).office_for(insee, [FRANCE_SERVICES])
    return {"france_services_aide": False} if helper is None else _helper_facts(helper, now)
