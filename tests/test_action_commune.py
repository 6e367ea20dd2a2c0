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
    assert replies[0].startswith("Arras ne fait pas partie des 26 communes")
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
    assert replies[0] == "La déchetterie la plus proche de Sapignies est ouverte en ce moment."
    with frozen(2026, 11, 26, 10, 0):  # Thursday: closed until Friday 14 h
        replies = conversation.say("dechetterie", "dechetterie", commune_entity("Sapignies"))
    assert replies[0] == (
        "La déchetterie la plus proche de Sapignies est fermée en ce moment. "
        "Elle rouvre demain à 14 h."
    )


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
        ("un permis de construire pour un garage", "urbanisme", [], "F1986"),
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


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("un commercial veut poser des panneaux solaires sur le toit", "Des panneaux solaires"),
        ("je veux construire un abri de jardin", "Pour un abri de jardin"),
        ("faut il une autorisation pour une piscine hors sol", "Pour une piscine"),
        ("je veux refaire ma cloture", "Une clôture demande"),
        ("on veut changer les fenetres et refaire la toiture", "Des travaux qui changent l'aspect"),
    ],
)
def test_works_described_in_plain_words_get_their_own_answer(conversation, text, start):
    replies = conversation.say(text, "urbanisme")
    assert replies[0].startswith(start), replies[0]


def test_works_with_their_surface_get_that_surface_s_authorisation_first(conversation):
    replies = conversation.say("je veux construire un abri de jardin de 12 m2", "urbanisme")
    assert replies[0] == "Pour 12 m² : une déclaration préalable.", replies[0]
    assert replies[1].startswith("Pour un abri de jardin"), replies[1]


def test_the_works_stay_for_a_follow_up_but_not_for_another_topic(conversation):
    conversation.say("on va creuser une piscine", "urbanisme")
    replies = conversation.say("et si on met un abri dessus ?", "urbanisme")
    assert replies[0].startswith("Pour une piscine"), replies[0]
    conversation.say("acte de naissance", "etat_civil")
    replies = conversation.say("et pour des travaux ?", "urbanisme")
    assert replies[0].startswith("L'autorisation dépend de vos travaux"), replies[0]


def test_a_move_needs_no_new_identity_card(conversation):
    replies = conversation.say(
        "ma carte d identite a encore l adresse d amiens, faut la refaire ?",
        "carte_identite_passeport",
        commune_entity("Bapaume"),
    )
    assert replies[0].startswith("Non, ce n'est pas obligatoire"), replies[0]
    assert "carte grise" in replies[1]


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


# --- whose commune: the resident's home, someone else's town, what was said before -------------

ASK = (
    "Pour bien vous répondre, j'ai besoin de connaître votre commune. "
    "Dans quelle commune habitez-vous ?"
)


def told(conversation, text: str, intent: str, entities: list | None = None) -> None:
    """A message answered by a rule alone (no custom action, e.g. emmenagement, encombrants):
    only the tracker keeps it, as Rasa's does.
    """
    parse = {"text": text, "intent": {"name": intent, "confidence": 0.99}}
    conversation.user_events.append(
        {"event": "user", "text": text, "parse_data": {**parse, "entities": entities or []}}
    )


@pytest.mark.parametrize(
    ("text", "entities"),
    [
        ("je suis sur le site de bucquoy mais moi j habite a vaulx, la mairie ouvre quand ?", []),
        (
            "je suis sur le site de bucquoy mais moi j habite a vaulx, la mairie ouvre quand ?",
            commune_entity("bucquoy"),  # the NLU tags the page's commune as much as the home
        ),
        ("moi c est vaulx pas bucquoy, c ouvert la mairie ?", commune_entity("bucquoy")),
        ("jhabite vaulx vraucourt, la mairie de bucquoy elle ouvre quand", []),
    ],
)
def test_where_the_resident_lives_wins_over_the_page(conversation, text, entities):
    page = {"commune": "Bucquoy"}
    with frozen(2026, 11, 23, 10, 0):
        replies = conversation.say(text, "horaires_mairie", entities, metadata=page)
        assert replies[0].startswith("La mairie de Vaulx-Vraucourt"), replies
        again = conversation.say("et le samedi ?", "horaires_mairie", metadata=page)
    assert conversation.slots["commune"] == "Vaulx-Vraucourt"
    assert "Vaulx-Vraucourt" in again[0]
    assert not any("Bucquoy" in r for r in replies + again)


