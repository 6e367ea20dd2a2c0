"""Rendez-vous for identity titles: free slots, one booking per slot, cancel and move."""

from __future__ import annotations

import threading
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from actions.demandes.models import Creneau, RendezVous
from actions.demandes.service import (
    PIECES_TITRES,
    BookingNotFound,
    SlotInvalid,
    SlotTaken,
    book,
    cancel,
    free_slots,
    move,
    why_not_free,
)
from tests.conftest import frozen

BAPAUME = "62080"


def at(*args: int) -> datetime:
    return datetime(*args)


def test_free_slots_skip_past_and_minimum_delay(sqlite_db):
    with frozen(2026, 11, 10, 10, 0):  # Tuesday: slots from 12 h at the earliest
        assert free_slots(BAPAUME, db=sqlite_db) == [
            at(2026, 11, 10, 14, 0),
            at(2026, 11, 10, 14, 20),
            at(2026, 11, 10, 14, 40),
            at(2026, 11, 10, 15, 0),
            at(2026, 11, 10, 15, 20),
        ]


def test_free_slots_from_a_wished_moment(sqlite_db):
    """« mardi 22 à 9 h » taken: the slots offered start there, not at the next free one."""
    with frozen(2026, 12, 21, 10, 0):
        book(BAPAUME, at(2026, 12, 22, 9, 0), "A", None, "0612345678", "passeport", db=sqlite_db)
        after = free_slots(BAPAUME, count=2, after=at(2026, 12, 22, 9, 0), db=sqlite_db)
        sooner = free_slots(BAPAUME, count=1, after=at(2026, 12, 21, 8, 0), db=sqlite_db)
    assert after == [at(2026, 12, 22, 9, 20), at(2026, 12, 22, 9, 40)]
    assert sooner == [at(2026, 12, 21, 14, 0)], "never sooner than the minimum delay"


def test_why_a_wished_slot_is_not_free(sqlite_db):
    with frozen(2026, 12, 21, 10, 0):
        book(BAPAUME, at(2026, 12, 22, 9, 0), "A", None, "0612345678", "passeport", db=sqlite_db)

        def why(*args: int) -> str | None:
            return why_not_free(BAPAUME, at(*args), db=sqlite_db)

        assert why(2026, 12, 22, 9, 20) is None
        assert why(2026, 12, 22, 9, 0) == "pris"
        assert why(2026, 12, 21, 9, 0) == "passe"
        assert why(2026, 12, 21, 11, 0) == "trop_tot"
        assert why(2026, 12, 22, 12, 30) == "hors_creneau"
        assert why(2026, 12, 24, 9, 0) == "ferme"  # the mairie is closed until 2 January
        assert why(2027, 2, 15, 9, 0) == "trop_loin"


def test_free_slots_skip_holidays(sqlite_db):
    with frozen(2026, 11, 10, 16, 0):  # Wednesday 11 November is the Armistice
        slots = free_slots(BAPAUME, count=3, db=sqlite_db)
    assert slots == [at(2026, 11, 12, 9, 0), at(2026, 11, 12, 9, 20), at(2026, 11, 12, 9, 40)]


def test_free_slots_skip_closures_and_stay_in_ranges(sqlite_db):
    with frozen(2026, 12, 4, 17, 0):
        slots = free_slots(BAPAUME, count=200, db=sqlite_db)
    days = {s.date() for s in slots}
    assert date(2026, 12, 7) not in days  # fermeture of demandes.yml
    assert not any(date(2026, 12, 24) <= d <= date(2027, 1, 2) for d in days)  # mairie closed
    assert date(2026, 12, 6) not in days  # Sunday
    assert slots[0] == at(2026, 12, 5, 9, 0)  # Saturday 9:00-11:40
    saturday = [s for s in slots if s.date() == date(2026, 12, 5)]
    assert saturday[-1] == at(2026, 12, 5, 11, 20)  # the last one ends at 11:40
    assert all(s.minute in (0, 20, 40) for s in slots)
    assert max(days) <= date(2027, 1, 3)  # horizon 30 days


def test_example_closures_span_the_coming_years(sqlite_db):
    with frozen(2027, 12, 3, 17, 0):  # a year later, the demo still has its closures
        days = {s.date() for s in free_slots(BAPAUME, count=200, db=sqlite_db)}
    assert date(2027, 12, 4) in days and date(2027, 12, 6) not in days  # demandes.yml
    assert not any(date(2027, 12, 24) <= d <= date(2028, 1, 2) for d in days)  # mairie closed


def test_taken_slots_are_not_offered(sqlite_db):
    with frozen(2026, 11, 10, 10, 0):
        book(BAPAUME, at(2026, 11, 10, 14, 0), "Ana", "ana@x.fr", None, "passeport", db=sqlite_db)
        assert free_slots(BAPAUME, count=1, db=sqlite_db) == [at(2026, 11, 10, 14, 20)]


