"""French public holidays, including the three that move with Easter."""

from __future__ import annotations

from datetime import date

import pytest

from actions.territory.holidays import easter_sunday, holiday_name, public_holidays


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2038, date(2038, 4, 25)),
        (2285, date(2285, 3, 22)),
    ],
)
def test_easter_dates(year, easter):
    assert easter_sunday(year) == easter


def test_2026_holidays_moving_with_easter():
    assert holiday_name(date(2026, 4, 6)) == "lundi de Pâques"
    assert holiday_name(date(2026, 5, 14)) == "Ascension"
    assert holiday_name(date(2026, 5, 25)) == "lundi de Pentecôte"


def test_eleven_holidays_a_year_and_ordinary_days():
    assert len(public_holidays(2027)) == 11
    assert holiday_name(date(2026, 7, 14)) == "fête nationale"
    assert holiday_name(date(2026, 11, 25)) is None


def test_the_holiday_rule_of_the_bins_names_the_next_holiday():
    """« et si c'est férié ? » after the bins (actions/conversation/ferie.py): the days without
    collection from territoire.yml, and whether the next holiday is one of them."""
    from actions.conversation.ferie import holiday_facts
    from actions.territory.model import GestionDechets

    waste = GestionDechets(
        "SMAV", "03", ("fête du Travail", "Noël", "jour de l'An"), "elle est reportée au lendemain"
    )
    december = holiday_facts(waste, date(2026, 12, 21))
    assert december["feries_sans_collecte"] == "le 1er janvier, le 1er mai et le 25 décembre"
    assert december["prochain_ferie"] == (
        "le vendredi 25 décembre (Noël) : elle est reportée au lendemain"
    )
    summer = holiday_facts(waste, date(2026, 7, 1))
    assert (
        summer["prochain_ferie"]
        == "le mardi 14 juillet (fête nationale) : la collecte est maintenue"
    )
    after_christmas = holiday_facts(waste, date(2026, 12, 26))
    assert after_christmas["prochain_ferie"].startswith("le vendredi 1er janvier")