@pytest.mark.parametrize(
    ("first", "intent"),
    [
        (
            "bonjour on vient d emmenager a vaulx vraucourt avec mon mari et nos 2 enfants, "
            "on arrive de lille, qu est ce qu il faut faire ?",
            "emmenagement",
        ),
        ("on s est installes a vaulx en septembre, on vient de lens", "emmenagement"),
        ("jhabite vaulx, les encombrants c comment ?", "encombrants"),
    ],
)
def test_commune_said_in_a_message_answered_without_it_is_kept(conversation, first, intent):
    told(conversation, first, intent)  # a general answer: the commune slot stays empty
    replies = conversation.say("et les poubelles c quel jour ?", "collecte_dechets")
    assert replies[0].startswith("À Vaulx-Vraucourt, les ordures ménagères sont ramassées")
    assert conversation.slots["commune"] == "Vaulx-Vraucourt"


def test_a_town_merely_named_before_is_not_taken_back(conversation):
    told(conversation, "ma mere est decedee a l hopital d arras hier", "deces")
    assert conversation.say("la mairie ouvre quand ?", "horaires_mairie") == [ASK]


def test_an_outside_home_said_before_is_told_when_the_commune_is_needed(conversation):
    told(
        conversation, "jhabite achicourt, c est quand le ramassage des encombrants ?", "encombrants"
    )
    replies = conversation.say("et la mairie elle ouvre quand ?", "horaires_mairie")
    assert replies[0].startswith("Achicourt ne fait pas partie des 26 communes")
    assert not any("Achiet" in r for r in replies)


def test_look_back_stops_where_the_commune_was_set():
    from rasa_sdk import Tracker

    from actions.commune import _said_before
    from actions.territory.matching import territory_matcher

    def user(text: str) -> dict:
        return {"event": "user", "text": text, "parse_data": {"text": text, "entities": []}}

    events = [
        user("on vient d emmenager a vaulx"),
        {"event": "slot", "name": "commune", "value": "Bapaume"},
        user("et la dechetterie ?"),
    ]
    tracker = Tracker("t", {}, events[-1]["parse_data"], events, False, None, None, "")
    assert _said_before(tracker, territory_matcher()) == (None, "")
    tracker = Tracker(
        "t", {}, events[-1]["parse_data"], events[:1] + events[2:], False, None, None, ""
    )
    assert _said_before(tracker, territory_matcher())[0].nom == "Vaulx-Vraucourt"


@pytest.mark.parametrize(
    ("text", "entities"),
    [
        (
            "elle habite a lille c grave ? la mairie ouvre quand",
            [{"entity": "commune", "value": "lille", "start": 14}],
        ),
        (
            "ma fille habite a arras, c ouvert la mairie ?",
            [{"entity": "commune", "value": "arras", "start": 18}],
        ),
        ("il habite achicourt, la mairie ouvre quand", []),
        ("on arrive de lille, la mairie ouvre quand", []),
    ],
)
def test_someone_elses_town_neither_replaces_nor_questions_the_commune(
    conversation, text, entities
):
    page = {"commune": "Bancourt"}
    with frozen(2026, 11, 23, 10, 0):
        replies = conversation.say(text, "horaires_mairie", entities, metadata=page)
    assert replies[0].startswith("La mairie de Bancourt"), replies
    assert not any("Je ne connais pas" in r for r in replies)


def test_someone_elses_town_after_a_general_answer_is_not_questioned(conversation):
    page = {"commune": "Bancourt"}
    told(conversation, "je peux faire voter ma fille a ma place ?", "procuration")
    replies = conversation.say(
        "elle habite a lille c grave ?",
        "nlu_fallback",
        [{"entity": "commune", "value": "lille", "start": 14}],
        metadata=page,
    )
    assert not any("Je ne connais pas" in r for r in replies)