@pytest.mark.parametrize(
    ("start", "words"),
    [
        (at(2026, 11, 10, 11, 0), "trop proche"),
        (at(2026, 11, 10, 9, 0), "trop proche"),
        (at(2026, 11, 11, 9, 0), "pas un créneau"),  # holiday
        (at(2026, 11, 12, 9, 10), "pas un créneau"),  # not on the 20-minute grid
        (at(2026, 11, 12, 12, 0), "pas un créneau"),  # lunch
        (at(2027, 1, 12, 9, 0), "30 jours"),
    ],
)
def test_invalid_slots(sqlite_db, start, words):
    with frozen(2026, 11, 10, 10, 0), pytest.raises(SlotInvalid, match=words):
        book(BAPAUME, start, "Ana", "ana@x.fr", None, "carte_identite", db=sqlite_db)


def test_mairie_without_booking(sqlite_db):
    with frozen(2026, 11, 10, 10, 0), pytest.raises(SlotInvalid, match="ne prend pas"):
        free_slots("62001", db=sqlite_db)


def test_twenty_concurrent_bookings_one_winner(any_db, smtp):
    slot = at(2026, 11, 12, 9, 0)
    barrier = threading.Barrier(20)
    results: list[object] = []

    def attempt(i: int) -> None:
        barrier.wait()
        try:
            results.append(
                book(BAPAUME, slot, f"Habitant {i}", f"h{i}@x.fr", None, "passeport", db=any_db)
            )
        except SlotTaken as exc:
            results.append(exc)

    with frozen(2026, 11, 10, 10, 0):
        threads = [threading.Thread(target=attempt, args=(i,)) for i in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    won = [r for r in results if isinstance(r, RendezVous)]
    assert len(results) == 20 and len(won) == 1
    assert all(isinstance(r, SlotTaken) for r in results if r not in won)
    assert "réservé par quelqu'un d'autre" in str(next(r for r in results if r not in won))
    with any_db() as session:
        assert session.scalar(select(func.count()).select_from(RendezVous)) == 1
        assert session.scalar(select(func.count()).select_from(Creneau)) == 1
    assert won[0].reference == "RDV-2026-000001"  # the losers consumed no number
    residents = [m for m in smtp.messages if "mairie@bapaume.example" not in m.recipients]
    assert [m.recipients for m in residents] == [[won[0].contact_email]], "one confirmation"
    assert len(smtp.to("mairie@bapaume.example")) == 1


def test_cancel_needs_the_contact_and_frees_the_slot(any_db):
    slot = at(2026, 11, 12, 9, 0)
    with frozen(2026, 11, 10, 10, 0):
        rdv = book(BAPAUME, slot, "Ana", "Ana@X.fr", "06 12 34 56 78", "passeport", db=any_db)
        for wrong in ("autre@x.fr", "06 00 00 00 00", ""):
            with pytest.raises(BookingNotFound):
                cancel(rdv.reference, wrong, db=any_db)
        with pytest.raises(BookingNotFound):
            cancel("RDV-2026-000999", "ana@x.fr", db=any_db)
        with pytest.raises(SlotTaken):
            book(BAPAUME, slot, "Bob", "bob@x.fr", None, "autre", db=any_db)
        assert cancel(rdv.reference, "+33 6 12 34 56 78", db=any_db).status == "annule"
        with pytest.raises(BookingNotFound):  # already cancelled
            cancel(rdv.reference, "ana@x.fr", db=any_db)
        assert free_slots(BAPAUME, count=200, db=any_db).count(slot) == 1
        assert book(BAPAUME, slot, "Bob", "bob@x.fr", None, "autre", db=any_db).nom == "Bob"


def test_move(any_db):
    first, second, third = at(2026, 11, 12, 9, 0), at(2026, 11, 12, 9, 20), at(2026, 11, 12, 9, 40)
    with frozen(2026, 11, 10, 10, 0):
        rdv = book(BAPAUME, first, "Ana", "ana@x.fr", None, "passeport", db=any_db)
        other = book(BAPAUME, third, "Bob", "bob@x.fr", None, "passeport", db=any_db)
        with pytest.raises(BookingNotFound):
            move(rdv.reference, "bob@x.fr", second, db=any_db)
        with pytest.raises(SlotTaken):
            move(rdv.reference, "ana@x.fr", third, db=any_db)
        with pytest.raises(SlotInvalid):
            move(rdv.reference, "ana@x.fr", at(2026, 11, 11, 9, 0), db=any_db)
        moved = move(rdv.reference, "ana@x.fr", second, db=any_db)
        assert (moved.start, moved.end, moved.status) == (
            second,
            at(2026, 11, 12, 9, 40),
            "deplace",
        )
        slots = free_slots(BAPAUME, count=200, db=any_db)
    assert first in slots and second not in slots and third not in slots
    assert other.start == third


def test_pieces_text():
    for text in ("https://ants.gouv.fr", "moins de 6 mois", "justificatif de domicile", "ancien"):
        assert text in PIECES_TITRES
    assert "vosdroits/F1341" in PIECES_TITRES and "vosdroits/F14929" in PIECES_TITRES
