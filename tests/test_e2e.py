"""End to end: both real servers started, French messages through the REST webhook."""

from __future__ import annotations

import sqlite3
import uuid

import pytest

from tests.servers import Servers


@pytest.fixture(scope="module")
def servers():
    instance = Servers().start()
    yield instance
    instance.stop()


def texts(replies: list[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def new_sender() -> str:
    return f"e2e-{uuid.uuid4().hex[:10]}"


def test_greeting_offers_themes(servers):
    replies = servers.send(new_sender(), "Bonjour")
    assert "assistant automatique" in texts(replies)
    assert any(r.get("buttons") for r in replies)


def test_hours_ask_commune_then_answer_then_correction(servers):
    sender = new_sender()
    first = texts(servers.send(sender, "la mairie est ouverte quand ?"))
    assert "Dans quelle commune habitez-vous ?" in first
    second = texts(servers.send(sender, "bucquoy"))
    assert "La mairie de Bucquoy est" in second
    assert "lundi : de 9 h à 12 h" in second
    third = texts(servers.send(sender, "non, c'est pour Bapaume"))
    assert "La mairie de Bapaume est" in third
    fourth = texts(servers.send(sender, "et le numéro de téléphone ?"))
    assert "Mairie de Bapaume" in fourth


def test_identity_card_in_a_commune_without_equipment(servers):
    reply = texts(
        servers.send(new_sender(), "je dois refaire ma carte d'identité, j'habite Favreuil")
    )
    assert "service-public.gouv.fr" in reply
    assert "La mairie de Favreuil ne prend pas ces demandes" in reply
    assert "Bapaume" in reply


def test_orientation_is_not_the_mairie(servers):
    reply = texts(
        servers.send(new_sender(), "comment je fais ma carte grise pour ma nouvelle voiture")
    )
    assert "ANTS" in reply or "ants.gouv.fr" in reply


def test_assistant_says_it_is_not_a_person(servers):
    reply = texts(servers.send(new_sender(), "est-ce que tu es un vrai humain ?"))
    assert "Je ne suis pas une personne" in reply


def test_off_topic_stays_polite(servers):
    reply = texts(servers.send(new_sender(), "il va faire beau demain ?"))
    assert "je ne sais pas répondre à cela" in reply


def test_gibberish_gets_themes(servers):
    replies = servers.send(new_sender(), "xqzw plorf")
    assert replies, "an answer is always given"
    assert any(r.get("buttons") for r in replies)


def test_page_metadata_gives_the_commune(servers):
    reply = texts(servers.send(new_sender(), "c'est ouvert ?", {"commune": "Morval"}))
    assert "La mairie de Morval est" in reply


def test_conversation_is_stored_in_sqlite(servers):
    sender = new_sender()
    servers.send(sender, "merci beaucoup")
    with sqlite3.connect(servers.database) as db:
        rows = db.execute("select count(*) from events where sender_id = ?", (sender,)).fetchone()
    assert rows[0] >= 3


def test_death_certificate_answer_is_specific(servers):
    reply = texts(servers.send(new_sender(), "comment avoir l'acte de décès de mon père"))
    assert "acte de décès" in reply
    assert "https://www.service-public.gouv.fr/particuliers/vosdroits/F1444" in reply


@pytest.mark.parametrize("text", ["", "😀😀😀", "<script>alert('x')</script>", "a" * 10_000])
def test_bad_input_gets_a_clear_french_answer(servers, text):
    sender = new_sender()
    reply = texts(servers.send(sender, text))
    assert "Je n'ai pas bien compris votre message." in reply
    follow_up = texts(servers.send(sender, "horaires de la mairie de Bapaume"))
    assert "La mairie de Bapaume est" in follow_up, "the conversation goes on"
