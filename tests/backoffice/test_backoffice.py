"""Agents' back-office through the real app: sign-in, sessions, CSRF, scope, status, CSV."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import time
from datetime import datetime

from actions.demandes.models import Agent, Demande, Session
from tests.backoffice.conftest import PASSWORD
from tests.conftest import PARIS, frozen

A = "agent.a@mairie.test"
B = "agent.b@mairie.test"
INTERCO = "urba@interco.test"


def status_of(factory, reference: str) -> str:
    with factory() as s:
        return s.query(Demande).filter_by(reference=reference).one().status


# --- sign-in ---------------------------------------------------------------------------------


def test_signin_success_sets_a_safe_cookie_and_stores_only_a_hash(client, database):
    c = client()
    r = c.login(A)
    assert r.status_code == 200 and r.url.endswith("/agents/demandes")
    assert "DEM-2026-000001" in r.text
    cookie = r.history[0].headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" not in cookie
    token = c.http.cookies["tchatche_agent"]
    with database() as s:
        stored = [row.token_hash for row in s.query(Session)]
    assert stored and token not in stored


def test_agent_created_with_the_cli_can_sign_in(client, database):
    env = dict(os.environ, TCHATCHE_PASSWORD_TEST="Mot de passe de la CLI 2026")
    done = subprocess.run(
        [sys.executable, "-m", "actions.demandes.agents", "create", "--email",
         "Nouvel.Agent@Mairie.test", "--nom", "Nouvel agent", "--commune", "Achiet-le-Grand",
         "--mot-de-passe-env", "TCHATCHE_PASSWORD_TEST"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    with database() as s:
        assert s.query(Agent).filter_by(email="nouvel.agent@mairie.test").one().commune_insee == (
            "62005"
        )
    c = client()
    r = c.login("nouvel.agent@mairie.test", "Mot de passe de la CLI 2026")
    assert r.url.endswith("/agents/demandes")
    assert "DEM-2026-000003" in r.text and "DEM-2026-000001" not in r.text


def test_secure_cookie_when_configured(client, monkeypatch):
    monkeypatch.setenv("TCHATCHE_COOKIE_SECURE", "1")
    r = client().login(A, PASSWORD)
    assert "Secure" in r.history[0].headers["Set-Cookie"]


def test_signin_failures_give_one_generic_message(client):
    c = client()
    wrong = c.login(A, "mauvais")
    unknown = c.login("personne@mairie.test", "mauvais")
    for r in (wrong, unknown):
        assert r.status_code == 401
        assert "Adresse ou mot de passe incorrect" in r.text
    assert "tchatche_agent" not in c.http.cookies
    assert c.get("/agents/demandes").url.endswith("/agents/connexion")


def test_signin_from_a_foreign_origin_is_refused(client):
    c = client()
    r = c.http.post(
        c.base + "/agents/connexion",
        data={"email": A, "password": PASSWORD},
        headers={"Origin": "https://evil.test"},
    )
    assert r.status_code == 403 and "tchatche_agent" not in c.http.cookies


def test_throttle_after_five_failures(client):
    c = client()
    for _ in range(5):
        c.login(A, "mauvais")
    start = time.monotonic()
    r = c.login(A, "mauvais")
    assert time.monotonic() - start >= 0.3
    assert r.status_code == 401


def test_pages_require_a_session(client):
    c = client()
    for path in (
        "/agents/demandes",
        "/agents/rendez-vous",
        "/agents/demandes.csv",
        "/agents/demandes/DEM-2026-000001",
    ):
        r = c.get(path, follow=False)
        assert r.status_code == 303 and r.headers["Location"] == "/agents/connexion"


def test_signout_ends_the_session(client, database):
    c = client()
    c.login(A)
    r = c.post("/agents/deconnexion", {"csrf": c.csrf()})
    assert r.url.endswith("/agents/connexion")
    with database() as s:
        assert s.query(Session).count() == 0
    assert c.get("/agents/demandes").url.endswith("/agents/connexion")


# --- session expiry (frozen clock) -------------------------------------------------------------


def test_idle_session_expires_after_30_minutes(client):
    with frozen(2026, 11, 25, 9, 0) as t:
        c = client()
        c.login(A)
        t.move_to(datetime(2026, 11, 25, 9, 29, tzinfo=PARIS))
        assert c.get("/agents/demandes").url.endswith("/agents/demandes")
        t.move_to(datetime(2026, 11, 25, 9, 58, tzinfo=PARIS))  # 29 min after last use
        assert c.get("/agents/demandes").url.endswith("/agents/demandes")
        t.move_to(datetime(2026, 11, 25, 10, 29, tzinfo=PARIS))  # 31 min idle
        assert c.get("/agents/demandes").url.endswith("/agents/connexion")


def test_session_expires_after_8_hours_even_when_active(client):
    with frozen(2026, 11, 25, 9, 0) as t:
        c = client()
        c.login(A)
        for minutes in range(20, 8 * 60, 20):
            t.move_to(datetime(2026, 11, 25, 9 + minutes // 60, minutes % 60, tzinfo=PARIS))
            assert c.get("/agents/demandes").url.endswith("/agents/demandes"), minutes
        t.move_to(datetime(2026, 11, 25, 17, 0, 1, tzinfo=PARIS))
        assert c.get("/agents/demandes").url.endswith("/agents/connexion")


# --- CSRF ------------------------------------------------------------------------------------


def test_status_change_without_or_with_wrong_csrf_is_refused(client, database):
    c = client()
    c.login(A)
    path = "/agents/demandes/DEM-2026-000001/statut"
    assert c.post(path, {"status": "traite"}).status_code == 403
    assert c.post(path, {"status": "traite", "csrf": "faux"}).status_code == 403
    other = client()
    other.login(B)
    assert c.post(path, {"status": "traite", "csrf": other.csrf()}).status_code == 403
    assert status_of(database, "DEM-2026-000001") == "nouveau"
    assert c.post("/agents/deconnexion", {}).status_code == 403


def test_status_change(client, database):
    c = client()
    c.login(A)
    token = c.csrf()
    r = c.post("/agents/demandes/DEM-2026-000001/statut", {"status": "en_cours", "csrf": token})
    assert r.status_code == 200 and r.url.endswith("/agents/demandes/DEM-2026-000001")
    assert status_of(database, "DEM-2026-000001") == "en_cours"
    r = c.post(
        "/agents/demandes/SIG-2026-000002/statut",
        {"status": "traite", "csrf": token, "retour": "/agents/demandes?kind=signalement"},
    )
    assert r.url.endswith("/agents/demandes?kind=signalement")
    assert status_of(database, "SIG-2026-000002") == "traite"
    # Open redirect refused, bad status refused.
    r = c.post(
        "/agents/demandes/SIG-2026-000002/statut",
        {"status": "nouveau", "csrf": token, "retour": "https://evil.test/"},
    )
    assert r.url.endswith("/agents/demandes/SIG-2026-000002")
    bad = c.post("/agents/demandes/SIG-2026-000002/statut", {"status": "x", "csrf": token})
    assert bad.status_code == 400


# --- scope -----------------------------------------------------------------------------------


def test_commune_agent_sees_only_its_commune(client, database):
    c = client()
    c.login(A)
    listing = c.get("/agents/demandes").text
    assert "DEM-2026-000001" in listing and "DEM-2026-000004" in listing
    assert "DEM-2026-000003" not in listing
    # Asking for commune B explicitly changes nothing.
    assert "DEM-2026-000003" not in c.get("/agents/demandes?commune=62005").text
    # By URL: 404, same as a reference that does not exist.
    r = c.get("/agents/demandes/DEM-2026-000003")
    assert r.status_code == 404 and "Permis secret" not in r.text
    assert c.get("/agents/demandes/DEM-2026-999999").status_code == 404
    # Status change of B's request: 404 and no change.
    r = c.post("/agents/demandes/DEM-2026-000003/statut", {"status": "traite", "csrf": c.csrf()})
    assert r.status_code == 404
    assert status_of(database, "DEM-2026-000003") == "nouveau"
    # Export.
    export = c.get("/agents/demandes.csv?commune=62005").content.decode("utf-8-sig")
    assert "DEM-2026-000003" not in export and "Permis secret" not in export
    assert "DEM-2026-000003" not in c.get("/agents/demandes.csv").text
    # Rendez-vous.
    rdv = c.get("/agents/rendez-vous").text
    assert "Dupont Bapaume" in rdv and "Martin Achiet" not in rdv
    assert "Martin Achiet" not in c.get("/agents/rendez-vous.csv").content.decode("utf-8-sig")


def test_intercommunal_agent_sees_its_services_in_all_communes(client):
    c = client()
    c.login(INTERCO)
    listing = c.get("/agents/demandes").text
    assert "DEM-2026-000003" in listing and "DEM-2026-000004" in listing  # urbanisme, A and B
    assert "DEM-2026-000001" not in listing and "SIG-2026-000002" not in listing
    assert c.get("/agents/demandes/DEM-2026-000003").status_code == 200
    assert c.get("/agents/demandes/DEM-2026-000001").status_code == 404
    assert "DEM-2026-000001" not in c.get("/agents/demandes?service=etat_civil").text
    export = c.get("/agents/demandes.csv").content.decode("utf-8-sig")
    assert "DEM-2026-000003" in export and "DEM-2026-000001" not in export


def test_filters(client):
    c = client()
    c.login(A)
    signalements = c.get("/agents/demandes?kind=signalement").text
    assert "SIG-2026-000002" in signalements and "DEM-2026-000001" not in signalements
    dated = c.get("/agents/demandes?du=2026-11-23&au=2026-11-23").text
    assert "DEM-2026-000004" in dated and "DEM-2026-000001" not in dated
    assert "DEM-2026-000004" not in c.get("/agents/demandes?service=etat_civil").text


# --- CSV, escaping, headers ---------------------------------------------------------------------


def test_csv_export_is_excel_friendly_and_formula_safe(client):
    c = client()
    c.login(A)
    r = c.get("/agents/demandes.csv")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in r.headers["Content-Disposition"]
    assert r.headers["Cache-Control"] == "no-store"
    assert r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Référence" and len(rows) == 4
    by_ref = {row[0]: row for row in rows[1:]}
    assert by_ref["SIG-2026-000002"][8] == '\'=HYPERLINK("http://evil")'
    assert by_ref["DEM-2026-000004"][8] == "'+33 6 12 34 56 78"
    assert by_ref["DEM-2026-000001"][8] == "Message de DEM-2026-000001"
    for row in rows[1:]:
        assert all(not cell or cell[0] not in "=+-@" for cell in row)
    only = c.get("/agents/demandes.csv?kind=signalement").content.decode("utf-8-sig")
    assert "SIG-2026-000002" in only and "DEM-2026-000001" not in only


def test_transcript_is_escaped(client):
    c = client()
    c.login(A)
    r = c.get("/agents/demandes/DEM-2026-000001")
    assert r.status_code == 200
    assert "<script>alert" not in r.text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in r.text


def test_security_headers(client):
    c = client()
    login_page = c.get("/agents/connexion")
    c.login(A)
    for r in (login_page, c.get("/agents/demandes"), c.get("/agents/demandes/DEM-2026-000001")):
        assert "script-src 'self'" in r.headers["Content-Security-Policy"]
        assert "unsafe-inline" not in r.headers["Content-Security-Policy"]
        assert r.headers["X-Frame-Options"] == "DENY"
        assert r.headers["Cache-Control"] == "no-store"
    assert "<script" not in c.get("/agents/demandes").text
