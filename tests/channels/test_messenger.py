"""Facebook Messenger through the real Rasa server and a local fake Graph API."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid

import requests

from channels.messenger import short_title, signature_is_valid, split_text, to_messenger
from tests.channels.conftest import FB_PAGE_TOKEN, FB_SECRET, FB_VERIFY, rasa_log, user_texts


def payload(sender: str, text: str | None = None, quick_reply: str | None = None) -> bytes:
    message: dict = {"mid": f"m-{uuid.uuid4().hex}", "text": text or quick_reply or ""}
    if quick_reply:
        message["quick_reply"] = {"payload": quick_reply}
    body = {
        "object": "page",
        "entry": [
            {
                "id": "page-1",
                "time": 1,
                "messaging": [
                    {
                        "sender": {"id": sender},
                        "recipient": {"id": "page-1"},
                        "timestamp": 1,
                        "message": message,
                    }
                ],
            }
        ],
    }
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def sign(body: bytes, secret: str = FB_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post(servers, body: bytes, signature: str | None) -> requests.Response:
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["X-Hub-Signature-256"] = signature
    return requests.post(
        f"{servers.url}/webhooks/facebook/webhook", data=body, headers=headers, timeout=60
    )


def replies_to(graph_api, sender: str, minimum: int = 1, timeout: float = 60) -> list[dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [
            r.json()
            for r in list(graph_api.requests)
            if r.path.endswith("/me/messages") and r.json()["recipient"]["id"] == sender
        ]
        if len(found) >= minimum:
            return found
        time.sleep(0.2)
    raise AssertionError(f"no reply to {sender} at the fake Graph API")


def new_sender() -> str:
    return f"fb-{uuid.uuid4().hex[:10]}"


def test_verify_token_handshake(servers):
    url = f"{servers.url}/webhooks/facebook/webhook"
    good = {"hub.mode": "subscribe", "hub.verify_token": FB_VERIFY, "hub.challenge": "1234"}
    assert requests.get(url, params=good, timeout=10).text == "1234"
    bad = {**good, "hub.verify_token": "autre"}
    assert requests.get(url, params=bad, timeout=10).status_code == 403


def test_signed_message_is_answered_with_quick_replies(servers, graph_api):
    graph_api.mode = "ok"
    sender = new_sender()
    body = payload(sender, "Bonjour")
    assert post(servers, body, sign(body)).status_code == 200
    replies = replies_to(graph_api, sender)
    request = next(r for r in graph_api.requests if r.path.endswith("/me/messages"))
    assert request.query["access_token"] == [FB_PAGE_TOKEN]
    texts = " ".join(r["message"].get("text", "") for r in replies)
    assert "assistant automatique" in texts
    with_choices = [r for r in replies if r["message"].get("quick_replies")]
    assert with_choices, replies
    quick = with_choices[-1]["message"]["quick_replies"]
    assert 0 < len(quick) <= 13
    assert all(len(q["title"]) <= 20 and q["payload"] for q in quick)
    assert all(r["messaging_type"] == "RESPONSE" for r in replies)


def test_quick_reply_payload_is_the_message(servers, graph_api):
    graph_api.mode = "ok"
    sender = new_sender()
    body = payload(sender, quick_reply="/horaires_mairie")
    assert post(servers, body, sign(body)).status_code == 200
    replies_to(graph_api, sender)
    assert user_texts(servers.database, sender) == ["/horaires_mairie"]


def test_forged_or_missing_signature_is_refused_and_nothing_stored(servers, graph_api):
    sender = new_sender()
    body = payload(sender, "Bonjour")
    assert post(servers, body, sign(body, "pas-le-bon-secret")).status_code == 403
    assert post(servers, body, None).status_code == 403
    assert post(servers, body, "sha1=" + sign(body)[7:]).status_code == 403
    tampered = payload(sender, "Bonjour !")
    assert post(servers, tampered, sign(body)).status_code == 403
    time.sleep(1)
    assert user_texts(servers.database, sender) == []
    assert not [r for r in graph_api.requests if sender in r.body.decode("utf-8", "replace")]


def test_graph_api_down_keeps_the_message_and_logs(servers, graph_api):
    sender = new_sender()
    graph_api.mode = "down"
    try:
        body = payload(sender, "à quelle heure ouvre la mairie de Bucquoy ?")
        assert post(servers, body, sign(body)).status_code == 200
        assert user_texts(servers.database, sender) == [
            "à quelle heure ouvre la mairie de Bucquoy ?"
        ]
        deadline = time.monotonic() + 30
        while "Graph API unreachable" not in rasa_log(servers) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert f"reply to {sender} not sent" in rasa_log(servers)
    finally:
        graph_api.mode = "ok"
    # the conversation goes on once Facebook is back
    body = payload(sender, "merci")
    assert post(servers, body, sign(body)).status_code == 200
    replies_to(graph_api, sender)


def test_graph_api_error_status_is_logged(servers, graph_api):
    sender = new_sender()
    graph_api.mode = "error"
    try:
        body = payload(sender, "Bonjour")
        assert post(servers, body, sign(body)).status_code == 200
        replies_to(graph_api, sender)
        assert user_texts(servers.database, sender) == ["Bonjour"]
        deadline = time.monotonic() + 10
        while f"answered 500 for {sender}" not in rasa_log(servers):
            assert time.monotonic() < deadline, "Graph API error not logged"
            time.sleep(0.5)
    finally:
        graph_api.mode = "ok"


# Pure functions: the limits Messenger imposes.


def test_signature_check_uses_sha256_of_the_raw_body():
    body = b'{"a": 1}'
    assert signature_is_valid("s", body, sign(body, "s"))
    assert not signature_is_valid("s", body + b" ", sign(body, "s"))
    assert not signature_is_valid("", body, sign(body, ""))


def test_buttons_become_at_most_13_short_quick_replies_and_documents_files():
    buttons = [{"title": f"Choix numéro {i} très long", "payload": f"/p{i}"} for i in range(20)]
    [message] = to_messenger({"text": "Choisissez", "buttons": buttons})
    assert len(message["quick_replies"]) == 13
    assert all(len(q["title"]) <= 20 for q in message["quick_replies"])
    assert short_title("Horaires de la mairie") == "Horaires de la mair…"
    document = {
        "document": {
            "url": "https://mairies.example/d/abc",
            "titre": "Compte rendu",
            "type": "pdf",
            "taille": 86000,
        }
    }
    [attachment] = to_messenger({"custom": document})
    assert attachment == {
        "attachment": {
            "type": "file",
            "payload": {"url": "https://mairies.example/d/abc", "is_reusable": False},
        }
    }


def test_long_text_is_split_not_cut():
    text = "Une phrase assez longue pour remplir. " * 120
    pieces = split_text(text.strip())
    assert all(len(p) <= 2000 for p in pieces) and len(pieces) == 3
    assert " ".join(pieces) == text.strip()
    messages = to_messenger({"text": text, "buttons": [{"title": "Oui", "payload": "/affirmer"}]})
    assert len(messages) == 3 and "quick_replies" in messages[-1]
