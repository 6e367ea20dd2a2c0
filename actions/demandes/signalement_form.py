"""The report of a problem (signalement_form): what, where, a photo, a contact; then saved."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.demandes import prefill, service
from actions.demandes.formulaire import (
    ABOUT_CONTACT,
    CONTACT_ATTEMPT,
    CONTACT_HELP,
    MAX_DETAIL_WORDS,
    MAX_MESSAGE,
    FormValidation,
    SaveAction,
    contact_fields,
    contact_slot,
    declines_contact,
    tells_more,
    transcript,
    wants_to_quit,
)
from actions.text import fold

MAX_PLACE = 500
# What says « no photo », in words: « pas de photo », « j'en ai pas », « non ».
NO_PHOTO = re.compile(
    r"\b(?:pas|sans|aucune?|ni) (?:de |d )?photos?\b|\bphotos?[ ,]*(?:non|pas|aucune)\b"
    r"|\bj (?:en )?ai pas\b|\bje n (?:en )?ai pas\b|^(?:non|nan|no|aucune?|rien|pas besoin|"
    r"pas la peine|non merci)\b"
)
PHOTO_CHANNEL = "socketio"  # only the web chat can send a picture


# « c'est devant le numéro 12 », « en face de l'église »: a place made more precise.
PLACE_DETAIL = re.compile(
    r"^(?:c est |c |cest |ca se trouve |c est situe |juste |pile )?"
    r"((?:devant|derriere|en face|a cote|pres d|au niveau|au coin|a l angle|au bout|au numero|"
    r"au n|numero|entre)\b.*)$"
)


def place_detail(text: str) -> str | None:
    """The words that make the place precise, as written (accents kept), or None."""
    kept = text.strip(" .!")
    found = PLACE_DETAIL.match(prefill.plain(kept).replace("'", " "))
    if not found or len(kept.split()) > MAX_DETAIL_WORDS:
        return None
    return kept[found.start(1) :]


def declines_photo(text: str) -> bool:
    """« pas de photo », « j'en ai pas », « non merci »."""
    return NO_PHOTO.search(fold(text)) is not None


CONFIRMATION_HELP = (
    "Touchez « Envoyer » pour l'envoyer à la mairie. « Modifier » pour changer une réponse, "
    "par exemple « modifier le lieu ». « Annuler » efface tout : rien n'est envoyé."
)


