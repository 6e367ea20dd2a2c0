"""An aspect asked in the very question that opens a topic, answered before the topic's answer.

« c'est combien le repas à la cantine de Bapaume ? » opens `menu_cantine`: the menu alone would
miss the question. When `aspects.yml` lists the topic under `des_la_question` for the aspect the
question names, its follow-up response (`utter_precision_<sujet>_<aspect>`) comes first, then the
topic's usual answer (its rule is unchanged, so nothing is retrained).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation.aspects import find_aspects
from actions.conversation.context import intent_of, user_events
from actions.territory.day_answer import COMMUNE_ANSWER

PREFIX = "utter_precision_"
EARLIER = 3  # user messages looked back for the question a commune answers


def opening_question(tracker: Tracker, topic: str) -> str:
    """This message if it asks the topic; after « Dans quelle commune ? », the question before."""
    for event in user_events(tracker)[:EARLIER]:
        intent = intent_of(event)
        if intent == topic:
            return str(event.get("text") or "")
        if intent != COMMUNE_ANSWER:
            return ""
    return ""


def aspect_first(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    slots: dict[str, Any],
    domain: dict[str, Any],
) -> None:
    """`slots`: the values this answer is about to set (the commune's facts), used to fill the
    response now, before Rasa applies them."""
    topic = slots.get("sujet")
    if not topic or slots.get("commune_manquante"):
        return
    text = opening_question(tracker, str(topic))
    responses = domain.get("responses") or {}
    for aspect in find_aspects(text) if text else []:
        name = f"{PREFIX}{topic}_{aspect.name}"
        # A variant chosen by a slot this very answer sets (salle_existe…) would be chosen by
        # Rasa on the slots of before: such responses wait for a follow-up.
        conditional = any(v.get("condition") for v in responses.get(name) or [])
        if topic in aspect.opening_topics and name in responses and not conditional:
            values = {**tracker.current_slot_values(), **slots}
            dispatcher.utter_message(response=name, **values)
            return
