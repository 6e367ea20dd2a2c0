"""Topic cues settle a long message DIET hesitates on (tchatche_nlu/indices.yml)."""

from __future__ import annotations

import pytest

from tchatche_nlu.indices import choose, indices, sureness


def ranking(*pairs: tuple[str, float]) -> list[dict]:
    return [{"name": name, "confidence": confidence} for name, confidence in pairs]


def test_a_cue_topic_proposed_by_diet_wins_when_diet_hesitates():
    text = (
        "salut ! ma copine a accouche samedi a la clinique de cambrai, on habite biefvillers, "
        "on est pas maries, je dois la reconnaitre ?"
    )
    hesitant = ranking(("declaration_naissance", 0.26), ("horaires_mairie", 0.21), ("pacs", 0.1))
    assert choose(text, hesitant, indices()) == "declaration_naissance"


def test_diet_decides_between_two_cue_topics():
    text = "il sera enterre au cimetiere, et pour le passeport de sa femme ?"
    both = ranking(("elus", 0.3), ("carte_identite_passeport", 0.2), ("cimetiere", 0.15))
    assert choose(text, both, indices()) == "carte_identite_passeport"


@pytest.mark.parametrize(
    ("text", "ranks"),
    [
        # DIET is sure enough: its choice stands.
        ("ma copine a accouche", (("declaration_naissance", 0.9),)),
        # No cue in the message: the two-stage fallback still asks.
        ("bof je sais pas trop", (("precision", 0.37), ("elus", 0.13))),
        # A cue whose topic DIET does not propose at all: no guess.
        ("mon passeport", (("elus", 0.3), ("horaires_mairie", 0.2))),
    ],
)
def test_nothing_changes_without_agreement(text, ranks):
    assert choose(text, ranking(*ranks), indices()) is None


def test_a_short_message_with_one_cue_wins_when_diet_has_no_idea():
    """Below `modele_perdu`, DIET's ranking is noise: the one topic the words name is the
    answer. A guessed reply (an aspect word, « precision ») is not such a cue."""
    text = "bonjour je me suis fait voler mon portefeuille avec mes papiers"
    lost = ranking(("recensement_citoyen", 0.16), ("informer_commune", 0.14))
    assert choose(text, lost, indices()) == "carte_identite_passeport"
    assert choose("mon passeport", ranking(("elus", 0.35)), indices()) is None
    ashes = "je voudrais disperser les cendres de mon mari dans le jardin du souvenir"
    assert choose(ashes, ranking(("menu_cantine", 0.15)), indices()) != "precision"


def test_a_story_with_one_cue_topic_needs_no_ranking():
    """Words of the story push the topic out of DIET's ten best; one topic named is enough."""
    text = "il sera enterre a riencourt. dans le caveau de ses parents. je dois voir la mairie ?"
    hesitant = ranking(("elus", 0.3), ("horaires_mairie", 0.2), ("contact_mairie", 0.1))
    assert choose(text, hesitant, indices()) == "cimetiere"
    two = "il sera enterre a riencourt dans le caveau de ses parents et pour son passeport alors ?"
    assert choose(two, hesitant, indices()) is None  # two topics named: DIET must choose


def test_every_cue_topic_is_an_intent_of_the_domain(domain):
    assert set(indices().topics) <= set(domain.intents)


@pytest.mark.parametrize(
    ("text", "ranks", "chosen"),
    [
        ("c la mairie qui s en occupe ?", (("elus", 0.25), ("precision", 0.14)), "precision"),
        (
            "et moi j amene quoi a la mairie",
            (("horaires_mairie", 0.3), ("precision", 0.2)),
            "precision",
        ),
        ("oui le pdf svp", (("chercher_document", 0.3), ("affirmer", 0.2)), "affirmer"),
        ("non", (("nier", 0.4), ("informer_commune", 0.3)), "nier"),
        ("salut ca va", (("saluer", 0.4), ("precision", 0.3)), None),
    ],
)
def test_a_short_reply_is_read_in_the_conversation(text, ranks, chosen):
    """Follow-up words (aspects.yml), or a yes or a no first: when DIET also proposes it."""
    assert choose(text, ranking(*ranks), indices()) == chosen


PROCURATION_STORY = (
    "bonjour, ma mere a 89 ans elle habite sapignies, elle marche plus du tout depuis sa chute. "
    "elle veut voter a la presidentielle, moi je peux voter pour elle mais elle peut pas aller "
    "a la gendarmerie. on fait comment ?"
)


@pytest.mark.parametrize(
    ("confidence", "chosen"),
    [
        (0.69, "procuration"),  # DIET leans to the lists on words no cue of theirs names
        (0.9, None),  # DIET sure: its choice stands
    ],
)
def test_a_storys_one_cue_wins_over_an_unsure_other_topic(confidence, chosen):
    ranks = ranking(("listes_electorales", confidence), ("procuration", 0.2))
    assert choose(PROCURATION_STORY, ranks, indices()) == chosen


