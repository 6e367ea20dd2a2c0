"""action_orienter: the online route for a subject the mairie does not handle, then its office."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.commune import only_changes, prepare_events
from actions.conversation.condoleances import comfort_first
from actions.orientation.subjects import SUBJECTS, named_subject
from actions.territory.matching import territory_matcher
from actions.text import fold

RETRIEVAL_INTENT = "orientation"
# « les voisins font la fête jusqu'à 4 h », « le coq chante à 5 h », « la tondeuse le dimanche ».
NOISE = re.compile(
    r"\b(bruit|bruits|bruyant\w*|tapage\w*|aboi\w*|aboy\w*|musique|sono|font la fete|"
    r"fait la fete|faire la fete|fetes? jusqu|hurl\w*|crient|coq|tondeuse|tond|perceuse)\b"
)


@dataclass(frozen=True)
class Case:
    """A case of a subject the message names, with its own response (slot `orientation_cas`:
    its follow-ups answer for that case)."""

    name: str
    words: re.Pattern[str]
    response: str
    instead: bool = False  # said instead of the subject's answer, not before it


GENDARMERIE_WHERE = re.compile(
    r"\bgendarmerie\b.{0,30}\b(plus proche|plus pres|est ou|c.est ou)\b"
    r"|\b(ou est|ou se trouve|c.est ou|c ou)\b.{0,20}\bgendarmerie\b"
)


CASES: dict[str, tuple[Case, ...]] = {
    "justice": (
        # « mon voisin fait du bruit tous les soirs »: the steps for noise before the point-justice.
        Case("bruit", NOISE, "utter_orientation_bruit"),
        # « un extrait de casier judiciaire » : the online request, before the point-justice.
        Case("casier", re.compile(r"\bcasier\b"), "utter_orientation_casier"),
    ),
    # « ma voiture a été mise en fourrière » (DIET: a complaint): how to get it back, not how
    # to complain; the office stays the gendarmerie.
    "plainte": (
        Case("fourriere", re.compile(r"\bfourrieres?\b"), "utter_orientation_fourriere", True),
        # « c'est où la gendarmerie la plus proche ? » (after a procuration): the office alone.
        Case("ou", GENDARMERIE_WHERE, "utter_orientation_gendarmerie_ou", True),
    ),
}
# Responses this action chooses itself; Rasa's validator cannot see them used in a rule.
DISPATCHED_RESPONSES = (
    "utter_orientation",
    "utter_orientation_inconnue",
    *(case.response for cases in CASES.values() for case in cases),
)


def case_of(subject: str, text: str) -> Case | None:
    return next((c for c in CASES.get(subject, ()) if c.words.search(text)), None)


# A job seeker aged 16 to 25 (« ma fille de 18 ans cherche du travail », « il a arrêté ses
# études ») is first the mission locale's, not only France Travail's.
YOUNG = re.compile(
    r"\b((1[6-9]|2[0-5]) ?ans|jeune|jeunes|arrete (ses|mes|les) etudes|quitte l ecole|"
    r"sans diplome|decroch\w*|apprenti\w*|alternance)\b"
)


NAMES_FRANCE_TRAVAIL = re.compile(r"\b(france travail|pole emploi)\b")


def for_the_young(subject: str, text: str) -> str:
    return "jeunes" if subject == "emploi" and YOUNG.search(fold(text)) else subject


def asked_subject(tracker: Tracker) -> str | None:
    """The subject of this turn: a button's entity first, then the response selector's choice."""
    message = tracker.latest_message or {}
    for entity in message.get("entities") or []:
        if entity.get("entity") == "orientation_sujet" and entity.get("value") in SUBJECTS:
            return str(entity["value"])
    selector = (message.get("response_selector") or {}).get(RETRIEVAL_INTENT) or {}
    key = str((selector.get("response") or {}).get("intent_response_key") or "")
    subject = key.partition("/")[2]
    if subject in SUBJECTS:
        text = str(message.get("text") or "")
        # « pension de réversion » read as the young's: the words say the subject for sure,
        # the office too (« mon fils a 18 ans il veut s'inscrire à France Travail »).
        named = named_subject(text)
        if named == "emploi" and not NAMES_FRANCE_TRAVAIL.search(fold(text)):
            return for_the_young(named, text)  # « ma fille de 18 ans cherche du travail »
        return named or for_the_young(subject, text)
    previous = tracker.get_slot("orientation_sujet")
    return previous if previous in SUBJECTS else None


class ActionOrienter(Action):
    """Why an action and not only the retrieval response: the office depends on the commune,
    and a "Vouliez-vous dire" button names its subject by entity, without the response selector.
    """

    def name(self) -> str:
        return "action_orienter"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        subject = asked_subject(tracker)
        if subject is None:
            dispatcher.utter_message(response="utter_orientation_inconnue")
            return [
                SlotSet("orientation_sujet", None),
                SlotSet("sujet", None),
                SlotSet("commune_manquante", False),
            ]
        # « mon mari est mort, et la réversion ? »: the loss is heard before the pension office.
        comfort_first(dispatcher, tracker, territory_matcher(), {})
        case = case_of(subject, fold(str((tracker.latest_message or {}).get("text") or "")))
        if case:
            dispatcher.utter_message(response=case.response)
        if not (case and case.instead):
            # The online route comes at once, even before the commune is known.
            dispatcher.utter_message(response=f"utter_{RETRIEVAL_INTENT}/{subject}")
        return only_changes(
            tracker,
            [
                SlotSet("orientation_sujet", subject),
                SlotSet("orientation_cas", case.name if case else None),
                *prepare_events(tracker, RETRIEVAL_INTENT, subject),
            ],
        )
