"""SMS through Twilio: the real Rasa server, a local fake Twilio API and signed webhooks."""

from __future__ import annotations

import time
import uuid

import requests
from twilio.request_validator import RequestValidator

from channels.sms import is_gsm, segments, sms_replies, sms_reply, to_gsm
from tests.channels.conftest import (
    TWILIO_NUMBER,
    TWILIO_PUBLIC_URL,
    TWILIO_SID,
    TWILIO_TOKEN,
    rasa_log,
    user_texts,
)


def new_sender() -> str:
    return f"+3361{uuid.uuid4().int % 10**7:07d}"


def post(servers, sender: str, text: str, signature: str | None = "sign") -> requests.Response:
    form = {
        "MessageSid": f"SM{uuid.uuid4().hex}",
        "AccountSid": TWILIO_SID,
        "From": sender,
        "To": TWILIO_NUMBER,
        "Body": text,
    }
    headers = {}
    if signature == "sign":
        signature = RequestValidator(TWILIO_TOKEN).compute_signature(TWILIO_PUBLIC_URL, form)
    if signature is not None:
        headers["X-Twilio-Signature"] = signature
    return requests.post(
        f"{servers.url}/webhooks/twilio/webhook", data=form, headers=headers, timeout=60
    )


def sms_to(twilio_api, sender: str, count: int = 1, timeout: float = 60) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        bodies = [
            r.form()["Body"]
            for r in list(twilio_api.requests)
            if r.path.endswith("/Messages.json") and r.form().get("To") == sender
        ]
        if len(bodies) >= count:
            return bodies
        time.sleep(0.2)
    raise AssertionError(f"no SMS to {sender} at the fake Twilio API")


def test_unsigned_or_wrongly_signed_messages_are_refused(servers, twilio_api):
    sender = new_sender()
    assert post(servers, sender, "Bonjour", signature=None).status_code == 403
    assert post(servers, sender, "Bonjour", signature="Zm9yZ2Vk").status_code == 403
    # signed for the URL Rasa sees instead of the public URL configured: refused too
    form_url = f"{servers.url}/webhooks/twilio/webhook"
    wrong_url = RequestValidator(TWILIO_TOKEN).compute_signature(form_url, {"Body": "Bonjour"})
    assert post(servers, sender, "Bonjour", signature=wrong_url).status_code == 403
    time.sleep(1)
    assert user_texts(servers.database, sender) == []


def test_signed_message_gets_numbered_choices_and_1_picks_the_first(servers, twilio_api):
    twilio_api.mode = "ok"
    sender = new_sender()
    response = post(servers, sender, "Bonjour")
    assert response.status_code == 200
    assert "<Response" in response.text
    [first] = sms_to(twilio_api, sender)
    assert "Répondez 1 pour " in first, first
    request = next(r for r in twilio_api.requests if r.form().get("To") == sender)
    assert request.path == f"/2010-04-01/Accounts/{TWILIO_SID}/Messages.json"
    assert request.form()["From"] == TWILIO_NUMBER
    assert request.headers["Authorization"].startswith("Basic ")
    first_choice = first.split("Répondez 1 pour ", 1)[1].split(",")[0]

    assert post(servers, sender, " 1 ").status_code == 200
    second = sms_to(twilio_api, sender, count=2)[1]
    stored = user_texts(servers.database, sender)
    assert stored[0] == "Bonjour"
    assert stored[1].startswith("/"), f"'1' should become the payload of « {first_choice} »"
    assert second and segments(second) <= 3


def test_long_answer_comes_in_several_gsm_sms_with_the_link_and_the_local_part(servers, twilio_api):
    """The national steps, then Favreuil's part (its mairie is not equipped: Bapaume's is)."""
    twilio_api.mode = "ok"
    sender = new_sender()
    post(servers, sender, "je dois refaire ma carte d'identité, j'habite Favreuil")
    sms_to(twilio_api, sender, count=2)
    time.sleep(1)  # the SMS of one turn are posted one after the other
    bodies = sms_to(twilio_api, sender, count=2)
    for body in bodies:
        assert segments(body) <= 3
        assert is_gsm(body), [c for c in body if not is_gsm(c)]
    joined = "\n".join(bodies)
    assert "https://www.service-public.gouv.fr/particuliers/vosdroits/F1341" in joined
    assert "Bapaume" in joined, "the local part is not cut away"
    assert "Répondez 1 pour " in bodies[-1] and "Répondez" not in "".join(bodies[:-1])


def test_twilio_down_keeps_the_message(servers, twilio_api):
    sender = new_sender()
    twilio_api.mode = "down"
    try:
        assert post(servers, sender, "horaires de la mairie de Bucquoy").status_code == 200
        assert user_texts(servers.database, sender) == ["horaires de la mairie de Bucquoy"]
        deadline = time.monotonic() + 30
        while f"reply to {sender} not sent" not in rasa_log(servers):
            assert time.monotonic() < deadline, "Twilio failure not logged"
            time.sleep(0.5)
    finally:
        twilio_api.mode = "ok"


def test_bad_input_by_sms_is_stored_and_answered(servers, twilio_api):
    sender = new_sender()
    text = "<script>alert(1)</script> 😀 " + "a" * 1500
    assert post(servers, sender, text).status_code == 200
    assert user_texts(servers.database, sender) == [text]
    [body] = sms_to(twilio_api, sender)
    assert segments(body) <= 3


# Pure functions.


def test_gsm7_replacements():
    text = "L’école « Jean Moulin » ouvre à 8\u00a0h\u202f30 — merci… 😀 Fête, œuvre"
    gsm = to_gsm(text)
    assert gsm == 'L\'école "Jean Moulin" ouvre à 8 h 30 - merci... Fete, oeuvre'
    assert is_gsm(gsm)
    assert segments("a" * 160) == 1 and segments("a" * 161) == 2 and segments("ê" * 71) == 2


