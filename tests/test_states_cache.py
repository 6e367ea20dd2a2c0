"""Dialogue states read once per conversation give exactly Rasa's states (tchatche_dialogue).

If they did not, a rule would fire where Rasa's would not, or the reverse: the resident would get
another answer than the one the designer wrote. Every comparison is against Rasa's own function.
"""

from __future__ import annotations

from typing import Any

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from tchatche_dialogue import states_cache

RULE_ONLY = {"slots": ["sujet_en_attente"], "loops": ["demande_form"]}
# How the policies ask: RulePolicy (rule-only turns kept), MemoizationPolicy (hidden), TED.
ASKS = [(False, False, RULE_ONLY), (False, True, RULE_ONLY), (True, False, None)]


@pytest.fixture(scope="module")
def stories(data_trackers) -> tuple[Domain, list[list[Any]]]:
    domain, trackers = data_trackers
    return domain, [list(t.events) for t in trackers]


def same_as_rasa(domain: Domain, sender: str, events: list[Any]) -> None:
    tracker = DialogueStateTracker.from_events(sender, events, domain.slots)
    for ask in ASKS:
        expected = states_cache._original(domain, tracker, *ask)
        assert states_cache.states_for_tracker_history(domain, tracker, *ask) == expected


def test_a_growing_conversation_gets_rasas_states_at_every_event(stories):
    domain, conversations = stories
    states_cache._known.clear()
    long = [e for events in conversations[:40] for e in events]  # one long conversation
    for count in range(1, len(long) + 1):
        same_as_rasa(domain, "growing", long[:count])
    assert states_cache._known, "the states were not kept: nothing was reused"


def test_unrelated_histories_under_one_sender_are_read_again(stories):
    domain, conversations = stories
    states_cache._known.clear()
    for events in conversations:
        for count in (len(events), len(events) // 2, len(events)):
            same_as_rasa(domain, "shared", events[:count])


def test_same_instant_but_another_answer_is_not_reused(domain):
    """A frozen clock gives every event one timestamp: a slot's other value must still count."""
    states_cache._known.clear()

    def conversation(missing: bool) -> list[Any]:
        return [
            ActionExecuted("action_listen", timestamp=1.0),
            UserUttered("horaires", {"name": "horaires_mairie", "confidence": 1.0}, timestamp=1.0),
            SlotSet("commune_manquante", missing, timestamp=1.0),
            ActionExecuted("action_preparer_reponse", timestamp=1.0),
            SlotSet("partie_nationale_dite", True, timestamp=1.0),
            ActionExecuted("action_listen", timestamp=1.0),
        ]

    same_as_rasa(domain, "frozen", conversation(True))
    same_as_rasa(domain, "frozen", conversation(False))
