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
    """The follow-up response that answers this question for the form's topic, else None."""
    topic = FORM_TOPICS.get(form)
    if not topic or not ("?" in text or QUESTION.search(fold(text).replace("'", " "))):
        return None
    responses = domain().get("responses") or {}
    for aspect in find_aspects(text):
        answer = topic_answer(topic, aspect, responses)
        if answer:
            return answer
    return None
