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
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import RESPONSE_SELECTOR_PROPERTY_NAME
from rasa.shared.nlu.constants import INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.conversation.aspects import find_aspect
from actions.conversation.context import is_topic
from actions.orientation.subjects import named_subject
from tchatche_nlu.retrieval import RETRIEVAL, selected_subject, with_subject
from tchatche_nlu.thresholds import SHORT, unsure
from tchatche_nlu.urgence import put_first
from tchatche_nlu.urgence_lexique import compile_expression, normalize

INDICES = Path(__file__).with_name("indices.yml")
CONFIDENCE = 0.8  # the topic chosen on a cue
FOLLOW_UP = "precision"
COMMUNE_ANSWER = "informer_commune"
YES = frozenset("oui ouais ouai ok okay yes voila exact exactement".split())
NO = frozenset("non nan no".split())


@dataclass(frozen=True)
class Indices:
    threshold: float
    story_doubt: float  # below it, a story's one cue topic wins over DIET's other choice
    topics: dict[str, tuple[re.Pattern[str], ...]]
    # Short questions that say what they ask, whatever other topic they name (« questions »),
    # and the topics of DIET that keep their reading over each.
    questions: dict[str, tuple[re.Pattern[str], ...]] = field(default_factory=dict)
    kept: dict[str, frozenset[str]] = field(default_factory=dict)
    # Delicate topics (« exigent »): the model's choice stands only if the message says one of
    # these words.
    required: dict[str, tuple[re.Pattern[str], ...]] = field(default_factory=dict)
    # « qu'est-ce qu'on doit faire ? »: the steps of the topic in course (« quoi_faire »).
    steps: tuple[re.Pattern[str], ...] = ()
    # Below it DIET has no idea (« je me suis fait voler mon portefeuille » : 0.16 for the
    # recensement): a short message's one cue topic wins even outside DIET's ranking.
    lost: float = 0.0
    # Questions whose words say the need even in a long story (`recits: true`): « nous venons
    # d'acheter une maison, on veut faire une véranda de 25 m² » asks about the works.
    in_stories: frozenset[str] = frozenset()

    def topics_in(self, text: str) -> list[str]:
        return _matching(self.topics, text)

    def asks_steps(self, text: str) -> bool:
        return _says(self.steps, text)

    def unsaid(self, topic: str, text: str) -> bool:
        """True when `topic` is delicate and `text` says none of its words."""
        patterns = self.required.get(topic)
        return bool(patterns) and not _says(patterns, text)

    def question_in(self, text: str, story: bool = False) -> str | None:
        found = _matching(self.questions, text)
        if story:
            found = [t for t in found if t in self.in_stories]
        return found[0] if len(found) == 1 else None


def _says(patterns: tuple[re.Pattern[str], ...], text: str) -> bool:
    padded = f" {normalize(text)} "
    return any(p.search(padded) for p in patterns)


def _matching(table: dict[str, tuple[re.Pattern[str], ...]], text: str) -> list[str]:
    padded = f" {normalize(text)} "
    return [t for t, patterns in table.items() if any(p.search(padded) for p in patterns)]


def _compiled(section: dict[str, Any] | None) -> dict[str, tuple[re.Pattern[str], ...]]:
    return {
        str(topic): tuple(compile_expression(str(e)) for e in expressions or [])
        for topic, expressions in (section or {}).items()
    }


def load(path: Path = INDICES) -> Indices:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    questions = data.get("questions") or {}
    return Indices(
        float(data.get("seuil", 0.6)),
        float(data.get("doute_recit", 0.75)),
        _compiled(data.get("sujets")),
        _compiled({k: (v or {}).get("indices") for k, v in questions.items()}),
        {k: frozenset((v or {}).get("sauf") or []) for k, v in questions.items()},
        _compiled(data.get("exigent")),
        tuple(compile_expression(str(e)) for e in data.get("quoi_faire") or []),
        float(data.get("modele_perdu", 0.0)),
        frozenset(k for k, v in questions.items() if (v or {}).get("recits")),
    )


@lru_cache(maxsize=1)
def indices() -> Indices:
    return load()


def own_words(need: str) -> set[str]:
    """The words of an intent's name (« horaires », « mairie »), orientation aside."""
    own = {w for w in normalize(need.replace("_", " ").replace("/", " ")).split() if len(w) > 3}
    return own - {RETRIEVAL}


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


def sureness(ranking: list[dict[str, Any]], selector: dict[str, Any] | None) -> float:
    """DIET's confidence in its first intent; for `orientation`, times the ResponseSelector's
    confidence in the subject. « mon papa est décédé cette nuit à la maison à Favreuil » was
    read as orientation at 1.00, with the subject « titre de séjour » at 0.20: no sure reading.
    Real orientation questions of the holdout get a subject at 0.85 or more."""
    if not ranking:
        return 0.0
    confidence = float(ranking[0].get("confidence") or 0.0)
    if ranking[0].get("name") == RETRIEVAL:
        confidence *= float(selected_subject(selector).get("confidence") or 0.0)
    return confidence


