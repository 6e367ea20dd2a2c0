"""Fixtures: run the custom action on a real rasa-sdk tracker, then render what the resident reads.

`converse()` follows data/rules.yml exactly as Rasa does after action_preparer_reponse, and renders
each response with Rasa's own template generator and the domain of domain/, so the tests read the
very sentences a resident would get.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
import yaml
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.clock import PARIS
from actions.commune import ActionPreparerReponse

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain"))


@pytest.fixture(scope="session")
def topic_rules() -> dict[Any, list[str]]:
    """(commune_manquante, sujet) -> responses played, read from data/rules.yml."""
    rules = yaml.safe_load((ROOT / "data" / "rules.yml").read_text(encoding="utf-8"))["rules"]
    table: dict[Any, list[str]] = {}
    for rule in rules:
        steps = rule["steps"]
        if steps[0].get("action") != "action_preparer_reponse":
            continue
        slots = {k: v for item in steps[1]["slot_was_set"] for k, v in item.items()}
        key = (slots["commune_manquante"], slots.get("sujet"))
        table[key] = [s["action"] for s in steps[2:]]
    return table


def frozen(*args: int):
    """Freezes the clock at a local French time, e.g. frozen(2026, 11, 11, 10, 0)."""
    return time_machine.travel(datetime(*args, tzinfo=PARIS), tick=False)


@dataclass
class Conversation:
    """A conversation's slots, carried from one turn to the next like Rasa's tracker."""

    domain: Domain
    rules: dict[Any, list[str]]
    slots: dict[str, Any] = field(default_factory=dict)

    def say(
        self,
        text: str,
        intent: str,
        entities: list[dict[str, Any]] | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> list[str]:
        """One resident message whose intent goes to action_preparer_reponse; returns replies."""
        latest = {
            "text": text,
            "intent": {"name": intent, "confidence": 0.99},
            "entities": entities or [],
            "metadata": metadata or {},
        }
        tracker = Tracker("test", dict(self.slots), latest, [], False, None, None, "action_listen")
        dispatcher = CollectingDispatcher()
        events = asyncio.run(
            ActionPreparerReponse().run(dispatcher, tracker, self.domain.as_dict())
        )
        assert dispatcher.messages == [], "the action must leave the wording to domain responses"
        for event in events:
            assert event["event"] == "slot"
            self.slots[event["name"]] = event["value"]
        key = (self.slots["commune_manquante"], self.slots.get("sujet"))
        if self.slots["commune_manquante"]:
            key = (True, None)
        return [self.render(name) for name in self.rules[key]]

    def render(self, response: str) -> str:
        rasa_events = [
            Event.from_parameters({"event": "slot", "name": k, "value": v})
            for k, v in self.slots.items()
            if k in {slot.name for slot in self.domain.slots}
        ]
        tracker = DialogueStateTracker.from_events("test", rasa_events, slots=self.domain.slots)
        generator = TemplatedNaturalLanguageGenerator(self.domain.responses)
        message = asyncio.run(generator.generate(response, tracker, "rest"))
        assert message is not None, f"response {response} is missing from the domain"
        text = message["text"]
        assert "{" not in text, f"unfilled placeholder in {response}: {text}"
        return text


@pytest.fixture
def conversation(domain: Domain, topic_rules: dict[Any, list[str]]) -> Conversation:
    return Conversation(domain, topic_rules)


def commune_entity(value: str) -> list[dict[str, Any]]:
    return [{"entity": "commune", "value": value}]
