"""The appointment for an identity card or a passport (rendez_vous_form): the slots offered,
the answers checked, and the booking made, moved or cancelled."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import datetime
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import clock
from actions.demandes import creneau, prefill, service
from actions.demandes.formulaire import (
    CONTACT_HELP,
    NOT_NAMES,
    FormValidation,
    SaveAction,
    changed_mind,
    choice,
    contact_fields,
    contact_slot,
    latest_text,
    wants_to_quit,
)
from actions.territory.hours import DAY_NAMES, MONTHS, fmt_time
from actions.territory.loader import territory
from actions.text import fold, of_place

BOOKING_SLOTS = ("rdv_motif", "rdv_creneau", "rdv_nom", "rdv_contact", "rdv_confirmation")
MOTIF_VALUES = ("carte_identite", "passeport", "autre", "gestion")
RDV_REFERENCE = re.compile(r"RDV-\d{4}-\d{6}")
MOTIF_WORDS = (
    ("gestion", ("annuler", "deplacer", "changer mon rendez vous", "modifier")),
    ("carte_identite", ("carte d identite", "carte d'identite", "identite", "cni")),
    ("passeport", ("passeport", "passport", "pasport")),
    ("autre", ("autre",)),
)


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


# « le premier créneau du matin ça me va », « la deuxième heure »: a slot among those offered,
# not a day of the month (« le premier » alone is the 1st).
OFFER_BY_RANK = re.compile(
    r"\b(?:le|la) (premier|premiere|1er|1ere|deuxieme|2eme|second|seconde|troisieme|3eme|"
    r"dernier|derniere) (?:creneau|rdv|rendez vous|horaire|heure|propos\w*)\b"
)


def offer_by_rank(text: str, offers: list[tuple[str, str]]) -> str | None:
    """The offered slot a rank names, within the part of the day said (« du matin »)."""
    match = OFFER_BY_RANK.search(fold(text).replace("'", " "))
    if not match or not offers:
        return None
    part = creneau.read_part(text)
    starts = [start for _, start in offers]
    if part:
        starts = [s for s in starts if creneau.in_part(datetime.fromisoformat(s), part)]
    if not starts:
        return None
    rank = match.group(1)
    index = len(starts) if rank.startswith("dernier") else ORDINALS[rank]
    return starts[index - 1] if index <= len(starts) else None


# In the opening message, a weekday or « demain » is a wish; a date near « expire » or « je pars »
# says when the card ends or the journey starts (« ma carte expire le 15 janvier »).
WISHED_DAY = re.compile(r"\b(lundi|mardi|mercredi|jeudi|vendredi|samedi|demain)\b")
NOT_A_WISH = re.compile(r"\b(expir\w*|perim\w*|valable|pars|part|partons|depart|voyage\w*)\b")


def wishes_a_day(text: str) -> bool:
    folded = fold(text).replace("'", " ")
    return bool(WISHED_DAY.search(folded)) and not NOT_A_WISH.search(folded)


def offer_number(text: str) -> int | None:
    """« 2 », « le numéro 2 », « le deuxième »: the number of an offered button."""
    folded = fold(text)
    number = BUTTON_NUMBER.fullmatch(folded)
    if number:
        return int(number.group(1))
    ordinal = BUTTON_ORDINAL.fullmatch(folded)
    return ORDINALS.get(ordinal.group(1)) if ordinal else None


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


def motif_annonce(tracker: Tracker, events: list[EventType]) -> list[EventType]:
    """`rdv_motif` set to « gestion » before the booking's opening words are said.

    « j'ai un rdv mais je peux pas venir » opens the form to cancel or move a booking: the
    response `utter_prendre_rendez_vous_commune` has its own wording for it (a condition on
    this slot) instead of « Je peux réserver votre rendez-vous… ». For the action that answers
    `prendre_rendez_vous` (action_preparer_reponse), with the events it is about to return.
    """
    slots = dict(tracker.slots)
    slots.update({e["name"]: e.get("value") for e in events if e.get("event") == "slot"})
    if slots.get("sujet") != "prendre_rendez_vous" or slots.get("commune_manquante"):
        return []
    texts = prefill.opening_texts(tracker.events, "rendez_vous_form")
    gestion = any(prefill.rdv_motif(text) == "gestion" for text in texts)
    motif = "gestion" if gestion else None
    return [] if slots.get("rdv_motif") == motif else [SlotSet("rdv_motif", motif)]


class ValidateRendezVousForm(FormValidation, FormValidationAction):
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
        found = self.read_opening(
            tracker,
            (
                ("rdv_motif", prefill.rdv_motif),
                ("rdv_nom", prefill.nom),
                ("rdv_contact", prefill.contact),
            ),
        )
        if found.get("rdv_motif") == "gestion":
            # The contact of a booking to cancel must be typed on purpose (no guessing).
            return {"rdv_motif": "gestion"}
        return found

    def noted(self, found: dict[str, Any]) -> str:
        if found.get("rdv_motif") == "gestion":
            return ""  # the opening words said it (utter_prendre_rendez_vous_commune)
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
        chosen = choice(text, MOTIF_WORDS)  # before "quit": "annuler un rendez-vous" is a motif
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
        # « 9h20 c'est parfait. Je suis Marie Dufour, 06 … »: the slot, and the form's next answers.
        details = self.name_or_contact_before_the_slot(text, tracker)
        ranked = offer_by_rank(text, offers)
        if ranked:
            return self.accept({"rdv_creneau": ranked, **details})
        wish = creneau.read_wish(text, now)
        index = offer_number(text)
        if EARLIEST.search(fold(text).replace("'", " ")) and wish is None:
            index = 1
        if index is not None and 1 <= index <= len(offers):
            chosen = offers[index - 1][1]
        for label, start in offers:
            if fold(text) in (fold(label), fold(label.replace(" 1er ", " 1 "))):
                chosen = start
            # « 10h ça m'irait » after Wednesday's slots: that time among those offered.
            offered_at = datetime.fromisoformat(start).time()
            if chosen is None and wish and not wish.days and wish.at == offered_at:
                chosen = start
                dispatcher.utter_message(text=f"C'est noté : {label}.")
        if chosen:
            return self.accept({"rdv_creneau": chosen, **details})
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
                # « 10h ça m'irait »: the slot understood from words is said back before the name.
                dispatcher.utter_message(text=f"C'est noté : {slot_label(found.start)}.")
                return self.accept({"rdv_creneau": found.start.isoformat(), **details})
            return self.accept({"rdv_creneau": None})
        if details:
            # « Durand Sophie » typed before choosing: kept for later, not refused.
            said = ", ".join(details.values())
            dispatcher.utter_message(text=f"C'est noté : {said}. Il reste à choisir le créneau.")
            return {"rdv_creneau": None, **details}
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
        words = prefill.without_contact(text).split()
        looks_like_a_question = "?" in text or len(words) > 5
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
        return contact_slot(self, value, dispatcher, tracker, "rdv_contact")


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
        # « … pour refaire mon passeport, mercredi matin si possible »: a day wished in the
        # message that opened the form (no slot offered yet) is heard as an answer.
        opening = tracker.get_slot("rdv_propositions") is None and wishes_a_day(
            latest_text(tracker)
        )
        if answers_the_slot(tracker, "rdv_creneau") or opening:
            wish = creneau.read_wish(latest_text(tracker), now)
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


class ActionReserverRendezVous(SaveAction, Action):
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
            gestion = tracker.get_slot("rdv_gestion_choix")
            done = {"annuler": "annule", "deplacer": "deplace"}.get(gestion)
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
        email, phone = contact_fields(tracker.get_slot("rdv_contact"))
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
