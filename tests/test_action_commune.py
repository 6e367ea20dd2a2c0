"""action_preparer_reponse followed by the rules: what a resident reads, with a frozen clock."""

from __future__ import annotations

import pytest

from tests.conftest import commune_entity, frozen

# 2026-11-23 is a Monday. Bucquoy (example data): lundi 9 h-12 h, mardi 14 h-18 h, jeudi
# 9 h-12 h et 14 h-17 h, vendredi 14 h-18 h, samedi 9 h-11 h 30. Bapaume: lundi-vendredi
# 8 h 30-12 h et 13 h 30-17 h 30 (17 h le vendredi), samedi 9 h-12 h. Both: closed 24/12-2/1.


def test_open_now_says_until_when(conversation):
    with frozen(2026, 11, 23, 10, 0):
        replies = conversation.say(
            "la mairie de bucquoy est ouverte ?", "horaires_mairie", commune_entity("Bucquoy")
        )
    assert replies[0] == "La mairie de Bucquoy est ouverte en ce moment, jusqu'à 12 h."
    assert "lundi : de 9 h à 12 h" in replies[1]
    assert "samedi : de 9 h à 11 h 30" in replies[1]


def test_just_before_closing_warns(conversation):
    with frozen(2026, 11, 23, 11, 40):
        replies = conversation.say("ouvert ?", "horaires_mairie", commune_entity("Bucquoy"))
    assert replies[0] == "La mairie de Bucquoy est ouverte, mais elle ferme bientôt : à 12 h."


def test_sunday_gives_next_opening(conversation):
    with frozen(2026, 11, 29, 15, 0):
        replies = conversation.say(
            "quand la mairie rouvre-t-elle ?", "horaires_mairie", commune_entity("Bucquoy")
        )
    assert replies[0] == "La mairie de Bucquoy est fermée en ce moment. Elle rouvre demain à 9 h."


def test_public_holiday_is_closed_and_named(conversation):
    # Wednesday 11 November 2026 (Armistice): Bapaume opens on Wednesdays, but not today.
    with frozen(2026, 11, 11, 10, 0):
        replies = conversation.say(
            "mairie de Bapaume ouverte ?", "horaires_mairie", commune_entity("Bapaume")
        )
    assert (
        replies[0] == "La mairie de Bapaume est fermée en ce moment. Elle rouvre demain à 8 h 30."
    )
    assert "fermée aujourd'hui (Armistice 1918)" in replies[1]


def test_easter_monday_is_a_holiday(conversation):
    # Easter 2027 is on 28 March: Monday 29 March is closed, Tuesday opens at 8 h 30.
    with frozen(2027, 3, 29, 9, 0):
        replies = conversation.say("ouvert ?", "horaires_mairie", commune_entity("Bapaume"))
    assert replies[0].endswith("Elle rouvre demain à 8 h 30.")
    assert "lundi de Pâques" in replies[1]


@pytest.mark.parametrize(
    ("year", "reopening"),
    # The example closures span the coming years: the demo stays right a year from now.
    [(2026, "lundi 4 janvier"), (2027, "lundi 3 janvier")],
)
def test_exceptional_closure_skips_to_reopening(conversation, year, reopening):
    with frozen(year, 12, 28, 10, 0):
        replies = conversation.say("ouvert ?", "horaires_mairie", commune_entity("Bapaume"))
    assert replies[0].endswith(f"Elle rouvre {reopening} à 8 h 30.")
    assert "congés de fin d'année" in replies[1]


def test_missing_commune_is_asked_then_the_question_answered(conversation):
    with frozen(2026, 11, 23, 10, 0):
        first = conversation.say("c'est ouvert la mairie ?", "horaires_mairie")
        assert first == [
            "Pour bien vous répondre, j'ai besoin de connaître votre commune. "
            "Dans quelle commune habitez-vous ?"
        ]
        second = conversation.say("vaulx", "informer_commune", commune_entity("vaulx"))
    assert second[0].startswith("La mairie de Vaulx-Vraucourt est ouverte")
    assert conversation.slots["commune_insee"] == "62839"