def test_a_short_message_keeps_diets_choice_against_a_cue():
    ranks = ranking(("listes_electorales", 0.69), ("procuration", 0.2))
    assert choose("voter pour elle aux listes ?", ranks, indices()) is None


def test_orientation_is_sure_only_when_its_subject_is():
    story = "bonjour, mon papa est decede cette nuit a la maison a favreuil, par ou commencer"
    ranks = ranking(("orientation", 1.0), ("deces", 0.0))
    doubtful = {"orientation": {"response": {"confidence": 0.2}}}
    sure = {"orientation": {"response": {"confidence": 0.95}}}
    assert choose(story, ranks, indices(), sureness(ranks, doubtful)) == "deces"
    assert choose(story, ranks, indices(), sureness(ranks, sure)) is None
    assert sureness(ranking(("deces", 0.7)), doubtful) == 0.7


@pytest.mark.parametrize(
    ("text", "top", "chosen"),
    [
        # The question is the mairie's hours, whatever topic it is for, however sure DIET is.
        (
            "la mairie c ouvert quand pour les listes electorales ?",
            "listes_electorales",
            "horaires_mairie",
        ),
        (
            "la permanence de la mairie c'est quand, pour mon permis ?",
            "urbanisme",
            "horaires_mairie",
        ),
        # A topic that keeps its reading, a mairie named without its hours, or a long story.
        ("le numero et les horaires de la mairie svp", "contact_mairie", None),
        ("la mairie est fermee, comment je fais pour les listes ?", "listes_electorales", None),
        (
            "bonjour je suis arrive a bapaume en septembre et je voudrais savoir si la mairie est "
            "ouverte pour les listes ou si tout se fait en ligne",
            "listes_electorales",
            None,
        ),
    ],
)
def test_a_short_question_about_the_mairies_hours_is_that_question(text, top, chosen):
    assert choose(text, ranking((top, 0.95)), indices()) == chosen


def test_sixteen_years_old_is_a_cue_of_the_recensement():
    assert indices().topics_in("et mon grand de 16 ans il doit faire quoi") == [
        "recensement_citoyen"
    ]
    assert "recensement_citoyen" not in indices().topics_in("elle a 4 ans")


def test_a_move_to_come_and_the_lists_without_electorales_are_cues():
    text = "je suis enceinte et on va s installer a Bihucourt en mars, il faut faire quoi ?"
    assert indices().topics_in(text) == ["emmenagement"]
    assert indices().topics_in("comment s inscrire sur les listes") == ["listes_electorales"]
    assert "emmenagement" not in indices().topics_in("on va voter en mars")


def test_every_death_example_says_a_word_the_guard_requires():
    """indices.yml « exigent »: DIET's `deces` without one of these words loses its reading (no
    condolences to « qu'est-ce qu'on doit faire ? »). Every example designers wrote keeps it."""
    from pathlib import Path

    from tests.nlu_eval import read_examples

    root = Path(__file__).resolve().parents[1]
    files = [root / "data" / "nlu.yml", *sorted((root / "data" / "nlu").glob("*.yml"))]
    examples = [e.text for f in files for e in read_examples(f) if e.label == "deces"]
    assert len(examples) > 30
    assert [t for t in examples if indices().unsaid("deces", t)] == []
    assert indices().unsaid("deces", "qu'est-ce qu'on doit faire ?")
    assert not indices().unsaid("carte_identite_passeport", "qu'est-ce qu'on doit faire ?")


def test_a_short_question_asks_the_steps_of_the_topic_in_course():
    assert indices().asks_steps("qu est ce qu on doit faire")
    assert indices().asks_steps("je sais pas quoi faire pour les papiers")
    assert not indices().asks_steps("la mairie ouvre quand ?")


def test_a_question_rule_makes_diets_own_unsure_choice_sure():
    """« … rentre en maternelle … »: DIET's first choice is the school, at 0.35 only; the
    question rule names it too, so it is kept instead of « Vouliez-vous dire »."""
    text = "bonjour ma fille rentre en maternelle en septembre a bapaume"
    unsure = ranking(("inscription_scolaire", 0.35), ("saluer", 0.16))
    assert choose(text, unsure, indices()) == "inscription_scolaire"
    sure = ranking(("inscription_scolaire", 0.95), ("saluer", 0.01))
    assert choose(text, sure, indices()) is None, "DIET sure: nothing to change"


def test_a_works_project_in_a_story_is_the_works_not_the_story():
    """« nous venons d'acheter une maison …, on veut faire une véranda de 25 m² »: DIET read the
    move (the story); the project of works is what is asked (`recits: true` in indices.yml)."""
    text = "nous venons d acheter une maison a ligny thilloy, on veut faire une veranda de 25m2"
    assert choose(text, ranking(("emmenagement", 0.9)), indices()) == "urbanisme"
    # The salle des fêtes keeps its reading, and a move without works stays a move.
    party = "on veut faire une fete dans le garage de la salle des fetes de bapaume"
    assert choose(party, ranking(("salle_des_fetes", 0.9)), indices()) is None
    move = "bonjour nous venons d acheter une maison a ligny thilloy, que faut il faire en arrivant"
    assert choose(move, ranking(("emmenagement", 0.9)), indices()) is None


