"""The one retrieval intent: `orientation`, its subjects (« orientation/caf ») told apart by the
ResponseSelector. Read in one place by the cue rules (tchatche_nlu/indices.py) and by the two
needs split (tchatche_dialogue/deux_besoins.py), so that both see the same subject."""

from __future__ import annotations

from typing import Any

RETRIEVAL = "orientation"


def selected_subject(selector: dict[str, Any] | None) -> dict[str, Any]:
    """The ResponseSelector's answer for `orientation` (`intent_response_key`, `confidence`),
    {} when it chose none."""
    return ((selector or {}).get(RETRIEVAL) or {}).get("response") or {}


def with_subject(
    selector: dict[str, Any] | None, subject: str, confidence: float
) -> dict[str, Any]:
    """The ResponseSelector's output with `subject` chosen for `orientation`: a cue word (« carte
    vitale ») settled it. The response's text is left to the domain (`utter_action`), so that no
    other subject's text travels with it."""
    key = f"{RETRIEVAL}/{subject}"
    chosen = {"responses": [], "confidence": confidence, "intent_response_key": key}
    chosen["utter_action"] = f"utter_{key}"
    current = dict((selector or {}).get(RETRIEVAL) or {})
    ranking = [r for r in current.get("ranking") or [] if r.get("intent_response_key") != key]
    current["response"] = chosen
    current["ranking"] = [{"confidence": confidence, "intent_response_key": key}, *ranking]
    retrieval_intents = list((selector or {}).get("all_retrieval_intents") or [RETRIEVAL])
    return {**(selector or {}), "all_retrieval_intents": retrieval_intents, RETRIEVAL: current}
