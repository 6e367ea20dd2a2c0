"""Fixtures: run the custom action on a real rasa-sdk tracker, then render what the resident reads.

`say()` follows data/rules.yml exactly as Rasa does after each custom action, and renders
each response with Rasa's own template generator and the domain of domain.yml, so the tests read the
very sentences a resident would get.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
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
from actions.documents.action import ActionChercherDocument, ActionJoindreDocument
from actions.fallback import ActionVouliezVousDire
from actions.orientation.action import ActionOrienter

ROOT = Path(__file__).resolve().parents[1]
# Runs the whole session at another date, to find tests that only pass near the day they were
# written (time bombs): TCHATCHE_TEST_CLOCK=2027-12-31T23:30 (local French time) or +365d
# (days from now). tests/test_time_bombs.py uses it; `frozen()` still freezes inside a test.
TEST_CLOCK = "TCHATCHE_TEST_CLOCK"
_SESSION_CLOCK = pytest.StashKey[time_machine.travel]()


def session_clock_instant(value: str, now: datetime | None = None) -> datetime:
    """The instant a TCHATCHE_TEST_CLOCK value names: ISO local time, or "+Nd" days from now."""
    offset = re.fullmatch(r"([+-]\d+)d", value.strip())
    if offset:
        return (now or datetime.now(tz=PARIS)) + timedelta(days=int(offset.group(1)))
    instant = datetime.fromisoformat(value.strip())
    return instant if instant.tzinfo else instant.replace(tzinfo=PARIS)


def pytest_configure(config: pytest.Config) -> None:
    """With TCHATCHE_TEST_CLOCK, the clock of this process starts there and runs (tick=True).

    It starts before collection, so that values computed while collecting move too. Servers
    started in other processes (Rasa, Mayan, PostgreSQL, Chromium) keep the real time.
    """
    value = os.environ.get(TEST_CLOCK)
    if value:
        traveller = time_machine.travel(session_clock_instant(value), tick=True)
        traveller.start()
        config.stash[_SESSION_CLOCK] = traveller


def pytest_unconfigure(config: pytest.Config) -> None:
    traveller = config.stash.get(_SESSION_CLOCK, None)
    if traveller is not None:
        traveller.stop()


def pytest_report_header(config: pytest.Config) -> str | None:
    if _SESSION_CLOCK in config.stash:
        return f"horloge des tests déplacée : {datetime.now(tz=PARIS).isoformat()} ({TEST_CLOCK})"
    return None


@pytest.fixture(scope="session")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


@pytest.fixture(scope="session")
def data_trackers() -> tuple[Domain, list[DialogueStateTracker]]:
    """Every story and rule of data/ as Rasa's training sees them (no augmentation), with the
    domain they were read with: what the dialogue speed fixes are compared on."""
    from rasa.shared.core.generator import TrainingDataGenerator
    from rasa.shared.importers.importer import TrainingDataImporter

    importer = TrainingDataImporter.load_from_config(
        str(ROOT / "config.yml"), str(ROOT / "domain.yml"), [str(ROOT / "data")]
    )
    data_domain = importer.get_domain()
    generator = TrainingDataGenerator(importer.get_stories(), data_domain, augmentation_factor=0)
    return data_domain, generator.generate()


@dataclass(frozen=True)
class Rule:
    action: str  # the custom action the rule follows
    slots: dict[str, Any]  # its slot_was_set conditions
    responses: list[str]  # what Rasa plays next


@pytest.fixture(scope="session")
def topic_rules() -> list[Rule]:
    """Rules of data/rules.yml that follow a custom action, read as Rasa applies them."""
    rules = yaml.safe_load((ROOT / "data" / "rules.yml").read_text(encoding="utf-8"))["rules"]
    table = []
    for rule in rules:
        steps = rule["steps"]
        action = steps[0].get("action", "")
        if not action.startswith("action_") or len(steps) < 2 or "slot_was_set" not in steps[1]:
            continue
        slots = {k: v for item in steps[1]["slot_was_set"] for k, v in item.items()}
        # Forms (…_form) run on their own: the harness stops at them.
        played = [s["action"] for s in steps[2:] if "action" in s]
        table.append(Rule(action, slots, [a for a in played if not a.endswith("_form")]))
    return table


def frozen(*args: int):
    """Freezes the clock at a local French time, e.g. frozen(2026, 11, 11, 10, 0)."""
    return time_machine.travel(datetime(*args, tzinfo=PARIS), tick=False)


# The day the tests' demo GED corpus is generated for (scripts/generate_corpus.py writes menus and
# collection calendars around that week): a Wednesday, the day the document tests freeze on.
# Pinned, so that the corpus, hence every expected title and week, is the same whatever the date.
CORPUS_DAY = date(2026, 11, 25)


ACTIONS = {
    "orientation": ActionOrienter,
    "nlu_fallback": ActionVouliezVousDire,
    "chercher_document": ActionChercherDocument,
}
CUSTOM_ACTIONS = {
    cls().name(): cls
    for cls in (
        ActionPreparerReponse,
        ActionOrienter,
        ActionVouliezVousDire,
        ActionChercherDocument,
        ActionJoindreDocument,
    )
}


@dataclass
class Conversation:
    """A conversation's slots, carried from one turn to the next like Rasa's tracker."""

    domain: Domain
    rules: list[Rule]
    slots: dict[str, Any] = field(default_factory=dict)
    user_events: list[dict[str, Any]] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)  # last turn, as generated
    channel: str = "rest"

    def say(
        self,
        text: str,
        intent: str,
        entities: list[dict[str, Any]] | None = None,
        metadata: dict[str, Any] | None = None,
        **parse_data: Any,
    ) -> list[str]:
        """One resident message handled by its custom action; returns the replies in order.

        `parse_data` adds NLU output such as `intent_ranking` or `response_selector`.
        """
        self.latest = {
            "text": text,
            "intent": {"name": intent, "confidence": 0.99},
            "entities": entities or [],
            "metadata": metadata or {},
            **parse_data,
        }
        self.user_events.append({"event": "user", "text": text, "parse_data": self.latest})
        self.messages = []
        action = ACTIONS.get(intent, ActionPreparerReponse)().name()
        if intent == "nier" and self.slots.get("fallback_etape") == "suggestions":
            action = "action_vouliez_vous_dire"  # the rule "aucune des propositions"
        self.run_action(action, chain=True)
        return [m["text"] for m in self.messages if m.get("text")]

    def run_action(self, name: str, chain: bool) -> None:
        """Runs a custom action, then (chain) the rule that follows it, as Rasa does."""
        tracker = Tracker(
            "test",
            dict(self.slots),
            self.latest,
            list(self.user_events),
            False,
            None,
            None,
            "action_listen",
        )
        dispatcher = CollectingDispatcher()
        events = asyncio.run(CUSTOM_ACTIONS[name]().run(dispatcher, tracker, self.domain.as_dict()))
        for message in dispatcher.messages:
            assert message.get("response"), "wording lives in domain.yml"
            self.messages.append(self.generate_dispatched(message))
        for event in events:
            assert event["event"] == "slot"
            self.slots[event["name"]] = event["value"]
        if not chain:
            return
        steps = self.matching_rule(name).responses
        for i, step in enumerate(steps):
            if step in CUSTOM_ACTIONS:
                self.run_action(step, chain=i == len(steps) - 1)
            else:
                self.messages.append(self.generate(step))

    def matching_rule(self, action: str) -> Rule:
        """The most specific rule whose slot conditions hold, as Rasa's RulePolicy chooses."""
        candidates = [
            r
            for r in self.rules
            if r.action == action and all(self.slots.get(k) == v for k, v in r.slots.items())
        ]
        assert candidates, f"no rule follows {action} with slots {self.slots}"
        return max(candidates, key=lambda r: len(r.slots))

    def generate_dispatched(self, message: dict[str, Any]) -> dict[str, Any]:
        """What Rasa makes of a dispatched response: template filled with the action's values."""
        known = {
            "response",
            "text",
            "buttons",
            "elements",
            "custom",
            "image",
            "attachment",
            "template",
            "template_name",
        }
        values = {k: v for k, v in message.items() if k not in known and v is not None}
        generated = self.generate(message["response"], **values)
        if message.get("custom"):
            generated["custom"] = message["custom"]
        if message.get("buttons"):
            generated.setdefault("buttons", []).extend(message["buttons"])
        return generated

    def buttons(self, response: str) -> list[dict[str, str]]:
        return self.generate(response).get("buttons") or []

    def render(self, response: str) -> str:
        return self.generate(response)["text"]

    def generate(self, response: str, **values: Any) -> dict[str, Any]:
        rasa_events = [
            Event.from_parameters({"event": "slot", "name": k, "value": v})
            for k, v in self.slots.items()
            if k in {slot.name for slot in self.domain.slots}
        ]
        tracker = DialogueStateTracker.from_events("test", rasa_events, slots=self.domain.slots)
        generator = TemplatedNaturalLanguageGenerator(self.domain.responses)
        message = asyncio.run(generator.generate(response, tracker, self.channel, **values))
        assert message is not None, f"response {response} is missing from the domain"
        assert "{" not in message.get("text", ""), f"unfilled placeholder in {response}: {message}"
        return message


