"""Follow-ups, yes/no and two needs: the parts that need no server (issue #14)."""

from __future__ import annotations

import pytest

from actions.conversation.aspects import aspects, find_aspect, find_aspects
from actions.conversation.oui_non import meaning_after, table
from actions.conversation.surface import verdict
from actions.demandes.rendez_vous_form import offer_by_rank
from actions.text import says_keyword
from tchatche_dialogue.commune_attendue import detail_before_commune, does_not_know
from tchatche_dialogue.deux_besoins import (
    _story_before_the_question,
    candidate_splits,
    gives_details,
    need_of,
    share_commune,
)
from tchatche_dialogue.suivi import follow_up, leaves_without_a_word_of_leaving, new_topic


@pytest.mark.parametrize(
    ("text", "aspect"),
    [
        ("et la caution c'est combien ?", "caution"),
        ("c'est la mairie qui décide ?", "qui_decide"),
        ("c la mairie qui decide", "qui_decide"),
        ("et le samedi ?", "jour"),
        ("il faut quels papiers ?", "pieces"),
        ("ça prend combien de temps ?", "delai"),
        ("et je dois aller ou ?", "lieu"),  # the question word that ends it wins
        ("et ca vaut que pour une fois ou pour plusieurs elections ?", "duree"),
        ("c'est combien ?", "prix"),
        ("c'est où ?", "lieu"),
        ("on peut le faire sur internet ?", "en_ligne"),
        ("et le tel ?", "contact"),
        ("et c ou qu on depose le dossier ?", "lieu"),
        ("et si il veut rien savoir ?", "recours"),
        ("et si la mairie refuse mon permis ?", "recours"),
        ("et pour l'enterrer au cimetiere du village ?", "cimetiere"),
        ("elle habite a lille c grave ?", "autre_commune"),
        ("et pour un mineur ?", "mineur"),
        ("et pour mon mari ?", None),
        ("et pour les gens de l'exterieur ?", "habitants"),
        ("je peux appeler les gendarmes ?", "forces_ordre"),
        ("et ils repassent quand ?", "repasse"),
        ("c pour un passeport", "motif"),
        ("on a oublie, c grave ?", "grave"),
        ("faut prendre rdv ?", "rendez_vous"),
        ("c long ?", "delai"),
        ("ca va etre long ?", "delai"),
        ("on est 80", "capacite"),  # « # » in aspects.yml: any number
        ("nous sommes 45 environ", "capacite"),
        ("on est pas maries", "pas_maries"),  # « on est » without a number is no head count
        ("je peux le recevoir par la poste ?", "courrier"),
        ("qui doit la declarer", "qui_fait"),  # the pronoun between the words
    ],
)
def test_follow_up_aspect_is_found_in_residents_words(text, aspect):
    found = find_aspect(text)
    assert (found.name if found else None) == aspect


def test_every_aspect_answer_exists_or_falls_back_to_an_intent(domain):
    for aspect in aspects():
        if aspect.otherwise:
            assert aspect.otherwise in domain.intents, aspect.name
    for name in domain.responses:
        if name.startswith("utter_precision_") and name not in (
            "utter_precision_inconnue",
            "utter_precision_sans_sujet",
        ):
            assert any(name.endswith(f"_{a.name}") for a in aspects()), name


def test_yes_no_table_names_real_responses_intents_and_actions(domain):
    questions, default = table()
    for key, meaning in [*questions.items(), ("sans_question", default)]:
        if not key.startswith("*") and key != "sans_question":
            assert key in domain.responses, key
        for target in (meaning.oui, meaning.non):
            if target.startswith("utter_"):
                assert target in domain.responses, target
            elif target.startswith("action_"):
                assert target in domain.user_actions, target
            elif target.endswith("_form"):
                assert target in domain.form_names, target
            else:
                assert target in domain.intents, target


def test_no_after_anything_else_closes_politely():
    assert meaning_after("utter_horaires_mairie_suite").non == "utter_fin_conversation"
    assert meaning_after("utter_document_suite").oui == "utter_document_quel_type"
    assert meaning_after(None).oui == "utter_affirmer"


