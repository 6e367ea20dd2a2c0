"""The message to the mairie (demande_form): its questions checked, and the demande saved."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.demandes import prefill, service
from actions.demandes.formulaire import (
    CONTACT_HELP,
    MAX_MESSAGE,
    FormValidation,
    SaveAction,
    choice,
    contact_fields,
    contact_slot,
    transcript,
    wants_to_quit,
)
from actions.demandes.services import SERVICE_LABELS, SERVICE_WORDS
from actions.territory.loader import territory

STORY_WORDS = 7  # with a service's word in it, an answer this long is still the message
MESSAGE_WORDS = 4  # an answer to « quel service ? » this long is the message itself


def summary(service_name: str | None, message: str | None, contact: str | None) -> str:
    return (
        f"- Service : {SERVICE_LABELS.get(service_name or '', 'autre')}\n"
        f"- Message : {message or ''}\n"
        f"- Pour vous répondre : {contact or ''}"
    )


class ValidateDemandeForm(FormValidation, FormValidationAction):
    HELP = {
        "demande_service": (
            "Le service, c'est la partie de la mairie qui lira votre message : état civil "
            "(naissance, mariage, décès), urbanisme (travaux, permis), services techniques "
            "(routes, éclairage), école. Si vous ne savez pas, écrivez « autre »."
        ),
        "demande_contact": CONTACT_HELP,
        "demande_confirmation": (
            "Écrivez « envoyer » pour envoyer votre message. Pour changer quelque chose, écrivez "
            "« modifier le message », « modifier le contact » ou « modifier le service ». "
            "« Annuler » efface tout."
        ),
    }

    FORM = "demande_form"
    CONFIRMATION = "demande_confirmation"
    RESUME = "demande_resume"
    FIELDS = (
        ("demande_message", ("message",)),
        ("demande_contact", ("contact", "mail", "e mail", "telephone", "numero", "tel\\b")),
        ("demande_service", ("service",)),
    )

    def name(self) -> str:
        return "validate_demande_form"

    def validate_demande_service(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "")
        if wants_to_quit(text):
            return self.quit()
        chosen = choice(text, SERVICE_WORDS)
        # « c'est pour le chemin derrière chez moi qui est plein de trous »: a story that names
        # a service (« trou ») is the message too, not the service alone.
        story = len(text.split()) >= STORY_WORDS and not tracker.get_slot("demande_message")
        if chosen and not story:
            return self.accept({"demande_service": chosen})
        reach = prefill.contact(text)
        if reach and not tracker.get_slot("demande_contact"):
            # « Marie Durand marie.durand@example.org » instead of a service: the way to answer
            # is kept, and the service is « autre », as for a message that opens with a contact
            # (prefill.demande); the summary lets the resident change it.
            return self.accept({"demande_service": "autre", "demande_contact": reach})
        if (
            len(text.split()) >= MESSAGE_WORDS
            and not tracker.get_slot("demande_message")
            and not self.asks_something_else(tracker, "demande_service")
        ):
            # « c'est pour avoir le pv du conseil de novembre »: the message itself, not a
            # service; the service is read in it, or « autre » (the summary lets it change).
            service = chosen or prefill.demande_service(text) or "autre"
            contact = tracker.get_slot("demande_contact")
            return self.accept(
                {
                    "demande_service": service,
                    "demande_message": text,
                    "demande_resume": summary(service, text, contact),
                }
            )
        return self.refuse(
            dispatcher, tracker, "demande_service", "Choisissez un service avec les boutons."
        )

    def validate_demande_message(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "").strip()
        if wants_to_quit(text) and len(text) < 40:
            return self.quit()
        if len(text) < 3:
            return self.refuse(
                dispatcher, tracker, "demande_message", "Votre message est vide. Écrivez-le."
            )
        if len(text) > MAX_MESSAGE:
            return self.refuse(
                dispatcher,
                tracker,
                "demande_message",
                f"Votre message est trop long : {MAX_MESSAGE} caractères au plus.",
            )
        contact = tracker.get_slot("demande_contact")
        found = {}
        if contact is None and prefill.contact(text):  # « …, rappelez-moi au 06 … »
            contact = found["demande_contact"] = prefill.contact(text)
        resume = summary(tracker.get_slot("demande_service"), text, contact)
        return self.accept({"demande_message": text, **found, "demande_resume": resume})

    def validate_demande_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        result = contact_slot(self, value, dispatcher, tracker, "demande_contact")
        if result.get("demande_contact"):
            result["demande_resume"] = summary(
                tracker.get_slot("demande_service"),
                tracker.get_slot("demande_message"),
                result["demande_contact"],
            )
        return result

    def validate_demande_confirmation(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self.validate_confirmation(value, dispatcher, tracker)

    def prefill(self, tracker: Tracker) -> dict[str, Any]:
        """« je suis Mme Dupont 06…, rappelez-moi pour mon permis »: message and contact."""
        return complete_demande(self.opening(tracker, self.FORM))

    def noted(self, found: dict[str, Any]) -> str:
        """« votre message, de la part de Monique Lefebvre, pour vous répondre, 06 … »."""
        said = []
        if found.get("demande_service") not in (None, "autre"):
            said.append(f"service {SERVICE_LABELS[found['demande_service']].lower()}")
        if found.get("demande_message"):
            said.append("votre message")
            name = prefill.nom(found["demande_message"])
            if name:
                said.append(f"de la part de {name}")
        if found.get("demande_contact"):
            said.append(f"pour vous répondre, {found['demande_contact']}")
        return ", ".join(said)

    def resume(self, tracker: Tracker) -> str:
        return summary(
            tracker.get_slot("demande_service"),
            tracker.get_slot("demande_message"),
            tracker.get_slot("demande_contact"),
        )


def complete_demande(texts: list[str]) -> dict[str, Any]:
    """Service, message and contact read in the first of `texts` that has a subject."""
    communes = [c.nom for c in territory().communes.values()]
    for text in texts:
        found = prefill.demande(text, communes)
        if found:
            return found
    return {}


# The answers to « parler à quelqu'un »: whole, or its local part after a national one.
AGENT_ANSWERS = ("parler_a_un_agent", "parler_a_un_agent_local")


def demande_directe(tracker: Tracker, events: list[EventType]) -> list[EventType]:
    """Start the message form at once when the request for the mairie already says everything.

    « je suis Monique Lefebvre 06 45 12 78 90, je voudrais que le maire me rappelle au sujet du
    mur du cimetière » has a subject and a way to answer: showing the mairie's card and asking
    « Voulez-vous laisser un message ? » would make the resident say it all again. For the
    action that answers `parler_a_un_agent` (action_preparer_reponse), with the events it is
    about to return: [FollowupAction("demande_form")] when the answer is for a known commune
    and the opening message has a subject and a contact (or says the resident wants to write),
    else []. The form then takes them (ValidateDemandeForm.prefill) and asks what is missing.
    """
    slots = dict(tracker.slots)
    slots.update({e["name"]: e.get("value") for e in events if e.get("event") == "slot"})
    if slots.get("sujet") not in AGENT_ANSWERS or slots.get("commune_manquante"):
        return []
    if not slots.get("commune_insee"):
        return []
    found = complete_demande(prefill.opening_texts(tracker.events, "demande_form"))
    # « je veux écrire à la mairie pour demander l'élagage d'un arbre » : the resident wants to
    # write (slot `message_voulu`) and has written what about; the form asks only the contact.
    wants_to_write = bool(slots.get("message_voulu"))
    if found.get("demande_message") and (found.get("demande_contact") or wants_to_write):
        return [FollowupAction("demande_form")]
    return []


class ActionEnregistrerDemande(SaveAction, Action):
    FORM = "demande_form"

    def name(self) -> str:
        return "action_enregistrer_demande"

    async def save(self, tracker: Tracker, now: datetime) -> list[EventType]:
        insee = tracker.get_slot("commune_insee")
        email, phone = contact_fields(tracker.get_slot("demande_contact"))
        demande = await asyncio.to_thread(
            lambda: service.create_demande(
                insee,
                tracker.get_slot("demande_service") or "autre",
                tracker.get_slot("demande_message") or "",
                contact_email=email,
                contact_telephone=phone,
                transcript=transcript(tracker),
                now=now,
            )
        )
        return self.stored(demande.reference, email, phone, insee, now)
