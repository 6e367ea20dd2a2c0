"""Forms that listen: what the opening message said is taken, only what is missing is asked.

The extraction is checked on residents' own ways of writing (SMS style, no accents), and on
messages that must NOT pre-fill anything (« un problème dans ma rue »): a wrong guess would be
sent to the mairie as the resident's words. The forms are then run as the action server runs
them at activation, with the tracker Rasa sends.
"""

from __future__ import annotations

import asyncio
from functools import lru_cache
from typing import Any

import pytest
from rasa.shared.core.domain import Domain
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.demandes import prefill
from actions.demandes.demande_form import ValidateDemandeForm
from actions.demandes.formulaire import how_to_reach
from actions.demandes.rendez_vous_form import ValidateRendezVousForm
from actions.demandes.signalement_form import ActionEnregistrerSignalement, ValidateSignalementForm
from tests.conftest import ROOT, frozen

BUCQUOY = {"commune": "Bucquoy", "commune_insee": "62181"}


@lru_cache(maxsize=1)
def domain() -> dict[str, Any]:
    return Domain.load(str(ROOT / "domain.yml")).as_dict()


# --------------------------------------------------------------------------- extraction


@pytest.mark.parametrize(
    ("text", "motif"),
    [
        ("je voudrais un rdv pour ma carte d'identite a bapaume", "carte_identite"),
        ("Rendez-vous pour une CNI svp", "carte_identite"),
        ("jveux un rdv pr mon passport", "passeport"),
        ("un rendez-vous pour notre mariage", "autre"),
        ("je dois annuler mon rdv de jeudi", "gestion"),
        ("on a un rdv pour la carte d'identité mais on peut pas venir", "gestion"),
        ("j'avais rendez-vous jeudi pour mon passeport, je serai empêchée", "gestion"),
        ("je veux deplacer mon rendez vous du passeport", "gestion"),
        # Not sure: the form asks.
        ("rdv pour carte d'identité et passeport", None),
        ("je voudrais prendre rendez-vous à la mairie, j'habite Favreuil", None),
        ("rdv pour ma carte grise", None),
    ],
)
def test_the_rendez_vous_motif_is_read_only_when_named(text, motif):
    assert prefill.rdv_motif(text) == motif


@pytest.mark.parametrize(
    ("text", "lieu"),
    [
        ("le lampadaire rue des Ecoles est cassé à Bucquoy", "rue des Ecoles"),
        ("nid de poule route de Bapaume", "route de Bapaume"),
        ("lampadaire eteint devant l'eglise depuis hier", "devant l'eglise"),
        ("la poubelle est renversée devant le 12 rue Jean Jaurès", "devant le 12 rue Jean Jaurès"),
        ("un arbre est tombé sur la route de Bucquoy personne n'est blessé", "route de Bucquoy"),
        ("bac jaune cassé rue de l'Église svp", "rue de l'Église"),
        ("ya un depot sauvage derriere la salle des fetes", "derriere la salle des fetes"),
        # « la route devant chez moi » is vague; the street named next is the place.
        (
            "y a un trou enorme dans la route devant chez moi rue de l'eglise a bihucourt",
            "rue de l'eglise",
        ),
        # Vague places are asked.
        ("je veux signaler un problème dans ma rue", None),
        ("je veux signaler un problème dans la rue à Achiet-le-Grand", None),
        ("trou dans la route", None),
        ("lampadaire en panne devant chez moi", None),
    ],
)
def test_the_place_is_a_named_place(text, lieu):
    assert prefill.signalement_lieu(text) == lieu