@pytest.mark.parametrize(
    ("text", "first", "second"),
    [
        (
            "les horaires de la mairie de Bapaume et où jeter mes pneus",
            "les horaires de la mairie de Bapaume",
            "où jeter mes pneus",
        ),
        (
            "ordures c quel jour a favreuil ? et donnez moi le numero de la mairie",
            "ordures c quel jour a favreuil ?",  # the question mark stays with its question
            "donnez moi le numero de la mairie",
        ),
        (  # an indirect question, asked by the first part's verb
            "je voudrais savoir quand passe le camion poubelle a favreuil et aussi si la mairie"
            " est ouverte samedi",
            "je voudrais savoir quand passe le camion poubelle a favreuil",
            "si la mairie est ouverte samedi",
        ),
        (  # a second object of the same verb
            "je voudrais les horaires de la dechetterie et le prix de la cantine a bapaume",
            "je voudrais les horaires de la dechetterie",
            "le prix de la cantine a bapaume",
        ),
        (  # a question asked by its question mark only, cut off with « et »
            "la mairie de bucquoy est ouverte le 24 decembre ? et le camion poubelle passe a "
            "noel ?",
            "la mairie de bucquoy est ouverte le 24 decembre ?",
            "le camion poubelle passe a noel ?",
        ),
        (
            "je voudrais le menu de la cantine. quand passent les poubelles ?",
            "je voudrais le menu de la cantine",
            "quand passent les poubelles ?",
        ),
    ],
)
def test_a_message_with_two_questions_is_cut_between_them(text, first, second):
    assert (first, second) in candidate_splits(text)


@pytest.mark.parametrize(
    "text",
    [
        "je paie des impots locaux et je veux m'inscrire sur les listes",  # one request
        "horaires mairie bapaume",
        "bonjour et merci",
        "ma mere est tombee et elle saigne",
        # the second part goes on with the first sentence: one story, one question
        "un commercial dit qu il y a aucune demarche a faire a la mairie et qu il s occupe de tout",
        "il dit que c est gratuit et que je peux venir quand je veux",
    ],
)
def test_one_need_is_not_cut(text):
    assert candidate_splits(text) == []


def test_a_question_starting_with_que_is_still_a_second_need():
    assert ("horaires de la mairie", "que faut il pour les poubelles ?") in candidate_splits(
        "horaires de la mairie et que faut il pour les poubelles ?"
    )


def test_a_follow_up_naming_two_aspects_lists_both_in_priority_order():
    """« elle habite à Lille, c'est où qu'elle vote ? »: the topic may answer only one of them."""
    names = [a.name for a in find_aspects("elle habite a lille, c est ou qu elle vote ?")]
    assert names == ["lieu", "autre_commune"]


def test_two_orientation_subjects_are_two_needs():
    """« pour la caf et la secu » : one intent, two offices; each must get its answer."""

    def parse(key: str) -> dict:
        return {"response_selector": {"orientation": {"response": {"intent_response_key": key}}}}

    caf, secu = parse("orientation/caf"), parse("orientation/sante")
    assert need_of(caf, "orientation") != need_of(secu, "orientation")
    assert need_of(caf, "orientation") == need_of(parse("orientation/caf"), "orientation")
    assert need_of(caf, "horaires_mairie") == "horaires_mairie"


# The orientation subject the ResponseSelector gives with these messages.
SUBJECTS = {
    "on va payer une taxe ?": "orientation/impots",
    "et la carte grise on a combien de temps ?": "orientation/carte_grise",
}