def test_commune_kept_for_the_rest_of_the_conversation(conversation):
    with frozen(2026, 11, 23, 10, 0):
        conversation.say("j'habite a Favreuil", "informer_commune", commune_entity("Favreuil"))
        replies = conversation.say("le numéro de la mairie", "contact_mairie")
    assert replies[0].startswith("Mairie de Favreuil\nAdresse :")
    assert "Téléphone : 03 53 01 00" in replies[0]


def test_correction_re_answers_for_the_new_commune(conversation):
    with frozen(2026, 11, 23, 10, 0):
        conversation.say("horaires mairie bapaume", "horaires_mairie", commune_entity("Bapaume"))
        replies = conversation.say(
            "non, c'est pour Bucquoy", "informer_commune", commune_entity("Bucquoy")
        )
    assert replies[0].startswith("La mairie de Bucquoy")
    assert conversation.slots["commune"] == "Bucquoy"


def test_commune_given_first_is_acknowledged(conversation):
    replies = conversation.say("Martinpuich", "informer_commune", commune_entity("Martinpuich"))
    assert replies == [
        "C'est noté : vous habitez Martinpuich. Posez votre question, je vous écoute."
    ]


def test_unknown_commune_is_named_and_not_kept(conversation):
    conversation.say("bucquoy", "informer_commune", commune_entity("Bucquoy"))
    replies = conversation.say(
        "horaires mairie d'Arras", "horaires_mairie", commune_entity("Arras")
    )
    assert replies[0].startswith("Je ne connais pas la commune « Arras ».")
    assert conversation.slots["commune"] == "Bucquoy"


def test_ambiguous_commune_asks_which_one(conversation):
    replies = conversation.say("j'habite achiet", "informer_commune")
    assert replies == [
        "Vous voulez dire Achiet-le-Grand ou Achiet-le-Petit ? "
        "Écrivez le nom complet de votre commune."
    ]


def test_typo_found_in_text_without_entity(conversation):
    with frozen(2026, 11, 23, 10, 0):
        replies = conversation.say("horaires mairie de bucquoi", "horaires_mairie")
    assert replies[0].startswith("La mairie de Bucquoy")


def test_commune_of_the_web_page_avoids_the_question(conversation):
    with frozen(2026, 11, 23, 10, 0):
        replies = conversation.say("ouvert ?", "horaires_mairie", metadata={"commune": "Bucquoy"})
    assert replies[0].startswith("La mairie de Bucquoy")


@pytest.mark.parametrize(
    ("commune", "expected"),
    [
        ("Bapaume", "La mairie de Bapaume prend les demandes de carte d'identité et de passeport"),
        ("Bucquoy", "La mairie de Bucquoy ne prend pas ces demandes. Allez à la mairie de Bapaume"),
    ],
)
def test_identity_card_goes_to_an_equipped_mairie(conversation, commune, expected):
    replies = conversation.say(
        "carte d'identité", "carte_identite_passeport", commune_entity(commune)
    )
    assert any(r.startswith(expected) for r in replies), replies
    assert any("https://www.service-public.gouv.fr/" in r for r in replies)


def test_elus_come_from_the_territory(conversation):
    replies = conversation.say("qui est le maire", "elus", commune_entity("Bucquoy"))
    assert replies[0] == "Le maire de Bucquoy : Philippe Témoin."
    assert "- Première adjointe : Brigitte Modèle" in replies[1]
    assert "Données d'exemple" in replies[1]


def test_salle_des_fetes_with_and_without_a_hall(conversation):
    with_hall = conversation.say("louer la salle", "salle_des_fetes", commune_entity("Bucquoy"))
    assert any("Salle des fêtes de Bucquoy : jusqu'à 150 personnes." in r for r in with_hall)
    without = conversation.say("louer la salle", "salle_des_fetes", commune_entity("Béhagnies"))
    assert any("La commune de Béhagnies n'a pas de salle des fêtes." in r for r in without)


