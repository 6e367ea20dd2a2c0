"""action_repondre_precision: a follow-up question answered against the current topic.

« et la caution c'est combien ? » after the salle des fêtes, « c'est la mairie qui décide ? »
after a tax referral: the answer is the response `utter_precision_<sujet>_<aspect>` of domain.yml
(for orientation, `utter_precision_orientation_<sujet d'orientation>_<aspect>` first). Designers
add a follow-up by adding such a response; the aspects and their words are in aspects.yml.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.commune import COMMUNE_TOPICS, mentioned_commune
from actions.conversation.aspects import candidates, find_aspects
from actions.conversation.context import current_topic, followed_topic
from actions.conversation.lieu_acte import say_told_place
from actions.conversation.opening import (
    WORKED_OUT,
    chosen_variant,
    say,
    say_worked_out,
    uses_slots,
)
from actions.conversation.rassurer import REASSURE, ill_at_ease
from actions.conversation.redirect import replay
from actions.conversation.surface import say_surface
from actions.sujets import GENERAL_TOPICS
from actions.territory.day_answer import COMMUNE_ANSWER
from actions.territory.effectif import head_count_facts
from actions.territory.loader import territory
from actions.territory.matching import territory_matcher
from actions.text import fold

UNKNOWN = "utter_precision_inconnue"
NO_TOPIC = "utter_precision_sans_sujet"
TOLD_PLACE = "lieu_evenement"  # « à la maison » after a death: the place named, not a question
# « c'est la mairie d'où si elle accouche à Arras ? »: where, with a place named, is that place's.
PLACE_ASPECTS = frozenset({TOLD_PLACE, "lieu"})
HOURS = "horaires_mairie"
WHEN = re.compile(r"\b(quand|a quelle heure|quelle heure|quel jour|quels jours|c quand)\b")
# « je les appelle quand ? », « je peux passer quel jour ? » ; not « on peut rester jusqu'à quelle
# heure ? » (the salle's rules).
TO_CALL_OR_COME = re.compile(
    r"\b(appel\w*|telephon\w*|joindre|passer|venir|aller|ouvert\w*|ouvre\w*)\b"
)


def asks_when(text: str) -> bool:
    """When to call or come to the mairie."""
    folded = fold(text).replace("'", " ")
    return WHEN.search(folded) is not None and TO_CALL_OR_COME.search(folded) is not None


def _and_when(topic: str, text: str, variants: list[dict[str, Any]]) -> list[EventType]:
    """« je les appelle quand pour réserver ? » : after « appelez la mairie », when it is open."""
    if topic != HOURS and asks_when(text) and tells_to_call(variants):
        return replay(HOURS, text)
    return []


def tells_to_call(variants: list[dict[str, Any]]) -> bool:
    """Every variant of the answer gives the mairie's phone: « appelez la mairie : … »."""
    return bool(variants) and all("{mairie_telephone}" in str(v.get("text")) for v in variants)


def latest_entities(tracker: Tracker) -> list[dict[str, Any]]:
    return list((tracker.latest_message or {}).get("entities") or [])


def names_commune_for_office(tracker: Tracker) -> bool:
    """No office found yet (no commune), and this follow-up names one of the 26 communes."""
    if tracker.get_slot("organisme_trouve") or tracker.get_slot("commune"):
        return False
    match, _ = mentioned_commune(tracker, territory_matcher())
    return match.commune is not None


class ActionRepondrePrecision(Action):
    def name(self) -> str:
        return "action_repondre_precision"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text = str((tracker.latest_message or {}).get("text") or "")
        topic = followed_topic(latest_entities(tracker)) or current_topic(tracker)
        responses = domain.get("responses") or {}
        subject = tracker.get_slot("orientation_sujet")
        named = find_aspects(text)
        # The first aspect named that the topic answers.
        answered = [
            a
            for a in named
            if topic
            and (
                topic in a.replay_topics
                or any(n in responses for n in candidates(topic, a, subject))
            )
        ]
        # Else the first named that another intent answers (« et l'adresse mail » after the
        # hours: the contact, not the place that « adresse » also names).
        redirected = [a for a in named if a.otherwise]
        aspect = (answered or redirected or named or [None])[0]
        if aspect and topic in aspect.replay_topics:
            return replay(topic, text)
        if aspect and topic:
            for name in candidates(topic, aspect, subject):
                if name not in responses:
                    continue
                if name in WORKED_OUT:
                    say_worked_out(dispatcher, name, text)
                    return [
                        SlotSet("precision_aspect", aspect.name),
                        *_and_when(topic, text, responses[name]),
                    ]
                if (
                    topic in COMMUNE_TOPICS
                    and topic not in GENERAL_TOPICS  # answered without a commune (variants)
                    and topic != "orientation"
                    and not tracker.get_slot("commune")
                    and uses_slots(responses[name])
                ):
                    # The fact depends on the commune: ask it, then give the whole answer. A fact
                    # true everywhere (« elle est périmée depuis 2 ans ») is answered at once.
                    return replay(topic, text)
                if topic == "orientation" and names_commune_for_office(tracker):
                    # « c'est où le plus près de Bapaume ? » before any commune was given: the
                    # commune answers the question pending, and the nearest office is named.
                    return replay(COMMUNE_ANSWER, text, latest_entities(tracker))
                commune = territory().by_name(tracker.get_slot("commune") or "")
                fresh = head_count_facts(topic, commune, text)  # « on sera 120 »
                if fresh:
                    # Rasa would choose the variant with the slots of before this message.
                    values = {**tracker.current_slot_values(), **fresh}
                    variant = chosen_variant(responses[name], values)
                    if variant is not None:
                        say(dispatcher, variant, values)
                    return [
                        SlotSet("precision_aspect", aspect.name),
                        *(SlotSet(slot, value) for slot, value in fresh.items()),
                        *_and_when(topic, text, responses[name]),
                    ]
                place = {aspect.name, aspect.like} & PLACE_ASPECTS
                if not place or not say_told_place(topic, dispatcher, tracker):
                    say_surface(aspect.name, text, tracker.get_slot("travaux"), dispatcher)
                    dispatcher.utter_message(response=name)
                return [
                    SlotSet("precision_aspect", aspect.name),
                    *_and_when(topic, text, responses[name]),
                ]
        if aspect and aspect.otherwise:
            return replay(aspect.otherwise, text)
        if topic and aspect is None:
            # « et pour un mineur ? » : nothing we can name; the topic's own answer is the best bet.
            return replay(topic, text)
        if not topic and ill_at_ease(text):
            dispatcher.utter_message(response=REASSURE)  # « je suis âgée, je comprends pas… »
        else:
            dispatcher.utter_message(response=UNKNOWN if topic else NO_TOPIC)
        return [SlotSet("precision_aspect", aspect.name if aspect else None)]
