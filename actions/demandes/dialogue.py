"""The conversation side of demandes, signalements and rendez-vous: form validation and saving.

The forms (domain.yml) ask the questions; these actions check each answer, explain a
field after two refused answers, stop when the resident says "laisser tomber", and finally store
the request through actions/demandes/service.py. Personal answers are cleared from the
conversation once stored: the database keeps them, for the time the README states.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from datetime import datetime
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import clock
from actions.conversation.context import latest_intent
from actions.demandes import creneau, prefill, service
from actions.demandes.in_form_answer import RESUMED, answer_for
from actions.demandes.interruption import answering_actions, new_subject
from actions.demandes.services import SERVICE_LABELS, SERVICE_WORDS
from actions.territory.hours import DAY_NAMES, MONTHS, fmt_time
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
BOOKING_SLOTS = ("rdv_motif", "rdv_creneau", "rdv_nom", "rdv_contact", "rdv_confirmation")
MOTIF_VALUES = ("carte_identite", "passeport", "autre", "gestion")
RDV_REFERENCE = re.compile(r"RDV-\d{4}-\d{6}")
EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
MAX_MESSAGE = 2000
MAX_PLACE = 500
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
# What says « no photo », in words: « pas de photo », « j'en ai pas », « non ».
NO_PHOTO = re.compile(
    r"\b(?:pas|sans|aucune?|ni) (?:de |d )?photos?\b|\bphotos?[ ,]*(?:non|pas|aucune)\b"
    r"|\bj (?:en )?ai pas\b|\bje n (?:en )?ai pas\b|^(?:non|nan|no|aucune?|rien|pas besoin|"
    r"pas la peine|non merci)\b"
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
PHOTO_CHANNEL = "socketio"  # only the web chat can send a picture
MOTIF_WORDS = (
    ("gestion", ("annuler", "deplacer", "changer mon rendez vous", "modifier")),
    ("carte_identite", ("carte d identite", "carte d'identite", "identite", "cni")),
    ("passeport", ("passeport", "passport", "pasport")),
    ("autre", ("autre",)),
)
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


def _text(tracker: Tracker) -> str:
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


ORDINALS = {
    "premier": 1, "premiere": 1, "1er": 1, "1ere": 1, "deuxieme": 2, "2eme": 2, "2e": 2,
    "second": 2, "seconde": 2, "troisieme": 3, "3eme": 3, "3e": 3, "quatrieme": 4, "4eme": 4,
    "4e": 4, "cinquieme": 5, "5eme": 5, "5e": 5,
}  # fmt: skip
POLITE_END = r"(?: creneau)?(?: svp| stp| merci| s il vous plait)?"
# « 2 », « n°2 », « le numéro 2 », but not « le 2 »: that is a day of the month.
BUTTON_NUMBER = re.compile(r"(?:(?:le |la )?(?:choix|numero|num|no|n) ?)?(\d{1,2})" + POLITE_END)
BUTTON_ORDINAL = re.compile(r"(?:le |la )?(\w+)" + POLITE_END)


# « le plus tôt possible », « peu importe »: the first slot offered (they are in time order).
EARLIEST = re.compile(
    r"\b(?:le plus tot|au plus tot|des que possible|le plus vite|au plus vite|le plus rapide|"
    r"le premier (?:possible|dispo|disponible|libre)|n importe (?:lequel|quand)|peu importe|"
    r"comme vous voulez|ca m est egal)\b"
)


def offer_number(text: str) -> int | None:
    """« 2 », « le numéro 2 », « le deuxième »: the number of an offered button."""
    folded = fold(text)
    number = BUTTON_NUMBER.fullmatch(folded)
    if number:
        return int(number.group(1))
    ordinal = BUTTON_ORDINAL.fullmatch(folded)
    return ORDINALS.get(ordinal.group(1)) if ordinal else None


def _choice(text: str, table: tuple[tuple[str, tuple[str, ...]], ...]) -> str | None:
    """First value whose word starts a word of the answer ("techniques" matches "technique")."""
    folded = fold(text).replace("'", " ").replace("-", " ")
    for value, words in table:
        for word in words:
            if re.search(rf"\b{re.escape(fold(word).replace(chr(39), ' '))}", folded):
                return value
    return None


def slot_label(start: datetime) -> str:
    """ "jeudi 26 novembre à 9 h", "mardi 1er décembre à 9 h" (what the button says and the
    resident may type back)."""
    day = "1er" if start.day == 1 else str(start.day)
    return (
        f"{DAY_NAMES[start.weekday()]} {day} {MONTHS[start.month - 1]} à {fmt_time(start.time())}"
    )


def equipped_mairie(commune_insee: str | None) -> str:
    """The resident's own mairie if it takes title applications, else the first that does."""
    equipped = territory().mairies_recueil_titres()
    for commune in equipped:
        if commune.insee == commune_insee:
            return commune.insee
    return equipped[0].insee


