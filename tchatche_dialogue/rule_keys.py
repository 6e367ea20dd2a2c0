"""Which rules can still apply to a conversation, found without trying all of them (issue #13).

Before each action, RulePolicy (Rasa 3.6.21, `_get_possible_keys`) tries every rule (about 300)
against the last state of the conversation, then again the ones left against each earlier state,
down to the very first one, however long the conversation. That was 10 % of the Rasa server's CPU
on the 20-message mix (`bench/profile_turn.py`). Two shortcuts give exactly Rasa's answer:

- a rule whose last state was reached after action X cannot apply after another action: only the
  rules of the action just played (and those with another kind of condition) are tried first;
- once the remaining rules are all shorter than the part of the conversation already checked,
  every earlier state lets them through (Rasa's `_is_rule_applicable`), so the loop stops.

Each rule is still accepted or refused by Rasa's own `_is_rule_applicable`.
"""

from __future__ import annotations

from typing import Any

from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.constants import PREVIOUS_ACTION, SHOULD_NOT_BE_SET
from rasa.shared.nlu.constants import ACTION_NAME

_original = RulePolicy._get_possible_keys


class _Index:
    """The rules of one lookup table, grouped by the action their last state comes after."""

    def __init__(self, policy: RulePolicy, lookup: dict[str, str]) -> None:
        self.keys = frozenset(lookup)
        self.length: dict[str, int] = {}
        self.after: dict[str, set[str]] = {}
        self.always: set[str] = set()  # empty rules, conversation starts, other conditions
        for key in lookup:
            rule = policy._rule_key_to_state(key)
            self.length[key] = len(rule)
            last = rule[-1].get(PREVIOUS_ACTION) if rule else None
            action = last.get(ACTION_NAME) if last and len(last) == 1 else None
            if isinstance(action, str) and action != SHOULD_NOT_BE_SET:
                self.after.setdefault(action, set()).add(key)
            else:
                self.always.add(key)

    def first_candidates(self, state: dict[str, Any]) -> set[str]:
        action = (state.get(PREVIOUS_ACTION) or {}).get(ACTION_NAME)
        return self.always | self.after.get(action, set())


_indexes: dict[int, _Index] = {}


def _index(policy: RulePolicy, lookup: dict[str, str]) -> _Index:
    """Built once per table; rebuilt if the table's rules changed (as they do while training)."""
    index = _indexes.get(id(lookup))
    if index is None or lookup.keys() != index.keys:
        index = _indexes[id(lookup)] = _Index(policy, lookup)
    return index


def _get_possible_keys(self: RulePolicy, lookup: dict[str, str], states: list[Any]) -> set[str]:
    if not states:
        return set(lookup)
    index = _index(self, lookup)
    possible: set[str] = set(lookup)
    for i, state in enumerate(reversed(states)):
        candidates = index.first_candidates(state) if i == 0 else possible
        if i > 0 and all(index.length[key] <= i for key in possible):
            break  # every earlier state accepts all of them
        possible = {key for key in candidates if self._is_rule_applicable(key, i, state)}
    return possible


RulePolicy._get_possible_keys = _get_possible_keys  # type: ignore[method-assign]