@pytest.mark.parametrize(
    ("text", "intent", "topic", "expected"),
    [
        # DIET reads « rdv »; the resident asks whether the child must come.
        (
            "elle doit venir avec moi au rdv ? elle a cours",
            "prendre_rendez_vous",
            "carte_identite_passeport",
            True,
        ),
        ("on va payer une taxe ?", "orientation", "urbanisme", True),
        ("elle doit donner quoi comme renseignements sur moi ?", "aide", "procuration", True),
        # Another topic named by its cue words: a new question.
        ("et le passeport c'est combien ?", "carte_identite_passeport", "salle_des_fetes", False),
        # DIET's topic said in words (for orientation, its subject), or an aspect that belongs
        # to another topic.
        (
            "et la carte grise on a combien de temps ?",
            "orientation",
            "carte_identite_passeport",
            False,
        ),
        ("et la dechetterie elle est ou ?", "dechetterie", "encombrants", False),
        (
            "et le samedi c ouvert la mairie ? je bosse en semaine",
            "horaires_mairie",
            "listes_electorales",
            False,
        ),
        # The topic has no answer of its own to that aspect.
        ("c'est ouvert quand ?", "horaires_mairie", "urbanisme", False),
        # Never over a yes, a no, a commune or an emergency; nor without a topic.
        ("oui je dois venir ?", "affirmer", "carte_identite_passeport", False),
        # An « ok » that goes on with a question is a follow-up.
        ("ok je reserve comment", "affirmer", "salle_des_fetes", True),
        # What a birth certificate is for (`l_emporte`), though it names the passport; the same
        # words after the salle des fêtes, which has no such answer, are a new question.
        ("c pour un passeport", "carte_identite_passeport", "etat_civil", True),
        ("c pour un passeport", "carte_identite_passeport", "salle_des_fetes", False),
        ("merci est ce payant ?", "remercier", "etat_civil", True),
        ("merci pour tout", "remercier", "etat_civil", False),
        ("je dois venir a bapaume", "informer_commune", "carte_identite_passeport", False),
        ("il doit venir, il saigne", "urgence_medicale", "carte_identite_passeport", False),
        ("elle doit venir avec moi ?", "prendre_rendez_vous", None, False),
        # A story is no follow-up.
        (
            "bonjour je voudrais prendre un rdv pour ma fille qui doit venir avec moi "
            "pour refaire sa carte d identite qui est perimee depuis cet ete",
            "prendre_rendez_vous",
            "carte_identite_passeport",
            False,
        ),
    ],
)
def test_a_short_follow_up_is_read_against_the_current_topic(domain, text, intent, topic, expected):
    need = SUBJECTS.get(text)  # the ResponseSelector's reading, for orientation
    assert follow_up(text, intent, topic, domain.responses, None, need) is expected


@pytest.mark.parametrize(
    ("text", "intent", "topic", "expected"),
    [
        # DIET reads a follow-up, but another topic is named: that topic is the question.
        ("et la cantine c est combien ?", "precision", "emmenagement", "inscription_scolaire"),
        (
            "et le passeport c'est combien ?",
            "precision",
            "salle_des_fetes",
            "carte_identite_passeport",
        ),
        ("le lampadaire est casse depuis hier", "precision", None, "signaler_probleme"),
        # The current topic named again, no topic named, or DIET's own topic: unchanged.
        ("et la cantine c'est combien ?", "precision", "inscription_scolaire", None),
        ("et la caution c'est combien ?", "precision", "salle_des_fetes", None),
        ("et le passeport c'est combien ?", "carte_identite_passeport", "salle_des_fetes", None),
        # Not understood by DIET, in a conversation: the one topic its cue words name.
        ("et pour le mettre dans le caveau a morval ?", "nlu_fallback", "deces", "cimetiere"),
        # … but not outside a conversation, nor when DIET understood another topic.
        ("et pour le mettre dans le caveau a morval ?", "nlu_fallback", None, None),
        ("le caveau de la famille a morval", "informer_commune", "deces", None),
    ],
)
def test_a_follow_up_naming_another_topic_is_that_topic(text, intent, topic, expected):
    assert new_topic(text, intent, topic) == expected


def test_the_commune_of_one_need_is_the_others_too():
    bapaume = {"entity": "commune", "value": "Bapaume", "start": 24, "end": 31}
    parts = [{"entities": []}, {"entities": [bapaume]}]
    share_commune(parts)
    assert parts[0]["entities"] == [{"entity": "commune", "value": "Bapaume"}]
    assert parts[1]["entities"] == [bapaume]
    two = [{"entities": [dict(bapaume, value="Favreuil")]}, {"entities": [bapaume]}]
    share_commune(two)
    assert [e["value"] for e in two[0]["entities"]] == ["Favreuil"], "its own commune is kept"


def test_a_detail_after_the_commune_question_is_the_topic_in_course():
    assert detail_before_commune("pour un anniversaire", "nlu_fallback", True, "salle_des_fetes")
    assert not detail_before_commune(
        "pour un anniversaire", "nlu_fallback", False, "salle_des_fetes"
    )
    assert not detail_before_commune("je sais pas", "nlu_fallback", True, "salle_des_fetes")
    assert not detail_before_commune("mon fils", "nlu_fallback", True, "salle_des_fetes")
    assert not detail_before_commune("pour un anniversaire", "salle_des_fetes", True, None)
    assert does_not_know("je sais pas") and does_not_know("jsp")
    assert not does_not_know(
        "je ne sais pas quoi faire pour la carte grise de ma voiture neuve achetee hier au garage"
    ), "a story, not an answer to the commune question"


