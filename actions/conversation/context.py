"""What the conversation is about: the topic of the latest question, read from the tracker.

A follow-up (« et la caution ? ») or a « oui » means nothing alone. Rather than one more slot
that every action would have to keep right, the topic is read back from the events: the last
user message whose intent is a topic (not « merci », « oui », a commune name…).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk import Tracker

from actions.text import fold

# Intents that say something about the conversation, not about a topic.
NOT_TOPICS = frozenset(
    {
        "saluer",
        "au_revoir",
        "remercier",
        "affirmer",
        "nier",
        "qui_es_tu",
        "se_presenter",
        "aide",
        "hors_sujet",
        "charabia",
        "informer_commune",
        "precision",
        "nlu_fallback",
        "session_start",
    }
)


def is_topic(intent: str | None) -> bool:
    return bool(intent) and intent not in NOT_TOPICS and not str(intent).startswith("urgence_")


def user_events(tracker: Tracker) -> list[dict[str, Any]]:
    """User messages of the current session, latest first."""
    found: list[dict[str, Any]] = []
    for event in reversed(tracker.events or []):
        if event.get("event") == "session_started":
            break
        if event.get("event") == "user":
            found.append(event)
    return found


def intent_of(event: dict[str, Any]) -> str:
    return str(((event.get("parse_data") or {}).get("intent") or {}).get("name") or "")


# « on peut faire l'inscription en ligne ? » after two needs (the lists, then the bins): a
# follow-up of the first need, named by this entity (tchatche_dialogue/suivi.py sets it).
FOLLOWED = "sujet_suivi"


def followed_topic(entities: Iterable[dict[str, Any]] | None) -> str | None:
    """The topic a follow-up was read against, when it is not the latest one."""
    return next((str(e["value"]) for e in entities or [] if e.get("entity") == FOLLOWED), None)


def topic_of(event: dict[str, Any]) -> str:
    """The event's intent, or for a follow-up of an earlier need, that need's topic."""
    followed = followed_topic((event.get("parse_data") or {}).get("entities"))
    return followed or intent_of(event)


def latest_intent(tracker: Tracker) -> str:
    """The intent our NLU kept for the latest message, "" if none.

    Not rasa-sdk's `get_intent_of_latest_message`: that one reads the ranking and skips
    `nlu_fallback`, so a message the assistant did not understand would pass for its guess.
    """
    return str(((tracker.latest_message or {}).get("intent") or {}).get("name") or "")


def replays_a_follow_up(tracker: Tracker) -> bool:
    """This message is a follow-up played again as its topic's question (redirect.replay):
    « et le 25 ? » after the bins, the same words read `precision` just before."""
    events = user_events(tracker)
    return (
        len(events) >= 2
        and intent_of(events[1]) == "precision"
        and events[0].get("text") == events[1].get("text")
    )


def first_topic(intents: Iterable[str | None]) -> str | None:
    """The first topic among user intents listed latest first.

    Shared by the action server (events as dicts) and the Rasa server (tchatche_dialogue/suivi.py,
    events as objects), so that both agree on what the conversation is about.
    """
    return next((str(intent) for intent in intents if is_topic(intent)), None)


def current_topic(tracker: Tracker, skip_latest: bool = True) -> str | None:
    """The topic the resident is talking about (`orientation` for any orientation subject)."""
    events = user_events(tracker)
    return first_topic(topic_of(event) for event in (events[1:] if skip_latest else events))


def topic_before_this_message(tracker: Tracker) -> str | None:
    """The topic before the resident's latest message, whatever replays it led to: a replay
    (actions/conversation/redirect.py) is a user event without a message id, and « et le
    numéro de téléphone ? » replayed as contact_mairie must not count as the topic before it."""
    events = user_events(tracker)
    start = next((i + 1 for i, event in enumerate(events) if event.get("message_id")), 1)
    return first_topic(topic_of(event) for event in events[start:])


def last_text_for(tracker: Tracker, intent: str) -> str | None:
    """The resident's own words the last time they asked `intent` (to replay that question)."""
    for event in user_events(tracker)[1:]:
        if intent_of(event) == intent and not str(event.get("text") or "").startswith("/"):
            return str(event.get("text") or "")
    return None


def last_bot_response(tracker: Tracker) -> str | None:
    """Name of the last response the assistant sent before this message (its question, if any)."""
    for event in reversed(tracker.events or []):
        if event.get("event") == "bot":
            return str((event.get("metadata") or {}).get("utter_action") or "") or None
    return None


def words(text: str) -> str:
    """Folded text padded with spaces, so that keywords match whole words.

    « c'est où ? » → « c est ou qmark », « 50 € » → « 50 euros »: `fold` drops signs that say
    something here, so they become words first.
    """
    marked = text.replace("?", " qmark ").replace("€", " euros ")
    return f" {fold(marked)} "


@lru_cache(maxsize=1)
def topic_labels() -> dict[str, str]:
    """How the assistant names each topic (actions/intentions.yml, also the buttons' titles)."""
    path = Path(__file__).resolve().parents[1] / "intentions.yml"
    return {str(k): str(v) for k, v in (yaml.safe_load(path.read_text("utf-8")) or {}).items()}
