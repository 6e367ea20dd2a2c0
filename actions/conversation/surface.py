"""« elle fait 25 m² » after a building question: the authorisation for that very surface.

The thresholds are those of the follow-up response `utter_precision_urbanisme_surface` (fiche
F17578), which follows this line with the whole rule: the resident reads their own case first.
"""

from __future__ import annotations

import re
import unicodedata

from rasa_sdk.executor import CollectingDispatcher

# « 25m2 », « 25 m² », « 12,5 mètres carrés »: the figure before the unit.
SURFACE = re.compile(r"(\d+(?:[.,]\d+)?) ?(?:m2|m 2|metres? carres?|m carres?)\b")
# travaux → (no formality up to, declaration up to): then a building permit.
THRESHOLDS = {"piscine": (10, 100)}
DEFAULT = (5, 20)
ASPECT = "surface"
RESPONSE = "utter_surface_dite"  # « Pour {surface} m² : {autorisation}. »
PLU_EXTENSION = 40  # extending a house in a PLU's urban zone: a declaration up to 40 m²


def said_surface(text: str) -> float | None:
    folded = unicodedata.normalize("NFKD", text.lower())  # « ² » becomes « 2 »
    found = SURFACE.search("".join(c for c in folded if not unicodedata.combining(c)))
    return float(found.group(1).replace(",", ".")) if found else None


def verdict(text: str, travaux: str | None) -> tuple[str, str] | None:
    """The surface said as written in the answer, and its authorisation; None without one."""
    surface = said_surface(text)
    if surface is None:
        return None
    shown = f"{surface:g}".replace(".", ",")
    free, declaration = THRESHOLDS.get(travaux or "", DEFAULT)
    if surface <= free:
        need = "en général aucune autorisation, sauf en secteur protégé"
    elif surface <= declaration:
        need = "une déclaration préalable"
    elif travaux in THRESHOLDS or travaux == "abri_jardin" or surface > PLU_EXTENSION:
        need = "un permis de construire"
    else:
        need = (
            "un permis de construire. Pour agrandir une maison en zone urbaine d'un PLU, "
            "une déclaration préalable suffit"
        )
    return shown, need


def say_surface(
    aspect: str, text: str, travaux: str | None, dispatcher: CollectingDispatcher
) -> None:
    """Before the surface rule, the resident's own case when they gave a figure."""
    found = verdict(text, travaux) if aspect == ASPECT else None
    if found:
        dispatcher.utter_message(response=RESPONSE, surface=found[0], autorisation=found[1])