def choose(
    text: str, ranking: list[dict[str, Any]], cues: Indices, sure: float | None = None
) -> str | None:
    """The intent to keep, or None: DIET sure enough, no cue, or no cue intent in its ranking.

    Exceptions to DIET's agreement, for a story (more than SHORT words) whose cues name one topic
    only: in « il sera enterré à Riencourt, dans le caveau de ses parents… » the story's other
    words push `cimetiere` out of DIET's ten best although « enterré » and « caveau » say it. And
    in « … elle veut voter à la présidentielle, moi je peux voter pour elle mais elle ne peut pas
    aller à la gendarmerie », DIET leans to the lists (0.69) on words no cue of theirs names, while
    « voter pour elle » says procuration: below `story_doubt`, the one cue wins.
    """
    if not ranking:
        return None
    story = len(normalize(text).split()) > SHORT
    top = str(ranking[0].get("name") or "")
    confidence = sure if sure is not None else float(ranking[0].get("confidence") or 0.0)
    lost = confidence < cues.lost
    # In a story, only the questions marked `recits`, unless DIET has no idea at all.
    asked = cues.question_in(text, story and not lost)
    # « on se marie en août à Beugnâtre, faut faire quoi » : DIET read a commune answer (0.80),
    # but a question asked is no bare commune name. « et pour se marier plutôt, c'est quoi la
    # démarche ? » after the Pacs: DIET read a follow-up (0.65), but the question says its topic
    # (the dialogue still reads it as a follow-up when the topic in course answers it).
    readings = (COMMUNE_ANSWER, FOLLOW_UP)
    # « bjr ma fille et son copain veulent se marier a ligny … » : DIET lost (0.17, an emergency
    # it does not believe), the question still says its topic.
    if asked and (is_topic(top) or top in readings or lost) and top not in cues.kept.get(asked, ()):
        # DIET's own choice, unsure (« … rentre en maternelle … » at 0.35), is made sure too.
        return asked if top != asked or confidence < cues.threshold else None
    named = set(cues.topics_in(text))
    if confidence >= cues.threshold:
        doubted = story and len(named) == 1 and confidence < cues.story_doubt
        return named.pop() if doubted and ranking[0].get("name") not in named else None
    subject = named_subject(text)
    if not named and subject:
        # « comment je fais pour avoir une carte vitale pour mon fils ? » names an outside body's
        # subject (the `mots` of territoire/orientation.yml, which the action server trusts over
        # the ResponseSelector): a new question, not a follow-up although « comment » asks how.
        # Short, and DIET about to ask « Vouliez-vous dire … ? »: the words settle it. In a story
        # (« je paie la taxe d'habitation …, ça me permet de voter là-bas ? ») DIET must agree.
        guess = f"{RETRIEVAL}/{subject}"
        if not story and confidence < unsure():
            return guess
        return guess if any(item.get("name") == RETRIEVAL for item in ranking) else None
    if not named:
        short = _short_reply(text)
        # « merci. et elle fait combien de personnes la salle ? » after the bins: DIET's topic
        # (salle_des_fetes, 0.56, above the fallback) said by a word of its own, not a follow-up.
        says_top = (
            is_topic(top)
            and confidence >= unsure()
            and own_words(top) & set(normalize(text).split())
        )
        named = {short} if short and not (short == FOLLOW_UP and says_top) else set()
    for item in ranking:  # DIET's order decides between several cue topics
        if item.get("name") in named:
            return str(item["name"])
    if len(named) == 1 and story:
        return named.pop()
    cued = cues.topics_in(text)  # not a guessed reply (« precision »): a topic's own words
    if len(cued) == 1 and confidence < cues.lost:
        return cued[0]
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
            selector = message.get(RESPONSE_SELECTOR_PROPERTY_NAME)
            sure = sureness(ranking, selector)
            text = message.get(TEXT) or ""
            chosen = choose(text, ranking, cues, sure)
            if chosen is not None:
                topic, _, subject = chosen.partition("/")
                intent = {"name": topic, "confidence": CONFIDENCE}
                put_first(message, intent, [r for r in ranking if r.get("name") != topic])
            elif ranking and ranking[0].get("name") == RETRIEVAL:
                # « pension de réversion » read as the young's: the words say the subject.
                subject = named_subject(text) or ""
                selected = selected_subject(selector).get("intent_response_key")
                subject = "" if selected == f"{RETRIEVAL}/{subject}" else subject
            else:
                continue
            if subject:
                message.set(
                    RESPONSE_SELECTOR_PROPERTY_NAME,
                    with_subject(selector, subject, CONFIDENCE),
                    add_to_output=True,
                )
        return messages


if __name__ == "__main__":
    print(indices().topics_in(" ".join(sys.argv[1:])) or "aucun indice")
