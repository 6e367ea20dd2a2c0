"""A message that is only a commune name is an answer (informer_commune), not a question."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from actions.territory.loader import load_territory
from actions.territory.matching import CommuneMatcher, commune_answer
from tchatche_nlu.commune_answer import CommuneAnswerClassifier, hesitant_commune

MATCHER = CommuneMatcher(load_territory())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bucquoy", "Bucquoy"),
        ("non, c'est pour Bucquoy", "Bucquoy"),
        ("je suis de vaulx", "Vaulx-Vraucourt"),
        ("j'habite à bapaume", "Bapaume"),
        ("pardon je voulais dire Sapignies", "Sapignies"),
        ("Martinpuiche", "Martinpuich"),
        ("le sars", "Le Sars"),
        ("avesnes les bapaume", "Avesnes-lès-Bapaume"),
    ],
)
def test_commune_answers(text, expected):
    assert commune_answer(text, MATCHER).commune.nom == expected


@pytest.mark.parametrize(
    "text", ["horaires de bucquoy", "mairie de bapaume", "oui", "impots", "quel temps à bapaume"]
)
def test_questions_naming_a_commune_are_not_answers(text):
    assert commune_answer(text, MATCHER) is None


def test_component_sets_intent_and_keeps_ranking():
    message = Message.build(text="bucquoy")
    message.set("intent", {"name": "orientation", "confidence": 0.99})
    message.set("intent_ranking", [{"name": "orientation", "confidence": 0.99}])
    other = Message.build(text="horaires mairie")
    other.set("intent", {"name": "horaires_mairie", "confidence": 0.97})
    CommuneAnswerClassifier().process([message, other])
    assert message.get("intent") == {"name": "informer_commune", "confidence": 1.0}
    assert [r["name"] for r in message.get("intent_ranking")] == ["informer_commune", "orientation"]
    assert other.get("intent")["name"] == "horaires_mairie"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jhabite bucquoy", "Bucquoy"),
        ("jsuis de vaulx", "Vaulx-Vraucourt"),
        ("chui de favreuil", "Favreuil"),
        ("j habite seule au transloy", "Le Transloy"),
    ],
)
def test_glued_sms_answers(text, expected):
    assert commune_answer(text, MATCHER).commune.nom == expected


@pytest.mark.parametrize(
    ("text", "outside"),
    [
        ("jhabite achicourt", "Achicourt"),
        ("jhabite montreuil", "montreuil"),  # no commune we know: outside all the same
        ("j'habite à Saint-Laurent-Blangy", "Saint-Laurent-Blangy"),
    ],
)
def test_outside_home_given_as_the_answer(text, outside):
    answer = commune_answer(text, MATCHER)
    assert answer.commune is None and answer.outside == outside


@pytest.mark.parametrize(
    "text",
    [
        "elle habite a bapaume",
        "ma fille habite a lille",
        "il habite achicourt",
        "on arrive de lille",
        "je suis une personne agee",
        "j habite seule",
        "ouai",
    ],
)
def test_someone_elses_town_or_a_plain_word_is_no_answer(text):
    assert commune_answer(text, MATCHER) is None


def _ranking(*pairs: tuple[str, float]) -> list[dict]:
    return [{"name": name, "confidence": confidence} for name, confidence in pairs]


@pytest.mark.parametrize(
    ("text", "ranking", "expected"),
    [
        # More than a name, DIET unsure but guessing a commune answer: it is one.
        (
            "ah et a bancourt alors ? ma mere habite la bas",
            _ranking(("informer_commune", 0.33), ("precision", 0.12)),
            True,
        ),
        (
            "ah et a bancourt alors ? ma mere habite la bas",
            _ranking(("precision", 0.21), ("informer_commune", 0.16), ("dechetterie", 0.06)),
            True,
        ),
        # A follow-up about the commune named: a question, not an answer.
        (
            "et pour l inhumer ici a achiet le grand ?",
            _ranking(("precision", 0.3), ("informer_commune", 0.2)),
            False,
        ),
        # A story naming a commune is not an answer.
        (
            "bonjour ma mere habite a bancourt depuis toujours et elle voudrait savoir comment "
            "faire pour ses papiers de retraite",
            _ranking(("precision", 0.21), ("informer_commune", 0.16)),
            False,
        ),
        # DIET sure of it: nothing to settle.
        ("et a bancourt ?", _ranking(("informer_commune", 0.9)), False),
        # DIET does not guess a commune answer: no guess made for it.
        (
            "les poubelles a bancourt",
            _ranking(("collecte_dechets", 0.4), ("dechetterie", 0.2), ("encombrants", 0.1)),
            False,
        ),
        # No commune of the territory named.
        ("ah et la bas alors ?", _ranking(("informer_commune", 0.3)), False),
    ],
)
def test_an_unsure_commune_answer_naming_a_commune_is_taken(text, ranking, expected):
    assert hesitant_commune(text, ranking, MATCHER) is expected
