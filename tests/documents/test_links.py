"""The download route behind the links sent to residents, on a real aiohttp server."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from actions.documents import config, links
from actions.documents.embedded import EmbeddedStore
from actions.documents.model import GedUnavailable, SearchQuery
from web.app import create_app


@pytest.fixture
def served_store(
    corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[EmbeddedStore]:
    """The web app's store is the demo corpus of the tests."""
    monkeypatch.setenv("TCHATCHE_GED", "embedded")
    monkeypatch.setenv("TCHATCHE_GED_DOSSIER", str(corpus_dir))
    monkeypatch.setenv("TCHATCHE_GED_INDEX", str(tmp_path / "index.sqlite"))
    config.reset_store()
    yield config.get_store()
    config.reset_store()


def fetch(path: str) -> tuple[int, dict[str, str], bytes]:
    """GET on a real server listening on a free local port."""

    async def run() -> tuple[int, dict[str, str], bytes]:
        async with TestClient(TestServer(create_app())) as client:
            response = await client.get(path, allow_redirects=False)
            return response.status, dict(response.headers), await response.read()

    return asyncio.run(run())


def token_of(link: str) -> str:
    return link.rsplit("/d/", 1)[1]


def some_id(store: Any) -> str:
    return store.search(SearchQuery(text="règlement cimetière"))[0].id


def test_make_link_uses_the_public_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TCHATCHE_PUBLIC_URL", "https://tchatche.example.fr/")
    link = links.make_link("0123456789abcdef")
    assert link.startswith("https://tchatche.example.fr/d/")
    assert len(token_of(link)) <= 40  # fits in an SMS with room to spare


def test_valid_link_serves_the_pdf(served_store: EmbeddedStore) -> None:
    doc_id = some_id(served_store)
    status, headers, body = fetch("/d/" + token_of(links.make_link(doc_id)))
    assert status == 200
    assert body.startswith(b"%PDF") and body == served_store.content(doc_id)
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Length"] == str(len(body))
    assert headers["Content-Disposition"].startswith('inline; filename="bapaume-reglement')
    assert headers["Cache-Control"] == "private, no-store"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_tampered_link_is_forbidden(served_store: EmbeddedStore) -> None:
    token = token_of(links.make_link(some_id(served_store)))
    for position in (3, 10, len(token) - 2):  # expiry, id, signature
        swapped = "A" if token[position] != "A" else "B"
        status, _, body = fetch("/d/" + token[:position] + swapped + token[position + 1 :])
        assert status == 403
        assert b"%PDF" not in body and "pas valide" in body.decode()


def test_link_signed_with_another_secret_is_forbidden(
    served_store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc_id = some_id(served_store)
    monkeypatch.setenv("TCHATCHE_SECRET", "secret-devine")
    forged = links.make_token(doc_id)
    monkeypatch.setenv("TCHATCHE_SECRET", "le-vrai-secret")
    status, _, body = fetch("/d/" + forged)
    assert status == 403 and b"%PDF" not in body


def test_expired_link_is_gone(served_store: EmbeddedStore) -> None:
    yesterday = datetime.now(tz=timezone.utc) - timedelta(days=2)
    token = links.make_token(some_id(served_store), timedelta(hours=24), now=yesterday)
    status, _, body = fetch("/d/" + token)
    assert status == 410 and b"%PDF" not in body and "expiré" in body.decode()


def test_signed_link_to_an_unknown_document_is_not_found(served_store: EmbeddedStore) -> None:
    status, _, body = fetch("/d/" + links.make_token("00000000000000aa"))
    assert status == 404 and b"%PDF" not in body


@pytest.mark.parametrize(
    "path",
    [
        "/d/..%2F..%2Fetc%2Fpasswd",
        "/d/..%2Fdocuments.yml",
        "/d/bapaume-reglement-cimetiere.pdf",
        "/d/0123456789abcdef",
        "/d/" + "A" * 300,
        "/d/%00",
    ],
)
def test_traversal_and_guessed_ids_get_no_bytes(served_store: EmbeddedStore, path: str) -> None:
    status, _, body = fetch(path)
    assert status in (403, 404)
    assert b"%PDF" not in body and b"root:" not in body and b"fichier:" not in body


def test_verify_distinguishes_tampered_and_expired() -> None:
    now = datetime(2026, 11, 25, 10, 0, tzinfo=timezone.utc)
    token = links.make_token("0123456789abcdef", timedelta(hours=1), now=now)
    assert links.verify(token, now + timedelta(minutes=59)) == "0123456789abcdef"
    with pytest.raises(links.ExpiredLink):
        links.verify(token, now + timedelta(hours=1))
    with pytest.raises(links.TamperedLink):
        links.verify(token[:-1] + ("A" if token[-1] != "A" else "B"), now)
    text_id = links.make_token("mayan-42", now=now)  # ids of other backends work too
    assert links.verify(text_id, now) == "mayan-42"


def test_ged_down_is_a_503_in_french(
    served_store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = token_of(links.make_link(some_id(served_store)))

    class Down:
        def get(self, doc_id: str) -> None:
            raise GedUnavailable("délai dépassé")

    monkeypatch.setattr(config, "get_store", lambda: Down())
    status, _, body = fetch("/d/" + token)
    assert status == 503 and b"%PDF" not in body and "indisponibles" in body.decode()


def test_development_secret_is_private_and_stable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from actions.documents import secrets

    monkeypatch.delenv("TCHATCHE_SECRET")
    monkeypatch.setattr(secrets, "KEY_FILE", tmp_path / "var" / "secret.key")
    token = links.make_token("0123456789abcdef")
    assert (secrets.KEY_FILE.stat().st_mode & 0o777) == 0o600
    assert len(secrets.KEY_FILE.read_bytes().strip()) == 64
    assert links.verify(token) == "0123456789abcdef"  # same key read back
    secrets.KEY_FILE.write_bytes(b"f" * 64)  # another key: old links are refused
    with pytest.raises(links.TamperedLink):
        links.verify(token)