def test_what_is_broken_is_kept_in_the_residents_words():
    assert prefill.signalement_quoi("Bonjour, je voudrais signaler que le lampadaire clignote") == (
        "Le lampadaire clignote"
    )
    assert prefill.signalement_quoi("le lampadaire rue des Ecoles est cassé à Bucquoy") == (
        "Le lampadaire rue des Ecoles est cassé à Bucquoy"
    )
    assert prefill.signalement_quoi("ya un nid de poule enorme") == "Ya un nid de poule enorme"
    # SMS spellings of the greeting and the verb are left out too.
    assert prefill.signalement_quoi(
        "slt je voudrai signaler un nid de poule devant le 12 rue de la gare a Bucquoy"
    ) == ("Un nid de poule devant le 12 rue de la gare a Bucquoy")
    assert prefill.signalement_quoi("bjr j'aimerais vous signaler un arbre tombé") == (
        "Un arbre tombé"
    )
    assert prefill.signalement_quoi("dépôt sauvage au bout du chemin") is not None
    # A hole named with its street, not « dans la rue »: the form asked « Quel est le problème ? »
    assert prefill.signalement_quoi(
        "il y a un trou enorme rue de bapaume chez nous a favreuil"
    ) == ("Il y a un trou enorme rue de bapaume chez nous a favreuil")
    assert prefill.signalement_quoi("j'ai un trou dans mon emploi du temps") is None
    assert prefill.signalement_quoi("la poubelle n'a pas été vidée") is not None
    for vague in ("je veux signaler un problème à Bucquoy", "signalement", "c'est cassé"):
        assert prefill.signalement_quoi(vague) is None, vague
    # « Quel est le problème ? » was asked again after these (2026-11-30).
    assert prefill.signalement_quoi("il y a un chien mort sur la route a bancourt") == (
        "Il y a un chien mort sur la route a bancourt"
    )
    assert prefill.signalement_quoi("un poteau penché rue de la gare") is not None
    assert prefill.signalement_quoi("des rats partout dans le parc") is not None
    told = (
        "il y a un trou enorme dans la route rue du moulin a beugnatre, "
        "je suis paul martin 0611223344"
    )
    assert prefill.signalement_quoi(told) == (
        "Il y a un trou enorme dans la route rue du moulin a beugnatre"
    ), "the name and the phone are the resident's, not the problem's"
    assert prefill.signalement_lieu(told) == "rue du moulin"


def test_contact_and_name_in_any_french_writing():
    assert prefill.contact("mon numero 0612345678") == "06 12 34 56 78"
    assert prefill.contact("tel : +33 6 12 34 56 78") == "06 12 34 56 78"
    assert prefill.contact("au 03.21.00.11.22 svp") == "03 21 00 11 22"
    assert prefill.contact("Marie.Dupont@Exemple.fr") == "marie.dupont@exemple.fr"
    assert prefill.contact("appelez-moi au 06 12 34 56 78, mail a@exemple.fr") == "06 12 34 56 78"
    assert prefill.contact("06 12 34 56 78 ou 07 11 22 33 44") is None, "which one: asked"
    assert prefill.contact("le 12 rue des Écoles, code 1234") is None
    assert prefill.nom("je suis Mme Dupont 06 12 34 56 78") == "Mme Dupont"
    assert prefill.nom("je m'appelle jean martin, mon mail") == "jean martin"
    assert prefill.nom("je suis Marie Exemple et je voudrais") == "Marie Exemple"
    for no_name in ("je suis perdue", "je suis de Bapaume", "je suis pas sûr"):
        assert prefill.nom(no_name) is None, no_name
    # SMS style: a name in lower case, right before the phone (« Au nom de » was asked again).
    assert prefill.nom("rdv carte d identite, je suis jean dupont 0612345678") == "Jean Dupont"
    for no_name in ("je suis retraite 0612345678", "je suis enceinte de 6 mois 0612345678"):
        assert prefill.nom(no_name) is None, no_name


def test_a_demande_message_needs_a_subject():
    full = "je suis Mme Dupont 06 12 34 56 78, je voudrais que le maire me rappelle pour mon permis"
    assert prefill.demande_message(full, ["Bapaume"]) == full
    assert prefill.demande_service(full) is None, "« mon permis » could be a driving licence"
    assert prefill.demande_service("pour mon permis de construire") == "urbanisme"
    for only_a_wish in (
        "je voudrais parler à quelqu'un de la mairie de Bapaume",
        "quelqu'un peut me rappeler au 0612345678 ?",
        "je voudrais que le maire me rappelle",
    ):
        assert prefill.demande_message(only_a_wish, ["Bapaume"]) is None, only_a_wish


def user(text: str, intent: str) -> dict[str, Any]:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}


def test_the_opening_messages_are_the_ones_of_this_form():
    events = [
        user("horaires de la mairie", "horaires_mairie"),
        {"event": "bot", "text": "…"},
        user("je voudrais un rdv pour ma carte d'identite", "prendre_rendez_vous"),
        {"event": "action", "name": "action_preparer_reponse"},
        user("bapaume", "informer_commune"),
        {"event": "action", "name": "rendez_vous_form"},  # added by Rasa at activation
    ]
    assert prefill.opening_texts(events, "rendez_vous_form") == [
        "bapaume",
        "je voudrais un rdv pour ma carte d'identite",
    ]
    assert prefill.opening_texts(events, "signalement_form") == [], "another subject"
    after_a_form = [
        user("rdv passeport", "prendre_rendez_vous"),
        {"event": "action", "name": "action_reserver_rendez_vous"},
        user("/prendre_rendez_vous", "prendre_rendez_vous"),
    ]
    assert prefill.opening_texts(after_a_form, "rendez_vous_form") == []


