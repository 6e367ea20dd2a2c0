"""UrgencePolicy: a message that describes a danger is answered first, whatever is going on.

Rasa's RulePolicy lets an active form run before any rule (its "happy path" prediction outranks
everything), and action_preparer_reponse would first ask « Dans quelle commune ? ». Neither may
stand between a resident and the 17. This policy fires only when the latest message has an
urgence_* intent (set by tchatche_nlu/urgence.py), and then wins every time: its predictions are
"no user" predictions like the form's, with a higher priority than RulePolicy.

What it plays is what the designers wrote in data/rules.yml for that intent (learnt at training
time from the rule trackers), so the answer lives in one place. Only responses are played: the
action server is never needed, and a form that was running is left (its half-given answer is
cleared, nothing is sent). A second kind found in the message (entity `urgence`) adds that kind's
first response right after the first one.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction, SupportedData
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME, REQUESTED_SLOT
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SlotSet, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

PREFIX = "urgence_"
ENTITY = "urgence"
FILENAME = "urgence_sequences.json"


def rule_sequences(trackers: list[TrackerWithCachedStates]) -> dict[str, list[str]]:
    """urgence_* intent -> the actions its rule plays after it, in order."""
    sequences: dict[str, list[str]] = {}
    for tracker in trackers:
        if not getattr(tracker, "is_rule_tracker", False):
            continue
        intent: str | None = None
        actions: list[str] = []
        for event in tracker.events:
            if isinstance(event, UserUttered):
                if intent and actions:
                    break
                name = event.intent_name or ""
                intent, actions = (name if name.startswith(PREFIX) else None), []
            elif isinstance(event, ActionExecuted) and intent:
                if event.action_name == ACTION_LISTEN_NAME:
                    break
                if event.action_name:
                    actions.append(event.action_name)
        if intent and actions:
            sequences.setdefault(intent, actions)
    return sequences


def since_last_message(tracker: DialogueStateTracker) -> tuple[list[str], list[SlotSet]]:
    """Actions run and slots set since the resident's latest message."""
    actions: list[str] = []
    slots: list[SlotSet] = []
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, ActionExecuted) and event.action_name:
            actions.append(event.action_name)
        elif isinstance(event, SlotSet):
            slots.append(event)
    return list(reversed(actions)), list(reversed(slots))


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class UrgencePolicy(Policy):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # RulePolicy has priority 6: an emergency must outrank it, forms included.
        return {"priority": 7}

    @staticmethod
    def supported_data() -> SupportedData:
        return SupportedData.ML_AND_RULE_DATA

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        featurizer: Any = None,
        sequences: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(config, model_storage, resource, execution_context, featurizer)
        self.sequences = sequences or {}

    def train(
        self,
        training_trackers: list[TrackerWithCachedStates],
        domain: Domain,
        **kwargs: Any,
    ) -> Resource:
        self.sequences = rule_sequences(training_trackers)
        missing = [i for i in domain.intents if i.startswith(PREFIX) and i not in self.sequences]
        if missing:
            raise ValueError(
                "Urgences : aucune règle de data/rules.yml ne répond à "
                + ", ".join(missing)
                + ". Ajoutez « - intent: … » suivi de ses réponses."
            )
        with self._model_storage.write_to(self._resource) as path:
            (Path(path) / FILENAME).write_text(json.dumps(self.sequences), encoding="utf-8")
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> UrgencePolicy:
        with model_storage.read_from(resource) as path:
            sequences = json.loads((Path(path) / FILENAME).read_text(encoding="utf-8"))
        return cls(config, model_storage, resource, execution_context, sequences=sequences)

    def planned(self, tracker: DialogueStateTracker) -> list[str]:
        """The responses this emergency gets: its rule, plus a second kind's first answer."""
        message = tracker.latest_message
        intent = (message.intent or {}).get("name") if message else None
        sequence = list(self.sequences.get(intent or "", []))
        if not sequence:
            return []
        for entity in message.entities or []:
            other = self.sequences.get(str(entity.get("value")))
            if entity.get("entity") == ENTITY and other and other[0] not in sequence:
                sequence.insert(1, other[0])
                break
        return sequence

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        sequence = self.planned(tracker)
        done, slots = since_last_message(tracker)
        if not sequence or done[: len(sequence)] != sequence[: len(done)]:
            return self._prediction(probabilities)
        step = len(done)
        action = sequence[step] if step < len(sequence) else ACTION_LISTEN_NAME
        if action not in domain.action_names_or_texts:
            return self._prediction(probabilities)
        probabilities[domain.index_for_action(action)] = 1.0
        leave_form: list[Any] = []
        if step == 0 and tracker.active_loop_name:
            # Leave the form; the text it may have taken as an answer is not an answer.
            filled = [SlotSet(s.key, None) for s in slots if s.key != REQUESTED_SLOT]
            leave_form = [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None), *filled]
        return self._prediction(
            probabilities, optional_events=leave_form, is_no_user_prediction=True
        )
