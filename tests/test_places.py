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
    assert second[0].startswith("Lille ne fait pas partie des 26 communes du secteur de Bapaume.")
    third = conversation.say("ervilers", "informer_commune")
    assert third[0].startswith("Ervillers ne fait pas partie des 26 communes")  # its real name


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
        "Ervillers ne fait pas partie des 26 communes du secteur de Bapaume. Je n'ai pas ses "
        "informations : renseignez-vous auprès de sa mairie. Si vous habitez l'une des 26 "
        "communes, écrivez son nom."
    ]


# --- whose place: the resident's home wins, someone else's town does not count ----------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "je suis sur le site de bucquoy mais moi j habite a vaulx, la mairie ouvre quand ?",
            "Vaulx-Vraucourt",
        ),
        ("sur le site de bucquoy, moi jhabite vaulx vraucourt", "Vaulx-Vraucourt"),
        ("je regarde la page de bapaume mais moi c est favreuil", "Favreuil"),
        ("la mairie de bucquoy ou j habite a sapignies ?", "Sapignies"),
        ("j habite seule au transloy", "Le Transloy"),
        ("on habite ensemble a beaulencourt, on fait ca ou", "Beaulencourt"),
        ("je travaille a bapaume mais j habite sur la commune de morval", "Morval"),
        ("je n habite plus a bapaume, j habite a grevillers", "Grévillers"),
        # Moving in: where they moved to, not where they came from.
        (
            "bonjour on vient d emmenager a vaulx vraucourt avec mon mari et nos 2 enfants, "
            "on arrive de lille, qu est ce qu il faut faire ?",
            "Vaulx-Vraucourt",
        ),
        ("on arrive de bapaume et on s est installes a bihucourt", "Bihucourt"),
        ("je viens de bucquoy, jhabite mtn a bancourt", "Bancourt"),
    ],
)
def test_where_the_resident_lives_wins(text, expected):
    match = MATCHER.find_in_text(text)
    assert match.commune.nom == expected
    assert match.home


@pytest.mark.parametrize(
    "text",
    [
        "elle habite a lille c grave ?",
        "il habite a arras",
        "ma fille habite a lille, elle peut voter pour moi ?",
        "mon fils qui habite a albert",
        "ils habitent a lens",
        "on arrive de lille",
        "je viens de douai",
        "on a demenage de lens il y a six mois",
        "j habitais a arras avant",
        "je n habite plus a lille",
        "ma carte d identite a encore l adresse d amiens, faut la refaire ?",
        "sur mon permis il y a toujours l adresse de lens",
    ],
)
def test_someone_elses_town_is_neither_ours_nor_reported(text):
    match = MATCHER.find_in_text(text)
    assert match.commune is None and not match.ambiguous and match.outside == ""


def test_our_commune_named_as_someone_elses_is_kept_apart():
    match = MATCHER.find_in_text("mon pere vit a bancourt, il a droit au minimum vieillesse ?")
    assert match.commune is None and match.outside == ""
    assert match.elsewhere.nom == "Bancourt"  # used only when no other commune is known


@pytest.mark.parametrize(
    ("text", "outside"),
    [
        ("jhabite achicourt, c est quand le ramassage des encombrants ?", "Achicourt"),
        ("j'habite à Achicourt", "Achicourt"),
        # No commune we know after « j'habite », « je suis de »: outside all the same.
        ("jhabite montreuil, c est quand les encombrants", "montreuil"),
        ("on habite a hesdin, la dechetterie c est ou", "hesdin"),
        ("nous habitons Hesdin", "Hesdin"),
        ("je suis de fruges", "fruges"),
        ("j habite a Saint-Laurent-Blangy", "Saint-Laurent-Blangy"),
        ("on vient d emmenager a beaumetz les loges", "beaumetz"),
    ],
)
def test_a_home_we_do_not_know_is_outside(text, outside):
    match = MATCHER.find_in_text(text)
    assert match.commune is None and not match.ambiguous
    assert match.outside == outside
    assert match.home


@pytest.mark.parametrize(
    "text",
    [
        "j habite seule",
        "j habite seul depuis la mort de mon mari",
        "j habite a la campagne",
        "j habite a cote de la mairie",
        "j'habite en face de l'école",
        "j habite dans un appartement",
        "j habite ici depuis 20 ans",
        "je suis de passage",
        "je suis d accord",
        "je suis de retour",
        "moi c est marie",  # a first name, not a place
        "on a emmenage la semaine derniere, par quoi on commence ?",
        "je demenage le mois prochain",
        "installation jeune agriculteur msa",
    ],
)
def test_no_place_after_jhabite_is_no_commune(text):
    match = MATCHER.find_in_text(text)
    assert match.commune is None and not match.ambiguous and match.outside == ""


def test_an_outside_name_that_is_a_word_needs_a_capital_or_a_cue():
    assert MATCHER.find_in_text("on veut amenager les combles").outside == ""
    assert MATCHER.find_in_text("la mairie de combles est ouverte ?").outside == "Combles"
    assert MATCHER.find_in_text("j'habite Combles").outside == "Combles"


def test_an_nlu_entity_on_someone_elses_town_is_set_aside(conversation):
    lille = [{"entity": "commune", "value": "lille", "start": 14, "end": 19}]
    conversation.say("horaires mairie", "horaires_mairie", commune_entity("Bancourt"))
    replies = conversation.say(
        "elle habite a lille, la mairie ouvre quand ?", "horaires_mairie", lille
    )
    assert conversation.slots["commune"] == "Bancourt"
    assert not any("Je ne connais pas" in r for r in replies)
    assert replies[0].startswith("La mairie de Bancourt")
