"""Rendez-vous in the agents' back-office: detail, status, cancellation, scope, CSRF, CSV.

Through the real app, a real SMTP server and the SQLite database of tests/backoffice/conftest.py
(RDV-2026-000001 at Bapaume for agent A, RDV-2026-000002 at Achiet for agent B).
"""

from __future__ import annotations

import csv
import html
import io
from datetime import datetime

from actions.demandes.models import Counter, RendezVous
from actions.demandes.service import book, free_slots
from tests.conftest import frozen
from tests.demandes.conftest import free_port

A = "agent.a@mairie.test"
B = "agent.b@mairie.test"
INTERCO = "urba@interco.test"
BAPAUME = "62080"
SLOT = datetime(2026, 11, 26, 9, 20)


def status_of(factory, reference: str) -> str:
    with factory() as s:
        return s.query(RendezVous).filter_by(reference=reference).one().status


def book_ana(database) -> RendezVous:
    """A real booking, numbered after the two rendez-vous the fixture inserted by hand."""
    with database() as s:
        s.add(Counter(kind="rendez_vous", year=2026, last=2))
        s.commit()
    return book(BAPAUME, SLOT, "Ana Dupont", "ana@example.org", None, "passeport", db=database)


def signed_in(client, email: str):
    c = client()
    c.login(email)
    return c


def test_detail_page(client):
    c = signed_in(client, A)
    r = c.get("/agents/rendez-vous")
    assert 'href="/agents/rendez-vous/RDV-2026-000001"' in r.text
    r = c.get("/agents/rendez-vous/RDV-2026-000001")
    assert r.status_code == 200
    for text in ("Dupont Bapaume", "mardi 1er décembre 2026 à 9 h", "Passeport", "À venir"):
        assert text in r.text, text
    assert 'action="/agents/rendez-vous/RDV-2026-000001/statut"' in r.text
    for label in ("Honoré", "Absent", "Annulé"):
        assert f">{label}</option>" in r.text
    assert r.headers["Cache-Control"] == "no-store"


