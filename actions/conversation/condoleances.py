"""A death in the family, told inside another question: condolences first, then the answer.

« ma mère est décédée à l'hôpital d'Arras hier, c'est la mairie d'Achiet qui fait l'acte de
décès ? » is an acte de décès question for the NLU, and « mon mari est mort, on m'a parlé de la
réversion » a pension one. The resident still lost someone: every answer then starts with the
condolences (once per conversation), and an acte de décès question hears which mairie writes the
act: the one where the death took place, which is not always the commune where the person lived.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation.context import latest_intent
from actions.territory.matching import CommuneMatcher
from actions.text import at_place, fold, folded_clauses, of_place

CONDOLENCES = "utter_deces_condoleances"
PLACE = "utter_deces_lieu"
RELATIVE = (
    r"(mon|ma|mes|notre|nos|son|sa|leur|le|la) (petit |grand |beau |belle )?"
    r"(mari|femme|epoux|epouse|compagnon|compagne|conjoint|conjointe|pere|mere|papa|maman|"
    r"papy|papi|mamie|mami|pepe|meme|fils|fille|frere|soeur|oncle|tante|neveu|niece|cousin|"
    r"cousine|enfant|bebe|parents?|grand pere|grand mere|belle mere|beau pere|ami|amie|voisin|"
    r"voisine|proche)\b"
)
DEATH = (
    r"\b(est |sont |vient de |viennent de )?(decede|decedee|decedes|deceder|mort|morte|morts|"
    r"mourir|parti pour toujours|partie pour toujours|nous a quitte|nous a quittee|"
    r"s est eteint|s est eteinte)\b"
)
# « décès de mon père ce matin » tells a death; « copie de l'acte de décès de ma mère » may be
# about a death long ago: only a recent time makes it news.
RECENTLY = (
    r"(hier|avant hier|ce matin|cette nuit|ce soir|aujourd hui|ajd|recemment|la semaine derniere|"
    r"le mois dernier|dimanche|lundi|mardi|mercredi|jeudi|vendredi|samedi)"
)
TOLD = re.compile(rf"{RELATIVE}.{{0,40}}?{DEATH}|\bdeces (de|d) {RELATIVE}.{{0,30}}\b{RECENTLY}\b")
# What comes after the death words in their sentence: where it happened (see place_after).
# Where it happened is only read once the message is known to tell a death: there, « elle est
# partie ce matin à l'EHPAD de Bapaume » says it too (not a sign of a death on its own).
AFTER_DEATH = re.compile(rf"({DEATH}|\b(est|sont) (parti|partie|partis)\b)(?P<rest>.*)")
NEXT_SENTENCES = 1  # SMS style cuts one sentence in fragments: « décédé dimanche. à Arras. »
AT_HOME = re.compile(
    r"\b(a la maison|a domicile|chez (nous|moi|elle|lui|eux)|dans (son|notre) lit)\b"
)


# « il y a 3 mois », « l'an dernier »: the first steps (certificate, declaration within 24 hours,
# funeral) are behind the family; what remains is the bank, the pension, the succession.
LONG_AGO = re.compile(
    r"\b(il y a|ca fait|cela fait|depuis) (\d+|un|une|deux|trois|quatre|cinq|six|quelques|"
    r"plusieurs) (semaines|mois|ans|an|annees|annee)\b|\b(l an dernier|l annee derniere|"
    r"le mois dernier|l annee passee)\b"
)


def long_ago(text: str) -> bool:
    """The death told happened weeks or more ago (not today's first steps)."""
    return LONG_AGO.search(fold(text).replace("'", " ")) is not None


def tells_a_death(text: str) -> bool:
    """The message says that someone close died (not « le mort de rire », not a form)."""
    return TOLD.search(fold(text).replace("'", " ")) is not None


def place_of_death(text: str, matcher: CommuneMatcher, home: str | None = None) -> str | None:
    """« … décédée à l'hôpital d'Arras hier » → "Arras"; « à la maison » → `home`."""
    return place_after(AFTER_DEATH, text, matcher, home)


def place_after(
    words: re.Pattern[str], text: str, matcher: CommuneMatcher, home: str | None
) -> str | None:
    """Where an event happened: a commune named after `words` in its sentence or the next one
    (of the territory or outside), or `home` (the resident's commune, when known) for « à la
    maison ». « décédé dimanche. à l'hôpital d'Arras. on habitait Riencourt » → Arras: a
    sentence that says where the family lives is not where it happened."""
    clauses = folded_clauses(text)
    said = next(((i, m) for i, c in enumerate(clauses) if (m := words.search(c))), None)
    if said is None:
        return None
    at, match = said
    rest = match.group("rest")
    for part in [rest, *clauses[at + 1 : at + 1 + NEXT_SENTENCES]]:
        found = matcher.find_in_text(part) if part.strip() else None
        if found is None or found.home:
            continue
        if found.commune is not None:
            return found.commune.nom
        if found.outside:
            return found.outside
    return home if AT_HOME.search(rest) else None


def condoled_before(tracker: Tracker) -> bool:
    """Said once: by the deces rule or by this module, earlier in the conversation."""
    return any(
        event.get("event") == "bot"
        and (
            (event.get("metadata") or {}).get("utter_action") == CONDOLENCES
            or "condoleances" in fold(str(event.get("text") or ""))
        )
        for event in tracker.events
    )


def comfort_first(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    matcher: CommuneMatcher,
    slots: dict[str, Any],
) -> None:
    """Condolences before an answer given to a message that tells a death; where the act is made.

    `slots` are the values the answer is about to use (type_acte of this very message).
    """
    message = tracker.latest_message or {}
    text = str(message.get("text") or "")
    if latest_intent(tracker) == "deces" or not tells_a_death(text):
        return  # the rule of the deces intent says its own condolences
    if not condoled_before(tracker):
        dispatcher.utter_message(response=CONDOLENCES)
    if slots.get("type_acte") == "deces":
        say_place(dispatcher, place_of_death(text, matcher))


def say_place(dispatcher: CollectingDispatcher, place: str | None) -> None:
    """« L'acte est fait à la mairie d'Arras »: where the death happened decides, not the home."""
    if place:
        dispatcher.utter_message(
            response=PLACE, lieu_deces_a=at_place(place), lieu_deces_de=of_place(place)
        )
