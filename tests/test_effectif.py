"""The number of people a resident expects, read from the message (territory/effectif.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from actions.territory.effectif import SALLE_TOPIC, head_count, head_count_facts
from actions.territory.loader import territory
from actions.territory.model import SalleDesFetes

SALLE = SalleDesFetes("Salle polyvalente", 100, 150, 250, 300)
COMMUNE = replace(territory().by_name("Bancourt"), salle_des_fetes=SALLE)
WITHOUT_SALLE = replace(COMMUNE, salle_des_fetes=None)


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("on sera 120", 120),
        ("On sera environ 80 personnes", 80),
        ("nous serions 45", 45),
        ("pour un repas de 60 pers", 60),
        ("ya 150 invités", 150),
        ("et si on est 80 ?", 80),
        ("on va etre a peu pres 70", 70),
        ("c'est pour le 12 juin", None),
        ("la caution de 300 € c'est rendu quand ?", None),
        ("on sera nombreux", None),
    ],
)
def test_head_count(text: str, count: int | None) -> None:
    assert head_count(text) == count


def test_facts_say_whether_the_salle_is_big_enough() -> None:
    assert head_count_facts(SALLE_TOPIC, COMMUNE, "on sera 120") == {
        "salle_effectif": "120",
        "salle_assez_grande": False,
    }
    assert head_count_facts(SALLE_TOPIC, COMMUNE, "on sera 100")["salle_assez_grande"] is True
    # No number, or no salle: nothing kept from an earlier turn.
    assert head_count_facts(SALLE_TOPIC, COMMUNE, "et la caution ?") == {
        "salle_effectif": None,
        "salle_assez_grande": None,
    }
    assert head_count_facts(SALLE_TOPIC, WITHOUT_SALLE, "on sera 120")["salle_effectif"] is None
    # Another topic, or no commune yet: nothing to compare.
    assert head_count_facts("cimetiere", COMMUNE, "on sera 120") == {}
    assert head_count_facts(SALLE_TOPIC, None, "on sera 120") == {}