def test_collecte_days_and_who_to_call(conversation):
    replies = conversation.say("poubelles", "collecte_dechets", commune_entity("Bucquoy"))
    assert replies[0].startswith("À Bucquoy, les ordures ménagères sont ramassées le mercredi.")
    assert any("SMAV" in r for r in replies)


def test_dechetterie_state_is_computed(conversation):
    with frozen(2026, 11, 25, 10, 0):  # Wednesday morning: open
        replies = conversation.say("dechetterie", "dechetterie", commune_entity("Sapignies"))
    assert "Elle est ouverte en ce moment." in replies
    with frozen(2026, 11, 26, 10, 0):  # Thursday: closed until Friday 14 h
        replies = conversation.say("dechetterie", "dechetterie", commune_entity("Sapignies"))
    assert "Elle est fermée en ce moment. Elle rouvre demain à 14 h." in replies


def test_school_answer_depends_on_the_commune(conversation):
    replies = conversation.say(
        "inscrire mon fils", "inscription_scolaire", commune_entity("Morval")
    )
    assert any(r.startswith("Morval n'a pas d'école.") for r in replies)


def test_agent_request_gives_contact_and_next_opening(conversation):
    with frozen(2026, 11, 29, 15, 0):
        replies = conversation.say(
            "je veux parler a quelqu'un", "parler_a_un_agent", commune_entity("Bucquoy")
        )
    assert any("automatique" in r for r in replies)
    assert any(r.startswith("Mairie de Bucquoy\n") for r in replies)
    assert replies[-2].endswith("Elle rouvre demain à 9 h.")


@pytest.mark.parametrize(
    ("text", "intent", "entities", "expected"),
    [
        (
            "copie acte de deces de ma mere",
            "etat_civil",
            [{"entity": "type_acte", "value": "acte de deces de"}],
            "F1444",
        ),
        ("extrait d'acte de naissance", "etat_civil", [], "F1427"),
        ("acte de mariage svp", "etat_civil", [], "F1432"),
        ("des actes d'état civil", "etat_civil", [], "N359"),
        ("faut il un permis de construire pour un garage", "urbanisme", [], "F1986"),
        ("une DP pour ma cloture", "urbanisme", [], "F17578"),
        ("certificat d'urbanisme", "urbanisme", [], "F1633"),
    ],
)
def test_procedure_variant_follows_the_words_used(conversation, text, intent, entities, expected):
    replies = conversation.say(text, intent, entities)
    assert f"/vosdroits/{expected}" in replies[0]


def test_procedure_variant_does_not_stick_to_the_next_question(conversation):
    conversation.say("acte de naissance", "etat_civil")
    replies = conversation.say("et les actes en général ?", "etat_civil")
    assert "/vosdroits/N359" in replies[0]


def test_general_topics_need_no_commune(conversation):
    replies = conversation.say("acte de naissance", "etat_civil")
    assert conversation.slots["commune_manquante"] is False
    assert len(replies) == 3


@pytest.mark.parametrize(
    ("text", "entities", "expected"),
    [
        ("renouveler mon passeport", [{"entity": "titre", "value": "passeport"}], "F14929"),
        ("refaire ma carte d'identite", [], "F1341"),
    ],
)
def test_identity_title_variant(conversation, text, entities, expected):
    replies = conversation.say(
        text, "carte_identite_passeport", entities + commune_entity("Bapaume")
    )
    assert f"/vosdroits/{expected}" in replies[0]


def test_nlu_noise_is_not_called_an_unknown_commune(conversation):
    noise = [{"entity": "commune", "value": "le", "confidence_entity": 0.87}]
    replies = conversation.say("quel jour passe le camion", "collecte_dechets", noise)
    assert replies == [
        "Pour bien vous répondre, j'ai besoin de connaître votre commune. "
        "Dans quelle commune habitez-vous ?"
    ]
