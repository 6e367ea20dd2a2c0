"""Days and places through both real servers, their clock pinned on Monday 21 December 2026.

TCHATCHE_NOW pins the action server's clock (see README « Les tests et les dates »): « demain »
is Tuesday 22 December and « à Noël » Friday 25 December whatever the day the test runs. The
answers come from the example data of territoire/ (closures from 24 December to 2 January,
collection days, the déchetterie's hours).
"""

from __future__ import annotations

import uuid

import pytest

from tests.conftest import PINNED_NOW

PINNED = PINNED_NOW


@pytest.fixture(scope="module")
def servers(pinned_servers):
    """The session's servers pinned on PINNED (tests/conftest.py)."""
    return pinned_servers


def texts(replies: list[dict]) -> list[str]:
    return [r.get("text", "") for r in replies if r.get("text")]


def new_sender() -> str:
    return f"dates-{uuid.uuid4().hex[:10]}"


def test_mairie_on_the_24th_is_closed_for_the_holidays(servers):
    replies = texts(servers.send(new_sender(), "la mairie de Bapaume est ouverte le 24 décembre ?"))
    assert replies[0] == (
        "Non. Le jeudi 24 décembre, la mairie de Bapaume est fermée (fermeture exceptionnelle : "
        "congés de fin d'année). Elle rouvre le lundi 4 janvier 2027 à 8 h 30."
    )
    assert any("Horaires habituels de la mairie de Bapaume" in r for r in replies)


def test_collection_at_noel_in_bucquoy_is_moved(servers):
    replies = texts(servers.send(new_sender(), "les poubelles passent a noel a bucquoy ?"))
    assert replies[0].startswith(
        "Non. Le vendredi 25 décembre (Noël) est férié : pas de collecte ce jour-là. "
        "La collecte du tri sélectif de Bucquoy est reportée au samedi 26 décembre."
    )
    assert not any("pas de collecte" in r for r in replies[1:]), "said once"


def test_tomorrow_then_right_now(servers):
    sender = new_sender()
    first = texts(servers.send(sender, "la mairie de bapaume c ouvert demain ?"))
    assert first[0] == (
        "Oui. Demain, mardi 22 décembre, la mairie de Bapaume est ouverte "
        "de 8 h 30 à 12 h et de 13 h 30 à 17 h 30."
    )
    second = texts(servers.send(sender, "et la dechetterie demain ?"))
    assert (
        "Demain, mardi 22 décembre, la déchetterie de Bapaume est fermée : elle n'ouvre pas "
        "le mardi. Elle rouvre le mercredi 23 décembre à 9 h." in second
    )
    third = texts(servers.send(sender, "la mairie est ouverte ?"))
    assert third[0] == "La mairie de Bapaume est ouverte en ce moment, jusqu'à 12 h."


def test_street_named_after_bapaume_is_not_the_commune(servers):
    replies = texts(
        servers.send(
            new_sender(),
            "la mairie est ouverte demain ? j'habite rue de Bapaume, chez nous à Favreuil",
        )
    )
    assert replies[0].startswith(
        "Non. Demain, mardi 22 décembre, la mairie de Favreuil est fermée : elle n'ouvre pas le "
        "mardi."
    )


def test_commune_outside_the_territory_is_said_to_be_outside(servers):
    sender = new_sender()
    servers.send(sender, "mairie de Bapaume")
    replies = texts(servers.send(sender, "et la mairie d'Ervillers est ouverte samedi ?"))
    assert replies[0].startswith("Ervillers ne fait pas partie des 26 communes")
    assert not any("Grévillers" in r or "Bapaume est" in r for r in replies)