class ValidateSignalementForm(FormValidation, FormValidationAction):
    HELP = {
        "signalement_contact": CONTACT_HELP
        + " Si vous ne voulez pas être recontacté, écrivez « non ».",
        "signalement_confirmation": CONFIRMATION_HELP,
    }

    FORM = "signalement_form"
    CONFIRMATION = "signalement_confirmation"
    RESUME = "signalement_resume"
    FIELDS = (
        ("signalement_quoi", ("probleme", "quoi", "description")),
        ("signalement_lieu", ("lieu", "endroit", "adresse", "emplacement", "ou c est")),
        ("signalement_photo", ("photo",)),
        ("signalement_contact", ("contact", "mail", "e mail", "telephone", "numero", "tel\\b")),
    )

    def prefill(self, tracker: Tracker) -> dict[str, Any]:
        """« le lampadaire rue des Écoles est cassé »: what is broken and where."""
        return self.read_opening(
            tracker,
            (
                ("signalement_quoi", prefill.signalement_quoi),
                ("signalement_lieu", prefill.signalement_lieu),
                ("signalement_contact", prefill.contact),
            ),
        )

    def noted(self, found: dict[str, Any]) -> str:
        said = []
        if found.get("signalement_quoi"):
            said.append(f"« {found['signalement_quoi']} »")
        if found.get("signalement_lieu"):
            said.append(f"lieu : {found['signalement_lieu']}")
        if found.get("signalement_contact"):
            said.append(f"pour vous répondre : {found['signalement_contact']}")
        return ", ".join(said)

    def resume(self, tracker: Tracker) -> str:
        contact = tracker.get_slot("signalement_contact")
        lines = [
            f"- Problème : {tracker.get_slot('signalement_quoi') or ''}",
            f"- Lieu : {tracker.get_slot('signalement_lieu') or ''}",
        ]
        photo = tracker.get_slot("signalement_photo")
        if photo:
            lines.append(f"- Photo : {'aucune' if photo == 'aucune' else 'jointe'}")
        if contact == "aucun":
            contact = "pas de contact (vous ne serez pas recontacté)"
        lines.append(f"- Pour vous répondre : {contact or ''}")
        return "\n".join(lines)

    def validate_signalement_confirmation(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self.validate_confirmation(value, dispatcher, tracker)

    def name(self) -> str:
        return "validate_signalement_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """The photo is asked only where a picture can be sent: the web chat."""
        if tracker.get_latest_input_channel() == PHOTO_CHANNEL:
            return list(domain_slots)
        return [slot for slot in domain_slots if slot != "signalement_photo"]

    def _free_text(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        slot: str,
        limit: int,
    ) -> dict[str, Any]:
        text = str(value or "").strip()
        if wants_to_quit(text) and len(text) < 40:
            return self.quit()
        if len(text) < 3:
            return self.refuse(
                dispatcher, tracker, slot, "Je n'ai rien reçu. Pouvez-vous préciser ?"
            )
        if len(text) > limit:
            return self.refuse(
                dispatcher, tracker, slot, f"C'est trop long : {limit} caractères au plus."
            )
        return self.accept({slot: text})

    def validate_signalement_quoi(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        found = self._free_text(value, dispatcher, tracker, "signalement_quoi", MAX_MESSAGE)
        place = prefill.signalement_lieu(str(value or ""))
        if found.get("signalement_quoi") and place and not tracker.get_slot("signalement_lieu"):
            # « un lampadaire qui clignote rue de la gare »: the place is said too, not asked.
            found["signalement_lieu"] = place
        return found

    def validate_signalement_lieu(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._free_text(value, dispatcher, tracker, "signalement_lieu", MAX_PLACE)

    def validate_signalement_photo(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The widget sends "📷 Photo jointe" with the upload's token in customData.photo."""
        metadata = (tracker.latest_message or {}).get("metadata") or {}
        custom = metadata.get("customData") or {}
        token = custom.get("photo") or metadata.get("photo")
        if isinstance(token, str) and token.strip():
            return self.accept({"signalement_photo": token.strip()})
        text = str(value or "")
        if wants_to_quit(text) and "photo" not in fold(text):
            return self.quit()
        contact = prefill.contact(text)
        if contact:  # « 06 12 34 56 78 » instead of a photo: no photo, and the contact
            return self.accept({"signalement_photo": "aucune", "signalement_contact": contact})
        if declines_photo(text):
            settled = {"signalement_photo": "aucune"}
            # « pas de photo et pas besoin de me rappeler »: the contact is answered too.
            rest = NO_PHOTO.sub(" ", fold(text))
            if ABOUT_CONTACT.search(rest) and declines_contact(rest.strip()):
                settled["signalement_contact"] = "aucun"
            return self.accept(settled)
        return self.refuse(
            dispatcher,
            tracker,
            "signalement_photo",
            "Touchez « Joindre une photo », ou « Pas de photo ».",
        )

    def validate_signalement_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        detail = place_detail(str(value or ""))
        place = tracker.get_slot("signalement_lieu")
        if detail and place and not CONTACT_ATTEMPT.search(str(value)):
            # « c'est devant le numéro 12 » where the contact is asked: the place, made precise.
            lieu = f"{place}, {detail}"[:MAX_PLACE]
            dispatcher.utter_message(response="utter_formulaire_prerempli", deja=f"lieu : {lieu}")
            return {"signalement_lieu": lieu, "signalement_contact": None}
        more = str(value or "").strip()
        quoi = tracker.get_slot("signalement_quoi")
        if quoi and tells_more(more):
            # « c'est profond et dangereux pour les vélos » where the contact is asked: more
            # about the problem, kept with it; the contact is asked again, not refused.
            dispatcher.utter_message(response="utter_formulaire_prerempli", deja=f"« {more} »")
            told = f"{str(quoi).rstrip('. ')}. {more[:1].upper()}{more[1:]}"[:MAX_MESSAGE]
            return {"signalement_quoi": told, "signalement_contact": None}
        return contact_slot(self, value, dispatcher, tracker, "signalement_contact", optional=True)

    def also_settled(self, text: str, slot: str, tracker: Tracker) -> dict[str, Any]:
        """« pas de photo, joignez-moi au 06… » answers the photo too, where it is asked."""
        asks_photo = tracker.get_latest_input_channel() == PHOTO_CHANNEL
        unanswered = tracker.get_slot("signalement_photo") is None
        if asks_photo and unanswered and "photo" in fold(text) and declines_photo(text):
            return {"signalement_photo": "aucune"}
        return {}


class ActionEnregistrerSignalement(SaveAction, Action):
    FORM = "signalement_form"

    def name(self) -> str:
        return "action_enregistrer_signalement"

    async def save(self, tracker: Tracker, now: datetime) -> list[EventType]:
        insee = tracker.get_slot("commune_insee")
        email, phone = contact_fields(tracker.get_slot("signalement_contact"))
        photo = tracker.get_slot("signalement_photo")
        signalement = await asyncio.to_thread(
            lambda: service.create_signalement(
                insee,
                tracker.get_slot("signalement_quoi") or "",
                tracker.get_slot("signalement_lieu") or "",
                contact_email=email,
                contact_telephone=phone,
                transcript=transcript(tracker),
                now=now,
                photo=None if photo in (None, "aucune") else photo,
            )
        )
        return self.stored(signalement.reference, email, phone, insee, now)