def test_honoured_and_absent_show_in_the_list_the_filter_and_the_csv(client, database):
    c = signed_in(client, A)
    path = "/agents/rendez-vous/RDV-2026-000001/statut"
    r = c.post(path, {"status": "honore", "csrf": c.csrf()})
    assert r.status_code == 200 and r.url.endswith("/agents/rendez-vous/RDV-2026-000001")
    assert "<dd>Honoré</dd>" in r.text
    assert status_of(database, "RDV-2026-000001") == "honore"
    assert "Dupont Bapaume" in c.get("/agents/rendez-vous?status=honore").text
    assert "Dupont Bapaume" not in c.get("/agents/rendez-vous?status=confirme").text
    c.post(path, {"status": "absent", "csrf": c.csrf()})
    assert "Dupont Bapaume" in c.get("/agents/rendez-vous?status=absent").text
    export = c.get("/agents/rendez-vous.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(export), delimiter=";"))
    assert rows[0][7] == "Statut" and rows[1][0] == "RDV-2026-000001" and rows[1][7] == "Absent"
    only = c.get("/agents/rendez-vous.csv?status=confirme").content.decode("utf-8-sig")
    assert "RDV-2026-000001" not in only


def test_unknown_status_is_refused(client, database):
    c = signed_in(client, A)
    path = "/agents/rendez-vous/RDV-2026-000001/statut"
    for status in ("deplace", "x", ""):  # "déplacé" needs a new slot: the resident does it
        assert c.post(path, {"status": status, "csrf": c.csrf()}).status_code == 400
    assert status_of(database, "RDV-2026-000001") == "confirme"


def test_cancelling_frees_the_slot_and_emails_the_resident(client, database, smtp):
    with frozen(2026, 11, 20, 10, 0):
        rdv = book_ana(database)
        assert SLOT not in free_slots(BAPAUME, count=200, db=database)
        smtp.messages.clear()
        c = signed_in(client, A)
        path = f"/agents/rendez-vous/{rdv.reference}"
        r = c.post(path + "/statut", {"status": "annule", "csrf": c.csrf()})
        assert r.status_code == 200 and r.url.endswith(path)
        assert "<dd>Annulé</dd>" in r.text and "son créneau est libre" in r.text
        assert 'action="' + path + '/statut"' not in r.text  # nothing left to change
        shown = " ".join(html.unescape(r.text).split())
        assert "Annulation, à l'habitant : envoyé le 20/11/2026 à 10:00" in shown
        # The slot can be booked again.
        assert SLOT in free_slots(BAPAUME, count=200, db=database)
        assert book(BAPAUME, SLOT, "Bob", "bob@x.fr", None, "autre", db=database).nom == "Bob"
        # A cancelled rendez-vous is not brought back (its slot is Bob's now).
        r = c.post(path + "/statut", {"status": "confirme", "csrf": c.csrf()})
        assert r.status_code == 409 and "ne peut pas être rétabli" in r.text
    assert status_of(database, rdv.reference) == "annule"
    (mail,) = smtp.to("ana@example.org")
    assert mail.message["Subject"] == f"Votre rendez-vous {rdv.reference} est annulé"
    text = mail.message.get_body(("plain",)).get_content()
    assert (
        "La mairie de Bapaume a annulé votre rendez-vous du jeudi 26 novembre 2026 à 9 h 20."
        in text
    )
    assert "« prendre rendez-vous »" in text


def test_cancelling_while_the_mail_server_is_down(client, database, smtp, monkeypatch):
    with frozen(2026, 11, 20, 10, 0):
        rdv = book_ana(database)
        monkeypatch.setenv("TCHATCHE_SMTP_PORT", str(free_port()))
        c = signed_in(client, A)
        r = c.post(
            f"/agents/rendez-vous/{rdv.reference}/statut", {"status": "annule", "csrf": c.csrf()}
        )
        assert r.status_code == 200 and "<dd>Annulé</dd>" in r.text
        assert "pas encore parti" in r.text
        assert SLOT in free_slots(BAPAUME, count=200, db=database)
    assert status_of(database, rdv.reference) == "annule"


def test_csrf_is_required(client, database):
    c = signed_in(client, A)
    path = "/agents/rendez-vous/RDV-2026-000001/statut"
    assert c.post(path, {"status": "annule"}).status_code == 403
    assert c.post(path, {"status": "annule", "csrf": "faux"}).status_code == 403
    other = signed_in(client, B)
    assert c.post(path, {"status": "annule", "csrf": other.csrf()}).status_code == 403
    anonymous = client()
    assert anonymous.post(path, {"status": "annule"}).status_code == 403
    r = anonymous.get("/agents/rendez-vous/RDV-2026-000001", follow=False)
    assert r.status_code == 303 and r.headers["Location"] == "/agents/connexion"
    assert status_of(database, "RDV-2026-000001") == "confirme"


def test_an_agent_never_sees_nor_changes_another_communes_rendez_vous(client, database):
    b = signed_in(client, B)
    # List, even when asking for commune A.
    assert "Dupont Bapaume" not in b.get("/agents/rendez-vous").text
    assert "Dupont Bapaume" not in b.get(f"/agents/rendez-vous?commune={BAPAUME}").text
    # URL: 404, as for a reference that does not exist.
    r = b.get("/agents/rendez-vous/RDV-2026-000001")
    assert r.status_code == 404 and "Dupont Bapaume" not in r.text
    assert b.get("/agents/rendez-vous/RDV-2026-999999").status_code == 404
    # POST with B's own valid token: 404 and no change.
    r = b.post("/agents/rendez-vous/RDV-2026-000001/statut", {"status": "annule", "csrf": b.csrf()})
    assert r.status_code == 404
    assert status_of(database, "RDV-2026-000001") == "confirme"
    # Export.
    export = b.get(f"/agents/rendez-vous.csv?commune={BAPAUME}").content.decode("utf-8-sig")
    assert "Dupont Bapaume" not in export and "RDV-2026-000001" not in export
    # B still manages its own.
    assert b.get("/agents/rendez-vous/RDV-2026-000002").status_code == 200
    # And A cannot touch B's.
    a = signed_in(client, A)
    assert a.get("/agents/rendez-vous/RDV-2026-000002").status_code == 404
    r = a.post("/agents/rendez-vous/RDV-2026-000002/statut", {"status": "absent", "csrf": a.csrf()})
    assert r.status_code == 404
    assert status_of(database, "RDV-2026-000002") == "confirme"
    # An intercommunal agent has no rendez-vous (they belong to each mairie).
    interco = signed_in(client, INTERCO)
    assert interco.get("/agents/rendez-vous/RDV-2026-000001").status_code == 404
    r = interco.post(
        "/agents/rendez-vous/RDV-2026-000001/statut", {"status": "annule", "csrf": interco.csrf()}
    )
    assert r.status_code == 404
    assert status_of(database, "RDV-2026-000001") == "confirme"
