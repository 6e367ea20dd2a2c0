"""A real Mayan EDMS for the tests: installed if needed, started on a free loopback port with a
fresh data folder, loaded with the demo corpus by the same importer a commune uses.

Why a real server and not a mock: the contract tests must prove that what the assistant gets from
Mayan (search, metadata, files) is what the embedded backend gives. It costs about two minutes
per test session (initial setup ~30 s, import ~1 min), paid once: the fixtures are session-scoped.
tests/documents/conftest.py imports `mayan_store` (one self-contained fixture, so that nothing
else needs importing); tests that need the server itself use `mayan_store.server`.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from actions.documents.mayan import MayanStore
from tests.conftest import CORPUS_DAY

ROOT = Path(__file__).resolve().parents[2]
MAYAN_SH = ROOT / "scripts" / "mayan.sh"


def free_port() -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class MayanServer:
    """A running test Mayan and what it takes to reach it."""

    url: str
    user: str
    password: str
    corpus: Path  # the folder that was imported
    env: dict[str, str]  # environment for scripts/mayan.sh (data folder, log, password)
    timings: dict[str, float]  # seconds per step, printed at the end of the session

    def store(self, timeout: float = 5.0) -> MayanStore:
        return MayanStore(self.url, self.user, self.password, timeout=timeout)


class MayanTestStore(MayanStore):
    """The store under test, with the server it talks to."""

    def __init__(self, server: MayanServer) -> None:
        super().__init__(server.url, server.user, server.password)
        self.server = server


def _run(args: list[str], env: dict[str, str], what: str, log: Path | None = None) -> None:
    """Runs a step; on failure the test session stops with the step's output (and Mayan's log)."""
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
        pytest.fail(f"{what} a échoué :\n{done.stdout}\n{done.stderr}\n{tail}", pytrace=False)


@pytest.fixture(scope="session")
def mayan_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MayanTestStore]:
    """The DocumentStore the contract tests run against, on a live Mayan loaded with the demo."""
    base = tmp_path_factory.mktemp("mayan")
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TCHATCHE_MAYAN_MEDIA": str(base / "ged"),
        "TCHATCHE_MAYAN_LOG": str(base / "mayan.log"),
        "TCHATCHE_MAYAN_USER": "admin",
        "TCHATCHE_MAYAN_PASSWORD": secrets.token_hex(12),
    }
    timings: dict[str, float] = {}

    started = time.monotonic()
    _run(["bash", str(MAYAN_SH), "install"], env, "L'installation de Mayan")
    timings["install"] = time.monotonic() - started

    corpus = base / "corpus"
    started = time.monotonic()
    _run(
        [
            sys.executable,
            "-m",
            "scripts.generate_corpus",
            "--dossier",
            str(corpus),
            "--jour",
            CORPUS_DAY.isoformat(),
        ],  # the corpus of the embedded contract tests
        env,
        "La génération du corpus",
    )
    timings["corpus"] = time.monotonic() - started

    port = free_port()
    started = time.monotonic()
    try:
        _run(
            ["bash", str(MAYAN_SH), "start", str(port)],
            env,
            "Le démarrage de Mayan",
            base / "mayan.log",
        )
        timings["start"] = time.monotonic() - started
        server = MayanServer(
            url=f"http://127.0.0.1:{port}",
            user=env["TCHATCHE_MAYAN_USER"],
            password=env["TCHATCHE_MAYAN_PASSWORD"],
            corpus=corpus,
            env=env,
            timings=timings,
        )
        started = time.monotonic()
        _run(
            [sys.executable, "-m", "scripts.ged_import", "--dossier", str(corpus),
             "--url", server.url, "--user", server.user, "--password", server.password],
            env,
            "L'import du corpus dans Mayan",
            base / "mayan.log",
        )  # fmt: skip
        timings["import"] = time.monotonic() - started
        yield MayanTestStore(server)
    finally:
        subprocess.run(["bash", str(MAYAN_SH), "stop"], cwd=ROOT, env=env, capture_output=True)
        summary = ", ".join(f"{step} {seconds:.1f} s" for step, seconds in timings.items())
        print(f"\nMayan de test : {summary}", file=sys.stderr)
