"""Mayan-specific behaviour: idempotent import, and a GED that is down, slow or refuses us.

The resident must get an answer within seconds whatever happens to the GED, so every failure is
GedUnavailable, raised before the timeout (plus a little slack) runs out.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from actions.documents.mayan import MayanStore
from actions.documents.model import GedUnavailable, SearchQuery
from tests.documents.mayan_fixture import ROOT, MayanServer, MayanTestStore, free_port

SLACK = 1.0  # seconds allowed beyond the timeout


def _count(store: MayanStore) -> int:
    store.invalidate()
    return len(store.catalogue(time.monotonic() + 30))


def test_import_is_idempotent(mayan_store: MayanTestStore) -> None:
    before = _count(mayan_store)
    assert before == len(list(mayan_store.server.corpus.glob("*.pdf")))
    output = _import(mayan_store.server, mayan_store.server.corpus)
    assert f"0 ajoutés, 0 mis à jour, {before} inchangés" in output
    assert _count(mayan_store) == before


def _import(server: MayanServer, folder: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "scripts.ged_import", "--dossier", str(folder),
         "--url", server.url, "--user", server.user, "--password", server.password],
        cwd=ROOT, env=server.env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_changed_documents_are_updated_in_place(
    mayan_store: MayanTestStore, tmp_path: Path
) -> None:
    """A new title or a new file keeps the Mayan document (and the links given out)."""
    server = mayan_store.server
    folder = tmp_path / "corpus"
    shutil.copytree(server.corpus, folder)
    index = folder / "documents.yml"
    entries = yaml.safe_load(index.read_text(encoding="utf-8"))
    renamed, refiled = entries[0], entries[1]
    renamed["titre"] += " (version corrigée)"
    index.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    with (folder / refiled["fichier"]).open("ab") as pdf:
        pdf.write(b"\n% nouvelle version\n")
    before = {d.filename: d for d in mayan_store.catalogue_documents()}
    try:
        assert ", 2 mis à jour, " in _import(server, folder)
        mayan_store.invalidate()
        after = {d.filename: d for d in mayan_store.catalogue_documents()}
        assert after.keys() == before.keys()
        assert after[renamed["fichier"]].id == before[renamed["fichier"]].id
        assert after[renamed["fichier"]].title.endswith("(version corrigée)")
        assert mayan_store.content(after[refiled["fichier"]].id).endswith(b"% nouvelle version\n")
    finally:
        assert ", 2 mis à jour, " in _import(server, server.corpus)
        mayan_store.invalidate()


def test_metadata_round_trip(mayan_store: MayanTestStore) -> None:
    """What the importer wrote is what the store reads (communes, audience, validity)."""
    docs = {d.filename: d for d in mayan_store.catalogue_documents()}
    assert docs
    assert all(d.doc_type for d in docs.values())
    assert any(d.audience == "elus" for d in docs.values())
    assert any(not d.communes for d in docs.values())
    assert any(d.valid_from and d.valid_until for d in docs.values())
    one = next(iter(docs.values()))
    assert mayan_store.get(one.id) == one
    assert mayan_store.content(one.id).startswith(b"%PDF")


def test_elus_documents_never_leak(mayan_store: MayanTestStore) -> None:
    for_elus = [d for d in mayan_store.catalogue_documents() if d.audience == "elus"]
    assert for_elus
    for doc in for_elus:
        found = mayan_store.search(SearchQuery(text=doc.title, limit=50))
        assert doc.id not in [d.id for d in found]
        both = mayan_store.search(SearchQuery(text=doc.title, audiences=("public", "elus")))
        assert doc.id in [d.id for d in both]


@pytest.mark.parametrize("bad_id", ["../1", "1/../../x", "1?x=2", "", " 1", "-1", "1.0", "%31"])
def test_malformed_ids_are_refused(mayan_store: MayanTestStore, bad_id: str) -> None:
    assert mayan_store.get(bad_id) is None
    with pytest.raises(KeyError):
        mayan_store.content(bad_id)


def test_unknown_id(mayan_store: MayanTestStore) -> None:
    assert mayan_store.get("999999") is None
    with pytest.raises(KeyError):
        mayan_store.content("999999")


def test_wrong_password(mayan_store: MayanTestStore) -> None:
    server = mayan_store.server
    store = MayanStore(server.url, server.user, "mauvais-mot-de-passe", timeout=5)
    with pytest.raises(GedUnavailable, match="identifiants"):
        store.search(SearchQuery(text="conseil"))


def test_ged_down() -> None:
    """Nobody listens on the port (server stopped): connection refused, at once."""
    store = MayanStore(f"http://127.0.0.1:{free_port()}", "admin", "x", timeout=5)
    started = time.monotonic()
    with pytest.raises(GedUnavailable):
        store.search(SearchQuery(text="conseil"))
    assert time.monotonic() - started < 1.0


@pytest.fixture
def silent_server() -> Iterator[int]:
    """Accepts connections and never answers: a GED that hangs."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    listener.close()


@pytest.mark.parametrize("timeout", [0.5, 2.0])
def test_ged_slow(silent_server: int, timeout: float) -> None:
    store = MayanStore(f"http://127.0.0.1:{silent_server}", "admin", "x", timeout=timeout)
    for call in (
        lambda: store.search(SearchQuery(text="conseil")),
        lambda: store.get("1"),
        lambda: store.content("1"),
    ):
        started = time.monotonic()
        with pytest.raises(GedUnavailable):
            call()
        assert time.monotonic() - started < timeout + SLACK


class _BadGed(BaseHTTPRequestHandler):
    """A GED that fails in the way named by the server's `mode`."""

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def _answer(self) -> None:
        mode = self.server.mode  # type: ignore[attr-defined]
        if mode == "error":
            self.send_response(502)
            self.end_headers()
            self.wfile.write(b"Bad Gateway")
            return
        # "trickle": answers at once, then one byte every 0.2 s (never trips a read timeout)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        try:
            for _ in range(100):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:
            pass

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(params=["error", "trickle"])
def bad_ged(request: pytest.FixtureRequest) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _BadGed)
    server.daemon_threads = True
    server.mode = request.param  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_ged_error_or_trickling(bad_ged: str) -> None:
    store = MayanStore(bad_ged, "admin", "x", timeout=1.0)
    started = time.monotonic()
    with pytest.raises(GedUnavailable):
        store.search(SearchQuery(text="conseil"))
    assert time.monotonic() - started < 1.0 + SLACK


def test_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TCHATCHE_MAYAN_URL", raising=False)
    with pytest.raises(GedUnavailable):
        MayanStore.from_env()
    monkeypatch.setenv("TCHATCHE_MAYAN_URL", "http://127.0.0.1:1/")
    monkeypatch.setenv("TCHATCHE_MAYAN_USER", "u")
    monkeypatch.setenv("TCHATCHE_MAYAN_PASSWORD", "p")
    store = MayanStore.from_env()
    assert store.base_url == "http://127.0.0.1:1"
