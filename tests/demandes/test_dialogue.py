"""The forms' actions: each answer checked, help after two refusals, quitting, saving for real.

Run on a real SQLite database and a real SMTP server on 127.0.0.1 (tests/demandes/conftest.py),
with the rasa-sdk tracker the action server would build.
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import func, select

from actions.demandes import db as demandes_db
from actions.demandes.demande_form import ActionEnregistrerDemande, ValidateDemandeForm
from actions.demandes.formulaire import parse_contact, wants_to_quit
from actions.demandes.interruption import answering_actions
from actions.demandes.models import Demande
from actions.demandes.rendez_vous_form import (
    ActionAskRdvCreneau,
    ActionReserverRendezVous,
    ValidateRendezVousForm,
)
from actions.demandes.signalement_form import ActionEnregistrerSignalement, ValidateSignalementForm
from tests.conftest import frozen

TUESDAY = (2026, 11, 24, 10, 0)
BAPAUME = {"commune": "Bapaume", "commune_insee": "62080"}


@pytest.fixture(autouse=True)
def database(tmp_path, monkeypatch):
    monkeypatch.setenv("TCHATCHE_DEMANDES_DB", f"sqlite:///{tmp_path / 'demandes.db'}")
    demandes_db.default_session_factory.cache_clear()
    yield demandes_db.default_session_factory()
    demandes_db.default_session_factory.cache_clear()


def tracker(
    slots: dict[str, Any],
    text: str = "",
    requested: str | None = None,
    intent: tuple[str, float] = ("aide", 0.3),
    channel: str = "rest",
    metadata: dict[str, Any] | None = None,
) -> Tracker:
    latest = {
        "text": text,
        "intent": {"name": intent[0], "confidence": intent[1]},
        "entities": [],
        "metadata": metadata or {},
    }
    events = [
        {"event": "user", "text": "je veux parler à quelqu'un", "input_channel": channel},
        {"event": "bot", "text": "Je suis un assistant automatique, pas une personne."},
        {"event": "user", "text": text, "input_channel": channel, **latest},
    ]
    all_slots = {**BAPAUME, "requested_slot": requested, **slots}
    return Tracker("t", all_slots, latest, events, False, None, {"name": None}, "action_listen")


def validate(form, slot: str, text: str, slots: dict[str, Any] | None = None, **latest):
    """Runs validate_<slot> as rasa-sdk does (some are coroutines: they read the database)."""
    dispatcher = CollectingDispatcher()
    method = getattr(form, f"validate_{slot}")
    result = method(text, dispatcher, tracker(slots or {}, text, slot, **latest), {})
    if inspect.isawaitable(result):
        result = asyncio.run(result)
    return result, dispatcher.messages


def run_events(action, slots: dict[str, Any], **latest) -> tuple[list[dict], list[dict]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker(slots, **latest), {}))
    return events, dispatcher.messages


def run(action, slots: dict[str, Any], **latest) -> tuple[dict[str, Any], list[dict]]:
    events, said = run_events(action, slots, **latest)
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}, said


def test_contact_forms_accepted_and_refused():
    assert parse_contact("Marie.Dupont@Exemple.fr") == ("marie.dupont@exemple.fr", None)
    assert parse_contact("06 12 34 56 78") == (None, "06 12 34 56 78")
    assert parse_contact("+33 6.12.34.56.78") == (None, "06 12 34 56 78")
    for wrong in ("0612", "marie@", "bonjour", "<script>x</script>@a.fr"):
        assert parse_contact(wrong) == (None, None)
    assert wants_to_quit("bon, laissez tomber") and wants_to_quit("j'arrête")
    assert not wants_to_quit("urbanisme")


def test_service_is_understood_in_plain_words():
    form = ValidateDemandeForm()
    assert validate(form, "demande_service", "Services techniques")[0]["demande_service"] == (
        "services_techniques"
    )
    assert validate(form, "demande_service", "c pour des travaux")[0]["demande_service"] == (
        "urbanisme"
    )


def test_invalid_contact_is_asked_again_then_explained():
    form = ValidateDemandeForm()
    first, said = validate(form, "demande_contact", "mon mail")
    assert first["demande_contact"] is None and first["formulaire_erreurs"] == 1.0
    assert said[0]["response"] == "utter_formulaire_refus"
    assert "Exemple : marie.dupont@exemple.fr" in said[0]["motif"]
    second, said = validate(form, "demande_contact", "toujours pas", {"formulaire_erreurs": 1.0})
    assert second["demande_contact"] is None
    assert said[0]["response"] == "utter_formulaire_aide"
    assert "contient « @ »" in said[0]["aide"]
    good, said = validate(form, "demande_contact", "06 12 34 56 78", {"demande_message": "haie"})
    assert good["demande_contact"] == "06 12 34 56 78" and said == []
    assert good["formulaire_erreurs"] is None
    assert "- Pour vous répondre : 06 12 34 56 78" in good["demande_resume"]


def test_a_field_can_be_corrected_before_sending():
    form = ValidateDemandeForm()
    result, _ = validate(form, "demande_confirmation", "corriger le message")
    assert result == {
        "demande_confirmation": None,
        "demande_message": None,
        "formulaire_erreurs": None,
        "formulaire_abandon": None,
    }
    assert (
        validate(form, "demande_confirmation", "Oui, envoyer")[0]["demande_confirmation"] == "oui"
    )


@pytest.mark.parametrize(
    ("form", "slot"),
    [
        (ValidateDemandeForm(), "demande_service"),
        (ValidateDemandeForm(), "demande_contact"),
        (ValidateSignalementForm(), "signalement_lieu"),
        (ValidateRendezVousForm(), "rdv_nom"),
    ],
)
def test_laisser_tomber_stops_any_form(form, slot):
    result, _ = validate(form, slot, "laisser tomber")
    assert result["requested_slot"] is None and result["formulaire_abandon"] is True


def test_quitting_stores_nothing_and_clears_answers(database):
    slots, _ = run(
        ActionEnregistrerDemande(),
        {"formulaire_abandon": True, "demande_message": "secret", "demande_contact": "a@b.fr"},
    )
    assert slots["formulaire_resultat"] == "abandon"
    assert slots["demande_message"] is None and slots["demande_contact"] is None
    with database() as session:
        assert session.scalar(select(func.count()).select_from(Demande)) == 0


def test_demande_is_stored_routed_mailed_and_cleared(database, smtp):
    with frozen(*TUESDAY):
        slots, _ = run(
            ActionEnregistrerDemande(),
            {
                "demande_service": "urbanisme",
                "demande_message": "Ma haie dépasse sur le trottoir, que faire ?",
                "demande_contact": "marie@exemple.fr",
                "demande_confirmation": "oui",
            },
        )
    assert slots["formulaire_resultat"] == "enregistre"
    assert slots["demande_reference"].startswith("DEM-2026-")
    assert slots["demande_accuse"].startswith("Un accusé de réception part à marie@exemple.fr.")
    assert slots["demande_message"] is None and slots["demande_contact"] is None
    with database() as session:
        stored = session.scalars(select(Demande)).one()
    assert stored.commune_insee == "62080" and stored.service == "urbanisme"
    assert "Habitant : je veux parler à quelqu'un" in stored.transcript
    assert smtp.to("marie@exemple.fr"), "the resident's acknowledgement"
    assert smtp.to(stored.routed_to), "the service's notification"


def test_signalement_goes_to_technical_services(database, smtp):
    with frozen(*TUESDAY):
        slots, _ = run(
            ActionEnregistrerSignalement(),
            {
                "signalement_quoi": "lampadaire éteint",
                "signalement_lieu": "rue de Péronne",
                "signalement_contact": "aucun",
            },
        )
    assert slots["demande_reference"].startswith("SIG-2026-")
    # No contact given: no promise of a call back.
    assert slots["demande_accuse"].startswith(
        "Sans contact, la mairie ne pourra pas vous répondre."
    )
    with database() as session:
        stored = session.scalars(select(Demande)).one()
    assert stored.kind == "signalement" and stored.service == "services_techniques"
    assert stored.lieu == "rue de Péronne"


def offered_slots() -> tuple[list[dict], dict[str, Any]]:
    slots, said = run(ActionAskRdvCreneau(), {"commune_insee": "62326"})  # Favreuil
    return said[0]["buttons"], slots


def test_booking_offers_slots_of_the_equipped_mairie_then_books(database):
    with frozen(*TUESDAY):
        buttons, slots = offered_slots()
        assert len(buttons) == 5 and buttons[0]["title"].startswith("mardi 24 novembre à ")
        form = ValidateRendezVousForm()
        chosen, _ = validate(form, "rdv_creneau", "2", slots)
        booked, said = run(
            ActionReserverRendezVous(),
            {
                "commune_insee": "62326",
                "rdv_motif": "passeport",
                "rdv_creneau": chosen["rdv_creneau"],
                "rdv_nom": "Marie Exemple",
                "rdv_contact": "06 12 34 56 78",
            },
        )
    assert booked["formulaire_resultat"] == "enregistre"
    assert booked["rdv_mairie"] == "de Bapaume"  # « à la mairie de Bapaume »
    assert booked["rdv_quand"] == buttons[1]["title"]
    assert "ants.gouv.fr" in booked["rdv_pieces"]
    assert booked["demande_accuse"] == "", "no email given: no email promised"
    assert booked["rdv_contact"] is None, "personal answers leave the conversation"
    with frozen(*TUESDAY):
        again, _ = offered_slots()
    assert buttons[1]["title"] not in [b["title"] for b in again], "a booked slot is gone"


def test_same_slot_twice_is_refused_to_the_second_resident(database):
    with frozen(*TUESDAY):
        buttons, slots = offered_slots()
        start = validate(ValidateRendezVousForm(), "rdv_creneau", "1", slots)[0]["rdv_creneau"]
        booking = {
            "rdv_motif": "carte_identite",
            "rdv_creneau": start,
            "rdv_nom": "A",
            "rdv_contact": "a@exemple.fr",
        }
        first, _ = run(ActionReserverRendezVous(), booking)
        second, _ = run(ActionReserverRendezVous(), {**booking, "rdv_nom": "B"})
    assert first["formulaire_resultat"] == "enregistre"
    assert first["demande_accuse"] == "Une confirmation part à a@exemple.fr."
    assert second["formulaire_resultat"] == "pris" and second["rdv_creneau"] is None


def test_cancel_and_move_need_the_reference_and_the_contact(database):
    form = ValidateRendezVousForm()
    assert form.__class__.__name__
    assert validate(form, "rdv_motif", "Annuler ou déplacer un rendez-vous")[0]["rdv_motif"] == (
        "gestion"
    )
    with frozen(*TUESDAY):
        buttons, slots = offered_slots()
        start = validate(form, "rdv_creneau", "1", slots)[0]["rdv_creneau"]
        later = validate(form, "rdv_creneau", "3", slots)[0]["rdv_creneau"]
        booked, _ = run(
            ActionReserverRendezVous(),
            {
                "rdv_motif": "passeport",
                "rdv_creneau": start,
                "rdv_nom": "A",
                "rdv_contact": "a@b.fr",
            },
        )
        reference = booked["rdv_reference"]
        manage = {"rdv_motif": "gestion", "rdv_reference_saisie": reference}
        wrong, _ = run(
            ActionReserverRendezVous(),
            {**manage, "rdv_contact": "autre@b.fr", "rdv_gestion_choix": "annuler"},
        )
        moved, _ = run(
            ActionReserverRendezVous(),
            {
                **manage,
                "rdv_contact": "a@b.fr",
                "rdv_gestion_choix": "deplacer",
                "rdv_creneau": later,
            },
        )
        cancelled, _ = run(
            ActionReserverRendezVous(),
            {**manage, "rdv_contact": "A@B.fr", "rdv_gestion_choix": "annuler"},
        )
    assert wrong["formulaire_resultat"] == "introuvable"
    assert moved["formulaire_resultat"] == "deplace" and moved["rdv_quand"] == buttons[2]["title"]
    assert cancelled["formulaire_resultat"] == "annule" and cancelled["rdv_reference"] == reference


def test_managing_asks_reference_first_then_only_what_is_needed():
    form = ValidateRendezVousForm()
    booking = ["rdv_motif", "rdv_creneau", "rdv_nom", "rdv_contact", "rdv_confirmation"]
    domain_slots = [*booking, "rdv_reference_saisie", "rdv_gestion_choix"]

    def needed(slots: dict[str, Any]) -> list[str]:
        return asyncio.run(
            form.required_slots(domain_slots, CollectingDispatcher(), tracker(slots), {})
        )

    assert needed({"rdv_motif": "passeport"}) == booking
    assert needed({"rdv_motif": "gestion"}) == [
        "rdv_motif",
        "rdv_reference_saisie",
        "rdv_contact",
        "rdv_gestion_choix",
    ]
    assert needed({"rdv_motif": "gestion", "rdv_gestion_choix": "deplacer"})[-1] == "rdv_creneau"
    ref, _ = validate(form, "rdv_reference_saisie", "c'est le rdv-2026-000045 merci")
    assert ref["rdv_reference_saisie"] == "RDV-2026-000045"


def test_the_answering_action_of_each_subject_comes_from_the_rules():
    actions = answering_actions()
    assert actions["horaires_mairie"] == "action_preparer_reponse"
    assert actions["orientation"] == "action_orienter"
    assert actions["chercher_document"] == "action_chercher_document"
    assert actions["qui_es_tu"] == "utter_qui_es_tu"
    # The rule says first whether the resident lives outside (and the election asked about, the
    # census dates of the child whose birthday is given).
    assert actions["listes_electorales"] == "action_hors_secteur"
    assert actions["recensement_citoyen"] == "action_hors_secteur"


@pytest.mark.parametrize(
    ("form", "slot", "text", "intent"),
    [
        (ValidateRendezVousForm(), "rdv_motif", "et le numéro de téléphone ?", "contact_mairie"),
        (ValidateRendezVousForm(), "rdv_nom", "et le numéro de téléphone ?", "contact_mairie"),
        (ValidateDemandeForm(), "demande_service", "c'est quand la déchetterie ?", "dechetterie"),
        (ValidateDemandeForm(), "demande_contact", "les horaires de la mairie", "horaires_mairie"),
        (ValidateSignalementForm(), "signalement_contact", "menu de la cantine", "menu_cantine"),
    ],
)
def test_a_question_on_another_subject_leaves_the_form(form, slot, text, intent):
    result, said = validate(form, slot, text, intent=(intent, 0.93))
    assert result["requested_slot"] is None and result["formulaire_interrompu"] is True
    assert said == [], "no 'wrong answer' message: the question will be answered instead"


@pytest.mark.parametrize("answer", ["oui", "Ok", "d'accord", "non"])
def test_a_yes_or_no_is_no_name_for_the_booking(answer):
    """« oui » to « À quel nom dois-je noter le rendez-vous ? » was booked « Au nom de : oui »."""
    result, said = validate(ValidateRendezVousForm(), "rdv_nom", answer, intent=("affirmer", 0.9))
    assert result.get("rdv_nom") is None
    assert [m.get("motif") for m in said] == ["Écrivez votre nom et votre prénom."], said


def test_answers_that_look_like_other_subjects_still_fill_the_form():
    form = ValidateRendezVousForm()
    motif, _ = validate(
        form, "rdv_motif", "Carte d'identité", intent=("carte_identite_passeport", 0.99)
    )
    assert motif["rdv_motif"] == "carte_identite"
    name, _ = validate(form, "rdv_nom", "Jean Mairie", intent=("contact_mairie", 0.9))
    assert name["rdv_nom"] == "Jean Mairie"
    message, _ = validate(
        ValidateDemandeForm(),
        "demande_message",
        "Quand ouvre la déchetterie le samedi ?",
        intent=("dechetterie", 0.97),
    )
    assert message["demande_message"].startswith("Quand ouvre"), "a message is free text"
    mail, said = validate(
        ValidateDemandeForm(), "demande_contact", "mon mail", intent=("contact_mairie", 0.9)
    )
    assert mail["demande_contact"] is None and "ne semble pas valide" in said[0]["motif"]
    unsure, said = validate(form, "rdv_motif", "le tel ?", intent=("contact_mairie", 0.4))
    assert unsure["rdv_motif"] is None and said[0]["response"] == "utter_formulaire_refus"


def test_leaving_a_form_answers_the_question_and_keeps_nothing(database):
    events, said = run_events(
        ActionReserverRendezVous(),
        {"formulaire_interrompu": True, "formulaire_abandon": True, "rdv_nom": "Marie"},
        text="et le numéro de téléphone ?",
        intent=("contact_mairie", 0.95),
    )
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots["formulaire_resultat"] == "interrompu" and slots["rdv_nom"] is None
    assert slots["formulaire_interrompu"] is None
    assert said[0]["response"] == "utter_formulaire_interrompu"
    assert {"event": "followup", "name": "action_preparer_reponse"} in [
        {k: e.get(k) for k in ("event", "name")} for e in events
    ]


def test_the_photo_is_asked_on_the_web_chat_only():
    form = ValidateSignalementForm()
    domain_slots = [
        "signalement_quoi",
        "signalement_lieu",
        "signalement_photo",
        "signalement_contact",
    ]

    def needed(channel: str) -> list[str]:
        return asyncio.run(
            form.required_slots(
                domain_slots, CollectingDispatcher(), tracker({}, channel=channel), {}
            )
        )

    assert needed("socketio") == domain_slots
    assert "signalement_photo" not in needed("twilio")
    assert "signalement_photo" not in needed("facebook")


def test_photo_answer_takes_the_uploaded_token_or_no_photo():
    form = ValidateSignalementForm()
    sent, _ = validate(
        form,
        "signalement_photo",
        "📷 Photo jointe",
        metadata={"customData": {"commune": "Bapaume", "photo": "tok_123"}},
    )
    assert sent["signalement_photo"] == "tok_123"
    assert validate(form, "signalement_photo", "Pas de photo")[0]["signalement_photo"] == "aucune"
    wrong, said = validate(form, "signalement_photo", "euh")
    assert wrong["signalement_photo"] is None
    assert "Joindre une photo" in said[0]["motif"]


@pytest.mark.parametrize(
    ("form", "slot", "text", "intent"),
    [
        (ValidateRendezVousForm(), "rdv_motif", "laisser tomber", ("aide", 0.3)),
        (ValidateRendezVousForm(), "rdv_motif", "et le téléphone ?", ("contact_mairie", 0.99)),
        # A question that does not answer the form's, read without much confidence: still asked.
        (
            ValidateRendezVousForm(),
            "rdv_motif",
            "et le numéro de téléphone ?",
            ("contact_mairie", 0.65),
        ),
        (ValidateSignalementForm(), "signalement_lieu", "laisser tomber", ("aide", 0.3)),
    ],
)
def test_forms_with_a_chosen_slot_list_really_stop(form, slot, text, intent):
    """What the action server returns to Rasa: the last requested_slot must be None."""
    form_name = form.form_name()
    domain = {
        "forms": {form_name: {"required_slots": [slot, "rdv_nom", "signalement_contact"]}},
        "slots": {},
    }
    dispatcher = CollectingDispatcher()
    state = tracker({}, text, slot, intent=intent)
    state.slots[slot] = text  # what Rasa extracted with from_text
    state.events.append({"event": "slot", "name": slot, "value": text})
    state.active_loop = {"name": form_name}
    events = asyncio.run(form.run(dispatcher, state, domain))
    requested = [e["value"] for e in events if e.get("name") == "requested_slot"]
    assert requested and requested[-1] is None


def test_an_unsure_office_does_not_leave_a_form():
    """« c'est loin pour moi, je n'ai pas de voiture » while booking: DIET said orientation at
    1.00 but the office (foreigners) at 0.25; the form stays, nothing is lost."""
    from actions.demandes.interruption import new_subject

    def read(office: float) -> dict:
        return {
            "intent": {"name": "orientation", "confidence": 1.0},
            "response_selector": {"orientation": {"response": {"confidence": office}}},
        }

    assert new_subject(read(0.25), "rendez_vous_form", "rdv_creneau") is None
    assert new_subject(read(0.95), "rendez_vous_form", "rdv_creneau") == "orientation"
