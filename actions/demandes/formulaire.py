"""What the three forms of the conversation share: the form validation's common rules and the
saving actions' common steps.

The forms (domain.yml) ask the questions; their validations (demande_form.py,
signalement_form.py, rendez_vous_form.py) check each answer, explain a field after two refused
answers, stop when the resident says "laisser tomber", and finally store the request through
actions/demandes/service.py. Personal answers are cleared from the conversation once stored: the
database keeps them, for the time the README states.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import clock
from actions.conversation.context import latest_intent, topic_before_this_message
from actions.demandes import prefill, service
from actions.demandes.in_form_answer import RESUMED, answer_for
from actions.demandes.interruption import answering_actions, new_subject
from actions.territory.loader import territory
from actions.text import fold, of_place

log = logging.getLogger(__name__)

# Responses these actions choose themselves; Rasa's validator cannot see them used in a rule.
DISPATCHED_RESPONSES = (
    "utter_formulaire_refus",
    "utter_formulaire_aide",
    "utter_ask_rdv_creneau",
    "utter_rdv_pas_de_creneau",
    "utter_formulaire_interrompu",
    "utter_formulaire_prerempli",
    RESUMED,
)
QUIT = re.compile(
    r"\b(laisse[rz]? tomber|annuler|annule|abandonne[rz]?|stop|arrete[rz]?|c est fini|"
    r"je ne veux plus|j veux plus|plus envie)\b"
)
# A yes, a no or thanks is no name (« oui » was booked « Au nom de : oui »).
NOT_NAMES = frozenset(
    "oui ouais ok okay d accord daccord non nan merci bien voila exact je sais pas".split(" ")
) | {"d accord", "je sais pas", "je ne sais pas", "c est bon", "ok merci", "oui merci"}
EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
MAX_MESSAGE = 2000
REFUSALS_BEFORE_HELP = 2
MAX_DETAIL_WORDS = 12  # a longer message where the contact is asked is something else
# « non », « pas la peine », « non pas besoin de me tenir au courant »: no contact, said in words
# (read on the folded text, apostrophes and hyphens as spaces).
DECLINES = re.compile(
    r"^(?:non|nan|no|nope|aucun|aucune|rien|personne|pas de contact|sans contact|ca ira)\b"
    r"|\b(?:pas besoin|pas la peine|pas necessaire|pas utile|inutile|non merci|"
    r"(?:ne )?(?:veux|souhaite|tiens) pas (?:a )?(?:etre )?(?:re)?contacte|"
    r"pas (?:etre )?(?:re)?contacte|pas (?:etre )?tenu au courant|prefere pas|prefere ne pas)"
)
# Words about being contacted: « pas de photo et pas besoin de me rappeler » settles both.
ABOUT_CONTACT = re.compile(
    r"\b(?:contact|recontact|rappel|appel|joindre|courant|telephone|tel|mail|e mail|nouvelles)"
)
JUST_YES = re.compile(
    r"^(?:oui|ouais|ok|okay|yes|d accord|daccord|volontiers|bien sur|je veux bien)"
    r"(?: (?:oui|svp|stp|merci|s il vous plait|volontiers|bien sur|je veux bien))*[ .!]*$"
)
JUST_NO = re.compile(
    r"^(?:non|nan|no|pas maintenant|pas encore|attendez|attends)(?: merci)?[ .!]*$"
)
# An attempt at a contact (digits, an « @ »): « non mon numero c 06 12 34 » is no refusal.
CONTACT_ATTEMPT = re.compile(r"@|\d{2}\D{0,3}\d{2}\D{0,3}\d{2}")
YES = (
    "oui",
    "ok",
    "d accord",
    "envoyer",
    "envoie",
    "envoyez",
    "c est bon",
    "valide",
    "valider",
    "parfait",
    "yes",
    "reserver",
    "reservez",
    "confirmer",
    "confirme",
)
CORRECTING = re.compile(r"\b(corrig|modifi|chang|rectifi)")
# Slots that only say how the form went: a new form starts without them.
FLAGS = (
    "formulaire_abandon",
    "formulaire_interrompu",
    "formulaire_erreurs",
    "formulaire_modifier",
    "formulaire_oui",
)


def latest_text(tracker: Tracker) -> str:
    return str((tracker.latest_message or {}).get("text") or "").strip()


def wants_to_quit(text: str) -> bool:
    return bool(QUIT.search(fold(text).replace("'", " ")))


# « non en fait c bon » to the slots offered: the resident no longer wants the booking. Only
# where a « non » cannot be an answer: to « tenu au courant ? », « non en fait » refuses a contact.
CHANGED_MIND = re.compile(
    r"\b(?:en fait non|non en fait|finalement non|non finalement|plus besoin|pas besoin|"
    r"pas la peine|non (?:merci )?(?:c est bon|c bon|cest bon|ca ira|ca va aller))\b"
)


def changed_mind(text: str) -> bool:
    return bool(CHANGED_MIND.search(fold(text).replace("'", " ")))


def parse_contact(text: str) -> tuple[str | None, str | None]:
    """(email, telephone) from an answer; both None when it is neither."""
    value = text.strip()
    if EMAIL.match(value):
        return value.lower(), None
    digits = re.sub(r"[\s.\-()]", "", value)
    if digits.startswith("+33"):
        digits = "0" + digits[3:]
    elif digits.startswith("0033"):
        digits = "0" + digits[4:]
    if re.fullmatch(r"0[1-9]\d{8}", digits):
        return None, " ".join(digits[i : i + 2] for i in range(0, 10, 2))
    return None, None


def choice(text: str, table: tuple[tuple[str, tuple[str, ...]], ...]) -> str | None:
    """First value whose word starts a word of the answer ("techniques" matches "technique")."""
    folded = fold(text).replace("'", " ").replace("-", " ")
    for value, words in table:
        for word in words:
            if re.search(rf"\b{re.escape(fold(word).replace(chr(39), ' '))}", folded):
                return value
    return None


class FormValidation:
    """Shared rules: "laisser tomber" stops the form; help after two refused answers.

    A mixin, not an action, so that rasa-sdk does not register it as one.
    """

    HELP: dict[str, str] = {}
    FORM = ""
    CONFIRMATION = ""  # the last question: the summary, « Envoyer / Modifier / Annuler »
    RESUME = ""  # slot holding the summary the confirmation question shows
    # (slot, words) a resident names to change one answer: « modifier le lieu ».
    FIELDS: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Said when a required contact is refused in words (« non »): not « invalid ».
    CONTACT_NEEDED = (
        "La mairie a besoin d'une adresse e-mail ou d'un numéro de téléphone pour vous répondre. "
        "Si vous préférez arrêter, écrivez « laisser tomber »."
    )

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """At the form's start, forget an earlier form and take what the resident already said.

        The form starts when no slot is requested yet; Rasa then calls this action once with
        the answers it still holds (an emergency may have left a form half-filled).
        """
        before: list[EventType] = []
        if tracker.get_slot("requested_slot") is None:
            before = self.start_afresh(tracker)
            found = {
                slot: value
                for slot, value in self.prefill(tracker).items()
                if value and tracker.get_slot(slot) is None
            }
            if found:
                noted = self.noted(found)
                if noted:
                    dispatcher.utter_message(response="utter_formulaire_prerempli", deja=noted)
                tracker.add_slots([SlotSet(slot, value) for slot, value in found.items()])
        events = await super().run(dispatcher, tracker, domain)  # type: ignore[misc]
        if self.RESUME:
            # The summary is of the validated answers (« laissez tomber » is not a time slot).
            for event in events:
                if event.get("event") == "slot":
                    tracker.slots[event["name"]] = event["value"]
            events.append(SlotSet(self.RESUME, self.resume(tracker)))
        return [*before, *events]

    def start_afresh(self, tracker: Tracker) -> list[EventType]:
        """Answers of an earlier, unfinished form are not this form's answers."""
        stale = [
            name for name in (*FORM_SLOTS[self.FORM], *FLAGS) if tracker.get_slot(name) is not None
        ]
        for name in stale:
            tracker.slots[name] = None
        # Rasa sends the slots it holds as candidates at the end of the events: drop them.
        tail = 0
        while tail < len(tracker.events) and tracker.events[-1 - tail].get("event") == "slot":
            tail += 1
        if tail:
            kept = [e for e in tracker.events[-tail:] if e.get("name") not in stale]
            tracker.events[-tail:] = kept
        return [SlotSet(name, None) for name in stale]

    def prefill(self, tracker: Tracker) -> dict[str, Any]:
        """Slot values read in the messages that opened the form (see prefill.py)."""
        return {}

    def also_settled(self, text: str, slot: str, tracker: Tracker) -> dict[str, Any]:
        """Other still-empty slots of this form that the answer to `slot` settles too."""
        return {}

    def noted(self, found: dict[str, Any]) -> str:
        """« le motif (carte d'identité) », for « C'est noté : … » ("" says nothing)."""
        return ", ".join(str(value) for value in found.values())

    def resume(self, tracker: Tracker) -> str:
        return ""

    def validate_confirmation(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        """« Envoyer » sends, « Modifier » asks which answer, « Annuler » stops: nothing sent."""
        slot = self.CONFIRMATION
        text = fold(str(value or "")).replace("'", " ")
        modifying = bool(tracker.get_slot("formulaire_modifier"))
        correcting = modifying or CORRECTING.search(text) is not None
        field = next(
            (name for name, words in self.FIELDS if any(re.search(rf"\b{w}", text) for w in words)),
            None,
        )
        done = {"formulaire_modifier": None} if modifying else {}
        if correcting and field:
            return self.accept({slot: None, field: None, **done})
        if wants_to_quit(text):
            return self.quit()
        if JUST_NO.match(text) and not modifying:
            # « non » to « Je l'envoie ? »: nothing is sent; a second « non » cancels.
            if tracker.get_slot("formulaire_erreurs"):
                return self.quit()
            return self.refuse(
                dispatcher,
                tracker,
                slot,
                "D'accord, rien n'est envoyé pour l'instant. Touchez « Modifier » pour changer "
                "une réponse, ou « Annuler » pour tout effacer.",
            )
        if any(re.search(rf"\b{y}\b", text) for y in YES):
            return self.accept({slot: "oui", **done})
        if correcting and not modifying:
            return self.accept({slot: None, "formulaire_modifier": True})
        if modifying:
            return self.refuse(
                dispatcher, tracker, slot, "Touchez la réponse à modifier, ou « Rien, envoyer »."
            )
        return self.refuse(
            dispatcher,
            tracker,
            slot,
            "Touchez « Envoyer » pour l'envoyer, « Modifier » pour changer une réponse, "
            "ou « Annuler ».",
        )

    def quit(self) -> dict[str, Any]:
        return {"requested_slot": None, "formulaire_abandon": True, "formulaire_erreurs": None}

    @staticmethod
    def opening(tracker: Tracker, form: str) -> list[str]:
        return prefill.opening_texts(tracker.events, form)

    def read_opening(
        self, tracker: Tracker, readers: tuple[tuple[str, Callable[[str], Any]], ...]
    ) -> dict[str, Any]:
        """What the messages that opened the form already said: for each slot, the first value
        its reader finds (« le lampadaire rue des Écoles est cassé »: what, and where)."""
        found: dict[str, Any] = {}
        for text in self.opening(tracker, self.FORM):
            for slot, read in readers:
                if not found.get(slot):
                    found[slot] = read(text)
        return found

    async def next_requested_slot(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> EventType | None:
        """Stopping wins: rasa-sdk would otherwise ask the next missing slot of a dynamic form."""
        if tracker.get_slot("formulaire_abandon"):
            return SlotSet("requested_slot", None)
        return await super().next_requested_slot(dispatcher, tracker, domain)  # type: ignore[misc]

    def interrupt(self) -> dict[str, Any]:
        """Leave the form: the question gets its usual answer (ActionEnregistrer… runs it)."""
        return {**self.quit(), "formulaire_interrompu": True}

    def asks_something_else(self, tracker: Tracker, slot: str) -> bool:
        """A confident question on another subject than the one that led to this form: « c'est
        pour avoir le pv du conseil de novembre » after a document not found is what the
        message is about (DIET: chercher_document, 0.74), not a question that leaves it."""
        asked = new_subject(tracker.latest_message, self.FORM, slot)
        return asked is not None and asked != topic_before_this_message(tracker)

    def answered_here(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, slot: str
    ) -> dict[str, Any] | None:
        """A question the form's own topic answers: answered, then the same question again."""
        text = str((tracker.latest_message or {}).get("text") or "")
        response = answer_for(text, self.FORM)
        if response is None:
            return None
        dispatcher.utter_message(response=response)
        dispatcher.utter_message(response=RESUMED)
        return {slot: None}

    def interrupt_or_answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, slot: str
    ) -> dict[str, Any]:
        return self.answered_here(dispatcher, tracker, slot) or self.interrupt()

    def refuse(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, slot: str, reason: str
    ) -> dict[str, Any]:
        """A wrong answer is explained, unless it is a question: on the form's own topic it is
        answered in place, on another subject the form is left for its answer."""
        answered = self.answered_here(dispatcher, tracker, slot)
        if answered is not None:
            return answered
        if self.asks_something_else(tracker, slot):
            return self.interrupt()
        errors = int(tracker.get_slot("formulaire_erreurs") or 0) + 1
        if errors >= REFUSALS_BEFORE_HELP and slot in self.HELP:
            dispatcher.utter_message(response="utter_formulaire_aide", aide=self.HELP[slot])
        else:
            dispatcher.utter_message(response="utter_formulaire_refus", motif=reason)
        return yes_said({slot: None, "formulaire_erreurs": float(errors)}, tracker)

    @staticmethod
    def accept(values: dict[str, Any]) -> dict[str, Any]:
        return {**values, "formulaire_erreurs": None, "formulaire_abandon": None}


def declines_contact(text: str) -> bool:
    """« non », « pas la peine », « non pas besoin de me tenir au courant »: no contact wanted."""
    folded = fold(text)
    return DECLINES.search(folded) is not None and not CONTACT_ATTEMPT.search(text)


MIN_MORE_WORDS = 4  # « c'est profond » alone is too short to be sure it is about the problem
# « appelez-moi plutôt sur mon portable »: about the contact, not the problem.
ABOUT_CONTACT = re.compile(
    r"\b(appel\w*|rappel\w*|mail|e mail|courriel|telephone|tel|portable|numero|joindre|"
    r"joignable|contact\w*|sms|texto|tenu au courant|tenir au courant)\b"
)


def tells_more(text: str) -> bool:
    """A sentence about the problem where the contact is asked: no contact in it, no refusal,
    no yes, no name, no question, no quitting."""
    folded = fold(text).replace("'", " ")
    return (
        MIN_MORE_WORDS <= len(folded.split()) <= MAX_DETAIL_WORDS * 3
        and not CONTACT_ATTEMPT.search(text)
        and not prefill.contact(text)
        and not declines_contact(text)
        and not JUST_YES.match(folded)
        and not wants_to_quit(text)
        and not prefill.gives_a_name(text)
        and not ABOUT_CONTACT.search(folded)
        and "?" not in text
    )


def yes_said(values: dict[str, Any], tracker: Tracker) -> dict[str, Any]:
    """The short question after « oui » (`formulaire_oui`) is for that next question only."""
    return {**values, "formulaire_oui": None} if tracker.get_slot("formulaire_oui") else values


def contact_slot(
    form: FormValidation,
    value: Any,
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    slot: str,
    optional: bool = False,
) -> dict[str, Any]:
    """The e-mail or phone found anywhere in the answer, or a refusal said in words.

    « pas de photo, vous pouvez me joindre au 06 12 34 56 78 » gives the phone (and settles the
    photo, see also_settled); « non pas besoin de me tenir au courant » is no contact when the
    contact is optional. A clear question on another subject still leaves the form.
    """
    text = str(value or "").strip()
    if wants_to_quit(text):
        return form.quit()
    found = prefill.contact(text)
    if found:
        return yes_said(
            form.accept({slot: found, **form.also_settled(text, slot, tracker)}), tracker
        )
    if len(prefill.phones(text)) > 1 or len(prefill.emails(text)) > 1:
        return form.refuse(
            dispatcher,
            tracker,
            slot,
            "Vous avez donné deux adresses ou deux numéros. Écrivez celui à garder.",
        )
    if declines_contact(text) and not ("?" in text and form.asks_something_else(tracker, slot)):
        if optional:
            settled = form.also_settled(text, slot, tracker)
            return yes_said(form.accept({slot: "aucun", **settled}), tracker)
        return form.refuse(dispatcher, tracker, slot, form.CONTACT_NEEDED)
    if JUST_YES.match(fold(text).replace("'", " ")):
        # « oui » to « Voulez-vous être tenu au courant ? » : yes, and the contact still to come.
        # The question is asked again in its short form (`formulaire_oui`), not refused.
        return {slot: None, "formulaire_oui": True}
    name = prefill.gives_a_name(text)
    if name:
        return form.refuse(
            dispatcher,
            tracker,
            slot,
            f"Merci, {name}. Pour vous répondre, il faut aussi un numéro de téléphone "
            "ou une adresse e-mail.",
        )
    return form.refuse(
        dispatcher,
        tracker,
        slot,
        "Cette adresse e-mail ou ce numéro ne semble pas valide. "
        "Exemple : marie.dupont@exemple.fr ou 06 12 34 56 78.",
    )


CONTACT_HELP = (
    "La mairie a besoin d'un moyen de vous répondre. Une adresse e-mail contient « @ », par "
    "exemple marie.dupont@exemple.fr. Un numéro de téléphone a 10 chiffres et commence par 0, "
    "par exemple 03 21 00 00 00."
)


def transcript(tracker: Tracker, limit: int = 60) -> str:
    """The conversation as the agent will read it (last `limit` messages)."""
    lines = []
    for event in tracker.events:
        if event.get("event") == "user" and event.get("text"):
            lines.append(f"Habitant : {event['text']}")
        elif event.get("event") == "bot" and event.get("text"):
            lines.append(f"Assistant : {event['text']}")
    return "\n".join(lines[-limit:])


def contact_fields(contact: str | None) -> tuple[str | None, str | None]:
    if not contact or contact == "aucun":
        return None, None
    return parse_contact(contact)


FORM_SLOTS = {
    "demande_form": (
        "demande_service",
        "demande_message",
        "demande_contact",
        "demande_confirmation",
        "demande_resume",
    ),
    "signalement_form": (
        "signalement_quoi",
        "signalement_lieu",
        "signalement_photo",
        "signalement_contact",
        "signalement_confirmation",
        "signalement_resume",
    ),
    "rendez_vous_form": (
        "rdv_motif",
        "rdv_creneau",
        "rdv_nom",
        "rdv_contact",
        "rdv_propositions",
        "rdv_reference_saisie",
        "rdv_gestion_choix",
        "rdv_confirmation",
        "rdv_resume",
    ),
}


def cleared(form: str) -> list[EventType]:
    """Personal answers leave the conversation once stored (or abandoned)."""
    return [SlotSet(name, None) for name in (*FORM_SLOTS[form], *FLAGS)]


def answer_the_question(dispatcher: CollectingDispatcher, tracker: Tracker, form: str) -> list:
    """The resident asked something else mid-form: say the form is left, then answer."""
    dispatcher.utter_message(response="utter_formulaire_interrompu")
    events = [*cleared(form), SlotSet("formulaire_resultat", "interrompu")]
    action = answering_actions().get(latest_intent(tracker))
    if action:
        events.append(FollowupAction(action))
    return events


def acknowledgement(email: str | None, phone: str | None, commune_insee: str, now: datetime) -> str:
    """What happens next, true to the contact given: without one, no one can call back."""
    opening = service.next_opening_text(commune_insee, now)
    if email:
        return f"Un accusé de réception part à {email}. {opening}"
    if phone:
        return f"La mairie vous recontactera par téléphone. {opening}"
    return f"Sans contact, la mairie ne pourra pas vous répondre. {opening}"


def how_to_reach(commune_insee: str | None, now: datetime | None = None) -> str:
    """« Pour joindre la mairie de Bucquoy : 03 … La mairie rouvre lundi à 9 h. »"""
    communes = territory().communes
    if not commune_insee or commune_insee not in communes:
        return "Vous pouvez appeler votre mairie aux heures d'ouverture."
    commune = communes[commune_insee]
    opening = service.next_opening_text(commune_insee, now or clock.now())
    return f"Pour joindre la mairie {of_place(commune.nom)} : {commune.mairie.telephone}. {opening}"


class SaveAction:
    """Mixin of the three saving actions (not registered itself)."""

    FORM = ""

    async def save(self, tracker: Tracker, now: datetime) -> list[EventType]:
        raise NotImplementedError

    @staticmethod
    def stored(
        reference: str, email: str | None, phone: str | None, insee: str, now: datetime
    ) -> list[EventType]:
        """The reference told to the resident, and what happens next with the contact given."""
        return [
            SlotSet("demande_reference", reference),
            SlotSet("demande_accuse", acknowledgement(email, phone, insee, now)),
        ]

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.get_slot("formulaire_interrompu"):
            return answer_the_question(dispatcher, tracker, self.FORM)
        if tracker.get_slot("formulaire_abandon"):
            return [
                *cleared(self.FORM),
                SlotSet("formulaire_joindre", how_to_reach(tracker.get_slot("commune_insee"))),
                SlotSet("formulaire_resultat", "abandon"),
            ]
        try:
            events = await self.save(tracker, clock.now())
        except service.SlotTaken:
            return [SlotSet("rdv_creneau", None), SlotSet("formulaire_resultat", "pris")]
        except service.SlotInvalid:
            return [SlotSet("rdv_creneau", None), SlotSet("formulaire_resultat", "pris")]
        except service.BookingNotFound:
            return [*cleared(self.FORM), SlotSet("formulaire_resultat", "introuvable")]
        except Exception:  # noqa: BLE001 - the resident must get an answer, the log keeps why
            log.exception("enregistrement impossible (%s)", self.FORM)
            return [SlotSet("formulaire_resultat", "erreur")]
        return [*events, *cleared(self.FORM), SlotSet("formulaire_resultat", "enregistre")]
