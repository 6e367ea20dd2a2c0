"""action_chercher_document and action_joindre_document: find a document in the GED, send it.

The GED is reached through actions/documents/config.get_store() (embedded index or Mayan). A
document goes out as a signed, expiring link to Tchatche's own web server, never to the GED, with
its title, type, date and size; channels that can attach files read the `custom.document` part.
Élus-only documents go only to an élu of that commune, proven by a signed token in the message
metadata (`customData.elu_token`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlparse

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import clock
from actions.commune import prepare_events
from actions.conversation.context import latest_intent, topic_before_this_message
from actions.documents import elus, links
from actions.documents.config import get_store
from actions.documents.conseil import asks_next_council, next_seance
from actions.documents.model import Document, GedUnavailable, SearchQuery
from actions.documents.request import (
    DocumentAnswer,
    DocumentRequest,
    asks_the_one_before,
    find_documents,
    names_a_kind,
    understand,
)
from actions.documents.sent import last_document
from actions.territory.holidays import holiday_name
from actions.territory.hours import DAY_NAMES, MONTHS
from actions.territory.loader import territory
from actions.text import elide, of_place

log = logging.getLogger(__name__)

# Responses these actions choose themselves; Rasa's validator cannot see them used in a rule.
DISPATCHED_RESPONSES = (
    "utter_document_envoye",
    "utter_document_pas_a_jour",
    "utter_document_indisponible_court",
    "utter_collecte_ferie_sans",
    "utter_collecte_ferie_maintenue",
    "utter_collecte_jour_ordinaire",
    "utter_chercher_document_conseil_date",
    "utter_chercher_document_conseil_inconnu",
    "utter_document_pas_plus_ancien",
    "utter_document_precedent_inconnu",
)
TYPE_LABELS = {
    "compte_rendu": "Séance du conseil municipal",  # procès-verbal ou liste des délibérations
    "arrete": "Arrêté du maire",
    "formulaire": "Formulaire",
    "menu_cantine": "Menu de la cantine",
    "calendrier_collecte": "Calendrier de collecte des déchets",
    "bulletin": "Bulletin municipal",
    "reglement": "Règlement",
    "urbanisme": "Document d'urbanisme",
    "convocation": "Convocation au conseil municipal",
    "deliberation": "Projet de délibération",
}
DATED_TYPES = ("menu_cantine", "calendrier_collecte")
MAX_CHOICES = 3
GED_TIMEOUT = 8.0  # seconds; the backends time out sooner, this guards the conversation
# What a topic of action_preparer_reponse attaches (action_joindre_document): words that
# request.understand reads as the document wanted.
TOPIC_REQUESTS = {
    "menu_cantine": "menu de la cantine",
    "collecte_dechets": "calendrier de collecte",
    "salle_des_fetes": "formulaire salle des fêtes",
}


def french_date(day: date) -> str:
    return f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]} {day.year}"


def french_range(first: date, last: date) -> str:
    """« du 3 au 12 mars 2026 », « du 28 février au 12 mars 2026 », « du 28 décembre 2026 au
    3 janvier 2027 »: the month and the year said once when both dates share them."""
    start = french_date(first)
    if first.year == last.year:
        start = start.removesuffix(f" {first.year}")
        if first.month == last.month:
            start = start.removesuffix(f" {MONTHS[first.month - 1]}")
    return f"du {start} au {french_date(last)}"


def french_period(first: date, last: date) -> str:
    """A period as a person says it: « le 3 mars 2026 », « mars 2026 », « 2026 », « du 3 au
    12 mars 2026 »."""
    if first == last:
        return f"le {french_date(first)}"
    next_day = last + timedelta(days=1)
    if first.day == 1 and next_day.day == 1:  # whole months
        if first.month == 1 and next_day.month == 1 and next_day.year == first.year + 1:
            return str(first.year)
        if (first.year, first.month) == (last.year, last.month):
            return f"{MONTHS[first.month - 1]} {first.year}"
    return french_range(first, last)


def french_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} Mo".replace(".", ",")
    return f"{max(1, round(size / 1024))} Ko"


def _when(doc: Document) -> str:
    """Menus and calendriers are read by the period they cover, the rest by their date."""
    if doc.valid_from and doc.valid_until and doc.valid_from != doc.valid_until:
        return f"valable {french_range(doc.valid_from, doc.valid_until)}"
    if doc.valid_from and doc.valid_until:
        return f"valable le {french_date(doc.valid_from)}"
    return french_date(doc.date)


def send_document(dispatcher: CollectingDispatcher, doc: Document) -> None:
    """One message per document: the words in the domain, the link signed for 24 hours."""
    link = links.make_link(doc.id)
    kind = TYPE_LABELS.get(doc.doc_type, "Document")
    when = _when(doc)
    details = {
        "titre": doc.title,
        "type_document": kind,
        "date_document": when,
        "taille": french_size(doc.size),
        "lien": link,
    }
    dispatcher.utter_message(
        response="utter_document_envoye",
        json_message={
            "document": {
                "url": link,
                "titre": doc.title,
                "type": kind,
                "date": doc.date.isoformat(),
                "quand": when,  # as the message said it: sent again, it says the same
                "taille": french_size(doc.size),
                "format": "PDF" if doc.mime == "application/pdf" else doc.mime,
            }
        },
        **details,
    )


def metadata_elu(tracker: Tracker) -> elus.Elu | None:
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    custom = metadata.get("customData")
    token = custom.get("elu_token") if isinstance(custom, dict) else None
    return elus.verify(token) if token else None


def allowed(doc: Document, elu: elus.Elu | None) -> bool:
    """Public documents for all; élus documents only for an élu of one of the doc's communes."""
    if doc.audience == "public":
        return True
    return elu is not None and (not doc.communes or elu.commune_insee in doc.communes)


