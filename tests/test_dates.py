"""The day a resident asks about, read from SMS-style French against a frozen clock."""

from __future__ import annotations

from datetime import date

import pytest

from actions import clock
from actions.territory.dates import find_day
from tests.conftest import frozen

# Monday 21 December 2026, 10 h: the day the conversation tests pin the servers' clock to.
MONDAY = (2026, 12, 21, 10, 0)


def asked(text: str) -> tuple[tuple[date, ...], str] | None:
    with frozen(*MONDAY):
        found = find_day(text, clock.now())
    return (found.days, found.label) if found else None


@pytest.mark.parametrize(
    ("text", "day", "label"),
    [
        ("c'est ouvert aujourd'hui ?", date(2026, 12, 21), "aujourd'hui, lundi 21 décembre"),
        ("ouvert ajd", date(2026, 12, 21), "aujourd'hui, lundi 21 décembre"),
        ("et demain ?", date(2026, 12, 22), "demain, mardi 22 décembre"),
        ("ouvert 2main ?", date(2026, 12, 22), "demain, mardi 22 décembre"),
        ("apres-demain", date(2026, 12, 23), "le mercredi 23 décembre"),
        ("samedi", date(2026, 12, 26), "le samedi 26 décembre"),
        ("lundi prochain", date(2026, 12, 28), "le lundi 28 décembre"),
        ("le 24/12", date(2026, 12, 24), "le jeudi 24 décembre"),
        ("24 decembre", date(2026, 12, 24), "le jeudi 24 décembre"),
        ("a Noel", date(2026, 12, 25), "le vendredi 25 décembre (Noël)"),
        ("le réveillon de noël", date(2026, 12, 24), "le jeudi 24 décembre"),
        ("jour de l'an", date(2027, 1, 1), "le vendredi 1er janvier 2027 (jour de l'An)"),
        ("le 1er mai", date(2027, 5, 1), "le samedi 1er mai 2027 (fête du Travail)"),
        ("8 mai", date(2027, 5, 8), "le samedi 8 mai 2027 (Victoire 1945)"),
        ("lundi de Pentecote", date(2027, 5, 17), "le lundi 17 mai 2027 (lundi de Pentecôte)"),
        ("Ascension", date(2027, 5, 6), "le jeudi 6 mai 2027 (Ascension)"),
        ("15 aout", date(2027, 8, 15), "le dimanche 15 août 2027 (Assomption)"),
        ("11 novembre", date(2027, 11, 11), "le jeudi 11 novembre 2027 (Armistice 1918)"),
        ("et le 28 ?", date(2026, 12, 28), "le lundi 28 décembre"),
        # Months whose names are 4 letters long, written in figures (they raised a KeyError).
        ("le 12/03", date(2027, 3, 12), "le vendredi 12 mars 2027"),
        ("le 05/06", date(2027, 6, 5), "le samedi 5 juin 2027"),
        ("le 14/08/2027", date(2027, 8, 14), "le samedi 14 août 2027"),
    ],
)
def test_day_and_label(text, day, label):
    assert asked(text) == ((day,), label)


def test_a_date_past_this_year_is_next_years():
    # Asked in December: the 14 July and the Toussaint to come are in 2027.
    assert asked("le 14 juillet") == (
        (date(2027, 7, 14),),
        "le mercredi 14 juillet 2027 (fête nationale)",
    )
    assert asked("Toussaint")[0] == (date(2027, 11, 1),)
    with frozen(2026, 6, 1, 10, 0):
        assert find_day("le 14 juillet", clock.now()).days == (date(2026, 7, 14),)


def test_several_days_are_all_answered():
    assert asked("ce week-end") == (
        (date(2026, 12, 26), date(2026, 12, 27)),
        "ce week-end (samedi 26 et dimanche 27 décembre)",
    )
    days, label = asked("a Paques")
    assert days == (date(2027, 3, 28), date(2027, 3, 29))  # Easter 2027: 28 March
    assert label == "à Pâques (dimanche 28 et lundi 29 mars 2027)"
    with frozen(2026, 12, 27, 10, 0):  # on a Sunday, this week-end is today
        assert find_day("ce week-end", clock.now()).days == (date(2026, 12, 27),)


@pytest.mark.parametrize(
    "text",
    [
        "la mairie est ouverte ?",
        "horaires de la mairie de Bapaume",
        "ouvert 24 h sur 24 ?",
        "mon fils a 14 ans",
        "rue de Bapaume, chez nous à Favreuil",
        "j'habite rue du 8 mai 1945 a Bapaume",
        "la salle fait 300 m2",
        "c'est quand la collecte des sapins de noel ?",  # trees, not the 25th
        "le marché de Noël",
        "",
    ],
)
def test_no_day_named(text):
    assert asked(text) is None


def test_first_day_written_wins():
    assert asked("demain ou samedi ?")[0] == (date(2026, 12, 22),)


def test_the_christmas_holidays_are_christmas_and_new_years_day():
    """« pendant les vacances de Noël » is no one day: its two public holidays, each answered."""
    days, label = asked("la dechetterie est ouverte pendant les vacances de noel ?")
    assert days == (date(2026, 12, 25), date(2027, 1, 1))
    assert label.startswith("pendant les fêtes"), label
    with frozen(2026, 12, 28, 10, 0):  # Christmas gone by: New Year's Day alone remains
        found = find_day("et pendant les fetes ?", clock.now())
    assert found is not None and found.days == (date(2027, 1, 1),)
