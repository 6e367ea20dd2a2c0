"""Life events and new procedures of issue 14, through the real servers (REST webhook).

Each new topic is answered with its official page; a death gets condolences first and then
the steps in order; a birth gets congratulations first; a newcomer gets a welcome, then the
procedures as buttons. The follow-up answers of domain.yml are checked in the domain,
and the NLU is measured on the held-out set (new intents included).
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
import yaml

from tests import nlu_eval

ROOT = Path(__file__).resolve().parents[1]
SP = "https://www.service-public.gouv.fr/particuliers/vosdroits/"
CONDOLENCES = "Toutes nos condoléances pour la perte de votre proche."
# What an emergency answer always says (domain/urgence.yml, utter_urgence_apres).
EMERGENCY = "Quand vous serez en sécurité"
NEW_INTENTS = (
    "procuration",
    "declaration_naissance",
    "pacs",
    "haies",
    "encombrants",
    "deces",
    "emmenagement",
)
ASPECTS = ("prix", "delai", "pieces", "lieu", "qui_decide", "en_ligne")


@pytest.fixture(scope="module")
def servers(pinned_servers):
    """The session's servers, their clock pinned (tests/conftest.py): one start, three modules."""
    return pinned_servers


def new_sender() -> str:
    return f"vie-{uuid.uuid4().hex[:10]}"


def texts(replies: list[dict]) -> list[str]:
    return [r.get("text", "") for r in replies]


def payloads(replies: list[dict]) -> list[str]:
    return [b["payload"] for r in replies for b in r.get("buttons") or []]


@pytest.mark.parametrize(
    ("message", "page", "words"),
    [
        (
            "je serai en vacances le jour du vote, je voudrais que ma sœur vote pour moi",
            "F1604",
            "maprocuration.gouv.fr",
        ),
        ("on voudrait se pacser avec ma compagne, comment ça se passe ?", "F1618", "notaire"),
        ("à quelle distance du voisin je peux planter une haie de thuyas ?", "F614", "2 mètres"),
        (
            "j'ai une vieille armoire et un sommier à jeter, comment faire ?",
            "F31954",
            "déchetterie",
        ),
        ("faut-il un permis de construire pour une maison de 120 m² ?", "F1986", "2 mois"),
    ],
)
def test_each_new_topic_is_answered_with_its_official_page(servers, message, page, words):
    replies = servers.send(new_sender(), message)
    answer = "\n".join(texts(replies))
    assert SP + page in answer
    assert words in answer
    assert EMERGENCY not in answer
    assert payloads(replies), "buttons offer the likely next steps"


def test_a_death_gets_condolences_first_then_the_steps_in_order(servers):
    replies = texts(
        servers.send(new_sender(), "mon père est décédé cette nuit, que dois-je faire ?")
    )
    assert replies[0] == CONDOLENCES, "one short message of condolences, before anything else"
    answer = "\n".join(replies)
    assert EMERGENCY not in answer, "a death in the family is not an emergency"
    steps = ("dans les 24 heures", "l'acte de décès", "l'autorisation du maire", "liste officielle")
    positions = [answer.find(step) for step in steps]
    assert -1 not in positions, positions
    assert positions == sorted(positions), "declaration, acte, burial, then the other formalities"
    assert SP + "F16507" in answer


def test_a_death_told_with_its_place_says_which_mairie_writes_the_act(servers):
    """Read as the deces topic or as an acte question: the place of death is said either way."""
    story = (
        "bonjour. mon mari est decede dimanche. a l hopital d arras. on habitait riencourt "
        "depuis 40 ans. que dois-je faire ?"
    )
    replies = texts(servers.send(new_sender(), story))
    assert replies[0] == CONDOLENCES
    assert "c'est la mairie d'Arras qui établit l'acte de décès" in "\n".join(replies), replies


def test_a_death_written_in_fragments_is_understood(servers):
    replies = texts(servers.send(new_sender(), "épouse décédée hier soir. mairie. démarches ?"))
    assert replies[0] == CONDOLENCES


def test_someone_not_breathing_is_still_an_emergency_first(servers):
    """The death topic never goes before the emergency layer."""
    replies = texts(servers.send(new_sender(), "mon mari ne respire plus, je crois qu'il est mort"))
    assert "Appelez le 15" in replies[0]
    assert CONDOLENCES not in replies


