"""Emergencies through the running servers, on every channel: the number comes first.

REST, Messenger (signed webhook, fake Graph API), SMS (signed Twilio webhook, fake Twilio API)
and the web chat in Chromium, with the real model and action server of tests/channels. Also:
inside a form, as the second message while the commune is being asked, with the action server
down, and an ordinary « feux rouges » report that must not get an emergency answer.
"""

from __future__ import annotations

import json
import sqlite3
import uuid

from channels.sms import segments
from tests.channels import test_messenger as messenger
from tests.channels import test_sms as sms
from tests.channels.test_webchat import ask, browser, commune_url, page  # noqa: F401
from tests.urgence.answers import numbers_in


def texts(replies: list[dict]) -> list[str]:
    return [r.get("text", "") for r in replies if r.get("text")]


def rest_sender() -> str:
    return f"urgence-{uuid.uuid4().hex[:10]}"


def last_active_loop(servers, sender: str) -> str | None:
    with sqlite3.connect(servers.database) as db:
        rows = db.execute(
            "select data from events where sender_id = ? and type_name = 'active_loop' "
            "order by id",
            (sender,),
        ).fetchall()
    return json.loads(rows[-1][0]).get("name") if rows else None


def test_rest_first_message_gets_17_first_and_no_commune_question(servers):
    replies = texts(servers.send(rest_sender(), "quelqu'un essaie d'entrer par ma fenêtre"))
    assert numbers_in(replies[0])[:1] == ["17"], replies
    assert "114" in " ".join(replies) and "112" in " ".join(replies)
    assert not any("commune" in r.lower() for r in replies)


def test_rest_while_the_commune_is_asked_the_emergency_comes_first(servers):
    sender = rest_sender()
    asked = " ".join(texts(servers.send(sender, "la mairie est ouverte ?")))
    assert "Dans quelle commune" in asked
    replies = texts(servers.send(sender, "papi est tombé il bouge plus"))
    assert numbers_in(replies[0])[:1] == ["15"], replies
    assert not any("Dans quelle commune" in r for r in replies)
    # afterwards the conversation goes on normally
    after = " ".join(texts(servers.send(sender, "Bucquoy")))
    assert "Bucquoy" in after


def test_rest_inside_a_form_the_emergency_leaves_the_form(servers):
    sender = rest_sender()
    question = " ".join(texts(servers.send(sender, "je veux signaler un problème à Bucquoy")))
    assert last_active_loop(servers, sender) == "signalement_form", question
    replies = texts(servers.send(sender, "ya le feu dans la grange du voisin"))
    assert numbers_in(replies[0])[:1] == ["18"], replies
    assert last_active_loop(servers, sender) is None
    after = " ".join(texts(servers.send(sender, "quels sont les horaires de la mairie de Bapaume")))
    assert "Bapaume" in after


def test_rest_with_the_action_server_down_the_number_is_still_given(servers):
    servers.stop_actions()
    try:
        replies = texts(servers.send(rest_sender(), "ma fille n'est pas rentrée de l'école"))
    finally:
        servers.start_actions()
    assert numbers_in(replies[0])[:2] == ["17", "116 000"], replies


def test_rest_broken_traffic_lights_are_a_report_not_an_emergency(servers):
    replies = texts(servers.send(rest_sender(), "la barre de feux rouges est cassée"))
    assert replies and not any("Appelez le" in r for r in replies), replies
    assert not any(n in {"15", "17", "18", "112"} for r in replies for n in numbers_in(r))


def test_messenger_violent_partner_gets_17_then_3919(servers, graph_api):
    graph_api.mode = "ok"
    sender = messenger.new_sender()
    body = messenger.payload(sender, "mon copain me frappe et il arrive")
    assert messenger.post(servers, body, messenger.sign(body)).status_code == 200
    replies = messenger.replies_to(graph_api, sender, minimum=3)
    first = replies[0]["message"]["text"]
    assert numbers_in(first)[:2] == ["17", "3919"], replies


def test_sms_gas_leak_gets_18_in_one_segment(servers, twilio_api):
    twilio_api.mode = "ok"
    sender = sms.new_sender()
    assert sms.post(servers, sender, "ca sent le gaz dans la cuisine").status_code == 200
    [body] = sms.sms_to(twilio_api, sender)
    assert numbers_in(body)[:1] == ["18"], body
    assert segments(body) == 1, body


def test_webchat_suicidal_thoughts_get_3114_with_humane_words(page, servers):  # noqa: F811
    page.goto(commune_url(servers))
    page.click("#tchatche-ouvrir")
    answer = ask(page, "je veux plus vivre depuis que ma femme est partie")
    assert "3114" in answer and "15" in answer
    assert answer.index("3114") < answer.index("Quand vous serez en sécurité")
    assert "Dans quelle commune" not in answer