async def _in_thread(function: Any, *args: Any) -> Any:
    """GED calls block (SQLite, HTTP): run them off the event loop, with a hard time limit."""
    try:
        return await asyncio.wait_for(asyncio.to_thread(function, *args), GED_TIMEOUT)
    except asyncio.TimeoutError as exc:
        raise GedUnavailable("délai dépassé") from exc


async def _find(
    request: DocumentRequest, insee: str | None, audiences: tuple[str, ...]
) -> DocumentAnswer:
    return await _in_thread(find_documents, get_store(), request, insee, audiences, 10)


async def _get(doc_id: str) -> Document | None:
    return await _in_thread(get_store().get, doc_id)


def _period_label(request: DocumentRequest, kind: str) -> str:
    """What follows « pour » in « Je n'ai pas de menu de la cantine pour … »: « mars 2026 »,
    « 2026 », « le 3 mars 2026 », « la semaine du 23 au 29 novembre 2026 », « la période du 3 au
    12 mars 2026 »."""
    first = request.day or request.date_from
    if first is None:
        return "cette période"
    last = request.date_to if request.day is None and request.date_to else first
    if kind == "menu_cantine" and request.day is None and (last - first).days < 7:
        monday = first - timedelta(days=first.weekday())  # a menu is the week's
        return f"la semaine du {french_date(monday)}"
    said = french_period(first, last)
    if not said.startswith("du "):
        return said
    if first.weekday() == 0 and last == first + timedelta(days=6):
        return f"la semaine {said}"
    return f"la période {said}"


def _send_answer(
    dispatcher: CollectingDispatcher,
    request: DocumentRequest,
    documents: list[Document],
    covers_date: bool,
) -> None:
    kind = request.doc_types[0] if request.doc_types else ""
    if not covers_date:
        label = TYPE_LABELS.get(kind, "document").lower()
        dispatcher.utter_message(
            response="utter_document_pas_a_jour",
            type_document=label,
            # « d'arrêté du maire », « de menu de la cantine »: for « Je n'ai pas
            # {de_type_document} pour {periode}. » (« pas de arrêté » is not French).
            de_type_document=elide("de", label),
            periode=_period_label(request, kind),
        )
    send_document(dispatcher, documents[0])


def _entities(tracker: Tracker) -> dict[str, str]:
    message = tracker.latest_message or {}
    return {
        str(e.get("entity")): str(e.get("value"))
        for e in message.get("entities") or []
        if e.get("value") is not None
    }


def _request_text(tracker: Tracker) -> str:
    """This turn's words, or the stored request when this turn only gave the commune."""
    message = tracker.latest_message or {}
    text = str(message.get("text") or "")
    if latest_intent(tracker) == "chercher_document" and not text.startswith("/"):
        # « oui le pdf svp » after the salle des fêtes: the words of the salle's document.
        # Imported here: oui_non sends documents again, with this module's own helpers.
        from actions.conversation.oui_non import topic_documents

        topic_words = topic_documents().get(topic_before_this_message(tracker) or "")
        return f"{text} {topic_words}" if topic_words and not names_a_kind(text) else text
    return str(tracker.get_slot("demande_document") or "")


