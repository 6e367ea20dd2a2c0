"""Responses the conversation actions play themselves: Rasa's validator cannot see them."""

from __future__ import annotations

from pathlib import Path

import yaml

from actions.conversation.aspects import PREFIX
from actions.conversation.condoleances import PLACE
from actions.conversation.generale import CLOSING
from actions.conversation.hors_secteur import RESPONSE as OUTSIDE
from actions.conversation.lieu_acte import ACT_OF_PLACE, BIRTH_PLACE, MAIRIE_OF_PLACE
from actions.conversation.oui_non import table
from actions.conversation.precision import NO_TOPIC, UNKNOWN
from actions.conversation.rassurer import REASSURE
from actions.conversation.recensement import RESPONSES as CENSUS
from actions.conversation.surface import RESPONSE as SURFACE

DOMAIN = Path(__file__).resolve().parents[2] / "domain.yml"


def dispatched_responses(domain: Path = DOMAIN) -> tuple[str, ...]:
    names = {CLOSING, NO_TOPIC, UNKNOWN, PLACE, OUTSIDE, BIRTH_PLACE, MAIRIE_OF_PLACE, SURFACE}
    names |= {ACT_OF_PLACE, REASSURE, *CENSUS}
    questions, default = table()
    for meaning in [*questions.values(), default]:
        names |= {t for t in (meaning.oui, meaning.non) if t.startswith("utter_")}
    responses = (yaml.safe_load(domain.read_text(encoding="utf-8")) or {}).get("responses")
    names |= {n for n in responses or {} if n.startswith(PREFIX)}
    return tuple(sorted(names))