def test_a_collection_question_after_an_address_is_the_question():
    """« j habite rue de bapaume a favreuil, c est quand le tri »: DIET read the commune alone
    (0.92); the question says what it asks (`questions` of indices.yml)."""
    text = "j habite rue de bapaume a favreuil, c est quand le tri"
    assert choose(text, ranking(("informer_commune", 0.92)), indices()) == "collecte_dechets"
    assert choose("favreuil", ranking(("informer_commune", 0.92)), indices()) is None


def test_an_outside_body_named_in_a_short_question_is_no_follow_up():
    """« carte vitale » is a follow-up's word after a birth (aspects.yml), but it also names the
    CPAM (orientation.yml `mots`): DIET unsure, it is a new question for the right office, not
    « Je n'ai pas cette précision ». After a birth, the dialogue keeps it a follow-up (suivi)."""
    text = "comment je fais pour avoir une carte vitale pour mon fils ?"
    unsure = ranking(
        ("carte_identite_passeport", 0.31), ("urgence_sourd", 0.18), ("precision", 0.05)
    )
    assert choose(text, unsure, indices()) == "orientation/sante"
    # Without such words, a short question after an answer is still a follow-up.
    assert choose("et il faut quoi pour l'avoir ?", unsure, indices()) == "precision"


def test_a_story_naming_a_tax_keeps_diet_reading_when_orientation_is_not_proposed():
    """The taxe d'habitation is the story; the question is whether one can vote there."""
    text = (
        "je paie la taxe d'habitation sur ma résidence secondaire à Favreuil, "
        "ça me permet de voter là-bas ?"
    )
    lists = ranking(("listes_electorales", 0.48), ("procuration", 0.41), ("affirmer", 0.02))
    assert choose(text, lists, indices()) is None
    with_orientation = ranking(("listes_electorales", 0.48), ("orientation", 0.3))
    assert choose(text, with_orientation, indices()) == "orientation/impots"


def test_the_chosen_subject_replaces_the_selector_s_text():
    from tchatche_nlu.retrieval import selected_subject, with_subject

    selector = {
        "all_retrieval_intents": ["orientation"],
        "orientation": {
            "response": {
                "responses": [{"text": "La mairie ne gère pas les cartes grises."}],
                "confidence": 0.4,
                "intent_response_key": "orientation/carte_grise",
                "utter_action": "utter_orientation/carte_grise",
            },
            "ranking": [{"confidence": 0.4, "intent_response_key": "orientation/carte_grise"}],
        },
    }
    chosen = selected_subject(with_subject(selector, "sante", 0.8))
    assert chosen["intent_response_key"] == "orientation/sante"
    assert chosen["utter_action"] == "utter_orientation/sante"
    assert chosen["responses"] == []  # no carte grise text sent with the CPAM's subject


@pytest.mark.parametrize(
    ("text", "ranks", "expected"),
    [
        # Dumping names bins and bulky waste; what is asked is the report (issue 14).
        (
            "quelqu'un a balancé des sacs poubelles et un matelas au bord du chemin",
            (("collecte_dechets", 0.44), ("signaler_probleme", 0.23)),
            "signaler_probleme",
        ),
        ("dépôt sauvage près du cimetière", (("cimetiere", 0.62),), "signaler_probleme"),
        # A stolen bin is the collection's, not a report of dumping.
        ("on m'a volé ma poubelle jaune", (("collecte_dechets", 0.52),), "collecte_dechets"),
        # Whether a human reads the messages, not a wish to talk to one.
        (
            "mes questions sont lues par quelqu'un ?",
            (("parler_a_un_agent", 0.35), ("qui_es_tu", 0.22)),
            "qui_es_tu",
        ),
        ("je veux parler a quelqu'un", (("parler_a_un_agent", 0.55), ("qui_es_tu", 0.2)), None),
        # The rules of the PLU are a question of works; DIET read a health office.
        (
            "est-ce que le plan local d'urbanisme permet de surélever ma maison ?",
            (("orientation", 0.36), ("urbanisme", 0.01)),
            "urbanisme",
        ),
        # Ashes scattered in the jardin du souvenir: the cemetery.
        (
            "je voudrais disperser les cendres de mon mari dans le jardin du souvenir",
            (("menu_cantine", 0.15), ("prendre_rendez_vous", 0.15), ("cimetiere", 0.14)),
            "cimetiere",
        ),
    ],
)
def test_the_issue_s_directions_have_their_cues(text, ranks, expected):
    assert choose(text, ranking(*ranks), indices()) == expected
