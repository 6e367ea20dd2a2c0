"""Fixtures of the demandes tests: a real SMTP server, SQLite and a throwaway PostgreSQL."""

from __future__ import annotations

import email
import email.policy
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy.orm import sessionmaker

from actions.demandes.db import make_engine, make_session_factory
from actions.demandes.models import Base

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Received:
    at: float  # time.perf_counter() when the DATA command completed
    sender: str
    recipients: list[str]
    message: EmailMessage


@dataclass
class Inbox:
    """Messages received by the test SMTP server, in order."""

    port: int
    messages: list[Received] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.arrived:
            self.messages.append(
                Received(time.perf_counter(), envelope.mail_from, list(envelope.rcpt_tos), message)
            )
            self.arrived.notify_all()
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Received]:
        return [m for m in self.messages if address in m.recipients]


def start_smtp() -> tuple[Controller, Inbox]:
    inbox = Inbox(free_port())
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    return controller, inbox


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch):
    controller, inbox = start_smtp()
    monkeypatch.setenv("TCHATCHE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("TCHATCHE_SMTP_PORT", str(inbox.port))
    monkeypatch.delenv("TCHATCHE_SMTP_USER", raising=False)
    yield inbox
    controller.stop()


@pytest.fixture
def sqlite_db(tmp_path: Path) -> sessionmaker:
    return make_session_factory(make_engine(f"sqlite:///{tmp_path / 'demandes.db'}"))


@pytest.fixture(scope="session")
def postgresql_url(tmp_path_factory: pytest.TempPathFactory):
    """A PostgreSQL server of our own, started by scripts/postgresql.sh and stopped at the end."""
    directory = tmp_path_factory.mktemp("postgresql")
    script = str(ROOT / "scripts" / "postgresql.sh")
    started = subprocess.run(
        [script, "start", str(directory)], capture_output=True, text=True, timeout=600
    )
    assert started.returncode == 0, f"PostgreSQL n'a pas démarré :\n{started.stderr}"
    yield started.stdout.strip().splitlines()[-1]
    subprocess.run([script, "stop", str(directory)], capture_output=True, timeout=120)


@pytest.fixture
def pg_db(postgresql_url: str) -> sessionmaker:
    engine = make_engine(postgresql_url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request: pytest.FixtureRequest) -> sessionmaker:
    """The test runs on SQLite and on PostgreSQL."""
    return request.getfixturevalue("sqlite_db" if request.param == "sqlite" else "pg_db")
