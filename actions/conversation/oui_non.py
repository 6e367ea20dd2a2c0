"""action_oui_non: « oui » and « non » understood against the question the assistant just asked.

The meaning of each answer per question is in oui_non.yml, which designers edit: a response to
play, or an intent to play as if the resident had asked it. Forms keep their own yes and no (the
rules of data/ that follow a form's question are more specific and win).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation.context import last_bot_response, words
from actions.conversation.generale import general_answer
from actions.conversation.redirect import replay
from actions.documents.action import french_date
from actions.documents.sent import last_document
from actions.text import fold

TABLE_FILE = Path(__file__).with_name("oui_non.yml")
# Run here rather than as a follow-up action, which would need one more rule to stop after it.
LOCAL_ACTIONS = {"action_reponse_generale": general_answer}
ANSWERS = ("oui", "non")


@dataclass(frozen=True)
class Meaning:
    oui: str
    non: str


@lru_cache(maxsize=1)
def document_words(path: Path = TABLE_FILE) -> tuple[str, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return tuple(words(str(w)).strip() for w in data.get("renvoyer_document_si") or [])


@lru_cache(maxsize=1)
def topic_documents(path: Path = TABLE_FILE) -> dict[str, str]:
    """Topic → the words that find its document in the GED (`document_du_sujet`)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(k): str(v) for k, v in (data.get("document_du_sujet") or {}).items()}


@lru_cache(maxsize=1)
def table(path: Path = TABLE_FILE) -> tuple[dict[str, Meaning], Meaning]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    questions = {}
    for key, entry in (data.get("questions") or {}).items():
        missing = [a for a in ANSWERS if not entry.get(a)]
        if missing:
            raise ValueError(f"{path.name} : « {key} » n'a pas de réponse pour {missing[0]}.")
        questions[str(key)] = Meaning(str(entry["oui"]), str(entry["non"]))
    default = data.get("sans_question") or {}
    return questions, Meaning(str(default.get("oui")), str(default.get("non")))


def meaning_after(question: str | None) -> Meaning:
    questions, default = table()
    if not question:
        return default
    if question in questions:
        return questions[question]
    for key, value in questions.items():
        if key.startswith("*") and question.endswith(key[1:]):
            return value
    return default


# « non, je préfère pas dire ma commune », « c'est juste pour savoir en général ».
KEEPS_THE_COMMUNE = re.compile(
    r"\b(prefere pas|pas envie de|veux pas|voudrais pas|sans)\b.{0,20}\b(dire|donner|preciser)\b"
    r".{0,20}\b(commune|ville|village|ou j habite)\b|\ben general\b|\bjuste pour savoir\b"
)


def keeps_the_commune(text: str) -> bool:
    return KEEPS_THE_COMMUNE.search(fold(text).replace("'", " ")) is not None


def resend(dispatcher: CollectingDispatcher, custom: dict[str, Any]) -> None:
    """The same document message again, its link unchanged (still valid for the day)."""
    doc = custom["document"]
    try:
        day = doc.get("quand") or french_date(date.fromisoformat(str(doc.get("date"))))
    except ValueError:
        day = ""
    dispatcher.utter_message(
        response="utter_document_envoye",
        json_message=custom,
        titre=doc.get("titre"),
        type_document=doc.get("type"),
        date_document=day,
        taille=doc.get("taille"),
        lien=doc.get("url"),
    )


class ActionOuiNon(Action):
    def name(self) -> str:
        return "action_oui_non"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        message = tracker.latest_message or {}
        text = str(message.get("text") or "")
        answer = "oui" if (message.get("intent") or {}).get("name") == "affirmer" else "non"
        padded = words(text)
        document = last_document(tracker)
        if answer == "oui" and document and any(f" {w} " in padded for w in document_words()):
            resend(dispatcher, document)
            return []
        if answer == "non" and keeps_the_commune(text):
            # « non je préfère pas dire ma commune, c'est juste pour savoir en général » : the
            # general answer, as for « non » to « Dans quelle commune ? ».
            return general_answer(dispatcher, tracker, domain)
        meaning = meaning_after(last_bot_response(tracker))
        target = meaning.oui if answer == "oui" else meaning.non
        if target.startswith("utter_"):
            dispatcher.utter_message(response=target)
            return []
        if target in LOCAL_ACTIONS:
            return LOCAL_ACTIONS[target](dispatcher, tracker, domain)
        if target.startswith("action_") or target.endswith("_form"):
            return [FollowupAction(target)]
        return replay(target, text)