@pytest.fixture(scope="session")
def nlu_agent() -> Any:
    """The trained model, loaded once for every test module that parses with it."""
    from tests import nlu_eval

    if not nlu_eval.MODEL.exists():
        pytest.fail("models/tchatche.tar.gz is missing: ./test.sh trains it before pytest")
    return nlu_eval.load_agent()


# Monday 21 December 2026, 10:00: « demain » is Tuesday 22, « à Noël » Friday 25, the mairies'
# Christmas closures begin on the 24th, whatever the day the tests run.
PINNED_NOW = "2026-12-21T10:00:00+01:00"


@pytest.fixture(scope="session")
def pinned_servers(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Rasa and the action server, their clock pinned on PINNED_NOW, with the demo GED.

    Shared by the conversation modules (test_follow_ups, test_e2e_dates, test_vie): each start
    costs a model load (13 s here, 40 s on a slow CI machine), and each resident has a sender of
    its own, so one pair of servers serves them all.
    """
    from scripts.generate_corpus import generate
    from tests.servers import Servers

    ged = tmp_path_factory.mktemp("ged")
    generate(ged / "demo")
    instance = Servers()
    instance.extra_env.update(
        TCHATCHE_NOW=PINNED_NOW,
        TCHATCHE_GED="embedded",
        TCHATCHE_GED_DOSSIER=str(ged / "demo"),
        TCHATCHE_GED_INDEX=str(ged / "index.sqlite"),
        TCHATCHE_DEMANDES_DB=f"sqlite:///{ged / 'demandes.db'}",
        TCHATCHE_SECRET="secret-des-tests-de-conversation",
    )
    instance.start()
    yield instance
    instance.stop()


@pytest.fixture
def conversation(domain: Domain, topic_rules: list[Rule]) -> Conversation:
    return Conversation(domain, topic_rules)


def commune_entity(value: str) -> list[dict[str, Any]]:
    return [{"entity": "commune", "value": value}]


# `make check` (docs/conception.md) runs the fast tests only: `pytest -m "not lourd"`. A test is
# « lourd » when it starts servers (Rasa, Mayan, PostgreSQL, Chromium, a whole second pytest) or
# runs a Rasa command that `make check` already runs on its own (validate, test stories).
HEAVY_FIXTURES = frozenset(
    {"servers", "browser", "page", "postgresql_url", "pg_db", "mayan_store", "mayan_server", "runs"}
)
HEAVY_PARAMS = frozenset({"postgresql", "mayan"})
HEAVY_MODULES = frozenset({"test_rasa_cli.py", "test_mayan.py", "test_plain_rasa.py"})


def _string_params(item: pytest.Item) -> set[str]:
    """The values of a parametrised test that are words (« mayan », « postgresql »…)."""
    params = getattr(getattr(item, "callspec", None), "params", {}).values()
    return {p for p in params if isinstance(p, str)}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    guide_skipped = pytest.mark.skip(reason="guide : lancer avec -m guide (un 2e entraînement)")
    for item in items:
        if item.get_closest_marker("guide"):
            from tests.test_conception_guide import asked_for

            if not asked_for(config):
                item.add_marker(guide_skipped)
        if (
            HEAVY_FIXTURES & set(getattr(item, "fixturenames", ()))
            or HEAVY_PARAMS & _string_params(item)
            or item.path.name in HEAVY_MODULES
        ):
            item.add_marker(pytest.mark.lourd)


def _needs_mayan(item: pytest.Item) -> bool:
    return "mayan_store" in getattr(item, "fixturenames", ()) or "mayan" in _string_params(item)


# The long preparations of the suite start as soon as the selected tests are known, and run
# beside the tests before theirs: the session's Mayan (setup and import, one core), the time
# bombs' sub-runs, a designer's plain `rasa test` and `rasa train` and, asked for with -m guide,
# the full training of the design guide's copy (all but Mayan at the lowest CPU priority). Their
# tests wait for what is left.
GUIDE_TEST = "test_following_the_guide_gives_a_topic_that_answers"
PLAIN_RASA_TESTS = frozenset(
    {
        "test_rasa_test_runs_the_project_stories_and_the_nlu",
        "test_rasa_train_makes_a_model_from_the_project_root",
    }
)


def pytest_collection_finish(session: pytest.Session) -> None:
    if session.config.option.collectonly:
        return
    if any(_needs_mayan(item) for item in session.items):
        from tests.documents.mayan_fixture import start_early

        start_early()
    from tests.test_time_bombs import selected_instants
    from tests.test_time_bombs import start_early as start_time_bomb_runs

    if selected_instants(session.items):
        start_time_bomb_runs(session.items)
    if any(getattr(item, "originalname", "") in PLAIN_RASA_TESTS for item in session.items):
        from tests.test_plain_rasa import start_early as start_plain_rasa_test

        start_plain_rasa_test()
    if any(getattr(item, "originalname", "") == GUIDE_TEST for item in session.items):
        from tests.test_conception_guide import asked_for
        from tests.test_conception_guide import start_early as start_guide_training

        if asked_for(session.config):
            start_guide_training()


def pytest_sessionfinish(session: pytest.Session) -> None:
    fixture = sys.modules.get("tests.documents.mayan_fixture")
    if fixture is not None:
        fixture.stop_early()