def test_a_birth_gets_congratulations_first(servers):
    replies = texts(
        servers.send(new_sender(), "notre fille est née hier à Arras, où la déclarer ?")
    )
    assert replies[0] == "Félicitations pour ce bébé !"
    answer = "\n".join(replies)
    assert "5 jours" in answer
    assert "où l'enfant est né" in answer
    assert SP + "F961" in answer


def test_a_newcomer_gets_a_welcome_then_every_procedure(servers):
    replies = servers.send(
        new_sender(),
        "nous venons d'emménager dans la commune avec nos enfants, que faut-il faire ?",
    )
    said = texts(replies)
    assert said[0] == "Bienvenue dans votre nouvelle commune !"
    answer = "\n".join(said)
    for step in ("listes électorales", "école", "Poubelles", SP + "R11193"):
        assert step in answer
    assert {"/listes_electorales", "/inscription_scolaire", "/collecte_dechets"} <= set(
        payloads(replies)
    )


def test_a_resident_outside_the_territory_hears_it_before_the_general_answer(servers):
    """Bulky waste in Achicourt is not the SMAV's: the resident must know the answer is general."""
    said = texts(
        servers.send(new_sender(), "jhabite achicourt, c quand le ramassage des encombrants ?")
    )
    assert said[0].startswith("Achicourt ne fait pas partie des 26 communes"), said
    assert "mairie d'Achicourt" in said[0]
    assert not any("Achiet" in text for text in said), "never replaced by a near spelling"
    assert SP + "F31954" in "\n".join(said), "the general answer still follows"


def test_a_resident_of_the_territory_hears_no_warning(servers):
    said = texts(
        servers.send(new_sender(), "j'habite à Bancourt, comment me débarrasser d'un vieux frigo ?")
    )
    assert not any("ne fait pas partie" in text for text in said)
    assert SP + "F31954" in "\n".join(said)


def test_a_long_story_before_the_question_gets_the_topic_asked(servers):
    """Residents tell what happened first; the question comes last, in SMS style."""
    story = (
        "bonjour, ma copine a accouche samedi a la clinique de cambrai, tout va bien, on est "
        "rentres hier a la maison a biefvillers, on est pas maries et on a deja fait plein de "
        "papiers a la clinique, je dois faire quoi pour reconnaitre le bebe ?"
    )
    said = texts(servers.send(new_sender(), story))
    assert SP + "F961" in "\n".join(said), said


def test_after_a_life_event_the_bins_are_those_of_the_commune_named_then(servers):
    """« on vient d'emménager à Vaulx-Vraucourt », then « et les poubelles ? »: Vaulx's bins."""
    sender = new_sender()
    servers.send(sender, "on vient d'emménager à Vaulx-Vraucourt, il faut faire quoi ?")
    said = "\n".join(texts(servers.send(sender, "et les poubelles c quel jour ?")))
    assert "Vaulx-Vraucourt" in said, said
    assert "quelle commune" not in said.lower()


def test_works_described_in_plain_words_get_their_authorisation(servers):
    """« panneaux solaires », « piscine » : residents name their works, not the procedure."""
    solar = (
        "un commercial veut nous poser des panneaux solaires sur le toit, il dit qu il y a "
        "aucune demarche a faire a la mairie. c vrai ?"
    )
    said = "\n".join(texts(servers.send(new_sender(), solar)))
    assert "panneaux solaires" in said and "déclaration préalable" in said, said
    assert SP + "F17578" in said
    sender = new_sender()
    pool = "on voudrait creuser une piscine de 8 m sur 4 a avesnes les bapaume, faut un permis ?"
    said = "\n".join(texts(servers.send(sender, pool)))
    assert "bassin de 10 à 100 m²" in said, said
    # The follow-up is about the same pool: its cover, not a garden shed.
    said = "\n".join(texts(servers.send(sender, "et si on met un abri dessus pour l hiver ?")))
    assert "1,80 m" in said and "permis de construire" in said, said


