"""Élu tokens: only a genuine, unexpired token opens the élus documents of its own commune."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta, timezone

import pytest

from actions.documents import elus, links
from actions.documents.model import DocumentStore, SearchQuery

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=timezone.utc)


def test_round_trip() -> None:
    token = elus.issue("62181", "Marie Exemple", ttl_days=30, now=NOW)
    elu = elus.verify(token, NOW + timedelta(days=29))
    assert elu is not None and (elu.commune_insee, elu.nom) == ("62181", "Marie Exemple")


def test_expired_token_is_rejected() -> None:
    token = elus.issue("62181", "Marie Exemple", ttl_days=30, now=NOW)
    assert elus.verify(token, NOW + timedelta(days=30, seconds=1)) is None


def test_forged_commune_is_rejected() -> None:
    token = elus.issue("62181", "Marie Exemple", now=NOW)
    body, mac = token.split(".")
    data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    data[0] = "62080"
    forged_body = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    assert elus.verify(f"{forged_body}.{mac}", NOW) is None


def test_token_signed_with_another_secret_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TCHATCHE_SECRET", "un-autre-secret")
    token = elus.issue("62181", "Marie Exemple", now=NOW)
    monkeypatch.setenv("TCHATCHE_SECRET", "le-vrai-secret")
    assert elus.verify(token, NOW) is None


@pytest.mark.parametrize("junk", [None, "", "abc", "a.b.c", "x" * 1000, 42, "....", "eyJ9.AAAA"])
def test_junk_is_rejected(junk: object) -> None:
    assert elus.verify(junk, NOW) is None


def test_a_document_link_is_not_an_elu_token() -> None:
    assert elus.verify(links.make_token("62181", now=NOW), NOW) is None


def test_elu_of_one_commune_never_gets_another_communes_elus_documents(
    store: DocumentStore,
) -> None:
    elu = elus.verify(elus.issue("62181", "Marie Exemple", now=NOW), NOW)
    assert elu is not None
    query = SearchQuery(
        text="note de synthèse conseil municipal décembre",
        commune_insee=elu.commune_insee,
        audiences=("public", "elus"),
        limit=50,
    )
    found = store.search(query)
    assert all(d.audience == "public" or elu.commune_insee in d.communes for d in found)
    assert "Note de synthèse pour le conseil municipal de décembre 2026" not in [
        d.title for d in found
    ]
    own = store.search(SearchQuery(commune_insee="62181", audiences=("elus",), limit=50))
    assert own and all(d.communes == ("62181",) for d in own)


def test_cli_prints_a_token_for_the_commune(capsys: pytest.CaptureFixture[str]) -> None:
    assert elus.main(["--commune", "Bucquoy", "--nom", "Marie Exemple", "--jours", "7"]) == 0
    elu = elus.verify(capsys.readouterr().out.strip())
    assert elu is not None and elu.commune_insee == "62181" and elu.nom == "Marie Exemple"
    assert elus.main(["--commune", "Paris", "--nom", "X"]) == 2