def test_an_opening_without_a_question_says_nothing_yet():
    from tchatche_dialogue.salutation import says_nothing_yet

    for text in (
        "je voudrais savoir",
        "j'ai une question",
        "bonjour madame j'aurais une petite question",
        "je voudrais",  # the object comes in the next message
        "j'aimerais",
    ):
        assert says_nothing_yet(text), text
    for text in ("je veux", "oui je voudrais", "je voudrais savoir les horaires", "bonjour"):
        assert not says_nothing_yet(text), text


def test_a_no_or_thanks_with_a_goodbye_is_a_goodbye():
    from tchatche_dialogue.suivi import GOODBYE

    assert GOODBYE.search("non merci bonne journee")
    assert GOODBYE.search("ok merci a bientot")
    assert not GOODBYE.search("non merci")


def test_an_aspect_answered_like_another_uses_its_responses():
    from actions.conversation.aspects import candidates

    grave = next(a for a in aspects() if a.name == "grave")
    names = candidates("recensement_citoyen", grave, None)
    assert "utter_precision_recensement_citoyen_recours" in names


def test_a_greeting_with_four_other_words_is_more_than_a_greeting():
    from tchatche_dialogue.salutation import more_than_a_greeting

    assert more_than_a_greeting("bonjour, j'ai recu une amende de stationnement a bapaume")
    for text in ("bonjour", "bonjour madame", "bonjour à tous", "salut ca va ?"):
        assert not more_than_a_greeting(text), text


def test_a_message_not_understood_that_opens_with_a_greeting_is_read_again_without_it():
    from tchatche_dialogue.salutation import greets

    hesitant = {
        "intent_ranking": [
            {"name": "nlu_fallback", "confidence": 0.45},
            {"name": "informer_commune", "confidence": 0.38},
            {"name": "se_presenter", "confidence": 0.24},
        ]
    }
    assert greets("bonjour je suis une dame agee", "nlu_fallback", hesitant)
    assert greets("bjr, je suis une dame agee", "nlu_fallback", hesitant)
    # « la mairie », « merci » open many questions: not greetings proper.
    assert not greets("la mairie je suis une dame agee", "nlu_fallback", hesitant)
    assert not greets("merci je suis une dame agee", "nlu_fallback", hesitant)
    # Understood: nothing to read again.
    assert not greets("bonjour je suis une dame agee", "se_presenter", hesitant)


def test_the_opening_question_is_the_one_before_the_commune_answer():
    from rasa_sdk import Tracker

    from actions.conversation.opening import opening_question

    def user(text, intent):
        return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}

    events = [user("c combien la cantine", "menu_cantine"), user("bapaume", "informer_commune")]
    tracker = Tracker("s", {}, {}, events, False, None, {}, "action_listen")
    assert opening_question(tracker, "menu_cantine") == "c combien la cantine"
    other = Tracker(
        "s",
        {},
        {},
        [*events, user("et les poubelles", "collecte_dechets")],
        False,
        None,
        {},
        "action_listen",
    )
    assert opening_question(other, "menu_cantine") == ""


@pytest.mark.parametrize(
    ("text", "pressing_only"),
    [
        ("c urgent", True),
        ("c'est urgent svp", True),
        ("très pressé", True),
        ("urgent", True),
        ("c urgent mon mari fait un malaise", False),
        ("urgent il y a le feu", False),
    ],
)
def test_only_pressing_words_are_told_from_an_emergency(text, pressing_only):
    from tchatche_dialogue.suivi import URGENT_ONLY
    from tchatche_nlu.urgence_lexique import normalize

    assert bool(URGENT_ONLY.match(normalize(text))) is pressing_only


@pytest.mark.parametrize(
    ("text", "travaux", "expected"),
    [
        ("elle fait 25m2", None, "Pour 25 m² : un permis de construire. Pour agrandir une maison"),
        ("12,5 m²", None, "Pour 12,5 m² : une déclaration préalable."),
        ("60 mètres carrés", None, "Pour 60 m² : un permis de construire."),
        ("un bassin de 12 m2", "piscine", "Pour 12 m² : une déclaration préalable."),
        ("4 m2", "abri_jardin", "Pour 4 m² : en général aucune autorisation"),
        ("30m2", "abri_jardin", "Pour 30 m² : un permis de construire."),
    ],
)
def test_a_surface_said_gets_its_own_authorisation_first(text, travaux, expected):
    surface, need = verdict(text, travaux)
    assert f"Pour {surface} m² : {need}.".startswith(expected)


def test_no_surface_said_no_verdict():
    assert verdict("elle fait 3 metres de haut", None) is None


