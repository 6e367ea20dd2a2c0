"""Closures and reopenings said as a person says them (issue #15).

« fermée jusqu'au samedi 2 janvier », « fermée demain et après-demain », « fermée du lundi
28 décembre au samedi 2 janvier »: never « du demain », « du aujourd'hui » nor « au demain ».
Every test reads one frozen clock (or an explicit instant) for everything it checks, so the suite
passes on any day. 24 December 2026 is a Thursday, 2 January 2027 a Saturday.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date, datetime, timedelta

import pytest

from actions import clock
from actions.clock import PARIS
from actions.commune import commune_facts
from actions.demandes.service import next_opening_text
from actions.orientation.facts import today_text
from actions.territory.day_answer import day_sentence, no_opening_facts
from actions.territory.hours import NO_OPENING, closure_text, opening_state, upcoming_closures_text
from actions.territory.loader import load_territory
from actions.territory.matching import CommuneMatcher
from actions.territory.model import Schedule
from actions.text import at_place, of_place
from tests.conftest import commune_entity, frozen

TERRITORY = load_territory()
BAPAUME = TERRITORY.by_name("Bapaume")
# What a French reader never writes: an article or a preposition glued to a relative day.
WRONG = re.compile(
    r"\b(?:du|au|le|de la|jusqu'au|à partir du) (?:aujourd'hui|demain|après-demain)\b"
    r"|\bdu (?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) \d+\w* \w+ au "
    r"(?:aujourd'hui|demain)"
)


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)


YEAR_END = ("2026-12-24", "2027-01-02")  # the example closure of every commune file


@pytest.mark.parametrize(
    ("today", "closure", "expected"),
    [
        # Started already, or starts today: until when.
        ("2026-12-24", YEAR_END, "fermée jusqu'au samedi 2 janvier"),
        ("2026-12-28", YEAR_END, "fermée jusqu'au samedi 2 janvier"),
        ("2027-01-01", YEAR_END, "fermée aujourd'hui et demain"),
        ("2027-01-02", YEAR_END, "fermée aujourd'hui"),
        # Starts tomorrow.
        ("2026-12-23", YEAR_END, "fermée à partir de demain, jusqu'au samedi 2 janvier"),
        ("2026-12-23", ("2026-12-24", "2026-12-25"), "fermée demain et après-demain"),
        ("2026-12-23", ("2026-12-24", "2026-12-24"), "fermée demain"),
        # Both ends later dates.
        ("2026-12-21", YEAR_END, "fermée du jeudi 24 décembre au samedi 2 janvier"),
        ("2026-12-21", ("2026-12-28", "2026-12-30"), "fermée du lundi 28 au mercredi 30 décembre"),
        ("2026-12-21", ("2026-12-25", "2026-12-25"), "fermée le vendredi 25 décembre"),
        ("2026-12-21", ("2026-12-23", "2026-12-23"), "fermée après-demain"),
        # Over already.
        ("2027-01-03", YEAR_END, ""),
    ],
)
def test_closure_text(today, closure, expected):
    start, end = (date.fromisoformat(d) for d in closure)
    assert closure_text(start, end, date.fromisoformat(today)) == expected


def _days_around(start: date, end: date) -> list[date]:
    """Every day from two weeks before a closure to its last day, and the day after."""
    first = start - timedelta(days=15)
    return [first + timedelta(days=n) for n in range((end - first).days + 2)]


@pytest.mark.parametrize("commune", list(TERRITORY.communes.values()), ids=lambda c: c.nom)
def test_every_closure_of_every_commune_reads_well(commune):
    """Each closure of the commune files, on each day it is announced, at 23:59 and at 00:00."""
    schedule = commune.mairie.horaires
    assert schedule.closures, "the example files all have closures"
    for closure in schedule.closures:
        for day in _days_around(closure.start, closure.end):
            for hour, minute in ((0, 0), (10, 0), (23, 59)):
                now = at(day.year, day.month, day.day, hour, minute)
                text = upcoming_closures_text(schedule, now)
                assert not WRONG.search(text), (commune.nom, now, text)
                if closure.start - day <= timedelta(days=14) and day <= closure.end:
                    said = closure_text(closure.start, closure.end, day)
                    assert f"{said} ({closure.reason})" in text, (commune.nom, now, text)
                    assert said.startswith("fermée ")


def _notes_at(*args: int) -> str:
    with frozen(*args):
        return commune_facts(BAPAUME, TERRITORY, clock.now())["mairie_fermetures"]


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        ((2026, 12, 21, 23, 59), "fermée du jeudi 24 décembre au samedi 2 janvier"),
        ((2026, 12, 22, 0, 0), "fermée du jeudi 24 décembre au samedi 2 janvier"),
        ((2026, 12, 22, 23, 59), "fermée du jeudi 24 décembre au samedi 2 janvier"),
        ((2026, 12, 23, 0, 0), "fermée à partir de demain, jusqu'au samedi 2 janvier"),
        ((2026, 12, 23, 23, 59), "fermée à partir de demain, jusqu'au samedi 2 janvier"),
        ((2026, 12, 24, 0, 0), "fermée jusqu'au samedi 2 janvier"),
        ((2026, 12, 31, 23, 59), "fermée jusqu'au samedi 2 janvier"),
        ((2027, 1, 1, 0, 0), "fermée aujourd'hui et demain"),
        ((2027, 1, 1, 23, 59), "fermée aujourd'hui et demain"),
        ((2027, 1, 2, 0, 0), "fermée aujourd'hui"),
        ((2027, 1, 2, 23, 59), "fermée aujourd'hui"),
    ],
)
def test_around_midnight(instant, expected):
    assert _notes_at(*instant) == f"\nÀ noter : {expected} (congés de fin d'année)."


def test_closure_over_at_midnight():
    assert _notes_at(2027, 1, 3, 0, 0) == ""


def test_the_resident_reads_it(conversation):
    with frozen(2026, 12, 23, 23, 59):
        replies = conversation.say("horaires ?", "horaires_mairie", commune_entity("Bapaume"))
    assert replies[0] == (
        "La mairie de Bapaume est fermée en ce moment. Elle rouvre lundi 4 janvier à 8 h 30."
    )
    assert (
        "\nÀ noter : fermée à partir de demain, jusqu'au samedi 2 janvier "
        "(congés de fin d'année)." in replies[1]
    )


def test_holiday_note_names_the_day():
    # Without its closure, Bapaume's mairie would open on Friday 25 December and 1 January.
    text = upcoming_closures_text(
        dataclasses.replace(BAPAUME.mairie.horaires, closures=()), at(2026, 12, 21, 10, 0)
    )
    assert "fermée le vendredi 25 décembre (Noël)" in text
    assert "fermée le vendredi 1er janvier (jour de l'An)" in text
    assert not WRONG.search(text)


# --------------------------------------------------------- no opening in the next two months

CLOSED = dataclasses.replace(
    BAPAUME, mairie=dataclasses.replace(BAPAUME.mairie, horaires=Schedule(weekly={}))
)
CONTACT = "Vous pouvez appeler la mairie au 03 53 01 00 15 ou lui écrire à mairie@bapaume.example."


def test_no_opening_is_a_sentence_of_its_own():
    now = at(2026, 11, 23, 10, 0)
    state = opening_state(CLOSED.mairie.horaires, now)
    assert state.next_opening is None
    assert state.describe_next(now) == "dans plus de deux mois"  # « Elle rouvre dans plus… »
    facts = no_opening_facts(CLOSED, TERRITORY, now, "horaires_mairie")
    assert facts == {
        "jour_demande": f"La mairie de Bapaume est fermée en ce moment. {NO_OPENING} {CONTACT}",
        "jour_demande_pour": "horaires_mairie",
    }
    assert NO_OPENING == "Aucune ouverture n'est prévue dans les deux prochains mois."
    assert no_opening_facts(BAPAUME, TERRITORY, now, "horaires_mairie") is None
    assert no_opening_facts(CLOSED, TERRITORY, now, "elus") is None
    said = day_sentence(CLOSED, TERRITORY, "horaires_mairie", date(2026, 11, 24), now)
    assert said == (
        "Demain, mardi 24 novembre, la mairie de Bapaume est fermée : elle n'ouvre pas le mardi. "
        f"{NO_OPENING} {CONTACT}"
    )
    assert "rouvre" not in said


def test_no_opening_in_the_conversation(conversation, monkeypatch):
    territory = dataclasses.replace(
        TERRITORY, communes={**TERRITORY.communes, BAPAUME.insee: CLOSED}
    )
    monkeypatch.setattr("actions.commune.territory", lambda: territory)
    monkeypatch.setattr("actions.commune.territory_matcher", lambda: CommuneMatcher(territory))
    with frozen(2026, 11, 23, 10, 0):
        replies = conversation.say("ouvert ?", "horaires_mairie", commune_entity("Bapaume"))
        contact = conversation.say("je veux parler à quelqu'un", "parler_a_un_agent")
    assert replies[0] == f"La mairie de Bapaume est fermée en ce moment. {NO_OPENING} {CONTACT}"
    assert not any("rouvre" in r for r in replies + contact), contact
    assert f"fermée en ce moment. {NO_OPENING} {CONTACT}" in "\n".join(contact)


def test_no_opening_in_emails_and_orientation(monkeypatch):
    territory = dataclasses.replace(
        TERRITORY, communes={**TERRITORY.communes, BAPAUME.insee: CLOSED}
    )
    monkeypatch.setattr("actions.demandes.service.territory", lambda: territory)
    now = at(2026, 11, 23, 10, 0)
    assert next_opening_text(BAPAUME.insee, now) == (
        f"Aucune ouverture de la mairie n'est prévue dans les deux prochains mois. {CONTACT}"
    )
    office = type("Office", (), {"horaires": Schedule(weekly={})})()
    assert today_text(office, now) == (
        "fermé en ce moment ; aucune ouverture prévue dans les deux prochains mois"
    )


# ------------------------------------------------------------------ « de » and « à » a commune


@pytest.mark.parametrize(
    ("name", "of", "at_"),
    [
        ("Bapaume", "de Bapaume", "à Bapaume"),
        ("Achiet-le-Grand", "d'Achiet-le-Grand", "à Achiet-le-Grand"),
        ("Avesnes-lès-Bapaume", "d'Avesnes-lès-Bapaume", "à Avesnes-lès-Bapaume"),
        ("Ablainzevelle", "d'Ablainzevelle", "à Ablainzevelle"),
        ("Le Sars", "du Sars", "au Sars"),
        ("Le Transloy", "du Transloy", "au Transloy"),
    ],
)
def test_commune_names_after_de_and_a(name, of, at_):
    assert of_place(name) == of and at_place(name) == at_


def test_every_commune_reads_well_in_the_day_answers():
    """« la mairie du Transloy », « la collecte des ordures ménagères d'Achiet-le-Grand »."""
    now = at(2026, 12, 21, 10, 0)
    for commune in TERRITORY.communes.values():
        for topic in ("horaires_mairie", "collecte_dechets"):
            for day in (date(2026, 12, 22), date(2026, 12, 25), date(2026, 12, 26)):
                text = day_sentence(commune, TERRITORY, topic, day, now)
                assert not re.search(r"\b(de [AEIOUÉ]|de Le |à Le )", text), text
    transloy = TERRITORY.by_name("Le Transloy")
    said = day_sentence(transloy, TERRITORY, "horaires_mairie", date(2026, 12, 22), now)
    assert "la mairie du Transloy" in said
