"""A death told inside another question: condolences first, and the mairie that writes the act."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation.condoleances import comfort_first, place_of_death, tells_a_death
from actions.territory.matching import territory_matcher


@pytest.mark.parametrize(
    "text",
    [
        "ma mere est decedee a l hopital d arras hier, c est la mairie d achiet qui fait l acte ?",
        "Mon mari est mort le mois dernier, on m'a parlé de la réversion",
        "mon papa vient de deceder, il faut un acte de deces",
        "deces de ma grand mere cette nuit, je voudrais l acte",
        "notre fils nous a quitté en mars",
    ],
)
def test_a_death_in_the_family_is_heard(text):
    assert tells_a_death(text)


@pytest.mark.parametrize(
    "text",
    [
        "je voudrais un acte de deces pour la succession de mon oncle",
        "copie acte de deces de ma mere",
        "je suis mort de rire",
        "la batterie de mon telephone est morte",
        "un arbre mort est tombe sur la route",
    ],
)
def test_no_condolences_without_a_death_told(text):
    assert not tells_a_death(text)


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("ma mere est decedee a l hopital d arras hier, c est la mairie d achiet ?", "Arras"),
        ("mon pere est mort a bapaume a la maison de retraite", "Bapaume"),
        ("mon mari est decede le mois dernier", None),
        # The place is read in the sentence of the death, not in the next one.
        ("ma mère est décédée à l'hôpital d'Arras hier, on habite Achiet-le-Grand", "Arras"),
        # « À la maison »: the resident's own commune, when known.
        ("mon papa est mort cette nuit a la maison", "Favreuil"),
        ("mon papa est mort cette nuit, je suis a la maison", None),
        # SMS style: the place in the next fragment; the home is not where it happened.
        ("mon mari est decede dimanche. a l hopital d arras. on habitait riencourt", "Arras"),
        ("mon mari est decede dimanche. on habite riencourt depuis 40 ans", None),
        # « partie » says the death once the message is known to tell one.
        ("ma maman est partie ce matin a l ehpad de bapaume. elle habitait beugny", "Bapaume"),
    ],
)
def test_place_of_death_is_read_after_the_death_words(text, place):
    assert place_of_death(text, territory_matcher(), home="Favreuil") == place


def _tracker(text: str, intent: str, events: list | None = None) -> Tracker:
    message = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []}
    return Tracker("s", {}, message, events or [], False, None, {}, "action_listen")


def test_an_acte_de_deces_question_hears_condolences_then_which_mairie_writes_the_act():
    dispatcher = CollectingDispatcher()
    text = (
        "ma mere est decedee a l hopital d arras hier, c est la mairie d achiet qui fait l acte ?"
    )
    comfort_first(
        dispatcher, _tracker(text, "etat_civil"), territory_matcher(), {"type_acte": "deces"}
    )
    said = [m["response"] for m in dispatcher.messages]
    assert said == ["utter_deces_condoleances", "utter_deces_lieu"]
    assert dispatcher.messages[1]["lieu_deces_a"] == "à Arras"
    assert dispatcher.messages[1]["lieu_deces_de"] == "d'Arras"


def test_condolences_are_said_once_and_not_over_the_deces_rule():
    text = "mon mari est mort, et pour la pension de reversion ?"
    dispatcher = CollectingDispatcher()
    comfort_first(dispatcher, _tracker(text, "deces"), territory_matcher(), {})
    assert dispatcher.messages == []
    earlier = [{"event": "bot", "text": "Toutes nos condoléances.", "metadata": {}}]
    comfort_first(dispatcher, _tracker(text, "orientation", earlier), territory_matcher(), {})
    assert dispatcher.messages == []
    comfort_first(dispatcher, _tracker(text, "orientation"), territory_matcher(), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_deces_condoleances"]
