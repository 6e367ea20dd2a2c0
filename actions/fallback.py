"""Two-stage fallback: "Vouliez-vous dire … ?" with the two likeliest subjects, then the mairie.

Like action_preparer_reponse, the action only sets slots; data/rules.yml plays the responses of
domain.yml. The button titles come from actions/intentions.yml, which designers edit.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.commune import prepare_events
from actions.conversation.context import last_bot_response, latest_intent
from actions.orientation.action import RETRIEVAL_INTENT
from actions.territory.matching import territory_matcher

DESCRIPTIONS_FILE = Path(__file__).with_name("intentions.yml")
FALLBACK_INTENT = "nlu_fallback"
REFUSAL_INTENT = "nier"
MIN_CONFIDENCE = 0.08  # below this, a suggestion would look random: ask to rephrase instead
MAX_SUGGESTIONS = 2
# The last words of every emergency answer (data/rules.yml): what follows is read against it.
AFTER_AN_EMERGENCY = "utter_urgence_apres"


@lru_cache(maxsize=1)
def descriptions() -> dict[str, str]:
    data = yaml.safe_load(DESCRIPTIONS_FILE.read_text(encoding="utf-8")) or {}
    return {str(k): str(v) for k, v in data.items()}


def _payload(intent: str, entities: dict[str, str]) -> str:
    return f"/{intent}{json.dumps(entities, ensure_ascii=False)}" if entities else f"/{intent}"


def suggestions(message: dict[str, Any], commune: str | None) -> list[tuple[str, str]]:
    """(title, payload) of the likeliest described subjects, the commune carried along."""
    known = descriptions()
    result: list[tuple[str, str]] = []
    for ranked in message.get("intent_ranking") or []:
        name = str(ranked.get("name") or "")
        if float(ranked.get("confidence") or 0.0) < MIN_CONFIDENCE:
            break
        entities = {"commune": commune} if commune else {}
        if name == RETRIEVAL_INTENT:
            selector = (message.get("response_selector") or {}).get(RETRIEVAL_INTENT) or {}
            key = str((selector.get("response") or {}).get("intent_response_key") or "")
            if key not in known:
                continue
            entities["orientation_sujet"] = key.partition("/")[2]
            result.append((known[key], _payload(name, entities)))
        elif name in known:
            result.append((known[name], _payload(name, entities)))
        if len(result) == MAX_SUGGESTIONS:
            break
    return result


def _previous_user_intent(tracker: Tracker) -> str | None:
    """Intent of the user message before the latest one (was it already a failure?)."""
    seen_latest = False
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        if not seen_latest:
            seen_latest = True
            continue
        return ((event.get("parse_data") or {}).get("intent") or {}).get("name")
    return None


class ActionVouliezVousDire(Action):
    def name(self) -> str:
        return "action_vouliez_vous_dire"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        message = tracker.latest_message or {}
        intent = latest_intent(tracker)
        if last_bot_response(tracker) == AFTER_AN_EMERGENCY:
            # « ils arrivent » after « Appelez le 15 » : the instructions again, no menu.
            return [
                SlotSet("fallback_etape", "apres_urgence"),
                SlotSet("commune_manquante", False),
                SlotSet("sujet", None),
            ]
        second_failure = intent == REFUSAL_INTENT or (
            intent == FALLBACK_INTENT and _previous_user_intent(tracker) == FALLBACK_INTENT
        )
        if second_failure:
            # Until requests exist, "pass it to the mairie" = its contact and next opening.
            return [
                SlotSet("fallback_etape", "mairie"),
                *prepare_events(tracker, "parler_a_un_agent"),
            ]
        found = territory_matcher().find_in_text(str(message.get("text") or "")).commune
        offers = suggestions(message, found.nom if found else None)
        # No answer follows yet: the rules expect no commune question and no topic.
        neutral = [SlotSet("commune_manquante", False), SlotSet("sujet", None)]
        if not offers:
            return [SlotSet("fallback_etape", "incompris"), *neutral]
        events: list[EventType] = [
            SlotSet("fallback_etape", "suggestions"),
            *neutral,
            SlotSet("suggestions_nombre", str(len(offers))),
        ]
        for i in range(MAX_SUGGESTIONS):
            title, payload = offers[i] if i < len(offers) else (None, None)
            events += [
                SlotSet(f"suggestion_{i + 1}", title),
                SlotSet(f"suggestion_{i + 1}_payload", payload),
            ]
        return events
