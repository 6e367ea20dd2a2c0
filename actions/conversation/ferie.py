"""« et si c'est férié ? » after the bins: the territory's holiday rule, and the next holiday.

The rule lives in territoire/territoire.yml (`dechets.jours_feries_sans_collecte`, `report`), the
one the generated collection calendars print. The answer names the holidays without collection
and what happens then, then the next public holiday and whether the bins go out that day.
"""

from __future__ import annotations

from datetime import date

from actions.territory.dates import day_label
from actions.territory.holidays import public_holidays
from actions.territory.hours import MONTHS
from actions.territory.loader import territory
from actions.territory.model import GestionDechets

RESPONSE = "utter_precision_collecte_dechets_ferie"


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " et " + items[-1]


def holiday_facts(waste: GestionDechets, today: date) -> dict[str, str]:
    """Values of the response: « le 1er janvier, le 1er mai et le 25 décembre », what happens
    then, and « le vendredi 25 décembre (Noël) : la collecte est reportée au lendemain »."""
    dates = {name: day for day, name in public_holidays(today.year).items()}
    without = sorted(
        (dates[name] for name in waste.jours_feries_sans_collecte if name in dates),
        key=lambda d: (d.month, d.day),
    )
    named = [f"le {'1er' if d.day == 1 else d.day} {MONTHS[d.month - 1]}" for d in without]
    # Next year's holidays are all ahead of today: there is always a next one.
    day, name = min(
        (day, name)
        for year in (today.year, today.year + 1)
        for day, name in public_holidays(year).items()
        if day >= today
    )
    report = waste.report or "renseignez-vous auprès du gestionnaire des déchets"
    that_day = report if name in waste.jours_feries_sans_collecte else "la collecte est maintenue"
    return {
        "feries_sans_collecte": _listed(named) if named else "aucun",
        "report": report,
        "prochain_ferie": f"{day_label(day, today)} : {that_day}",
    }


def holiday_answer(_text: str, today: date) -> tuple[str, dict[str, str]]:
    """The response and its values, worked out for today (opening.WORKED_OUT)."""
    return RESPONSE, holiday_facts(territory().dechets, today)
