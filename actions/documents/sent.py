"""Which documents this conversation has sent: read by the yes and no (« oui le pdf svp »),
by « et celui d'avant ? », and by the dialogue's readings in Rasa's process."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker


def carries_a_document(custom: Any) -> bool:
    """Whether a bot message's `custom` payload sent a document: the one rule read both here
    (events as dicts) and by the dialogue's readings in Rasa's process (event objects)."""
    return isinstance(custom, dict) and isinstance(custom.get("document"), dict)


def last_document(tracker: Tracker) -> dict[str, Any] | None:
    """The last document sent in this conversation (the `custom` payload of its message)."""
    for event in reversed(tracker.events or []):
        if event.get("event") == "session_started":
            return None
        custom = (event.get("data") or {}).get("custom") if event.get("event") == "bot" else None
        if carries_a_document(custom):
            return custom
    return None