# --------------------------------------------------------------------------- the forms


def starting(form: str, texts: list[tuple[str, str]], slots: dict[str, Any] | None = None):
    """The tracker Rasa sends when it activates `form` after the resident's messages."""
    events: list[dict[str, Any]] = []
    for text, intent in texts:
        events += [user(text, intent), {"event": "action", "name": "action_preparer_reponse"}]
    events.append({"event": "active_loop", "name": form})
    events.append({"event": "action", "name": form})
    held = slots or {}
    events += [{"event": "slot", "name": k, "value": v} for k, v in held.items()]
    latest = {"text": texts[-1][0], "intent": {"name": texts[-1][1], "confidence": 0.9}}
    all_slots = {**BUCQUOY, "requested_slot": None, **held}
    return Tracker("t", all_slots, latest, events, False, None, {"name": form}, "action_listen")


def run_form(action, tracker: Tracker) -> tuple[dict[str, Any], list[dict]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, domain()))
    slots: dict[str, Any] = {}
    for event in events:
        if event.get("event") == "slot":
            slots[event["name"]] = event["value"]
    return slots, dispatcher.messages


def test_rendez_vous_starts_with_the_motif_already_given():
    slots, said = run_form(
        ValidateRendezVousForm(),
        starting(
            "rendez_vous_form",
            [("je voudrais un rdv pour ma carte d'identite a bapaume", "prendre_rendez_vous")],
        ),
    )
    assert slots["rdv_motif"] == "carte_identite"
    assert slots["requested_slot"] == "rdv_creneau", "the motif is not asked again"
    assert said[0]["response"] == "utter_formulaire_prerempli"
    assert said[0]["deja"] == "carte d'identité"


def test_rendez_vous_without_a_motif_asks_it():
    slots, said = run_form(
        ValidateRendezVousForm(),
        starting("rendez_vous_form", [("je voudrais prendre rendez-vous", "prendre_rendez_vous")]),
    )
    assert slots["requested_slot"] == "rdv_motif" and said == []


def test_signalement_takes_what_and_where_and_asks_the_rest():
    slots, said = run_form(
        ValidateSignalementForm(),
        starting(
            "signalement_form",
            [("le lampadaire rue des Ecoles est cassé à Bucquoy", "signaler_probleme")],
        ),
    )
    assert slots["signalement_quoi"] == "Le lampadaire rue des Ecoles est cassé à Bucquoy"
    assert slots["signalement_lieu"] == "rue des Ecoles"
    assert slots["requested_slot"] == "signalement_contact"
    assert "lieu : rue des Ecoles" in said[0]["deja"]


def test_an_earlier_unfinished_form_is_forgotten():
    """An emergency left a signalement half-filled: a new one starts from the new message."""
    slots, _ = run_form(
        ValidateSignalementForm(),
        starting(
            "signalement_form",
            [("nid de poule route de Bapaume", "signaler_probleme")],
            {"signalement_lieu": "devant la mairie", "signalement_contact": "a@exemple.fr"},
        ),
    )
    assert slots["signalement_lieu"] == "route de Bapaume"
    assert slots["signalement_contact"] is None
    assert slots["requested_slot"] == "signalement_contact"


def test_demande_in_one_message_takes_message_and_contact():
    """Message and contact given: the service (« mon permis » is unclear) is « autre », shown in
    the summary where « Modifier » changes it, rather than one more question."""
    full = "je suis Mme Dupont 06 12 34 56 78, je voudrais que le maire me rappelle pour mon permis"
    slots, said = run_form(
        ValidateDemandeForm(),
        starting("demande_form", [(full, "parler_a_un_agent"), ("/affirmer", "affirmer")]),
    )
    assert slots["demande_message"] == full
    assert slots["demande_contact"] == "06 12 34 56 78"
    assert slots["demande_service"] == "autre"
    assert "- Service : Autre" in slots["demande_resume"]
    assert "- Pour vous répondre : 06 12 34 56 78" in slots["demande_resume"]
    assert said[0]["deja"] == (
        "votre message, de la part de Mme Dupont, pour vous répondre, 06 12 34 56 78"
    )


def test_demande_without_a_contact_still_asks_the_service():
    message = "je voudrais que le maire me rappelle au sujet du mur du cimetiere"
    slots, _ = run_form(
        ValidateDemandeForm(),
        starting("demande_form", [(message, "parler_a_un_agent"), ("/affirmer", "affirmer")]),
    )
    assert slots["demande_message"] == message
    assert slots.get("demande_service") is None and slots.get("demande_contact") is None


