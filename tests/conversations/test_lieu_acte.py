"""Which mairie writes the act of a birth (or a death), named from the resident's own words."""

from __future__ import annotations

import asyncio
import re

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation.hors_secteur import ActionHorsSecteur
from actions.conversation.lieu_acte import place_of_birth, told_place
from actions.territory.loader import load_territory
from actions.territory.matching import territory_matcher
from tests.conftest import Conversation, frozen


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("bonsoir, ma femme a accouché à la maison cette nuit à Ligny-Thilloy", "Ligny-Thilloy"),
        ("ma copine a accouche samedi a la clinique de cambrai, on habite biefvillers", "Cambrai"),
        ("ma femme a accouché hier soir à la maternité d'Arras, on habite Bucquoy", "Arras"),
        ("notre fils est né à la maison ce matin", "Le Sars"),
        ("ma fille a eu un bebe hier a la clinique d'arras, elle habite favreuil", "Arras"),
        ("slt on vient d avoir un bebe hier a arras, on habite a beaulencourt", "Arras"),
        ("elle a un bebe de 3 mois a bapaume", None),  # a baby, no birth told
        ("je veux declarer la naissance de mon fils", None),
        ("on habite le sars, comment on declare un bebe ?", None),
    ],
)
def test_place_of_birth_is_read_in_the_sentence_of_the_birth(text, place):
    assert place_of_birth(text, territory_matcher(), home="Le Sars") == place


def _replies(
    domain, text: str, slots: dict | None = None, before: list[dict] | None = None
) -> list[str]:
    """What action_hors_secteur says in the birth rule, rendered from domain.yml."""
    message = {"text": text, "intent": {"name": "declaration_naissance", "confidence": 0.9}}
    events = [*(before or []), {"event": "user", "text": text, "parse_data": message}]
    tracker = Tracker("s", slots or {}, message, events, False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    with frozen(2026, 12, 21, 10, 0):  # a Monday morning
        asyncio.run(ActionHorsSecteur().run(dispatcher, tracker, {}))
        conversation = Conversation(domain, [])
        return [conversation.generate_dispatched(m)["text"] for m in dispatcher.messages]


def test_a_birth_at_home_in_the_territory_names_the_mairie_its_phone_and_next_opening(domain):
    replies = _replies(domain, "ma femme a accouché à la maison cette nuit à Ligny-Thilloy")
    assert "déclarez-la à la mairie de Ligny-Thilloy" in replies[0]
    ligny = load_territory().by_name("Ligny-Thilloy").mairie
    assert ligny.telephone in replies[1]
    assert re.search(r"ouverte en ce moment|prochaine ouverture", replies[1])


def test_a_birth_in_a_maternity_outside_names_that_town_only(domain):
    replies = _replies(domain, "ma femme a accouché hier à la maternité d'Arras, on habite Bucquoy")
    assert replies == ["Pour une naissance à Arras : déclarez-la à la mairie d'Arras."]


def test_a_birth_at_home_uses_the_commune_already_known(domain):
    replies = _replies(domain, "elle a accouché chez nous ce matin", {"commune": "Le Sars"})
    assert "à la mairie du Sars" in replies[0]


def test_a_birth_at_home_uses_the_commune_said_in_an_earlier_message(domain):
    earlier = {
        "event": "user",
        "text": "bonjour j'habite Grévillers",
        "parse_data": {"intent": {"name": "informer_commune"}, "entities": []},
    }
    replies = _replies(domain, "ma femme a accouché à la maison cette nuit", before=[earlier])
    assert "déclarez-la à la mairie de Grévillers" in replies[0]


def test_nothing_is_added_when_the_place_is_not_said(domain):
    assert _replies(domain, "comment declarer la naissance de mon fils ?") == []


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("a la maison", "Le Sars"),
        ("chez lui", "Le Sars"),
        ("à l'hôpital d'Arras", "Arras"),
        ("a la maternite de cambrai", "Cambrai"),
        ("chez elle à Bancourt", "Bancourt"),
        ("à l'hôpital", None),  # which town's hospital is not said: the general answer
    ],
)
def test_a_place_said_alone_after_a_death_or_a_birth_names_its_commune(text, place):
    assert told_place(text, territory_matcher(), home="Le Sars") == place
