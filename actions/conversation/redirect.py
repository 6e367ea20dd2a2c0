"""Play an intent as if the resident had asked it, inside the same turn.

Why: « oui » to « Voulez-vous laisser un message ? », or « et le samedi ? » after the hours, mean
a question the assistant already knows how to answer. Replaying that intent (the same events Rasa
itself uses when it reverts a fallback: an action_listen then the user message) lets the rules of
data/ answer it, so the wording stays in domain.yml and nothing is answered twice in code.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import ActionExecuted, EventType, UserUttered


def replay(intent: str, text: str, entities: list[dict[str, Any]] | None = None) -> list[EventType]:
    parse_data = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0},
        "intent_ranking": [{"name": intent, "confidence": 1.0}],
        "entities": entities or [],
    }
    return [ActionExecuted("action_listen"), UserUttered(text, parse_data=parse_data)]
