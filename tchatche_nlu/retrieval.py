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
