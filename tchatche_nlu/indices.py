"""SujetIndiceClassifier: a long message whose topic words are sure, when DIET hesitates.

Residents tell a story before their question (« ma copine a accouché samedi à la clinique de
Cambrai, on habite Biefvillers, on n'est pas mariés… »). DIET often ranks the right topic first on
such messages but below the FallbackClassifier's threshold, and the resident gets « Vouliez-vous
dire … ? ». The designers' cue words (tchatche_nlu/indices.yml) settle it, only when both agree:
a topic named by a cue and proposed by DIET in its ranking. Without a cue nothing changes, so
a short or unclear message still goes through the two-stage fallback. Emergencies come first:
this component runs before the UrgenceClassifier, which overrides it.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.conversation.aspects import find_aspect
from tchatche_nlu.thresholds import SHORT
from tchatche_nlu.urgence import put_first
from tchatche_nlu.urgence_lexique import compile_expression, normalize

INDICES = Path(__file__).with_name("indices.yml")
CONFIDENCE = 0.8  # the topic chosen on a cue
FOLLOW_UP = "precision"
YES = frozenset("oui ouais ouai ok okay yes voila exact exactement".split())
NO = frozenset("non nan no".split())


@dataclass(frozen=True)
class Indices:
    threshold: float
    topics: dict[str, tuple[re.Pattern[str], ...]]

    def topics_in(self, text: str) -> list[str]:
        padded = f" {normalize(text)} "
        return [t for t, patterns in self.topics.items() if any(p.search(padded) for p in patterns)]


def load(path: Path = INDICES) -> Indices:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    topics = {
        str(topic): tuple(compile_expression(str(e)) for e in expressions or [])
        for topic, expressions in (data.get("sujets") or {}).items()
    }
    return Indices(float(data.get("seuil", 0.6)), topics)


@lru_cache(maxsize=1)
def indices() -> Indices:
    return load()


def _short_reply(text: str) -> str | None:
    """A short reply in the conversation: a follow-up (« c la mairie qui s'en occupe ? »), a yes
    or a no (« oui le pdf svp »). The follow-up's words are those of aspects.yml
    (actions/conversation/), the same the answer is chosen with."""
    words = normalize(text).split()
    if not words or len(words) > SHORT:
        return None
    if find_aspect(text) is not None:
        return FOLLOW_UP
    if words[0] in YES or " ".join(words[:2]) == "d accord":
        return "affirmer"
    if words[0] in NO:
        return "nier"
    return None


def choose(text: str, ranking: list[dict[str, Any]], cues: Indices) -> str | None:
    """The intent to keep, or None: DIET sure enough, no cue, or no cue intent in its ranking.

    One exception to DIET's agreement: a story (more than SHORT words) whose cues name one topic
    only. In « il sera enterré à Riencourt, dans le caveau de ses parents… » the story's other
    words push `cimetiere` out of DIET's ten best although « enterré » and « caveau » say it.
    """
    if not ranking or float(ranking[0].get("confidence") or 0.0) >= cues.threshold:
        return None
    named = set(cues.topics_in(text))
    if not named:
        short = _short_reply(text)
        named = {short} if short else set()
    for item in ranking:  # DIET's order decides between several cue topics
        if item.get("name") in named:
            return str(item["name"])
    if len(named) == 1 and len(normalize(text).split()) > SHORT:
        return named.pop()
    return None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SujetIndiceClassifier(GraphComponent, IntentClassifier):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SujetIndiceClassifier:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        cues = indices()
        for message in messages:
            ranking = list(message.get(INTENT_RANKING_KEY) or [])
            topic = choose(message.get(TEXT) or "", ranking, cues)
            if topic is None:
                continue
            intent = {"name": topic, "confidence": CONFIDENCE}
            put_first(message, intent, [r for r in ranking if r.get("name") != topic])
        return messages


if __name__ == "__main__":
    print(indices().topics_in(" ".join(sys.argv[1:])) or "aucun indice")