class _FormValidation:
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
                dispatcher.utter_message(
                    response="utter_formulaire_prerempli", deja=self.noted(found)
                )
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
        """« le motif (carte d'identité) », for « C'est noté : … »."""
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
        return new_subject(tracker.latest_message, self.FORM, slot) is not None

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
        return _yes_said({slot: None, "formulaire_erreurs": float(errors)}, tracker)

    @staticmethod
    def accept(values: dict[str, Any]) -> dict[str, Any]:
        return {**values, "formulaire_erreurs": None, "formulaire_abandon": None}


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


def declines_photo(text: str) -> bool:
    """« pas de photo », « j'en ai pas », « non merci »."""
    return NO_PHOTO.search(fold(text)) is not None


def _yes_said(values: dict[str, Any], tracker: Tracker) -> dict[str, Any]:
    """The short question after « oui » (`formulaire_oui`) is for that next question only."""
    return {**values, "formulaire_oui": None} if tracker.get_slot("formulaire_oui") else values


def _contact_slot(
    form: _FormValidation,
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
        return _yes_said(
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
            return _yes_said(form.accept({slot: "aucun", **settled}), tracker)
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


MESSAGE_WORDS = 4  # an answer to « quel service ? » this long is the message itself

CONTACT_HELP = (
    "La mairie a besoin d'un moyen de vous répondre. Une adresse e-mail contient « @ », par "
    "exemple marie.dupont@exemple.fr. Un numéro de téléphone a 10 chiffres et commence par 0, "
    "par exemple 03 21 00 00 00."
)


def summary(service_name: str | None, message: str | None, contact: str | None) -> str:
    return (
        f"- Service : {SERVICE_LABELS.get(service_name or '', 'autre')}\n"
        f"- Message : {message or ''}\n"
        f"- Pour vous répondre : {contact or ''}"
    )


class ValidateDemandeForm(_FormValidation, FormValidationAction):
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
        chosen = _choice(text, SERVICE_WORDS)
        if chosen:
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
            service = prefill.demande_service(text) or "autre"
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
        result = _contact_slot(self, value, dispatcher, tracker, "demande_contact")
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
    and the opening message has a subject and a contact, else []. The form then takes them
    (ValidateDemandeForm.prefill) and shows the summary.
    """
    slots = dict(tracker.slots)
    slots.update({e["name"]: e.get("value") for e in events if e.get("event") == "slot"})
    if slots.get("sujet") not in AGENT_ANSWERS or slots.get("commune_manquante"):
        return []
    if not slots.get("commune_insee"):
        return []
    found = complete_demande(prefill.opening_texts(tracker.events, "demande_form"))
    if found.get("demande_message") and found.get("demande_contact"):
        return [FollowupAction("demande_form")]
    return []


CONFIRMATION_HELP = (
    "Touchez « Envoyer » pour l'envoyer à la mairie. « Modifier » pour changer une réponse, "
    "par exemple « modifier le lieu ». « Annuler » efface tout : rien n'est envoyé."
)


class ValidateSignalementForm(_FormValidation, FormValidationAction):
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
        found: dict[str, Any] = {}
        for text in self.opening(tracker, self.FORM):
            for slot, read in (
                ("signalement_quoi", prefill.signalement_quoi),
                ("signalement_lieu", prefill.signalement_lieu),
                ("signalement_contact", prefill.contact),
            ):
                if not found.get(slot):
                    found[slot] = read(text)
        return found

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
        return _contact_slot(self, value, dispatcher, tracker, "signalement_contact", optional=True)

    def also_settled(self, text: str, slot: str, tracker: Tracker) -> dict[str, Any]:
        """« pas de photo, joignez-moi au 06… » answers the photo too, where it is asked."""
        asks_photo = tracker.get_latest_input_channel() == PHOTO_CHANNEL
        unanswered = tracker.get_slot("signalement_photo") is None
        if asks_photo and unanswered and "photo" in fold(text) and declines_photo(text):
            return {"signalement_photo": "aucune"}
        return {}


class ValidateRendezVousForm(_FormValidation, FormValidationAction):
    HELP = {
        "rdv_creneau": (
            "Touchez un des créneaux proposés, ou écrivez son numéro : 1 pour le premier, "
            "2 pour le deuxième…"
        ),
        "rdv_contact": CONTACT_HELP,
        "rdv_confirmation": (
            "Touchez « Réserver » pour réserver ce créneau. « Modifier » pour changer une "
            "réponse, par exemple « modifier le créneau ». « Annuler » efface tout : rien n'est "
            "réservé."
        ),
    }

    FORM = "rendez_vous_form"
    CONFIRMATION = "rdv_confirmation"
    RESUME = "rdv_resume"
    FIELDS = (
        ("rdv_motif", ("motif", "demarche", "pour quoi")),
        ("rdv_creneau", ("creneau", "date", "heure", "jour", "horaire", "quand")),
        ("rdv_nom", ("nom",)),
        ("rdv_contact", ("contact", "mail", "e mail", "telephone", "numero", "tel\\b")),
    )

    def prefill(self, tracker: Tracker) -> dict[str, Any]:
        """« un rdv pour ma carte d'identité »: the motif (and a name or contact if given)."""
        found: dict[str, Any] = {}
        for text in self.opening(tracker, self.FORM):
            for slot, read in (
                ("rdv_motif", prefill.rdv_motif),
                ("rdv_nom", prefill.nom),
                ("rdv_contact", prefill.contact),
            ):
                if not found.get(slot):
                    found[slot] = read(text)
        if found.get("rdv_motif") == "gestion":
            # The contact of a booking to cancel must be typed on purpose (no guessing).
            return {"rdv_motif": "gestion"}
        return found

    def noted(self, found: dict[str, Any]) -> str:
        said = []
        if found.get("rdv_motif"):
            said.append(prefill.MOTIF_LABELS[found["rdv_motif"]])
        if found.get("rdv_nom"):
            said.append(f"au nom de {found['rdv_nom']}")
        if found.get("rdv_contact"):
            said.append(f"pour vous joindre : {found['rdv_contact']}")
        return ", ".join(said)

    def resume(self, tracker: Tracker) -> str:
        creneau = tracker.get_slot("rdv_creneau")
        if tracker.get_slot("rdv_motif") == "gestion" or not creneau:
            return ""
        try:
            when = slot_label(datetime.fromisoformat(str(creneau)))
        except ValueError:  # not a slot the form offered: no summary yet
            return ""
        mairie = territory().communes[equipped_mairie(tracker.get_slot("commune_insee"))].nom
        motif = prefill.MOTIF_LABELS.get(tracker.get_slot("rdv_motif") or "", "autre démarche")
        return (
            f"- Pour : {motif}\n"
            f"- Quand : {when}, "
            f"à la mairie {of_place(mairie)}\n"
            f"- Au nom de : {tracker.get_slot('rdv_nom') or ''}\n"
            f"- Pour vous joindre : {tracker.get_slot('rdv_contact') or ''}"
        )

    def start_afresh(self, tracker: Tracker) -> list[EventType]:
        """After « ce créneau vient d'être pris », only the slot is chosen again."""
        if tracker.get_slot("formulaire_resultat") != "pris":
            return super().start_afresh(tracker)
        for name in ("rdv_creneau", "rdv_confirmation"):
            tracker.slots[name] = None
        return [SlotSet("rdv_creneau", None), SlotSet("rdv_confirmation", None)]

    def validate_rdv_confirmation(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self.validate_confirmation(value, dispatcher, tracker)

    def name(self) -> str:
        return "validate_rendez_vous_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """Booking asks motif, slot, name, contact; managing a booking asks reference first."""
        if tracker.get_slot("rdv_motif") != "gestion":
            return list(BOOKING_SLOTS)
        slots = ["rdv_motif", "rdv_reference_saisie", "rdv_contact", "rdv_gestion_choix"]
        if tracker.get_slot("rdv_gestion_choix") == "deplacer":
            slots.append("rdv_creneau")
        return slots

    def validate_rdv_reference_saisie(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "")
        if wants_to_quit(text):
            return self.quit()
        found = RDV_REFERENCE.search(text.upper().replace(" ", ""))
        if found:
            return self.accept({"rdv_reference_saisie": found.group(0)})
        return self.refuse(
            dispatcher,
            tracker,
            "rdv_reference_saisie",
            "Ce numéro ne ressemble pas à un numéro de rendez-vous (RDV-2026-000045).",
        )

    def validate_rdv_gestion_choix(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = fold(str(value or ""))
        if "laisse" in text or "stop" in text:
            return self.quit()
        if "annul" in text:
            return self.accept({"rdv_gestion_choix": "annuler"})
        if any(w in text for w in ("deplac", "chang", "autre creneau", "modifi")):
            return self.accept({"rdv_gestion_choix": "deplacer"})
        return self.refuse(
            dispatcher, tracker, "rdv_gestion_choix", "Répondez « annuler » ou « changer »."
        )

    def validate_rdv_motif(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "")
        if text in MOTIF_VALUES:  # taken from the opening message (prefill.rdv_motif)
            return self.accept({"rdv_motif": text})
        chosen = _choice(text, MOTIF_WORDS)  # before "quit": "annuler un rendez-vous" is a motif
        if chosen:
            return self.accept({"rdv_motif": chosen})
        if wants_to_quit(text) or changed_mind(text):
            return self.quit()
        return self.refuse(
            dispatcher, tracker, "rdv_motif", "Choisissez : carte d'identité, passeport ou autre."
        )

    async def validate_rdv_creneau(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A button, its number, or a day and time in words (« mardi 22 a 9h », « demain »).

        A wished slot that is free is taken. Otherwise nothing is refused: the slot stays empty
        and ActionAskRdvCreneau, reading the same message, says why and offers the nearest ones.
        """
        text = str(value or "").strip()
        if wants_to_quit(text) or changed_mind(text):
            return self.quit()
        offers = json.loads(tracker.get_slot("rdv_propositions") or "[]")
        chosen = None
        now = clock.now()
        wish = creneau.read_wish(text, now)
        index = offer_number(text)
        if EARLIEST.search(fold(text).replace("'", " ")) and wish is None:
            index = 1
        if index is not None and 1 <= index <= len(offers):
            chosen = offers[index - 1][1]
        for label, start in offers:
            if fold(text) in (fold(label), fold(label.replace(" 1er ", " 1 "))):
                chosen = start
        if chosen:
            return self.accept({"rdv_creneau": chosen})
        if "?" in text and wish is None:
            answered = self.answered_here(dispatcher, tracker, "rdv_creneau")
            if answered is not None:
                return answered
        if "?" in text and self.asks_something_else(tracker, "rdv_creneau"):
            return self.interrupt()
        if wish is not None:
            mairie = equipped_mairie(tracker.get_slot("commune_insee"))
            found = await asyncio.to_thread(creneau.answer, wish, mairie, now)
            if found.start is not None:
                return self.accept({"rdv_creneau": found.start.isoformat()})
            return self.accept({"rdv_creneau": None})
        kept = self.name_or_contact_before_the_slot(text, tracker)
        if kept:
            # « Durand Sophie » typed before choosing: kept for later, not refused.
            said = ", ".join(kept.values())
            dispatcher.utter_message(text=f"C'est noté : {said}. Il reste à choisir le créneau.")
            return {"rdv_creneau": None, **kept}
        return self.refuse(
            dispatcher,
            tracker,
            "rdv_creneau",
            "Choisissez un des créneaux proposés, ou écrivez un jour et une heure "
            "(par exemple « mardi 9 h »).",
        )

    @staticmethod
    def name_or_contact_before_the_slot(text: str, tracker: Tracker) -> dict[str, str]:
        """A name written with its capitals, or a phone or an e-mail, given where the slot is
        asked: the later questions of the form need not ask them again."""
        kept: dict[str, str] = {}
        reach = prefill.contact(text)
        if reach and not tracker.get_slot("rdv_contact"):
            kept["rdv_contact"] = reach
        name = prefill.nom_sans_contact(text) if reach else prefill.gives_a_name(text)
        typed_as_a_name = bool(name) and (bool(reach) or all(w[:1].isupper() for w in text.split()))
        if name and typed_as_a_name and not tracker.get_slot("rdv_nom"):
            kept["rdv_nom"] = name
        return kept

    def validate_rdv_nom(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "").strip()
        if wants_to_quit(text):
            return self.quit()
        looks_like_a_question = "?" in text or len(text.split()) > 5
        if looks_like_a_question and self.asks_something_else(tracker, "rdv_nom"):
            return self.interrupt_or_answer(dispatcher, tracker, "rdv_nom")
        if "?" in text:
            answered = self.answered_here(dispatcher, tracker, "rdv_nom")
            if answered is not None:
                return answered
        reach = prefill.contact(text)
        if reach:  # « Martine Dubois 06 22 33 44 55 »: the name, and the contact asked next
            name = prefill.nom_sans_contact(text)
            return self.accept({"rdv_nom": name, "rdv_contact": reach})
        if 2 <= len(text) <= 100 and fold(text).strip(" .!") not in NOT_NAMES:
            return self.accept({"rdv_nom": text})
        return self.refuse(dispatcher, tracker, "rdv_nom", "Écrivez votre nom et votre prénom.")

    def validate_rdv_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return _contact_slot(self, value, dispatcher, tracker, "rdv_contact")


def answers_the_slot(tracker: Tracker, slot: str) -> bool:
    """Was the latest message the answer to the question on `slot`?

    The slot question is also asked right after an opening message (« ma carte expire le 15
    janvier, je voudrais un rdv »), whose dates are no wish: only a message written while
    `slot` was the requested one answers it.
    """
    asked = None
    latest = max((i for i, e in enumerate(tracker.events) if e.get("event") == "user"), default=-1)
    for event in tracker.events[: max(latest, 0)]:
        if event.get("event") == "slot" and event.get("name") == "requested_slot":
            asked = event.get("value")
    return latest >= 0 and asked == slot


class ActionAskRdvCreneau(Action):
    """Offers free slots of the equipped mairie as buttons (they change every time).

    When the resident answered the slot question in words (« mardi 22 a 9h », « jeudi matin »)
    and that did not give a free slot, it says why in one sentence and offers the nearest free
    slots from that day and time; a day alone offers that day's free slots.
    """

    def name(self) -> str:
        return "action_ask_rdv_creneau"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        mairie = equipped_mairie(tracker.get_slot("commune_insee"))
        commune = territory().communes[mairie]
        now = clock.now()
        slots: list[datetime] = []
        wish = None
        if answers_the_slot(tracker, "rdv_creneau"):
            wish = creneau.read_wish(_text(tracker), now)
        if wish is not None:
            found = await asyncio.to_thread(creneau.answer, wish, mairie, now)
            if found.why:
                dispatcher.utter_message(response="utter_formulaire_refus", motif=found.why)
            slots = found.offers
        if not slots:
            slots = await asyncio.to_thread(service.free_slots, mairie, now, creneau.OFFERS)
        if not slots:
            dispatcher.utter_message(
                response="utter_rdv_pas_de_creneau",
                mairie=commune.nom,
                telephone=commune.mairie.telephone,
            )
            return [SlotSet("rdv_propositions", "[]")]
        offers = [(slot_label(s), s.isoformat()) for s in slots]
        dispatcher.utter_message(
            response="utter_ask_rdv_creneau",
            mairie=commune.nom,
            buttons=[{"title": label, "payload": label} for label, _ in offers],
        )
        return [SlotSet("rdv_propositions", json.dumps(offers, ensure_ascii=False))]


def transcript(tracker: Tracker, limit: int = 60) -> str:
    """The conversation as the agent will read it (last `limit` messages)."""
    lines = []
    for event in tracker.events:
        if event.get("event") == "user" and event.get("text"):
            lines.append(f"Habitant : {event['text']}")
        elif event.get("event") == "bot" and event.get("text"):
            lines.append(f"Assistant : {event['text']}")
    return "\n".join(lines[-limit:])


def _contact_fields(contact: str | None) -> tuple[str | None, str | None]:
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


class _SaveAction:
    """Mixin of the three saving actions (not registered itself)."""

    FORM = ""

    async def save(self, tracker: Tracker, now: datetime) -> list[EventType]:
        raise NotImplementedError

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


class ActionEnregistrerDemande(_SaveAction, Action):
    FORM = "demande_form"

    def name(self) -> str:
        return "action_enregistrer_demande"

    async def save(self, tracker: Tracker, now: datetime) -> list[EventType]:
        insee = tracker.get_slot("commune_insee")
        email, phone = _contact_fields(tracker.get_slot("demande_contact"))
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
        return [
            SlotSet("demande_reference", demande.reference),
            SlotSet("demande_accuse", acknowledgement(email, phone, insee, now)),
        ]


class ActionEnregistrerSignalement(_SaveAction, Action):
    FORM = "signalement_form"

    def name(self) -> str:
        return "action_enregistrer_signalement"

    async def save(self, tracker: Tracker, now: datetime) -> list[EventType]:
        insee = tracker.get_slot("commune_insee")
        email, phone = _contact_fields(tracker.get_slot("signalement_contact"))
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
        return [
            SlotSet("demande_reference", signalement.reference),
            SlotSet("demande_accuse", acknowledgement(email, phone, insee, now)),
        ]


class ActionReserverRendezVous(_SaveAction, Action):
    FORM = "rendez_vous_form"

    def name(self) -> str:
        return "action_reserver_rendez_vous"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events = await super().run(dispatcher, tracker, domain)
        if tracker.get_slot("rdv_motif") == "gestion" and not tracker.get_slot(
            "formulaire_abandon"
        ):
            # The result of a cancellation or a move replaces "enregistre".
            choice = tracker.get_slot("rdv_gestion_choix")
            done = {"annuler": "annule", "deplacer": "deplace"}.get(choice)
            events = [
                SlotSet("formulaire_resultat", done)
                if isinstance(e, dict)
                and e.get("name") == "formulaire_resultat"
                and e.get("value") == "enregistre"
                else e
                for e in events
            ]
        return events

    async def save(self, tracker: Tracker, now: datetime) -> list[EventType]:
        if tracker.get_slot("rdv_motif") == "gestion":
            return await self.manage(tracker, now)
        mairie = equipped_mairie(tracker.get_slot("commune_insee"))
        email, phone = _contact_fields(tracker.get_slot("rdv_contact"))
        start = datetime.fromisoformat(str(tracker.get_slot("rdv_creneau")))
        motif = tracker.get_slot("rdv_motif") or "autre"
        rdv = await asyncio.to_thread(
            lambda: service.book(
                mairie, start, tracker.get_slot("rdv_nom") or "", email, phone, motif, now
            )
        )
        pieces = service.pieces_for(motif)
        # Without an email, « Gardez-le » in the response already says to note the number.
        confirmation = f"Une confirmation part à {email}." if email else ""
        return [
            SlotSet("rdv_reference", rdv.reference),
            SlotSet("rdv_quand", slot_label(start)),
            SlotSet("rdv_mairie", of_place(territory().communes[mairie].nom)),
            SlotSet("rdv_pieces", pieces),
            SlotSet("demande_accuse", confirmation),
        ]

    async def manage(self, tracker: Tracker, now: datetime) -> list[EventType]:
        """Cancels or moves a booking; the contact must be the booking's (no guessing)."""
        reference = str(tracker.get_slot("rdv_reference_saisie"))
        contact = str(tracker.get_slot("rdv_contact"))
        if tracker.get_slot("rdv_gestion_choix") == "annuler":
            rdv = await asyncio.to_thread(lambda: service.cancel(reference, contact, now))
        else:
            start = datetime.fromisoformat(str(tracker.get_slot("rdv_creneau")))
            rdv = await asyncio.to_thread(lambda: service.move(reference, contact, start, now))
        return [
            SlotSet("rdv_reference", rdv.reference),
            SlotSet("rdv_quand", slot_label(rdv.start)),
            SlotSet("rdv_mairie", of_place(territory().communes[rdv.mairie_insee].nom)),
        ]
