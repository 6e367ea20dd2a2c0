"""Demandes and signalements: references, routing, emails, mail failures, purge."""

from __future__ import annotations

import re
import threading
from datetime import datetime

from sqlalchemy import func, select

from actions.demandes.mail import resend_pending
from actions.demandes.models import Demande, RendezVous
from actions.demandes.purge import purge
from actions.demandes.service import book, create_demande, create_signalement, next_opening_text
from actions.territory.loader import territory
from tests.conftest import frozen
from tests.demandes.conftest import free_port

BAPAUME = "62080"


def insee(nom: str) -> str:
    return territory().by_name(nom).insee


def test_reference_format_and_sequence(sqlite_db, smtp):
    with frozen(2026, 11, 10, 10, 0):
        first = create_demande(BAPAUME, "etat_civil", "Acte de naissance", db=sqlite_db)
        second = create_signalement(BAPAUME, "Lampadaire éteint", "rue de Péronne", db=sqlite_db)
        third = create_demande(BAPAUME, "autre", "Question", db=sqlite_db)
    assert first.reference == "DEM-2026-000001"
    assert second.reference == "SIG-2026-000001"
    assert third.reference == "DEM-2026-000002"
    with frozen(2027, 1, 5, 10, 0):
        assert create_demande(BAPAUME, "autre", "Bonne année", db=sqlite_db).reference == (
            "DEM-2027-000001"
        )