# --------------------------------------------------------------------------- summary and end


def confirm(form, text: str, slots: dict[str, Any]) -> dict[str, Any]:
    tracker = Tracker(
        "t",
        {**BUCQUOY, "requested_slot": form.CONFIRMATION, **slots},
        {"text": text, "intent": {"name": "aide", "confidence": 0.3}},
        [],
        False,
        None,
        {"name": form.form_name()},
        "action_listen",
    )
    method = getattr(form, f"validate_{form.CONFIRMATION}")
    return method(text, CollectingDispatcher(), tracker, {})


def test_summary_buttons_send_modify_or_cancel():
    form = ValidateSignalementForm()
    assert confirm(form, "oui, envoyer", {})["signalement_confirmation"] == "oui"
    asked = confirm(form, "modifier", {})
    assert asked["signalement_confirmation"] is None and asked["formulaire_modifier"] is True
    which = confirm(form, "modifier le lieu", {"formulaire_modifier": True})
    assert which["signalement_lieu"] is None and which["signalement_confirmation"] is None
    assert which["formulaire_modifier"] is None
    assert confirm(form, "le lieu", {"formulaire_modifier": True})["signalement_lieu"] is None
    unclear = confirm(form, "euh", {"formulaire_modifier": True})
    assert unclear["signalement_confirmation"] is None and "signalement_lieu" not in unclear
    stopped = confirm(form, "annuler", {})
    assert stopped["formulaire_abandon"] is True and stopped["requested_slot"] is None
    rdv = ValidateRendezVousForm()
    assert confirm(rdv, "oui, réserver", {})["rdv_confirmation"] == "oui"
    assert confirm(rdv, "changer le créneau", {})["rdv_creneau"] is None
    assert confirm(rdv, "annuler", {})["formulaire_abandon"] is True, "not a booking to manage"


def test_the_summary_says_what_where_and_contact():
    tracker = starting("signalement_form", [("x", "signaler_probleme")])
    tracker.slots.update(
        signalement_quoi="Lampadaire cassé", signalement_lieu="rue des Écoles",
        signalement_contact="aucun",
    )  # fmt: skip
    assert ValidateSignalementForm().resume(tracker) == (
        "- Problème : Lampadaire cassé\n- Lieu : rue des Écoles\n"
        "- Pour vous répondre : pas de contact (vous ne serez pas recontacté)"
    )


def test_cancelled_form_says_how_to_reach_the_mairie():
    with frozen(2026, 11, 29, 15, 0):  # a Sunday: closed
        reach = how_to_reach("62181")
        cancelled = starting("signalement_form", [("x", "signaler_probleme")])
        cancelled.slots["formulaire_abandon"] = True
        slots, _ = run_form(ActionEnregistrerSignalement(), cancelled)
    assert reach.startswith("Pour joindre la mairie de Bucquoy : 03 ")
    assert reach.endswith("La mairie rouvre demain à 9 h."), "Monday 9 h, said from Sunday"
    assert slots["formulaire_resultat"] == "abandon"
    assert slots["formulaire_joindre"] == reach


def test_a_road_between_two_communes_keeps_both():
    told = "y a un arbre tombe sur la route entre bancourt et fremicourt"
    assert prefill.signalement_lieu(told) == "route entre bancourt et fremicourt"
    assert prefill.signalement_lieu("le lampadaire rue des ecoles et le banc") == "rue des ecoles"


@pytest.mark.parametrize(
    ("text", "service"),
    [
        ("le chemin communal derrière chez moi est inondé", "services_techniques"),
        ("je peux mettre une caravane dans ma cour ?", "urbanisme"),
        ("c'est pour un dossier de permis", "urbanisme"),
        ("pour une declaration de travaux", "urbanisme"),
        # Two services named: none chosen, the form asks which one.
        ("un problème de stationnement devant l'école", None),
    ],
)
def test_the_service_is_read_from_the_words_of_the_message(text, service):
    assert prefill.demande_service(text) == service


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("9h ca me va. Martine Lefebvre, 06 12 34 56 78", "Martine Lefebvre"),
        ("M. Dupont 06 12 34 56 78", "M. Dupont"),
        ("Mme Dufour 0612345678", "Mme Dufour"),
    ],
)
def test_the_name_beside_a_contact_after_a_sentence(text, name):
    """The slot chosen in one sentence, the name and phone in the next: the name alone."""
    assert prefill.nom_sans_contact(text) == name