def test_long_reply_without_link_is_cut_at_a_sentence():
    text = " ".join(f"Phrase numéro {i} du texte." for i in range(60))
    reply = sms_reply([{"text": text, "buttons": [{"title": "Oui", "payload": "/affirmer"}]}])
    assert segments(reply) <= 3
    assert reply.endswith("Répondez 1 pour Oui.")
    assert reply.splitlines()[0].endswith(".")


def test_second_need_gets_its_own_sms_and_only_the_last_keeps_the_choices():
    """A long first answer used to fill the one SMS: the second need was cut away unseen."""
    first = " ".join(f"Collecte {i} : le vendredi." for i in range(40))
    messages = [
        {"text": first, "buttons": [{"title": "La déchetterie", "payload": "/dechetterie"}]},
        {"text": "Votre autre question : « le numéro de la mairie »"},
        {
            "text": "Téléphone : 03 53 01 00 23",
            "buttons": [{"title": "Oui", "payload": "/affirmer"}],
        },
    ]
    replies = sms_replies(messages)
    # The long first answer fills at most 3 SMS; the second need starts its own.
    assert len(replies) == 4 and all(segments(r) <= 3 for r in replies)
    assert not any("Répondez" in r for r in replies[:-1]), "choices only in the last SMS"
    assert replies[-1].startswith("Votre autre question")
    assert "03 53 01 00 23" in replies[-1] and replies[-1].endswith("Répondez 1 pour Oui.")
    short = [{"text": "Les ordures passent le vendredi.", "buttons": messages[0]["buttons"]}]
    assert sms_replies(short) == [sms_reply(short)]


def test_document_becomes_title_and_link():
    document = {"document": {"url": "https://mairies.example/d/x", "titre": "Menu de la cantine"}}
    assert sms_reply([{"custom": document}]) == "Menu de la cantine : https://mairies.example/d/x"
    fallback = {"text": "Menu de la cantine (2 novembre) : https://mairies.example/d/x"}
    assert sms_reply([fallback, {"custom": document}]) == to_gsm(fallback["text"])


def test_a_long_answer_is_split_across_sms_at_sentences_not_cut():
    """The local part at the end of a long answer (« allez à la mairie de Bapaume ») must arrive."""
    national = " ".join(f"Étape {i} de la démarche nationale, à lire." for i in range(1, 16))
    messages = [
        {"text": f"{national}\nSource officielle : https://www.service-public.gouv.fr/x/F1"},
        {
            "text": "Pour Le Transloy : allez à la mairie de Bapaume, sur rendez-vous.",
            "buttons": [{"title": "Prendre rendez-vous", "payload": "/prendre_rendez_vous"}],
        },
    ]
    replies = sms_replies(messages)
    assert len(replies) >= 2 and all(segments(r) <= 3 for r in replies)
    joined = "\n".join(replies)
    assert "Étape 15 de la démarche nationale" in joined and "..." not in joined
    assert "mairie de Bapaume" in replies[-1]
    assert replies[-1].endswith("Répondez 1 pour Prendre rendez-vous.")


def test_the_local_part_is_not_cut_to_make_room_for_the_choices():
    """Packed without its numbered choices, the last SMS lost « Riencourt » once they were added."""
    general = (
        "Pour une concession (un emplacement de tombe), adressez-vous à la mairie de la commune "
        "du cimetière. Toute "
        "inhumation doit être autorisée par le maire de cette commune. Elle a lieu entre 24 "
        "heures et 14 jours après le décès, sauf exception.\n"
        "Source officielle : https://www.service-public.gouv.fr/particuliers/vosdroits/F14935"
    )
    steps = (
        "Les pompes funèbres font souvent la demande d'inhumation pour la famille, avec l'acte "
        "de décès. Pour une concession, la durée (par exemple 15, 30 ou 50 ans) et le prix sont "
        "fixés par la commune. Apportez une pièce d'identité et, si vous l'avez, l'acte de "
        "concession existant."
    )
    local = (
        "Pour le cimetière de Riencourt-lès-Bapaume, adressez-vous à la mairie : 03 53 01 00 29."
    )
    titles = ("Contacter la mairie", "Prendre rendez-vous", "Horaires de la mairie")
    buttons = [{"title": t, "payload": f"/{i}"} for i, t in enumerate(titles)]
    messages = [
        {"text": general},
        {"text": steps},
        {"text": local},
        {"text": "Que souhaitez-vous faire maintenant ?", "buttons": buttons},
    ]
    replies = sms_replies(messages)
    joined = "\n".join(replies)
    assert all(segments(r) <= 3 for r in replies)
    assert "03 53 01 00 29" in joined and "..." not in joined, replies
    assert "Que souhaitez-vous faire maintenant ?" in joined, "the question goes with its choices"
    assert replies[-1].endswith("3 pour Horaires de la mairie.")


def test_a_cut_reply_leaves_no_label_without_its_link():
    """« Source officielle : » in the middle of a cut reply lost its link: the label goes too."""
    steps = " ".join(
        f"Étape {i} : faites ceci, puis cela, sans oublier le reste." for i in range(12)
    )
    body = f"Voici les étapes.\nSource officielle : https://www.service-public.gouv.fr/x/F16507\n{steps}"
    reply = sms_reply([{"text": body}])
    assert segments(reply) <= 3
    assert "Source officielle" not in reply, reply
    assert reply.endswith("En savoir plus : https://www.service-public.gouv.fr/x/F16507")
