"""UrgenceClassifier on NLU output shaped like DIET's: what intent and ranking Rasa then sees."""

from __future__ import annotations

from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from tchatche_nlu.urgence import MARGIN, UrgenceClassifier


def parsed(text: str, *ranking: tuple[str, float]) -> Message:
    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": ranking[0][0], "confidence": ranking[0][1]})
    message.set(INTENT_RANKING_KEY, [{"name": n, "confidence": c} for n, c in ranking])
    return message


def classify(message: Message) -> Message:
    UrgenceClassifier(UrgenceClassifier.get_default_config()).process([message])
    return message


def test_a_danger_phrase_wins_clearly_over_a_confident_topic():
    message = classify(
        parsed("la maison du voisin brule", ("orientation", 0.9999), ("urgence_incendie", 0.0001))
    )
    assert message.get(INTENT) == {"name": "urgence_incendie", "confidence": 1.0}
    ranking = message.get(INTENT_RANKING_KEY)
    assert [r["name"] for r in ranking] == ["urgence_incendie", "orientation"]
    # the FallbackClassifier's ambiguity check (0.05) must not fire
    assert ranking[0]["confidence"] - ranking[1]["confidence"] >= MARGIN - 1e-9


def test_two_kinds_found_give_a_second_kind_entity():
    message = classify(parsed("mon mari me frappe et frappe les enfants", ("aide", 0.5)))
    assert message.get(INTENT)["name"] == "urgence_violences_femmes"
    assert message.get(ENTITIES)[-1]["value"] == "urgence_enfant_danger"


def test_diet_urgence_kinds_count_together():
    message = classify(
        parsed(
            "j ai un gros souci la",
            ("urgence_generale", 0.45),
            ("urgence_sante", 0.35),
            ("aide", 0.2),
        )
    )
    intent = message.get(INTENT)
    assert intent["name"] == "urgence_generale"
    assert abs(intent["confidence"] - 0.8) < 1e-9


def test_a_weak_or_false_friend_guess_leaves_the_ranking_and_nothing_else_changes():
    weak = classify(parsed("bof", ("urgence_generale", 0.4), ("aide", 0.35), ("saluer", 0.33)))
    assert weak.get(INTENT) == {"name": "aide", "confidence": 0.35}
    assert [r["name"] for r in weak.get(INTENT_RANKING_KEY)] == ["aide", "saluer"]
    assert weak.get(INTENT_RANKING_KEY)[1]["confidence"] == 0.33  # ambiguity left as it was
    fireworks = classify(
        parsed("le feu d'artifice du 14 juillet", ("urgence_incendie", 0.9), ("hors_sujet", 0.1))
    )
    assert fireworks.get(INTENT)["name"] == "hors_sujet"


def test_help_already_called_is_no_new_emergency():
    """« jai appele le 15 ils arrivent je fais quoi en attendant » after a fall: DIET alone read a
    missing child (0.88); help is on its way, the message goes on to the usual path."""
    message = classify(
        parsed(
            "jai appele le 15 ils arrivent je fais quoi en attendant",
            ("urgence_enfant_disparu", 0.88),
            ("aide", 0.1),
        )
    )
    assert message.get(INTENT)["name"] == "aide"
    assert [r["name"] for r in message.get(INTENT_RANKING_KEY)] == ["aide"]


def test_asking_whether_to_call_stays_an_emergency():
    """« j'appelle le 17 ou pas ? » asks in a danger: only help already called is set aside."""
    message = classify(
        parsed(
            "j'appelle le 17 ou pas ? un homme bizarre rode devant l'école",
            ("urgence_agression", 0.9),
            ("aide", 0.05),
        )
    )
    assert message.get(INTENT)["name"] == "urgence_agression"