def _kind_sent(tracker: Tracker) -> str:
    """The kind (doc_type) of the last document sent in the conversation, or ""."""
    custom = last_document(tracker)
    label = str(((custom or {}).get("document") or {}).get("type") or "")
    return next((kind for kind, name in TYPE_LABELS.items() if name == label), "")


class ActionChercherDocument(Action):
    def name(self) -> str:
        return "action_chercher_document"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text = _request_text(tracker)
        entities = _entities(tracker)
        events = prepare_events(tracker, "chercher_document")
        slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
        if slots.get("commune_manquante"):
            return [
                *events,
                SlotSet("demande_document", text or None),
                SlotSet("document_resultat", None),
            ]
        insee = slots.get("commune_insee") or tracker.get_slot("commune_insee")
        elu = metadata_elu(tracker)
        if asks_the_one_before(text) and last_document(tracker) is not None:
            try:
                before = await self._one_before(tracker, insee, elu)
            except GedUnavailable as exc:
                log.warning("Document précédent introuvable : %s", exc)
                dispatcher.utter_message(response="utter_document_indisponible_court")
            except (links.TamperedLink, links.ExpiredLink) as exc:
                # The link of the document sent no longer says which it was: no « none older ».
                log.warning("Document précédent introuvable : %s", exc)
                dispatcher.utter_message(response="utter_document_precedent_inconnu")
            else:
                if before is None:
                    dispatcher.utter_message(response="utter_document_pas_plus_ancien")
                else:
                    send_document(dispatcher, before)
            return [*events, SlotSet("document_resultat", "envoye")]
        if asks_next_council(text):
            commune = str(slots.get("commune") or tracker.get_slot("commune") or "")
            await self._next_council(dispatcher, insee, commune)
            return [*events, SlotSet("document_resultat", "envoye")]
        request = understand(text, clock.now().date())
        sent_kind = _kind_sent(tracker) if not request.doc_types and request.explicit_period else ""
        if sent_kind:
            # « et celui de la semaine prochaine ? » after a menu: that kind, for that period.
            request = understand(f"{text} {TYPE_LABELS[sent_kind]}", clock.now().date())
        kind = request.doc_types[0] if request.doc_types else ""
        described = TYPE_LABELS[kind].lower() if kind else "document demandé"
        events += [SlotSet("demande_document", None), SlotSet("document_cherche", described)]
        audiences = ("public", "elus") if elu else ("public",)
        try:
            if "document_id" in entities:
                doc = await _get(entities["document_id"])
                return events + self._send_chosen(dispatcher, doc, elu)
            if not request.doc_types and not request.text:
                return [*events, SlotSet("document_resultat", "quel_type")]
            answer = await _find(request, insee, audiences)
            found = [d for d in answer.documents if allowed(d, elu)]
            if not found:
                reserved = await _find(request, insee, ("elus",))
                result = "reserve" if reserved.documents and elu is None else "aucun"
                return [*events, SlotSet("document_resultat", result)]
        except GedUnavailable as exc:
            log.warning("GED indisponible : %s", exc)
            return [*events, SlotSet("document_resultat", "indisponible")]
        dated = kind in DATED_TYPES
        if len(found) == 1 or request.latest or request.explicit_period or dated:
            _send_answer(dispatcher, request, found, answer.covers_date)
            return [*events, SlotSet("document_resultat", "envoye")]
        return events + self._choices(found[:MAX_CHOICES])

    @staticmethod
    async def _one_before(
        tracker: Tracker, insee: str | None, elu: elus.Elu | None
    ) -> Document | None:
        """The document of the same kind just older than the last one sent (« et celui
        d'avant ? » after the minutes of the last council); None when there is none.

        Raises GedUnavailable, or the link's own errors when the link sent has expired (after
        24 hours) and no longer says which document it was: then no one can tell."""
        custom = last_document(tracker)
        if custom is None:
            return None
        token = urlparse(str(custom["document"].get("url") or "")).path.rsplit("/", 1)[-1]
        shown = await _get(links.verify(token))
        if shown is None:
            return None
        query = SearchQuery(
            commune_insee=insee or (shown.communes[0] if shown.communes else None),
            doc_types=(shown.doc_type,),
            date_to=shown.date - timedelta(days=1),
            audiences=("public", "elus") if elu else ("public",),
            limit=20,
        )
        older = await _in_thread(get_store().search, query)
        older = [d for d in older if d.date < shown.date and allowed(d, elu)]
        return max(older, key=lambda d: d.date, default=None)

    @staticmethod
    async def _next_council(
        dispatcher: CollectingDispatcher, insee: str | None, commune: str
    ) -> None:
        """The séance's date when a convocation gives it, else the rule; never the document,
        which is for the councillors."""
        today = clock.now().date()
        try:
            day = await _in_thread(next_seance, get_store(), insee, today)
        except GedUnavailable as exc:  # the rule still answers
            log.warning("GED indisponible : %s", exc)
            day = None
        where = of_place(commune) if commune else ""
        if day is None:
            dispatcher.utter_message(
                response="utter_chercher_document_conseil_inconnu", de_commune=where
            )
            return
        dispatcher.utter_message(
            response="utter_chercher_document_conseil_date",
            de_commune=where,
            jour=f"{DAY_NAMES[day.weekday()]} {french_date(day)}",
        )

    @staticmethod
    def _send_chosen(
        dispatcher: CollectingDispatcher, doc: Document | None, elu: elus.Elu | None
    ) -> list[EventType]:
        if doc is None:
            return [SlotSet("document_resultat", "aucun")]
        if not allowed(doc, elu):
            return [SlotSet("document_resultat", "reserve")]
        send_document(dispatcher, doc)
        return [SlotSet("document_resultat", "envoye")]

    @staticmethod
    def _choices(docs: list[Document]) -> list[EventType]:
        events: list[EventType] = [
            SlotSet("document_resultat", "choix"),
            SlotSet("document_choix_nombre", str(len(docs))),
        ]
        for i in range(MAX_CHOICES):
            doc = docs[i] if i < len(docs) else None
            events += [
                SlotSet(f"document_choix_{i + 1}", doc.title if doc else None),
                SlotSet(
                    f"document_choix_{i + 1}_payload",
                    f'/chercher_document{{"document_id": "{doc.id}"}}' if doc else None,
                ),
            ]
        return events


