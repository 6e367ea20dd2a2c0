"""Dialogue states computed once per conversation, not again at every prediction (issue #13).

Why: before each action Rasa 3.6 turns the whole conversation into one state per past action
(`Domain.states_for_tracker_history`), for each policy, and a turn predicts several actions. The
cost grows with the conversation: a quarter of the Rasa server's CPU on the 20-message mix of
`bench/bench.py` (py-spy on `rasa run`). A past state depends only on the events before it, so the
states of the part of the conversation already seen are kept and only the new events are read.

The result is exactly Rasa's: the loop below is Rasa's own, and a state is reused only where the
events it was computed from are the same events (same kind, time and name, in the same order,
after Rasa's own `applied_events()`). A conversation that diverges (a rewound message, a form
that undoes its own turns) is read again from the first event that differs.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, cast

import rasa.shared.core.constants as core_constants
from rasa.shared.core.domain import Domain, State, SubState
from rasa.shared.core.events import ActionExecuted, Event
from rasa.shared.core.trackers import DialogueStateTracker

CONVERSATIONS = 256  # conversations whose states are kept; the least recent is dropped first

_original = Domain.states_for_tracker_history


@dataclass
class _Checkpoint:
    """What the loop knew right after the state of one past action."""

    event_index: int  # index in applied events of the ActionExecuted the state was taken before
    state: State
    kept: bool  # a rule-only turn hidden from the ML policies leaves no state
    last_ml_action_sub_state: SubState | None
    turn_was_hidden: bool


@dataclass
class _Known:
    signatures: list[tuple[Any, ...]]
    checkpoints: list[_Checkpoint]
    # Rasa's replay of these events (`init_copy()` then `update()`): the next call goes on from
    # it when the conversation only grew (copying the tracker's slots costs a third of the rest).
    replay: DialogueStateTracker


_known: OrderedDict[tuple[Any, ...], _Known] = OrderedDict()


def _signature(event: Event) -> tuple[Any, ...]:
    return (
        type(event),
        event.timestamp,
        getattr(event, "action_name", None) or getattr(event, "key", None),
        getattr(event, "intent_name", None),
        getattr(event, "value", None),
    )


def _copy(state: State) -> State:
    """Callers change the states they get (the last user input, rule-only features)."""
    return {name: dict(sub) for name, sub in state.items()}  # type: ignore[misc]


def _same_start(known: _Known, signatures: list[tuple[Any, ...]]) -> int:
    same = 0
    for mine, theirs in zip(known.signatures, signatures, strict=False):
        if mine != theirs:
            break
        same += 1
    return same


def _applied_events(tracker: DialogueStateTracker) -> list[Event]:
    """Rasa's `applied_events()`, once for all the policies that ask before the same action."""
    mark = (len(tracker.events), id(tracker.events[-1]) if tracker.events else None)
    known = tracker.__dict__.get("_tchatche_applied")
    if known is not None and known[0] == mark:
        return known[1]
    applied = tracker.applied_events()
    tracker.__dict__["_tchatche_applied"] = (mark, applied)
    return applied


def states_for_tracker_history(
    self: Domain,
    tracker: DialogueStateTracker,
    omit_unset_slots: bool = False,
    ignore_rule_only_turns: bool = False,
    rule_only_data: dict[str, Any] | None = None,
) -> list[State]:
    if type(tracker) is not DialogueStateTracker:  # training trackers have their own cache
        return _original(self, tracker, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
    key = (
        id(self),
        tracker.sender_id,
        omit_unset_slots,
        ignore_rule_only_turns,
        json.dumps(rule_only_data, sort_keys=True, default=str),
    )
    events = _applied_events(tracker)
    signatures = [_signature(e) for e in events]
    known = _known.pop(key, None)
    same = _same_start(known, signatures) if known else 0
    grew = known is not None and same == len(known.signatures)
    reused = [c for c in known.checkpoints if c.event_index < same] if known else []
    checkpoints: list[_Checkpoint] = reused
    states: list[State] = [c.state for c in reused if c.kept]
    last_ml_action_sub_state = reused[-1].last_ml_action_sub_state if reused else None
    turn_was_hidden = reused[-1].turn_was_hidden if reused else False
    first_new = reused[-1].event_index + 1 if reused else 0

    # Rasa's loop (rasa/shared/core/domain.py, 3.6), over Rasa's generate_all_prior_trackers():
    # a state before each action, and one after the last event.
    replay = known.replay if known is not None and grew else tracker.init_copy()
    for index in range(same if grew else 0, len(events) + 1):
        final = index == len(events)
        action = not final and isinstance(events[index], ActionExecuted)
        if final or (action and index >= first_new):
            hide = action and cast(ActionExecuted, events[index]).hide_rule_turn
            state, last_ml_action_sub_state, turn_was_hidden, keep = _state(
                self,
                replay,
                hide,
                states,
                last_ml_action_sub_state,
                turn_was_hidden,
                ignore_rule_only_turns,
                rule_only_data,
                omit_unset_slots,
            )
            if keep:
                states.append(state)
            if not final:
                checkpoints.append(
                    _Checkpoint(index, state, keep, last_ml_action_sub_state, turn_was_hidden)
                )
        if not final:
            replay.update(events[index])

    _known[key] = _Known(signatures, checkpoints, replay)
    while len(_known) > CONVERSATIONS:
        _known.popitem(last=False)
    return [_copy(s) for s in states]


def _state(
    domain: Domain,
    tracker: DialogueStateTracker,
    hide_rule_turn: bool,
    states: list[State],
    last_ml_action_sub_state: SubState | None,
    turn_was_hidden: bool,
    ignore_rule_only_turns: bool,
    rule_only_data: dict[str, Any] | None,
    omit_unset_slots: bool,
) -> tuple[State, SubState | None, bool, bool]:
    """One step of Rasa's loop: (state, carried values, whether the state is kept)."""
    if ignore_rule_only_turns:
        if not turn_was_hidden:
            last_ml_action_sub_state = domain._get_prev_action_sub_state(tracker)
        if not tracker.followup_action and tracker.latest_action_name != tracker.active_loop_name:
            turn_was_hidden = hide_rule_turn
        if turn_was_hidden:
            return {}, last_ml_action_sub_state, turn_was_hidden, False
    state = domain.get_active_state(tracker, omit_unset_slots=omit_unset_slots)
    if ignore_rule_only_turns:
        domain._remove_rule_only_features(state, rule_only_data)
        if states:
            domain._substitute_rule_only_user_input(state, states[-1])
        if last_ml_action_sub_state:
            state[core_constants.PREVIOUS_ACTION] = cast(SubState, last_ml_action_sub_state)
    return domain._clean_state(state), last_ml_action_sub_state, turn_was_hidden, True


def install() -> None:
    Domain.states_for_tracker_history = states_for_tracker_history  # type: ignore[method-assign]
