"""Which mairie writes the act of a death or a birth, named for this family.

The general answer says « la mairie de la commune où a eu lieu le décès (où l'enfant est né), pas
celle où vous habitez ». A resident who writes « mon mari est décédé à l'hôpital d'Arras » or
« elle a accouché à la maison cette nuit, à Ligny-Thilloy » should not have to work it out: the
answer names the commune. For a birth in the territory it adds the mairie's telephone and next
opening, because the five days run from the birth. « À la maison » means the resident's own
commune, when it is known. action_lieu_deces runs in the deces rule; the birth's place is said by
action_hors_secteur, already in the birth rule (data/rules_vie.yml), so that the rules, hence
the trained model, stay as they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import clock
from actions.commune import EXAMPLE_NOTE, resident_commune
from actions.conversation.condoleances import long_ago, place_after, place_of_death, say_place
from actions.conversation.context import user_events
from actions.territory.hours import fmt_time, opening_state
from actions.territory.loader import territory
from actions.territory.matching import CommuneMatcher, territory_matcher
from actions.text import at_place, of_place

BIRTH_PLACE = "utter_declaration_naissance_lieu"
MAIRIE_OF_PLACE = "utter_mairie_du_lieu"
ACT_OF_PLACE = "utter_etat_civil_acte_du_lieu"  # « Votre acte est à la mairie d'Arras. »
CIVIL_STATUS = "etat_civil"  # a copy of a birth, marriage or death act
BIRTH = (
    r"\b(accouche|accouchee|accoucher|(est|sont|etre) (ne|nee|nes|nees)|vient de naitre|"
    r"viennent de naitre|naissance|donne naissance|"
    r"((a|ai|jai|avons|ont) eu|(vient|viens|venons|viennent) d avoir) "
    r"(un|une|son|sa|notre|leur|mon|ma) (bebe|nouveau ne|petit garcon|petite fille|jumeaux|"
    r"jumelles))\b"
)
AFTER_BIRTH = re.compile(rf"{BIRTH}(?P<rest>.*)")
ANYWHERE = re.compile(r"(?P<rest>.*)")  # a place said alone, as the answer to « where? »


def place_of_birth(text: str, matcher: CommuneMatcher, home: str | None = None) -> str | None:
    """« … accouché à la maternité d'Arras » → "Arras"; « à la maison » → `home`."""
    return place_after(AFTER_BIRTH, text, matcher, home)


def opening(commune_nom: str) -> tuple[str, str, str] | None:
    """(telephone, when it is open next, example note) of a territory mairie; None outside."""
    commune = territory().by_name(commune_nom)
    if commune is None:
        return None
    now = clock.now()
    state = opening_state(commune.mairie.horaires, now)
    if state.closes_at is not None:
        when = f"ouverte en ce moment, jusqu'à {fmt_time(state.closes_at)}"
    else:
        when = f"prochaine ouverture {state.describe_next(now)}"
    return commune.mairie.telephone, when, EXAMPLE_NOTE if commune.exemple else ""


def latest_text(tracker: Tracker) -> str:
    return str((tracker.latest_message or {}).get("text") or "")


def place_in_message(
    tracker: Tracker, read: Callable[[str, CommuneMatcher, str | None], str | None]
) -> str | None:
    """The place `read` finds in this message, « à la maison » being the resident's commune: the
    three readings (a death, a birth, a place said alone) share the matcher and that home."""
    matcher = territory_matcher()
    return read(latest_text(tracker), matcher, resident_commune(tracker, matcher))


class ActionLieuDeces(Action):
    """In the deces rule, after the condolences: « mon mari est décédé à l'hôpital d'Arras » hears
    that the mairie of Arras writes the act, before the steps in order."""

    def name(self) -> str:
        return "action_lieu_deces"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        say_place(dispatcher, place_in_message(tracker, place_of_death))
        # The steps that follow in the rule depend on it (domain.yml, variants of utter_deces…).
        return [SlotSet("deces_ancien", long_ago(latest_text(tracker)))]


def say_birth_place(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """« La naissance a eu lieu à Ligny-Thilloy : déclarez-la à la mairie de Ligny-Thilloy. »"""
    place = place_in_message(tracker, place_of_birth)
    if place:
        say_birth_at(dispatcher, place)


def say_birth_at(dispatcher: CollectingDispatcher, place: str) -> None:
    dispatcher.utter_message(response=BIRTH_PLACE, lieu_a=at_place(place), lieu_de=of_place(place))
    say_mairie_of(dispatcher, place)


def say_mairie_of(dispatcher: CollectingDispatcher, place: str) -> None:
    """« Mairie de Ligny-Thilloy : 03 …, prochaine ouverture mercredi 23 décembre à 10 h. »: the
    delay runs (24 hours for a death, five days for a birth), so when it opens matters."""
    local = opening(place)
    if local:
        telephone, when, note = local
        dispatcher.utter_message(
            response=MAIRIE_OF_PLACE,
            lieu_de=of_place(place),
            telephone=telephone,
            ouverture=when,
            mention_exemple=note,
        )


def told_place(text: str, matcher: CommuneMatcher, home: str | None = None) -> str | None:
    """The place the resident answers on its own, after the answer about a death or a birth:
    « à la maison » → `home`; « à l'hôpital d'Arras » → "Arras"; « à l'hôpital » → None."""
    return place_after(ANYWHERE, text, matcher, home)


def say_act_of(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """« je suis né à Arras » after a copy of an act was asked: the act is kept where the event
    happened, so the resident reads that mairie's name (and its telephone when it is ours)."""
    place = place_in_message(tracker, told_place)
    if not place:
        return False
    dispatcher.utter_message(response=ACT_OF_PLACE, lieu_de=of_place(place))
    say_mairie_of(dispatcher, place)
    return True


EARLIER_MESSAGES = 4  # how far back « où ? » looks for the place of the birth or the death


def place_told_before(tracker: Tracker, topic: str) -> str | None:
    """« j'ai eu un bébé samedi à la clinique d'Arras », then « on doit la déclarer où ? »: the
    place said in an earlier message of the conversation answers the question."""
    read = place_of_birth if topic == "declaration_naissance" else place_of_death
    matcher = territory_matcher()
    home = resident_commune(tracker, matcher)
    for event in user_events(tracker)[1 : 1 + EARLIER_MESSAGES]:  # before this message
        place = read(str(event.get("text") or ""), matcher, home)
        if place:
            return place
    return None


def say_told_place(topic: str | None, dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """For the follow-up `lieu_evenement` (« à la maison », « à l'hôpital d'Arras »): which mairie
    writes the act, with its telephone and next opening. False when no commune can be named:
    the topic's general answer is then played."""
    if topic == CIVIL_STATUS:
        return say_act_of(dispatcher, tracker)
    if topic not in ("deces", "declaration_naissance"):
        return False
    place = place_in_message(tracker, told_place) or place_told_before(tracker, topic)
    if not place:
        return False
    if topic == "deces":
        say_place(dispatcher, place)
        say_mairie_of(dispatcher, place)
    else:
        say_birth_at(dispatcher, place)
    return True