def test_a_story_before_the_question_is_no_second_need():
    """The part that only tells (no question, no request) is the story of the one asked."""
    bought = "Bonsoir, nous avons acheté une maison à Grévillers et nous voulons refaire la toiture"
    asked = "changer les fenêtres, faut-il demander une autorisation à la mairie ?"
    assert _story_before_the_question((bought, asked), ("emmenagement", "urbanisme"), "urbanisme")
    # A request of its own stays a need, and so does a part the whole message is not about.
    wants = "je voudrais m'inscrire sur les listes"
    hours = "c'est quoi les horaires de la mairie ?"
    needs = ("listes_electorales", "horaires_mairie")
    assert not _story_before_the_question((wants, hours), needs, "horaires_mairie")
    assert not _story_before_the_question((bought, asked), ("emmenagement", "urbanisme"), "deces")
    # Two offices asked: « faut faire quoi » asks too.
    caf, secu = "apres faut faire quoi pour la caf", "la secu ?"
    needs = ("orientation/caf", "orientation/sante")
    assert not _story_before_the_question((caf, secu), needs, "orientation/sante")


@pytest.mark.parametrize(
    ("text", "no_goodbye"),
    [
        ("c pour la banque", True),
        ("pour la banque", True),
        # The held-out goodbyes (tests/nlu_holdout.yml) and the designers' keep their reading.
        ("a+ dans le bus", False),
        ("Je vous laisse, au plaisir", False),
        ("allez bonne journee jy vais", False),
        ("je dois y aller", False),
        ("on s'arrête là", False),
    ],
)
def test_an_unsure_goodbye_without_a_word_of_leaving_is_no_goodbye(text, no_goodbye):
    parse = {"intent": {"name": "au_revoir", "confidence": 0.6}}
    assert leaves_without_a_word_of_leaving(text, parse) is no_goodbye
    sure = {"intent": {"name": "au_revoir", "confidence": 0.95}}
    assert leaves_without_a_word_of_leaving(text, sure) is False


@pytest.mark.parametrize(
    ("keyword", "padded", "said"),
    [
        ("on est #", " on est 80 ", True),
        ("on est #", " on est pas d ici ", False),
        ("pour # pers", " pour 120 pers qmark ", True),
        ("# pers*", " 45 personnes ", True),
        ("# pers*", " 45 ans ", False),
    ],
)
def test_a_hash_in_a_designers_keyword_is_any_number(keyword, padded, said):
    assert says_keyword(keyword, padded) is said


@pytest.mark.parametrize(
    ("text", "contact"),
    [
        ("jean.dupuis@example.fr", True),
        ("Dupont Marc 0612345678", True),
        ("Mme Leroy +33 6 12 34 56 78", True),
        ("je voudrais savoir les horaires de la mairie 0612345678 merci bien", False),
        ("bonjour", False),
    ],
)
def test_only_a_contact_is_read_with_the_forms_own_patterns(text, contact):
    from tchatche_dialogue.message_mairie import only_a_contact

    assert only_a_contact(text) is contact


@pytest.mark.parametrize(
    ("part", "details"),
    [
        ("Je m'appelle Karim Benali, mon numéro est le 06 45 78 12 90.", True),
        ("vous pouvez me joindre à nadine.poulain@mail.fr", True),
        ("je suis Mme Poulain", True),
        ("et aussi les horaires de la déchetterie ?", False),
        ("où jeter mes pneus", False),
    ],
)
def test_details_for_a_form_are_no_need_of_their_own(part, details):
    """A name, a phone or an e-mail after « je voudrais un rendez-vous » fill the form."""
    assert gives_details(part) is details


@pytest.mark.parametrize(
    ("text", "chosen"),
    [
        ("le premier créneau du matin ça me va", "2026-12-22T09:00:00+01:00"),
        ("la deuxième heure", "2026-12-22T09:20:00+01:00"),
        ("le dernier créneau", "2026-12-22T14:00:00+01:00"),
        ("le premier créneau de l'après-midi", "2026-12-22T14:00:00+01:00"),
        ("le premier janvier", None),  # a day, not a rank among the offers
    ],
)
def test_a_rank_chooses_among_the_slots_offered(text, chosen):
    offers = [
        ("mardi 22 décembre à 9 h", "2026-12-22T09:00:00+01:00"),
        ("mardi 22 décembre à 9 h 20", "2026-12-22T09:20:00+01:00"),
        ("mardi 22 décembre à 14 h", "2026-12-22T14:00:00+01:00"),
    ]
    assert offer_by_rank(text, offers) == chosen
