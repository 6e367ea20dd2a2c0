"""Action server down, then back: real Rasa, real action server, REST webhook (action_guard)."""

from __future__ import annotations

import json
import sqlite3
import uuid

import pytest

from tests.servers import Servers

UNAVAILABLE = (
    "Désolé, je ne peux pas répondre à cette question pour le moment : un service de "
    "l'assistant est indisponible."
)
QUESTION = "quels sont les horaires de la mairie de Bapaume ?"


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """Rasa started alone: its action endpoint is a free port where nobody listens."""
    demandes_db = tmp_path_factory.mktemp("demandes") / "demandes.db"
    instance = Servers(
        actions=False, extra_env={"TCHATCHE_DEMANDES_DB": f"sqlite:///{demandes_db}"}
    ).start()
    yield instance
    instance.stop()


def texts(replies: list[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def user_texts(servers: Servers, sender: str) -> list[str]:
    with sqlite3.connect(servers.database) as db:
        rows = db.execute(
            "select data from events where sender_id = ? and type_name = 'user' order by id",
            (sender,),
        ).fetchall()
    return [json.loads(row[0]).get("text") for row in rows]


def test_question_while_the_action_server_is_down_then_back(servers):
    sender = f"down-{uuid.uuid4().hex[:10]}"
    replies = servers.send(sender, QUESTION)
    assert len(replies) == 1, "one message, then the assistant listens"
    assert texts(replies).startswith(UNAVAILABLE)
    assert "appelez votre mairie" in texts(replies)
    assert user_texts(servers, sender) == [QUESTION], "the resident's message is kept"

    servers.start_actions()
    try:
        again = texts(servers.send(sender, QUESTION))
    finally:
        servers.stop_actions()
    assert "La mairie de Bapaume est" in again
    assert UNAVAILABLE not in again
    assert user_texts(servers, sender) == [QUESTION, QUESTION]


def test_form_answer_while_the_action_server_is_down_is_asked_again(servers):
    """validate_demande_form cannot run: French message, the form keeps its question."""
    sender = f"down-{uuid.uuid4().hex[:10]}"
    servers.start_actions()
    try:
        offer = texts(servers.send(sender, "je voudrais parler à un agent de la mairie de Bapaume"))
        assert "Voulez-vous laisser un message écrit à la mairie ?" in offer
        assert "quel service" in texts(servers.send(sender, "/affirmer"))
    finally:
        servers.stop_actions()

    replies = servers.send(sender, "Urbanisme")
    assert len(replies) == 1 and texts(replies).startswith(UNAVAILABLE)

    servers.start_actions()
    try:
        assert "Écrivez votre message" in texts(servers.send(sender, "Urbanisme"))
    finally:
        servers.stop_actions()
    assert user_texts(servers, sender)[-2:] == ["Urbanisme", "Urbanisme"]
