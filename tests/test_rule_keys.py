"""The rules found applicable by tchatche_dialogue/rule_keys.py are exactly Rasa's.

If they were not, a rule would fire where Rasa's would not, or the reverse: the resident would get
another answer than the one the designer wrote. Every comparison is against Rasa's own function,
on the rule tables trained from data/ and every state of every story and rule of data/.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from tchatche_dialogue import rule_keys


def rule_tables(domain: Domain, trackers: list[Any]) -> tuple[RulePolicy, list[dict[str, str]]]:
    """A RulePolicy trained on data/ the way `rasa train` does: its lookup tables."""
    storage = LocalModelStorage(Path(tempfile.mkdtemp()))
    policy = RulePolicy.create(
        {**RulePolicy.get_default_config(), "enable_fallback_prediction": True},
        storage,
        Resource("rules"),
        ExecutionContext(GraphSchema({}), "test"),
    )
    policy.train(trackers, domain)
    return policy, [table for table in policy.lookup.values() if isinstance(table, dict)]


def test_applicable_rules_are_rasas_at_every_state(data_trackers) -> None:
    domain, trackers = data_trackers
    policy, tables = rule_tables(domain, trackers)
    assert sum(len(t) for t in tables) > 100
    long = [event for tracker in trackers[:40] for event in tracker.events]
    checked = 0
    for tracker in [*trackers, DialogueStateTracker.from_events("long", long, domain.slots)]:
        states = policy._prediction_states(tracker, domain, use_text_for_last_user_input=False)
        for count in range(1, len(states) + 1):
            for table in tables:
                expected = rule_keys._original(policy, table, states[:count])
                assert rule_keys._get_possible_keys(policy, table, states[:count]) == expected
                checked += bool(expected)
    assert checked > 100, "too few states where a rule applied: the test proves nothing"