def test_concurrent_references_are_unique(any_db):
    references: list[str] = []
    barrier = threading.Barrier(20)

    def worker(i: int) -> None:
        barrier.wait()
        d = create_demande(BAPAUME, "autre", f"demande {i}", db=any_db, send_mail=False)
        references.append(d.reference)

    with frozen(2026, 11, 10, 10, 0):
        threads = [threading.Thread(target=worker, args=(i,)) for i in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert sorted(references) == [f"DEM-2026-{n:06d}" for n in range(1, 21)]


def test_routing_per_commune_and_service(sqlite_db, smtp):
    cases = [
        (BAPAUME, "etat_civil", "mairie@bapaume.example"),
        (BAPAUME, "urbanisme", "urbanisme@bapaume.example"),
        (BAPAUME, "services_techniques", "services-techniques@bapaume.example"),
        (insee("Achiet-le-Grand"), "services_techniques", "contact@sud-artois.example"),
        (insee("Achiet-le-Grand"), "ecole", territory().by_name("Achiet-le-Grand").mairie.courriel),
        (insee("Le Sars"), "autre", "secretariat@le-sars.example"),
        (insee("Le Sars"), "services_techniques", "contact@sud-artois.example"),
        (insee("Morval"), "urbanisme", territory().by_name("Morval").mairie.courriel),
    ]
    with frozen(2026, 11, 10, 10, 0):
        for commune, service, expected in cases:
            d = create_demande(commune, service, "test", db=sqlite_db)
            assert d.routed_to == expected, (commune, service)
            assert smtp.messages[-1].recipients == [expected]


def test_emails_to_service_and_resident(sqlite_db, smtp):
    with frozen(2026, 11, 10, 18, 30):  # Tuesday evening, Bapaume reopens Thursday (Nov 11)
        d = create_signalement(
            BAPAUME,
            "Nid-de-poule dangereux",
            "rue de Péronne, devant le n° 12",
            contact_email="habitant@example.org",
            contact_telephone="06 00 00 00 00",
            transcript="Habitant : il y a un trou\nTchatche : où exactement ?",
            db=sqlite_db,
        )
    assert d.mail_envoye and d.accuse_envoye and d.mail_erreur is None
    (service,) = smtp.to("services-techniques@bapaume.example")
    assert service.sender == "tchatche@territoire.example"
    msg = service.message
    assert d.reference in msg["Subject"] and "Bapaume" in msg["Subject"]
    assert msg["Reply-To"] == "habitant@example.org"
    body = msg.get_body(("plain",)).get_content()
    for text in (d.reference, "Bapaume (62080)", "services techniques", "Nid-de-poule", "rue de"):
        assert text in body
    assert "06 00 00 00 00" in body and "habitant@example.org" in body
    (attachment,) = list(msg.iter_attachments())
    assert attachment.get_content_type() == "text/plain"
    assert "où exactement" in attachment.get_content()
    (ack,) = smtp.to("habitant@example.org")
    text = ack.message.get_content()
    assert d.reference in ack.message["Subject"] and d.reference in text
    assert "La mairie rouvre jeudi 12 novembre à 8 h 30." in text  # Nov 11 is a holiday
    assert "12 mois" in text and "Votre" in text
    assert len(smtp.messages) == 2


def test_no_acknowledgement_without_email(sqlite_db, smtp):
    with frozen(2026, 11, 10, 10, 0):
        d = create_demande(BAPAUME, "etat_civil", "Acte", contact_telephone="0600", db=sqlite_db)
    assert d.mail_envoye and d.accuse_envoye is None
    assert [m.recipients for m in smtp.messages] == [["mairie@bapaume.example"]]


def test_mail_failure_keeps_the_request_then_resend(sqlite_db, smtp, monkeypatch):
    monkeypatch.setenv("TCHATCHE_SMTP_PORT", str(free_port()))  # nobody listens there
    with frozen(2026, 11, 10, 10, 0):
        d = create_demande(
            BAPAUME, "urbanisme", "Permis", contact_email="a@example.org", db=sqlite_db
        )
    assert d.reference == "DEM-2026-000001"
    assert d.mail_envoye is False and d.accuse_envoye is False and d.mail_erreur
    with sqlite_db() as session:
        stored = session.scalars(select(Demande)).one()
        assert stored.message == "Permis" and stored.mail_envoye is False
    monkeypatch.setenv("TCHATCHE_SMTP_PORT", str(smtp.port))
    with frozen(2026, 11, 10, 11, 0):
        assert resend_pending(sqlite_db) == (1, 0)
        assert resend_pending(sqlite_db) == (0, 0)  # nothing sent twice
    assert sorted(r for m in smtp.messages for r in m.recipients) == [
        "a@example.org",
        "urbanisme@bapaume.example",
    ]


def test_next_opening_text():
    with frozen(2026, 11, 10, 10, 0):
        assert next_opening_text(BAPAUME) == "La mairie est ouverte aujourd'hui jusqu'à 12 h."
    with frozen(2026, 11, 10, 18, 0):
        assert next_opening_text(BAPAUME) == "La mairie rouvre jeudi 12 novembre à 8 h 30."


def test_purge(sqlite_db):
    with frozen(2025, 10, 1, 10, 0):
        old_done = create_demande(BAPAUME, "autre", "vieille", db=sqlite_db, send_mail=False)
        create_demande(BAPAUME, "autre", "en cours", db=sqlite_db, send_mail=False)
    with frozen(2026, 11, 2, 10, 0):
        recent = create_demande(BAPAUME, "autre", "récente", db=sqlite_db, send_mail=False)
    with sqlite_db() as session, session.begin():
        for d in session.scalars(select(Demande)):
            d.status = "traite" if d.id in (old_done.id, recent.id) else "en_cours"
    with frozen(2026, 7, 1, 10, 0):
        past = book(
            BAPAUME, datetime(2026, 7, 3, 9, 0), "A", "a@x.fr", None, "passeport", db=sqlite_db
        )
    with frozen(2026, 11, 2, 10, 0):
        future = book(
            BAPAUME, datetime(2026, 11, 5, 9, 0), "B", "b@x.fr", None, "autre", db=sqlite_db
        )
    with frozen(2026, 11, 10, 10, 0):
        assert purge(sqlite_db) == (1, 1)
    with sqlite_db() as session:
        left = {d.message for d in session.scalars(select(Demande))}
        assert left == {"en cours", "récente"}
        assert {r.reference for r in session.scalars(select(RendezVous))} == {future.reference}
        assert session.scalar(select(func.count()).select_from(RendezVous)) == 1
    assert re.fullmatch(r"RDV-2026-\d{6}", past.reference)