def test_after_moving_in_the_papers_asked_are_those_of_the_move(servers):
    sender = new_sender()
    servers.send(sender, "on vient d emmenager a bancourt, il faut faire quoi ?")
    said = "\n".join(texts(servers.send(sender, "il faut quels papiers ?")))
    assert "justificatif de votre nouveau domicile" in said, said
    assert "moins de 3 mois" in said


def test_a_new_address_does_not_mean_a_new_identity_card(servers):
    """After a move, the card keeps the old address; the old town is not the resident's."""
    sender = new_sender()
    servers.send(sender, "on vient d emmenager a villers au flos, on arrive d amiens")
    said = texts(
        servers.send(sender, "ma carte d identite a encore l adresse d amiens, faut la refaire ?")
    )
    joined = "\n".join(said)
    assert said[0].startswith("Non, ce n'est pas obligatoire"), said
    assert "carte grise" in joined and SP + "F12118" in joined
    assert "Amiens" not in joined, "the former town is neither the resident's nor reported"


def test_the_death_certificate_question_stays_a_civil_status_answer(servers):
    """« acte de décès » asks for a document: no condolences, the F1444 page."""
    replies = texts(
        servers.send(new_sender(), "je voudrais trois copies de l'acte de décès de ma tante")
    )
    assert CONDOLENCES not in replies
    assert SP + "F1444" in "\n".join(replies)


def test_new_topics_are_offered_in_did_you_mean_buttons():
    labels = yaml.safe_load((ROOT / "actions" / "intentions.yml").read_text(encoding="utf-8"))
    assert set(NEW_INTENTS) <= set(labels)


def test_every_follow_up_answer_names_a_topic_and_an_aspect_and_gives_its_page():
    from actions.conversation.aspects import PREFIX, aspects
    from actions.conversation.precision import NO_TOPIC, UNKNOWN
    from actions.orientation.subjects import SUBJECTS

    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    names = [
        n for n in domain["responses"] if n.startswith(PREFIX) and n not in (NO_TOPIC, UNKNOWN)
    ]
    topics = set(domain["intents"]) | {f"orientation_{s}" for s in SUBJECTS}
    all_aspects = {a.name for a in aspects()}
    pattern = re.compile(rf"{PREFIX}({'|'.join(sorted(topics))})_({'|'.join(sorted(all_aspects))})")
    assert [n for n in names if not pattern.fullmatch(n)] == []
    general = set(NEW_INTENTS) | {
        "etat_civil",
        "listes_electorales",
        "recensement_citoyen",
        "urbanisme",
        "carte_identite_passeport",
    }
    for name in names:
        if pattern.fullmatch(name).group(1) in general:
            text = domain["responses"][name][0]["text"]
            # « Source officielle : <lien> », ou « Sources officielles : » et une liste de liens.
            assert re.search(
                r"Sources? officielles? :\s*(?:- [^:\n]+ : )?https://www\.service-public\.gouv\.fr/",
                text,
            ), name
    for topic in ("etat_civil", "listes_electorales", "recensement_citoyen", "urbanisme"):
        for aspect in ("prix", "delai", "pieces", "lieu", "en_ligne"):
            assert f"utter_precision_{topic}_{aspect}" in names


@pytest.fixture(scope="module")
def evaluation(nlu_agent):
    return nlu_eval.evaluate(nlu_agent)


def test_new_intents_are_understood_on_the_holdout(evaluation):
    # The overall macro-F1 bar is tests/test_nlu_holdout.py's; the README gives the figure.
    # With 5 or 6 held-out phrases per new intent, one error moves its F1 by 0.15: the bar is
    # that most of them are understood (recall), and that none is far below (F1).
    report = (nlu_eval.RESULTS / "nlu_holdout_report.txt").read_text(encoding="utf-8")
    for intent in NEW_INTENTS:
        assert evaluation["per_intent"][intent]["recall"] >= 0.6, (intent, report)
        assert evaluation["per_intent"][intent]["f1-score"] >= 0.7, (intent, report)


def test_no_held_out_message_of_the_new_intents_gets_an_emergency(evaluation):
    wrong = [
        (example.text, nlu_eval.full_intent(parsed))
        for example, parsed in zip(evaluation["examples_list"], evaluation["parsed"], strict=True)
        if example.label in NEW_INTENTS and nlu_eval.full_intent(parsed).startswith("urgence_")
    ]
    assert wrong == []
