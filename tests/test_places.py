"""Places: a street named after a commune, and communes outside the territory.

« rue de Bapaume, chez nous à Favreuil » is about Favreuil. « Ervillers » is a real commune next
door, not a typo of Grévillers: the resident is told it is outside, never answered for Grévillers.
"""

from __future__ import annotations

import pytest

from actions.territory.loader import load_territory
from actions.territory.matching import CommuneMatcher, commune_answer, neighbour_names
from tests.conftest import commune_entity

MATCHER = CommuneMatcher(load_territory())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rue de Bapaume, chez nous à Favreuil", "Favreuil"),
        ("route d'Albert a Grevillers", "Grévillers"),
        ("j'habite Favreuil, pres de la rue de Bapaume", "Favreuil"),
        ("un nid de poule rue de Bapaume chez nous a Morval", "Morval"),
        ("rue d'Arras à Bapaume", "Bapaume"),
        ("avenue de Bucquoy a Achiet le Petit", "Achiet-le-Petit"),
        # A street alone: no other place is named, the commune stays.
        ("arbre tombé route de Ablainzevelle", "Ablainzevelle"),
    ],
)
def test_street_named_after_a_commune_is_not_the_residents_commune(text, expected):
    assert MATCHER.find_in_text(text).commune.nom == expected


def test_an_nlu_entity_on_the_street_name_is_set_aside():
    bapaume = MATCHER.territory.by_name("Bapaume")
    assert MATCHER.only_street("rue de Bapaume, chez nous à Favreuil", bapaume)
    assert not MATCHER.only_street("rue de Bapaume", bapaume)
    assert not MATCHER.only_street("mairie de Bapaume, rue d'Arras", bapaume)


@pytest.mark.parametrize(
    ("text", "outside"),
    [
        ("Arras", "Arras"),
        ("la mairie d'Achicourt est ouverte ?", "Achicourt"),
        ("j'habite à Albert", "Albert"),
        ("je suis de Lille", "Lille"),
        ("horaires mairie ervillers", "Ervillers"),  # not Grévillers
        ("ervilers", "Ervillers"),  # a typo of a neighbour stays outside
        ("Avesnes-le-Comte", "Avesnes-le-Comte"),  # not Avesnes-lès-Bapaume
        ("riencourt les cagnicourt", "Riencourt-lès-Cagnicourt"),
        ("Douchy-les-Mines", "Douchy-les-Mines"),
        ("Sars-Poteries", "Sars-Poteries"),  # not Le Sars
        ("Bapaume-lès-Lille", "Bapaume-lès-Lille"),  # looks like ours, is not
        ("Achiet-le-Vieux", "Achiet-le-Vieux"),
        ("j'habite a Arras rue de Bapaume", "Arras"),
    ],
)
def test_commune_outside_the_territory_is_reported_as_outside(text, outside):
    match = MATCHER.find_in_text(text)
    assert match.commune is None and not match.ambiguous
    assert match.outside == outside


def test_outside_names_are_never_resolved_to_one_of_ours():
    assert MATCHER.resolve_whole("ervillers").outside == "Ervillers"
    assert MATCHER.resolve("Arras").outside == "Arras"
    # Still an answer to « Dans quelle commune habitez-vous ? » (informer_commune), not Grévillers.
    answer = commune_answer("j'habite ervillers", MATCHER)
    assert answer.commune is None and answer.outside == "Ervillers"


def test_outside_commune_given_as_the_answer_is_said_to_be_outside(conversation):
    first = conversation.say("c'est ouvert la mairie ?", "horaires_mairie")
    assert "Dans quelle commune habitez-vous ?" in first[0]
    second = conversation.say("je suis de Lille", "informer_commune")
    assert second[0].startswith("Je ne connais pas la commune « Lille ».")
    third = conversation.say("ervilers", "informer_commune")
    assert third[0].startswith("Je ne connais pas la commune « Ervillers ».")  # its real name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("grevilers", "Grévillers"),
        ("douchy-les-ayettes", "Douchy-lès-Ayette"),
        ("mairie de Bapaume Le Samedi", "Bapaume"),
        ("bapaume les poubelles passent quand", "Bapaume"),
        ("la mairie de bapaume le 24 decembre", "Bapaume"),
    ],
)
def test_our_communes_still_found_next_to_these_rules(text, expected):
    assert MATCHER.find_in_text(text).commune.nom == expected


def test_neighbours_list_holds_no_commune_of_the_territory():
    ours = {c.nom for c in MATCHER.territory.communes.values()}
    names = neighbour_names()
    assert len(names) > 50
    assert not ours & set(names)


def test_street_case_in_conversation(conversation):
    # The NLU tags both names as communes: the street one is set aside.
    replies = conversation.say(
        "la mairie est ouverte ? j'habite rue de Bapaume, chez nous à Favreuil",
        "horaires_mairie",
        commune_entity("Bapaume") + commune_entity("Favreuil"),
    )
    assert conversation.slots["commune"] == "Favreuil"
    assert replies[0].startswith("La mairie de Favreuil est")


def test_outside_commune_in_conversation_is_never_replaced(conversation):
    conversation.say("mairie de Bapaume", "horaires_mairie", commune_entity("Bapaume"))
    replies = conversation.say("et la mairie d'Ervillers elle est ouverte ?", "horaires_mairie")
    assert replies == [
        "Je ne connais pas la commune « Ervillers ». J'aide les habitants des 26 communes du "
        "secteur de Bapaume. Quelle est votre commune ?"
    ]
