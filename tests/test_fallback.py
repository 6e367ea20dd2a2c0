"""Two-stage fallback: "Vouliez-vous dire … ?" with the top two subjects, then the mairie."""

from __future__ import annotations

from tests.conftest import frozen

SELECTOR = {"orientation": {"response": {"intent_response_key": "orientation/impots"}}}


def ranking(*pairs: tuple[str, float]) -> list[dict]:
    return [{"name": "nlu_fallback", "confidence": 0.45}] + [
        {"name": n, "confidence": c} for n, c in pairs
    ]


def test_hesitation_offers_top_two_in_plain_french(conversation):
    replies = conversation.say(
        "heure mairie ou impot",
        "nlu_fallback",
        intent_ranking=ranking(("orientation", 0.41), ("horaires_mairie", 0.38), ("elus", 0.1)),
        response_selector=SELECTOR,
    )
    assert replies == ["Je ne suis pas sûr d'avoir compris. Vouliez-vous dire :"]
    buttons = conversation.buttons("utter_vouliez_vous_dire")
    assert [b["title"] for b in buttons] == ["Impôts", "Horaires de la mairie", "Autre chose"]
    assert buttons[0]["payload"] == '/orientation{"orientation_sujet": "impots"}'
    assert buttons[1]["payload"] == "/horaires_mairie"


def test_commune_of_the_message_is_carried_by_the_buttons(conversation):
    conversation.say(
        "horair mairy bucquoi",
        "nlu_fallback",
        intent_ranking=ranking(("horaires_mairie", 0.3), ("contact_mairie", 0.29)),
    )
    buttons = conversation.buttons("utter_vouliez_vous_dire")
    assert buttons[0]["payload"] == '/horaires_mairie{"commune": "Bucquoy"}'
    assert buttons[1]["title"] == "Contacter la mairie"


def test_small_talk_intents_are_never_offered(conversation):
    conversation.say(
        "bof",
        "nlu_fallback",
        intent_ranking=ranking(("nier", 0.4), ("salle_des_fetes", 0.2), ("charabia", 0.1)),
    )
    buttons = conversation.buttons("utter_vouliez_vous_dire")
    assert [b["title"] for b in buttons] == ["Louer la salle des fêtes", "Autre chose"]


def test_nothing_likely_asks_to_rephrase(conversation):
    replies = conversation.say(
        "qsdfgh", "nlu_fallback", intent_ranking=ranking(("elus", 0.05), ("cimetiere", 0.04))
    )
    assert replies[0].startswith("Je n'ai pas bien compris votre message.")


def test_refusing_the_offers_passes_to_the_mairie(conversation):
    conversation.slots["commune"] = "Bapaume"
    conversation.say(
        "truc machin",
        "nlu_fallback",
        intent_ranking=ranking(("urbanisme", 0.3), ("cimetiere", 0.25)),
    )
    with frozen(2026, 11, 24, 10, 0):
        replies = conversation.say("/nier", "nier")
    assert replies[0].startswith("Désolé, je ne sais pas répondre à cette question.")
    assert "assistant automatique" in replies[0]
    assert "Téléphone : 03 53 01 00" in replies[1]
    assert replies[2] == "La mairie de Bapaume est ouverte en ce moment, jusqu'à 12 h."


def test_second_failure_in_a_row_passes_to_the_mairie(conversation):
    conversation.say("blabla", "nlu_fallback", intent_ranking=ranking(("elus", 0.3)))
    replies = conversation.say("reblabla", "nlu_fallback", intent_ranking=ranking(("elus", 0.3)))
    assert replies[0].startswith("Désolé, je ne sais pas répondre")
    assert "commune" in replies[1].lower(), "commune unknown: asked before giving the contact"
    with frozen(2026, 11, 24, 10, 0):
        answer = conversation.say(
            "Morval", "informer_commune", [{"entity": "commune", "value": "Morval"}]
        )
    assert "Mairie de Morval" in "\n".join(answer)


def test_a_single_candidate_gives_one_offer(conversation):
    conversation.say("xx", "nlu_fallback", intent_ranking=ranking(("cimetiere", 0.5)))
    titles = [b["title"] for b in conversation.buttons("utter_vouliez_vous_dire")]
    assert titles == ["Cimetière", "Autre chose"]
