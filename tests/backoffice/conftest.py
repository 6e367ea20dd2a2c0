"""The real web app on a free loopback port, on a temporary SQLite demandes database.

Agents are created with the project's agents module (actions.demandes.agents), demandes and
rendez-vous are inserted through the models.
Clients are `requests` sessions (they keep the session cookie).
"""

from __future__ import annotations

import asyncio
import re
import socket
import threading
from datetime import datetime

import pytest
import requests
from aiohttp import web

from actions.demandes import db as demandes_db
from actions.demandes.agents import create_agent
from actions.demandes.models import Demande, RendezVous
from tests.demandes.conftest import smtp  # noqa: F401 - the real SMTP server fixture

PASSWORD = "Un mot de passe solide 42"
BAPAUME = "62080"  # commune A (Bapaume)
ACHIET = "62005"  # commune B
AGENTS = {
    # email: (nom, commune_insee, services)
    "agent.a@mairie.test": ("Agent A", BAPAUME, []),
    "agent.b@mairie.test": ("Agent B", ACHIET, []),
    "urba@interco.test": ("Urbaniste interco", None, ["urbanisme"]),
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def demande(session, reference, commune, service, kind="demande", **extra) -> Demande:
    when = extra.pop("created_at", datetime(2026, 11, 20, 10, 0))
    row = Demande(
        reference=reference,
        kind=kind,
        commune_insee=commune,
        service=service,
        message=extra.pop("message", f"Message de {reference}"),
        status="nouveau",
        created_at=when,
        updated_at=when,
        transcript=extra.pop("transcript", ""),
        **extra,
    )
    session.add(row)
    return row


@pytest.fixture()
def database(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'demandes.db'}"
    monkeypatch.setenv("TCHATCHE_DEMANDES_DB", url)
    monkeypatch.delenv("TCHATCHE_COOKIE_SECURE", raising=False)
    from web import backoffice

    backoffice._failures.clear()
    monkeypatch.setattr(backoffice, "THROTTLE_DELAY", 0.3)
    factory = demandes_db.make_session_factory(demandes_db.make_engine(url))
    for email, (nom, commune, services) in AGENTS.items():
        create_agent(factory, email, nom, PASSWORD, commune, services)
    with factory() as s:
        demande(
            s,
            "DEM-2026-000001",
            BAPAUME,
            "etat_civil",
            transcript="Vous : <script>alert('x')</script>\nTchatche : Bonjour",
        )
        demande(
            s,
            "SIG-2026-000002",
            BAPAUME,
            "services_techniques",
            kind="signalement",
            lieu="rue de la Paix",
            message='=HYPERLINK("http://evil")',
        )
        demande(
            s,
            "DEM-2026-000003",
            ACHIET,
            "urbanisme",
            message="Permis secret d'Achiet",
            created_at=datetime(2026, 11, 22, 9, 0),
        )
        demande(
            s,
            "DEM-2026-000004",
            BAPAUME,
            "urbanisme",
            message="+33 6 12 34 56 78",
            created_at=datetime(2026, 11, 23, 9, 0),
        )
        for ref, insee, nom in (
            ("RDV-2026-000001", BAPAUME, "Dupont Bapaume"),
            ("RDV-2026-000002", ACHIET, "Martin Achiet"),
        ):
            s.add(
                RendezVous(
                    reference=ref,
                    mairie_insee=insee,
                    nom=nom,
                    motif="passeport",
                    start=datetime(2026, 12, 1, 9, 0),
                    end=datetime(2026, 12, 1, 9, 20),
                    status="confirme",
                    created_at=datetime(2026, 11, 20, 9, 0),
                )
            )
        s.commit()
    return factory


@pytest.fixture()
def server(database):
    """Base URL of the real app (web.app.create_app) served from a background thread."""
    from web.app import create_app

    port = free_port()
    loop = asyncio.new_event_loop()
    # A connection left open (the 8 MB upload refused in the middle of its body) is closed after
    # 5 s, not aiohttp's 60: on a busy machine the teardown's wait ran out at 10 s.
    runner = web.AppRunner(create_app(), shutdown_timeout=5.0)
    loop.run_until_complete(runner.setup())
    loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", port).start())
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(60)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)
    loop.close()


CSRF = re.compile(r'name="csrf" value="([^"]+)"')


class Client:
    def __init__(self, base: str):
        self.base = base
        self.http = requests.Session()
        self.http.headers["Connection"] = "close"  # no keep-alive across clock jumps

    def get(self, path: str, **kw) -> requests.Response:
        return self.http.get(self.base + path, allow_redirects=kw.pop("follow", True), **kw)

    def post(self, path: str, data: dict, follow: bool = True) -> requests.Response:
        return self.http.post(self.base + path, data=data, allow_redirects=follow)

    def login(self, email: str, password: str = PASSWORD) -> requests.Response:
        return self.post("/agents/connexion", {"email": email, "password": password})

    def csrf(self) -> str:
        page = self.get("/agents/demandes")
        match = CSRF.search(page.text)
        assert match, page.text[:500]
        return match.group(1)


@pytest.fixture()
def client(server):
    return lambda: Client(server)
