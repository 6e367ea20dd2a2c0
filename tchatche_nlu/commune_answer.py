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

from actions.conversation.aspects import find_aspect
from actions.territory.matching import CommuneMatcher, commune_answer, territory_matcher
from tchatche_nlu.indices import indices
from tchatche_nlu.thresholds import SHORT, unsure

INTENT_NAME = "informer_commune"
HESITANT = 0.8
GUESSES = 3  # DIET's best guesses looked at


def hesitant_commune(text: str, ranking: list[dict[str, Any]], matcher: CommuneMatcher) -> bool:
    """« ah et à Bancourt alors ? ma mère habite là-bas »: more than a name, so not a commune
    answer, but a short reply where DIET, unsure, counts `informer_commune` among its best
    guesses, and a commune of the territory is named: the resident gives a commune for the
    current question.
    """
    if not ranking or float(ranking[0].get("confidence") or 0.0) >= unsure():
        return False  # DIET is sure: its own choice stands
    if INTENT_NAME not in [r.get("name") for r in ranking[:GUESSES]]:
        return False
    if len(text.split()) > SHORT:
        return False  # a story naming a commune is no answer to « which commune? »
    if find_aspect(text) is not None or indices().topics_in(text):
        return False  # « et pour l'inhumer ici à Achiet ? »: a question about the commune
    found = matcher.find_in_text(text)
    return found.commune is not None or found.elsewhere is not None


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

    def process(self, messages: list[Message]) -> list[Message]:
        matcher = territory_matcher()
        for message in messages:
            text = message.get(TEXT) or ""
            if commune_answer(text, matcher) is not None:
                confidence = 1.0
            elif hesitant_commune(text, message.get(INTENT_RANKING_KEY) or [], matcher):
                confidence = HESITANT
            else:
                continue
            intent = {"name": INTENT_NAME, "confidence": confidence}
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r["name"] != INTENT_NAME]
            message.set(INTENT, intent, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [intent, *ranking], add_to_output=True)
        return messages
