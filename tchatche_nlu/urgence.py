"""UrgenceClassifier: a message that describes a danger gets an urgence_* intent, whatever else.

It runs after DIET and the commune-answer classifier, before the FallbackClassifier, and combines
two signals so that recall does not rest on the classifier alone:
- the designers' word list (urgences/urgences.yml): a match sets the intent of the most urgent
  kind found, with confidence 1.0; a second kind found rides along as an `urgence` entity, so that
  the answer can give both numbers (a violent partner who also hits the children);
- DIET's urgence_* intents, taken together as one family: when their summed confidence is high
  enough the most likely kind is kept; otherwise, or when the message holds a known false friend
  (« feu d'artifice », « feux rouges ») and no danger phrase, they leave the ranking and the
  best other intent takes over.
The dialogue side (policies/urgence.py) then answers before any rule, form or commune question.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from tchatche_nlu import fast_load
from tchatche_nlu.urgence_lexique import Lexique, lexique, normalize

# The graph imports its components before it loads DIET: the fast load is in place by then
# (indices and commune_answer import this module: one place is enough).
fast_load.install()

PREFIX = "urgence_"
ENTITY = "urgence"
# « jai appele le 15 ils arrivent je fais quoi en attendant » after an emergency: help is called,
# no new danger. DIET alone (no word of urgences.yml) read a missing child (0.88); the message
# goes on to the usual path, and the fallback after an emergency says « Vous avez bien fait… ».
# Only help already called: « j'appelle le 17 ? » still asks in a danger.
HELP_CALLED = re.compile(
    r"\b(ai|jai|avons|a|ont) (deja )?(appele|telephone|contacte|prevenu) (le |les |la )?"
    r"(15|17|18|112|114|samu|pompiers|gendarmes|gendarmerie|police|secours)\b"
    r"|\b(ils|les secours|les pompiers|le samu|les gendarmes|la police|l ambulance) "
    r"(arrivent|arrive|sont en route|sont la|viennent|vont arriver)\b"
)
MARGIN = 0.1  # larger than config.yml's FallbackClassifier ambiguity_threshold (0.05)


def put_first(message: Message, intent: dict[str, Any], rest: list[dict[str, Any]]) -> None:
    """The intent first; the others kept below it by more than the FallbackClassifier's
    ambiguity margin, so that a sure choice never turns into « Vouliez-vous dire… ? »."""
    ceiling = max(0.0, intent["confidence"] - MARGIN)
    below = [{**r, "confidence": min(r.get("confidence") or 0.0, ceiling)} for r in rest]
    message.set(INTENT, intent, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [intent, *below], add_to_output=True)


def is_urgence(intent_name: str | None) -> bool:
    return bool(intent_name) and intent_name.startswith(PREFIX)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class UrgenceClassifier(GraphComponent, IntentClassifier):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # Below this summed confidence, DIET's urgence_* guesses without any danger phrase are
        # dropped: 0.75 kept every danger of tests/urgence/ that the word list misses while
        # cutting the false alarms on ordinary messages (README « Urgences : mesures »).
        return {"nlu_threshold": 0.75}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> UrgenceClassifier:
        return cls(config)

    def __init__(self, config: dict[str, Any]) -> None:
        self.threshold = float(config.get("nlu_threshold", 0.75))
        self._lexique: Lexique | None = None

    @property
    def lex(self) -> Lexique:
        if self._lexique is None:
            self._lexique = lexique()
        return self._lexique

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._classify(message)
        return messages

    def _classify(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        ranking = list(message.get(INTENT_RANKING_KEY) or [])
        # The urgence_* intents are one family: two kinds close together in DIET's ranking are
        # not an ambiguity (the FallbackClassifier would answer « Vouliez-vous dire… ? »).
        others = [r for r in ranking if not is_urgence(r["name"])]
        kinds = self.lex.kinds_in(text)
        if kinds:
            put_first(message, {"name": kinds[0].intent, "confidence": 1.0}, others)
            second = next((k for k in kinds[1:] if k.intent != kinds[0].intent), None)
            if second is not None:
                entities = [e for e in message.get(ENTITIES) or [] if e.get("entity") != ENTITY]
                # The second kind is said by the whole message: its span is the whole text
                # (Rasa's evaluation, `rasa test`, needs a start and an end on every entity).
                entities.append(
                    {
                        "entity": ENTITY,
                        "value": second.intent,
                        "start": 0,
                        "end": len(text),
                        "extractor": type(self).__name__,
                    }
                )
                message.set(ENTITIES, entities, add_to_output=True)
            return
        family = [r for r in ranking if is_urgence(r["name"])]
        mass = sum(r.get("confidence") or 0.0 for r in family)
        if (
            family
            and mass >= self.threshold
            and not HELP_CALLED.search(normalize(text))
            and not self.lex.has_false_friend(text)
            and not self.lex.only_names_someone(text)
        ):
            best = max(family, key=lambda r: r.get("confidence") or 0.0)
            put_first(message, {"name": best["name"], "confidence": min(1.0, mass)}, others)
        elif family and others:
            # Not an emergency: the urgence_* guesses leave the ranking, nothing else changes.
            current = message.get(INTENT) or {}
            if is_urgence(current.get("name")):
                message.set(INTENT, dict(others[0]), add_to_output=True)
            message.set(INTENT_RANKING_KEY, others, add_to_output=True)
