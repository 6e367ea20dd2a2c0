"""A real Mayan EDMS for the tests: installed if needed, started on a free loopback port with a
fresh data folder, loaded with the demo corpus by the same importer a commune uses.

Why a real server and not a mock: the contract tests must prove that what the assistant gets from
Mayan (search, metadata, files) is what the embedded backend gives. It costs two to four minutes
per test session (initial setup, then the import), paid once and started early: see MayanBoot.
tests/documents/conftest.py imports `mayan_store` (one self-contained fixture, so that nothing
else needs importing); tests that need the server itself use `mayan_store.server`.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from actions.documents.mayan import MayanStore
from tests import background
from tests.background import Preparation
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


# The contract tests check what Mayan answers, not how fast: on a loaded CI machine one search
# (several content queries under one deadline) once took more than the 5 s a commune gets, and
# the test failed on time alone. The deadline itself is tested in test_mayan.py with its own
# silent and slow servers.
CONTRACT_TIMEOUT = 60.0


class MayanTestStore(MayanStore):
    """The store under test, with the server it talks to."""

    def __init__(self, server: MayanServer) -> None:
        super().__init__(server.url, server.user, server.password, timeout=CONTRACT_TIMEOUT)
        self.server = server


def _run(args: list[str], env: dict[str, str], what: str, log: Path | None = None) -> None:
    """Runs a step; on failure the Mayan tests fail with the step's output (and Mayan's log)."""
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
        raise RuntimeError(f"{what} a échoué :\n{done.stdout}\n{done.stderr}\n{tail}")


class MayanBoot(Preparation):
    """Installs, starts and loads the session's Mayan (tests/background.py).

    It costs two to four minutes (initial setup, then the import of the corpus, in subprocesses
    that use one core). Started when the session begins, it runs beside the tests before
    tests/documents; the fixture then waits for what is left.
    """

    def __init__(self) -> None:
        super().__init__()
        self.base = Path(tempfile.mkdtemp(prefix="tchatche-mayan-"))
        self.env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "TCHATCHE_MAYAN_MEDIA": str(self.base / "ged"),
            "TCHATCHE_MAYAN_LOG": str(self.base / "mayan.log"),
            "TCHATCHE_MAYAN_USER": "admin",
            "TCHATCHE_MAYAN_PASSWORD": secrets.token_hex(12),
        }
        self.timings: dict[str, float] = {}  # seconds per step, printed at the end
        self.server: MayanServer | None = None

    def _step(self, name: str, args: list[str], what: str, log: Path | None = None) -> None:
        started = time.perf_counter()
        _run(args, self.env, what, log)
        self.timings[name] = time.perf_counter() - started

    def work(self) -> None:
        self._step("install", ["bash", str(MAYAN_SH), "install"], "L'installation de Mayan")
        corpus = self.base / "corpus"
        self._step(
            "corpus",
            [sys.executable, "-m", "scripts.generate_corpus", "--dossier", str(corpus),
             "--jour", CORPUS_DAY.isoformat()],  # the corpus of the embedded contract tests
            "La génération du corpus",
        )  # fmt: skip
        port = free_port()
        log = self.base / "mayan.log"
        self._step(
            "start", ["bash", str(MAYAN_SH), "start", str(port)], "Le démarrage de Mayan", log
        )
        self.server = MayanServer(  # started: stop() stops it even if the import fails
            url=f"http://127.0.0.1:{port}",
            user=self.env["TCHATCHE_MAYAN_USER"],
            password=self.env["TCHATCHE_MAYAN_PASSWORD"],
            corpus=corpus,
            env=self.env,
            timings=self.timings,
        )
        self._step(
            "import",
            [sys.executable, "-m", "scripts.ged_import", "--dossier", str(corpus),
             "--url", self.server.url, "--user", self.server.user,
             "--password", self.server.password],
            "L'import du corpus dans Mayan",
            log,
        )  # fmt: skip

    def stop(self) -> None:
        self.join()
        subprocess.run(["bash", str(MAYAN_SH), "stop"], cwd=ROOT, env=self.env, capture_output=True)
        summary = ", ".join(f"{step} {seconds:.1f} s" for step, seconds in self.timings.items())
        print(f"\nMayan de test : {summary} (dossier {self.base})", file=sys.stderr)
        if self.error is None:
            shutil.rmtree(self.base, ignore_errors=True)


def start_early() -> None:
    """Starts the session's Mayan now (idempotent): called once the selected tests are known."""
    background.start(MayanBoot)


def stop_early() -> None:
    """Stops the session's Mayan if it was started (end of the session, whatever happened)."""
    boot = background.take(MayanBoot)
    if boot is not None:
        boot.stop()


@pytest.fixture(scope="session")
def mayan_store() -> Iterator[MayanTestStore]:
    """The DocumentStore the contract tests run against, on a live Mayan loaded with the demo."""
    boot = background.start(MayanBoot)  # already under way when the session began
    try:
        try:
            boot.wait()
        except RuntimeError as error:  # a step failed: its output, not a traceback
            pytest.fail(str(error), pytrace=False)
        assert boot.server is not None
        yield MayanTestStore(boot.server)
    finally:
        stop_early()
