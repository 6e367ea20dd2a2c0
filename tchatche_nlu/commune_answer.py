"""CommuneAnswerClassifier: a message that is only a commune name means informer_commune.

After "Dans quelle commune habitez-vous ?", residents answer "bucquoy", "c'est pour Favreuil" or
"non, Bapaume". Such short answers carry too little text for DIET, which then guesses any intent
with confidence. This component recognises them deterministically with the same matcher as the
action server (so a commune's spelling variants in territoire/ work here too) and sets the intent.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.territory.loader import territory
from actions.territory.matching import CommuneMatcher, commune_answer

INTENT_NAME = "informer_commune"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CommuneAnswerClassifier(GraphComponent, IntentClassifier):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> CommuneAnswerClassifier:
        return cls()

    def __init__(self) -> None:
        self._matcher: CommuneMatcher | None = None

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if self._matcher is None:
                self._matcher = CommuneMatcher(territory())
            if commune_answer(text, self._matcher) is None:
                continue
            intent = {"name": INTENT_NAME, "confidence": 1.0}
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r["name"] != INTENT_NAME]
            message.set(INTENT, intent, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [intent, *ranking], add_to_output=True)
        return messages
