"""action_hors_secteur: a general answer given to someone who lives outside the territory says so.

Life events (encombrants, naissance, procuration…) get a general answer, without asking the
commune (data/rules_vie.yml). « jhabite achicourt, c'est quand le ramassage des encombrants ? »:
Achicourt is not one of the 26 communes, and its bulky waste is not the SMAV's. The resident hears
it first, and that what follows is general, the local part being with their own mairie. Nothing
is said when no place outside is named as the resident's home (« ma fille habite à Lille » is
someone else's town).

It is also where an aspect asked in the opening question is answered first (aspects.yml,
`des_la_question`), where the project read in the message is kept (slot `projet_etat_civil`:
the end of a Pacs is not its registration), and where a birth's own place is said
(actions/conversation/lieu_acte.py): this action is the local part of the life-event rules, and
a new action in a rule would change the training data of the NLU model (Rasa adds the actions of
rules to it), hence every answer of the model.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.commune import mentioned_commune, place_name
from actions.conversation.context import latest_intent
from actions.conversation.lieu_acte import say_birth_place
from actions.conversation.opening import ASPECT_SLOT, aspect_first
from actions.procedures import procedure_terms
from actions.territory.matching import territory_matcher
from actions.text import of_place

RESPONSE = "utter_hors_secteur"
PROJECT = "projet_etat_civil"  # chooses the variants of the answer that follows
BIRTH = "declaration_naissance"


def outside_home(tracker: Tracker) -> str | None:
    """The place outside the territory the latest message gives as the resident's home."""
    match, _ = mentioned_commune(tracker, territory_matcher())
    if match.commune is not None or not (match.home and match.outside):
        return None
    return place_name(match.outside)


class ActionHorsSecteur(Action):
    def name(self) -> str:
        return "action_hors_secteur"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        place = outside_home(tracker)
        if place:
            dispatcher.utter_message(response=RESPONSE, lieu=place, de_lieu=of_place(place))
        topic = latest_intent(tracker)
        if topic == BIRTH:
            say_birth_place(dispatcher, tracker)
        # « est-ce que je peux brûler mes branches ? » : the aspect asked, before the answer,
        # whose variants (condition on `precision_aspect`) then leave out what is not asked.
        answered = aspect_first(dispatcher, tracker, {"sujet": topic}, domain)
        message = tracker.latest_message or {}
        terms = procedure_terms(str(message.get("text") or ""), message.get("entities") or [])
        return [SlotSet(PROJECT, terms[PROJECT]), SlotSet(ASPECT_SLOT, answered)]
