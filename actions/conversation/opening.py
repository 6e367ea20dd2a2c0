"""An aspect asked in the very question that opens a topic, answered before the topic's answer.

« c'est combien le repas à la cantine de Bapaume ? » opens `menu_cantine`: the menu alone would
miss the question. When `aspects.yml` lists the topic under `des_la_question` for the aspect the
question names, its follow-up response (`utter_precision_<sujet>_<aspect>`) comes first, then the
topic's usual answer (its rule is unchanged, so nothing is retrained).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import clock
from actions.conversation import ferie, recensement
from actions.conversation.aspects import Aspect, aspects, find_aspects, topic_answer
from actions.conversation.context import intent_of, topic_before_this_message, user_events
from actions.conversation.surface import say_surface
from actions.territory.day_answer import COMMUNE_ANSWER
from actions.text import fold

NATIONAL = "_national"  # sujet while the commune is asked: the national part is said first
URL = re.compile(r"https?://\S+")
SOURCES_HEAD = ("Source officielle", "Sources officielles")
FIGURE = re.compile(r"\d+(?:,\d+)?")
SLOT_IN_TEXT = re.compile(r"\{(\w+)\}")
EARLIER = 3  # user messages looked back for the question a commune answers
ASPECT_SLOT = "precision_aspect"
# Responses whose variant and values are worked out from the message and today's date, not from
# slots: « il est né le 12 mars 2011 » after the recensement, « et si c'est férié ? » after the
# bins (the territory's holiday rule, the next holiday).
WORKED_OUT: dict[str, Callable[[str, date], tuple[str, dict[str, str]]]] = {
    recensement.RESPONSE: recensement.census_answer,
    ferie.RESPONSE: ferie.holiday_answer,
}


def say_worked_out(dispatcher: CollectingDispatcher, name: str, text: str) -> None:
    chosen, values = WORKED_OUT[name](text, clock.now().date())
    dispatcher.utter_message(response=chosen, **values)


def opening_question(tracker: Tracker, topic: str) -> str:
    """This message if it asks the topic; after « Dans quelle commune ? », the question before."""
    for event in user_events(tracker)[:EARLIER]:
        intent = intent_of(event)
        if intent == topic:
            return str(event.get("text") or "")
        if intent != COMMUNE_ANSWER:
            return ""
    return ""


ELLIPSIS_WORDS = 8  # « et les branches de thuya ? »: a short message that begins with « et »


def carried_aspect(tracker: Tracker, topic: str, text: str) -> Aspect | None:
    """« et les branches de thuya ? » right after « je peux brûler mes déchets verts ? »: the
    message names no aspect and goes on with the same topic; the aspect answered first at the
    turn before (slot `precision_aspect`) is the one asked again."""
    folded = fold(text).split()
    if not folded or folded[0] != "et" or len(folded) > ELLIPSIS_WORDS:
        return None
    if topic_before_this_message(tracker) != topic:
        return None
    name = tracker.get_slot(ASPECT_SLOT)
    return next((a for a in aspects() if a.name == name and topic in a.opening_topics), None)


def aspect_first(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    slots: dict[str, Any],
    domain: dict[str, Any],
) -> str | None:
    """`slots`: the values this answer is about to set (the commune's facts), used to fill the
    response now, before Rasa applies them. Returns the aspect answered first, if any: the
    topic's own answer may have a variant for it (slot `precision_aspect`)."""
    topic = str(slots.get("sujet") or "").removesuffix(NATIONAL)
    missing = bool(slots.get("commune_manquante"))
    if not topic or (missing and not slots.get("sujet")):
        return None
    if not missing and slots.get("partie_nationale_dite"):
        return None  # answered with the national part, before the commune was asked
    text = opening_question(tracker, topic)
    responses = domain.get("responses") or {}
    named = find_aspects(text) if text else []
    carried = None if named else carried_aspect(tracker, topic, text)
    for aspect in named or ([carried] if carried else []):
        name = topic_answer(topic, aspect, responses) or ""  # its own, or its `comme`'s
        if topic in aspect.opening_topics and name:
            if name in WORKED_OUT:
                say_worked_out(dispatcher, name, text)
                return aspect.name
            if missing and uses_slots(responses[name]):
                return None  # the commune's fact comes with the rest, once the commune is said
            before = tracker.current_slot_values()
            values = {**before, **slots}
            variant = chosen_variant(responses[name], values)
            # The topic's answer, with its commune part (« La commune de Grévillers n'a pas de
            # salle des fêtes » is said by both the date asked and the answer).
            answer = [
                *(responses.get(f"utter_{topic}") or []),
                *(responses.get(f"utter_{topic}_commune") or []),
            ]
            say_surface(aspect.name, text, values.get("travaux"), dispatcher)
            if variant is None or said_by_the_answer(variant, answer):
                return None
            sources = sources_cited_again(variant, answer)
            if sources:
                say(dispatcher, {**variant, "text": without_lines(variant, sources)}, values)
            elif variant is chosen_variant(responses[name], before):
                dispatcher.utter_message(response=name, **values)  # Rasa chooses the same one
            else:
                say(dispatcher, variant, values)
            return aspect.name
    return None


def uses_slots(variants: list[dict[str, Any]]) -> bool:
    """A response that names facts of the commune ({salle_caution}…) needs the commune first;
    not when a variant without condition says it without them (« où ? » after the identity
    card: any equipped mairie, and the nearest one once the commune is known)."""
    plain = [v for v in variants if not v.get("condition")]
    return any("{" in str(v.get("text") or "") for v in plain or variants)


def chosen_variant(variants: list[dict[str, Any]], values: dict[str, Any]) -> dict | None:
    """The variant Rasa would choose with the slots this answer sets (« 12 m² » for a pool:
    `travaux` is set by this very answer, and Rasa would read the slots of before). The first
    variant whose conditions all hold, else the first without conditions."""
    for variant in variants:
        conditions = variant.get("condition") or []
        if conditions and all(
            c.get("type") == "slot" and values.get(c.get("name")) == c.get("value")
            for c in conditions
        ):
            return variant
    return next((v for v in variants if not v.get("condition")), None)


def _figures(text: str) -> set[str]:
    return set(FIGURE.findall(URL.sub(" ", text)))


def said_by_the_answer(variant: dict[str, Any], own: list[dict[str, Any]]) -> bool:
    """The topic's own answer says the same words, or has a variant for the same case that gives
    the same figures (a pool: its thresholds, 10 and 100 m²), so the aspect's answer would say
    it twice. A variant for the same case that says something else (the passport's steps, not
    renewing it before its end) does not."""
    text = str(variant.get("text") or "")
    if any(str(v.get("text") or "") == text for v in own):
        return True  # word for word
    conditions = variant.get("condition") or []
    figures = _figures(text)
    if not conditions or not figures:
        return False
    return any(
        v.get("condition") == conditions and figures <= _figures(str(v.get("text") or ""))
        for v in own
    )


def _source_lines(text: str) -> list[str]:
    """« Source officielle : … », « Sources officielles : » and the « - école … : URL » under it."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith(SOURCES_HEAD)), None)
    if start is None:
        return []
    return [lines[start], *(line for line in lines[start + 1 :] if line.startswith("- "))]


def sources_cited_again(variant: dict[str, Any], own: list[dict[str, Any]]) -> list[str]:
    """The aspect's source lines when the topic's answer, said right after, cites the same pages
    (the age for school, then the enrolment: « Sources officielles » once)."""
    lines = _source_lines(str(variant.get("text") or ""))
    pages = set(URL.findall("\n".join(lines)))
    cited = set(URL.findall(" ".join(str(v.get("text") or "") for v in own)))
    return lines if pages and pages <= cited else []


def without_lines(variant: dict[str, Any], lines: list[str]) -> str:
    text = str(variant.get("text") or "").splitlines()
    return "\n".join(line for line in text if line not in lines)


def say(dispatcher: CollectingDispatcher, variant: dict[str, Any], values: dict[str, Any]) -> None:
    """The variant's text with its {slots} filled, as Rasa fills them."""

    def filled(match: re.Match[str]) -> str:
        value = values.get(match.group(1))
        return match.group(0) if value is None else str(value)

    text = SLOT_IN_TEXT.sub(filled, str(variant.get("text") or ""))
    dispatcher.utter_message(text=text, buttons=variant.get("buttons") or [])