class ActionJoindreDocument(Action):
    """Adds the useful document to a topic's answer: this week's menu, the calendrier, the form.

    Sends messages only (no slots), so the topic's rule goes on with its next response.
    """

    def name(self) -> str:
        return "action_joindre_document"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        topic = tracker.get_slot("sujet")
        insee = tracker.get_slot("commune_insee")
        if topic not in TOPIC_REQUESTS or not insee:
            return []
        if topic == "menu_cantine" and tracker.get_slot("ecole_existe") is False:
            return []
        message = tracker.latest_message or {}
        said = str(message.get("text") or "")
        today = clock.now().date()
        request = understand(f"{said} {TOPIC_REQUESTS[topic]}", today)
        day_asked = request.day
        if topic != "salle_des_fetes":
            request = dataclasses.replace(request, text="")  # the date chooses, not the words
        else:
            request = understand(TOPIC_REQUESTS[topic], today)
        # A day already answered from the commune's data (slot jour_demande) is not said twice.
        if (
            topic == "collecte_dechets"
            and day_asked is not None
            and not tracker.get_slot("jour_demande")
        ):
            self._holiday_rule(dispatcher, day_asked)
        try:
            answer = await _find(request, insee, ("public",))
        except GedUnavailable as exc:
            log.warning("GED indisponible : %s", exc)
            dispatcher.utter_message(response="utter_document_indisponible_court")
            return []
        found = [d for d in answer.documents if d.audience == "public"]
        if found:
            _send_answer(dispatcher, request, found, answer.covers_date)
        return []

    @staticmethod
    def _holiday_rule(dispatcher: CollectingDispatcher, day: date) -> None:
        """ "Les poubelles passent-elles le 14 juillet ?" answered from the territory's rule."""
        waste = territory().dechets
        name = holiday_name(day)
        label = french_date(day)
        if name is None:
            dispatcher.utter_message(response="utter_collecte_jour_ordinaire", jour=label)
        elif name in waste.jours_feries_sans_collecte:
            dispatcher.utter_message(
                response="utter_collecte_ferie_sans",
                jour=label,
                ferie=name,
                report=waste.report or "renseignez-vous auprès du syndicat",
            )
        else:
            dispatcher.utter_message(
                response="utter_collecte_ferie_maintenue", jour=label, ferie=name
            )
