"""What an emergency answer says: the rules of data/rules.yml rendered from domain.yml."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import yaml
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

ROOT = Path(__file__).resolve().parents[2]
NUMBER = re.compile(r"(?<!\d)(116 000|3114|3919|112|114|119|15|17|18)(?!\d)")
# The numbers each kind must give, in this order, on its first line (the table).
FIRST_NUMBERS = {
    "urgence_agression": ["17"],
    "urgence_incendie": ["18"],
    "urgence_sante": ["15"],
    "urgence_suicide": ["3114", "15"],
    "urgence_violences_femmes": ["17", "3919"],
    "urgence_enfant_danger": ["119", "17"],
    "urgence_enfant_disparu": ["17", "116 000"],
    "urgence_sourd": ["114"],
    "urgence_generale": ["112"],
}


def urgence_rules() -> dict[str, list[str]]:
    """urgence_* intent -> the responses its rule plays."""
    rules = yaml.safe_load((ROOT / "data" / "rules.yml").read_text(encoding="utf-8"))["rules"]
    found = {}
    for rule in rules:
        steps = rule["steps"]
        intent = steps[0].get("intent", "")
        if intent.startswith("urgence_"):
            found[intent] = [s["action"] for s in steps[1:]]
    return found


def render(domain: Domain, response: str, channel: str = "rest") -> dict[str, Any]:
    tracker = DialogueStateTracker.from_events("t", [], slots=domain.slots)
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    return asyncio.run(nlg.generate(response, tracker, channel))


def numbers_in(text: str) -> list[str]:
    return NUMBER.findall(text)