def test_our_commune_as_someone_elses_is_used_only_when_nothing_else_is_known(conversation):
    with frozen(2026, 11, 23, 10, 0):
        replies = conversation.say(
            "mon pere vit a bancourt, la mairie ouvre quand ?", "horaires_mairie"
        )
        assert replies[0].startswith("La mairie de Bancourt")
        page = {"commune": "Bucquoy"}
        conversation.slots.pop("commune")
        replies = conversation.say(
            "ma mere habite a bancourt, la mairie ouvre quand ?", "horaires_mairie", metadata=page
        )
    assert replies[0].startswith("La mairie de Bucquoy")


@pytest.mark.parametrize(
    "text",
    ["je suis une personne agee", "je suis une persone agee", "personne ne repond a la mairie"],
)
def test_a_common_word_is_no_unknown_commune(conversation, text):
    replies = conversation.say(text, "parler_a_un_agent")
    assert not any("Péronne" in r or "Je ne connais pas" in r for r in replies)
    conversation.say("j habite seule au transloy", "informer_commune")
    assert conversation.slots["commune"] == "Le Transloy"


@pytest.mark.parametrize(
    ("text", "entities", "named"),
    [
        ("jhabite achicourt, la mairie ouvre quand ?", [], "Achicourt"),
        (
            "jhabite achicourt, la mairie ouvre quand ?",
            [{"entity": "commune", "value": "achicourt", "start": 8, "confidence_entity": 0.99}],
            "Achicourt",
        ),
        (
            "jhabite montreuil, c est quand le ramassage des poubelles ?",
            [{"entity": "commune", "value": "montreuil", "start": 8, "confidence_entity": 0.9}],
            "Montreuil",
        ),
        ("jhabite montreuil, c est quand le ramassage des poubelles ?", [], "Montreuil"),
        ("on habite a hesdin, c ouvert la mairie ?", [], "Hesdin"),
    ],
)
def test_a_home_outside_the_territory_is_said_to_be_outside(conversation, text, entities, named):
    intent = "collecte_dechets" if "poubelles" in text else "horaires_mairie"
    replies = conversation.say(text, intent, entities)
    assert replies[0].startswith(f"{named} ne fait pas partie des 26 communes du secteur")
    assert not any("Achiet" in r for r in replies)


def test_one_slot_only_chooses_the_variant():
    """Rasa picks at random among the variants whose conditions all hold: never two of them."""
    from actions.procedures import procedure_terms

    pool = procedure_terms("faut il un permis de construire pour une piscine ?", [])
    assert pool["travaux"] == "piscine" and pool["autorisation"] is None
    move = procedure_terms("ma carte d identite a encore l adresse d amiens", [])
    assert move["circonstance"] == "adresse" and move["titre"] is None
    lost = procedure_terms("j ai perdu ma carte d identite", [])
    assert lost["circonstance"] == "perte" and lost["titre"] == "carte_identite"
    wedding = procedure_terms("on va se marier en aout, c est quoi le dossier de mariage", [])
    assert wedding["projet_etat_civil"] == "mariage" and wedding["type_acte"] is None
    papers = procedure_terms("je n arrive pas a faire mes demarches sur internet", [])
    assert papers["accompagnement"] == "demarches"
    home = procedure_terms("ma mere a besoin d une aide a domicile", [])
    assert home["accompagnement"] == "domicile"
    copy = procedure_terms("il me faut une copie de mon acte de mariage", [])
    assert copy["projet_etat_civil"] is None and copy["type_acte"] == "mariage"


def test_every_help_has_its_words_its_line_and_its_slot_value():
    """A help added to actions/procedures.py without its line in actions/accompagnement.py (or
    the reverse) would be read by its words and answered without knowing how."""
    import yaml

    from actions.accompagnement import HELP, said_everywhere, wins_over
    from actions.procedures import TERMS
    from actions.sujets import DOMAIN

    slot = yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))["slots"]["accompagnement"]
    assert set(HELP) == set(TERMS["accompagnement"]) == set(slot["values"])
    assert wins_over("animal_perdu", "declaration_naissance")
    assert wins_over("vente_logement", "emmenagement")
    assert not wins_over("vente_logement", "urbanisme")
    assert not wins_over("accueil", "emploi") and not wins_over(None, "emploi")
    assert said_everywhere("amende") and not said_everywhere("demarches")
