"""action_reponse_generale: the resident will not give a commune; the general answer still helps.

« non » to « Dans quelle commune habitez-vous ? » must not leave the resident with nothing: the
national part of the pending topic (its `utter_<sujet>` and `utter_<sujet>_pieces` responses) is
given, unless it was given already before the question, then a word on what needs the commune.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation.context import current_topic

CLOSING = "utter_sans_commune"


def general_answer(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
) -> list[EventType]:
    """The topic's main answer again (where to go, whatever the commune), its documents if not
    said yet, then what needs the commune."""
    topic = tracker.get_slot("sujet_en_attente") or current_topic(tracker)
    responses = domain.get("responses") or {}
    names = [f"utter_{topic}"]
    if not tracker.get_slot("partie_nationale_dite"):
        names.append(f"utter_{topic}_pieces")
    for name in names if topic else []:
        if name in responses:
            dispatcher.utter_message(response=name)
    dispatcher.utter_message(response=CLOSING)
    return [SlotSet("commune_manquante", False)]


class ActionReponseGenerale(Action):
    def name(self) -> str:
        return "action_reponse_generale"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        return general_answer(dispatcher, tracker, domain)
