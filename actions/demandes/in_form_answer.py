"""A question on the form's own topic is answered where it is asked, and the form goes on.

« il faut quels papiers ? » while a passport's booking waits for a time slot: leaving the form
(« rien n'a été envoyé ») would lose the booking for a question its own topic answers. The answer
is the topic's follow-up response (`utter_precision_<sujet>_<aspect>`, the aspects of
actions/conversation/aspects.yml), then the form asks its question again.
"""

from __future__ import annotations

import re

from actions.conversation.aspects import find_aspects, topic_answer
from actions.sujets import domain
from actions.text import fold

# The topic each form is about: its follow-ups are answered inside the form.
FORM_TOPICS = {"rendez_vous_form": "carte_identite_passeport"}
RESUMED = "utter_formulaire_reprise"
# A question, not an answer: a question mark, or the words that open one.
QUESTION = re.compile(
    r"^(?:et |mais |au fait |sinon )?(?:est ce qu|c est combien|combien|quel|quelle|quels|"
    r"quelles|comment|pourquoi|faut il|il faut|faut quoi|je dois|on doit|dois je|doit on)\b"
)


def answer_for(text: str, form: str) -> str | None:
    """The follow-up response that answers this question for the form's topic, else None.

    A statement is answered too when its aspect changes the topic's answer from the first
    question on (`des_la_question`): « c pour ma fille de 12 ans » at the choice of a time slot
    is not a slot, but what the resident must know before coming (the child comes too)."""
    topic = FORM_TOPICS.get(form)
    if not topic:
        return None
    asks = "?" in text or QUESTION.search(fold(text).replace("'", " ")) is not None
    responses = domain().get("responses") or {}
    for aspect in find_aspects(text):
        if not asks and topic not in aspect.opening_topics:
            continue
        answer = topic_answer(topic, aspect, responses)
        if answer:
            return answer
    return None
