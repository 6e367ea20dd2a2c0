"""Rendez-vous emails (confirmation, move, cancellation) and an agent's status changes.

Real SMTP server (aiosmtpd) and real databases (SQLite and PostgreSQL), as the other tests here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime

import pytest
from sqlalchemy import func, select

from actions.demandes import mail
from actions.demandes.mail import resend_pending_rendez_vous
from actions.demandes.models import CourrielRendezVous, Creneau, RendezVous
from actions.demandes.service import (
    BookingNotFound,
    DemandeError,
    SlotTaken,
    book,
    cancel,
    free_slots,
    move,
    set_rendez_vous_status,
)
from tests.conftest import frozen
from tests.demandes.conftest import ROOT, free_port

BAPAUME = "62080"
MAIRIE = "mairie@bapaume.example"  # état civil of Bapaume: the mairie's own address
SLOT = datetime(2026, 11, 26, 9, 20)  # Thursday
SLOT_TEXT = "jeudi 26 novembre 2026 à 9 h 20"


def body(received) -> str:
    return received.message.get_body(("plain",)).get_content()


def book_ana(db, start=SLOT, email="ana@example.org", telephone="06 12 34 56 78"):
    with frozen(2026, 11, 10, 10, 0):
        return book(BAPAUME, start, "Ana Dupont", email, telephone, "passeport", db=db)


def test_booking_confirmation_reaches_the_resident_and_the_mairie(any_db, smtp):
    rdv = book_ana(any_db)
    assert rdv.reference == "RDV-2026-000001"
    (resident,) = smtp.to("ana@example.org")
    assert resident.message["Subject"] == "Votre rendez-vous RDV-2026-000001 est confirmé"
    text = body(resident)
    for expected in (
        "Bonjour Ana Dupont,",
        "Référence : RDV-2026-000001",
        f"Date : {SLOT_TEXT}",
        "Mairie, place de la Mairie, 62450 Bapaume",  # address of the mairie
        "https://ants.gouv.fr",  # the pré-demande
        "photo d'identité de moins de 6 mois",
        "justificatif de domicile",
        "écrivez « annuler mon rendez-vous » à l'assistant Tchatche",
        "appeler la mairie au 03 53 01 00 15",
        "3 mois",
    ):
        assert expected in text, expected
    (service,) = smtp.to(MAIRIE)
    assert service.message["Subject"] == (
        f"[RDV-2026-000001] Nouveau rendez-vous – Bapaume – {SLOT_TEXT}"
    )
    assert service.message["Reply-To"] == "ana@example.org"
    notice = body(service)
    for expected in ("Ana Dupont", "passeport", "06 12 34 56 78", "jusqu'à 9 h 40"):
        assert expected in notice, expected
    assert len(smtp.messages) == 2
    with any_db() as session:
        assert all(
            c.envoye and c.erreur is None for c in session.scalars(select(CourrielRendezVous))
        )


def test_without_an_email_only_the_mairie_is_told(sqlite_db, smtp):
    book_ana(sqlite_db, email=None)
    assert [m.recipients for m in smtp.messages] == [[MAIRIE]]
    assert smtp.messages[0].message["Reply-To"] is None


def test_the_email_leaves_after_the_booking_is_committed(any_db, smtp, monkeypatch):
    """Sent inside the locking transaction, another connection would not see the slot (or, on
    SQLite, would wait for the lock)."""
    seen: list[int] = []
    real_send = mail.send

    def checking_send(message, settings=None):
        with any_db() as session:
            seen.append(session.scalar(select(func.count()).select_from(Creneau)))
        real_send(message, settings)

    monkeypatch.setattr(mail, "send", checking_send)
    book_ana(any_db)
    assert seen == [1, 1]


def test_move_then_cancel_emails(any_db, smtp):
    rdv = book_ana(any_db)
    later = datetime(2026, 11, 27, 14, 40)  # Friday
    with frozen(2026, 11, 12, 10, 0):
        move(rdv.reference, "ana@example.org", later, db=any_db)
    moved = smtp.to("ana@example.org")[-1]
    assert moved.message["Subject"] == "Votre rendez-vous RDV-2026-000001 est déplacé"
    text = body(moved)
    assert "Nouvelle date : vendredi 27 novembre 2026 à 14 h 40" in text
    assert f"Ancienne date (annulée) : {SLOT_TEXT}" in text
    assert "https://ants.gouv.fr" in text and "annuler mon rendez-vous" in text
    notice = smtp.to(MAIRIE)[-1]
    assert "Rendez-vous déplacé" in notice.message["Subject"]
    assert f"Ancienne date : {SLOT_TEXT} (le créneau est libéré)" in body(notice)

    with frozen(2026, 11, 13, 10, 0):
        cancel(rdv.reference, "06 12 34 56 78", db=any_db)
    cancelled = smtp.to("ana@example.org")[-1]
    assert cancelled.message["Subject"] == "Votre rendez-vous RDV-2026-000001 est annulé"
    text = body(cancelled)
    assert (
        "Votre rendez-vous du vendredi 27 novembre 2026 à 14 h 40 à la mairie de Bapaume est "
        "bien annulé." in text
    )
    assert "« prendre rendez-vous »" in text and "03 53 01 00 15" in text
    notice = smtp.to(MAIRIE)[-1]
    assert "Rendez-vous annulé" in notice.message["Subject"]
    assert "le créneau est de nouveau libre" in body(notice)
    assert len(smtp.messages) == 6


def test_smtp_down_the_booking_stands_and_the_mail_is_resent(any_db, smtp, monkeypatch):
    monkeypatch.setenv("TCHATCHE_SMTP_PORT", str(free_port()))  # nobody listens there
    rdv = book_ana(any_db)
    assert rdv.reference == "RDV-2026-000001" and rdv.status == "confirme"
    with frozen(2026, 11, 10, 10, 0):
        assert SLOT not in free_slots(BAPAUME, count=200, db=any_db)
        with pytest.raises(SlotTaken):  # the slot is really hers
            book(BAPAUME, SLOT, "Bob", "bob@x.fr", None, "passeport", db=any_db)
    with any_db() as session:
        pending = session.scalars(select(CourrielRendezVous)).all()
        assert [(c.destinataire, c.envoye) for c in pending] == [
            ("habitant", False),
            ("service", False),
        ]
        assert all(c.erreur for c in pending)
    assert smtp.messages == []

    monkeypatch.setenv("TCHATCHE_SMTP_PORT", str(smtp.port))
    assert resend_pending_rendez_vous(any_db) == (2, 0)
    assert resend_pending_rendez_vous(any_db) == (0, 0)  # nothing sent twice
    (resident,) = smtp.to("ana@example.org")
    assert SLOT_TEXT in body(resident) and "RDV-2026-000001" in body(resident)
    assert len(smtp.to(MAIRIE)) == 1


def test_resend_command_sends_what_was_left(tmp_path, smtp, monkeypatch):
    """What the person in charge runs: python -m actions.demandes.mail --renvoyer."""
    from actions.demandes.db import make_engine, make_session_factory

    url = f"sqlite:///{tmp_path / 'demandes.db'}"
    factory = make_session_factory(make_engine(url))
    monkeypatch.setenv("TCHATCHE_SMTP_PORT", str(free_port()))
    rdv = book_ana(factory)
    with frozen(2026, 11, 11, 10, 0):
        cancel(rdv.reference, "ana@example.org", db=factory)
    assert smtp.messages == []
    env = dict(os.environ, TCHATCHE_DEMANDES_DB=url, TCHATCHE_SMTP_PORT=str(smtp.port))
    done = subprocess.run(
        [sys.executable, "-m", "actions.demandes.mail", "--renvoyer"],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "4 courriel(s) de rendez-vous envoyé(s), 0 toujours en échec." in done.stdout
    subjects = [m.message["Subject"] for m in smtp.to("ana@example.org")]
    assert subjects == [  # in the order things happened
        "Votre rendez-vous RDV-2026-000001 est confirmé",
        "Votre rendez-vous RDV-2026-000001 est annulé",
    ]


def test_agent_cancellation_frees_the_slot_and_tells_the_resident(any_db, smtp):
    rdv = book_ana(any_db)
    smtp.messages.clear()
    with frozen(2026, 11, 12, 10, 0):
        done = set_rendez_vous_status(rdv.id, "annule", db=any_db)
        assert done.status == "annule"
        assert SLOT in free_slots(BAPAUME, count=200, db=any_db)
        assert book(BAPAUME, SLOT, "Bob", "bob@x.fr", None, "autre", db=any_db).nom == "Bob"
        with pytest.raises(DemandeError, match="ne peut pas être rétabli"):
            set_rendez_vous_status(rdv.id, "confirme", db=any_db)
    (resident,) = smtp.to("ana@example.org")
    assert f"La mairie de Bapaume a annulé votre rendez-vous du {SLOT_TEXT}." in body(resident)
    assert not [m for m in smtp.to(MAIRIE) if "RDV-2026-000001" in m.message["Subject"]]
    with any_db() as session:
        assert session.get(RendezVous, rdv.id).status == "annule"


def test_honoured_or_missed_is_no_longer_managed_by_the_resident(any_db, smtp):
    rdv = book_ana(any_db)
    with frozen(2026, 11, 26, 10, 0):
        set_rendez_vous_status(rdv.id, "absent", db=any_db)
        with pytest.raises(BookingNotFound):
            cancel(rdv.reference, "ana@example.org", db=any_db)
        set_rendez_vous_status(rdv.id, "honore", db=any_db)  # a mistake corrected
        with pytest.raises(DemandeError):
            set_rendez_vous_status(rdv.id, "deplace", db=any_db)  # needs a new slot
    with any_db() as session:
        stored = session.get(RendezVous, rdv.id)
        assert stored.status == "honore" and stored.creneau is not None
    assert len(smtp.messages) == 2  # the booking's; a status change sends nothing
