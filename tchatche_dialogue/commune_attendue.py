"""Answers to « Dans quelle commune ? » that DIET does not read as a commune.

« rue des écoles à Ligny-Thilloy », « je sais pas », « pour un anniversaire »: the question in
course keeps its thread (tchatche_dialogue/suivi.py decides what each becomes).
"""

from __future__ import annotations

import re

from actions.territory.matching import territory_matcher
from tchatche_dialogue.intents import KEPT, NOT_UNDERSTOOD
from tchatche_nlu.indices import indices
from tchatche_nlu.retrieval import RETRIEVAL
from tchatche_nlu.thresholds import SHORT
from tchatche_nlu.urgence_lexique import lexique, normalize

# An address given as the commune: « rue des écoles à Ligny », « 12 bis route de Bapaume … ».
ADDRESS = re.compile(
    r"(?:(?:c est|c|j habite|on habite|j habite au|au|a la|je suis|on est|moi)\s+)?"
    r"(?:\d+\s*(?:bis|ter)?\s+)?"
    r"(?:rue|route|chemin|place|avenue|av|impasse|allee|lotissement|lot|residence|hameau|"
    r"chaussee|boulevard|bd|sentier|ruelle|cite|square|quai|voie)\b"
)


def no_place(text: str) -> bool:
    """No commune of ours and none outside named in `text`."""
    found = territory_matcher().find_in_text(text)
    return found.commune is None and not found.outside and not found.ambiguous


def names_the_commune(text: str, insee: str | None) -> bool:
    """`text` names the commune whose INSEE code is `insee`, and no other."""
    found = territory_matcher().find_in_text(text)
    return bool(insee) and found.commune is not None and found.commune.insee == insee


def commune_given(text: str, intent: str, asked: bool) -> bool:
    """« rue de l'église à Morchies » right after « Dans quelle commune habitez-vous ? »: DIET
    understood nothing, and the CommuneAnswerClassifier wants the name alone. A short message
    naming one commune, and no topic, answers the question asked (a commune outside the
    territory is then said to be outside).

    An address is that answer whatever DIET reads in it: « rue des écoles à Ligny-Thilloy »
    after a broken street lamp is not a question about school."""
    words = normalize(text).split()
    if not asked or len(words) > SHORT or text.startswith("/"):
        return False
    if intent in KEPT or intent.startswith("urgence"):
        return False
    address = bool(ADDRESS.match(" ".join(words)))
    if not address and (intent != NOT_UNDERSTOOD or indices().topics_in(text)):
        return False
    found = territory_matcher().find_in_text(text)
    return found.commune is not None or bool(found.outside)  # outside: said to be so


VOTES_THERE = re.compile(r"\b(?:vote|votera|votent|votons|votais|votait)\s+(?:a|au|sur|dans)\b")
# Where the topic is the vote itself: « elle vote à Warlencourt » says where, asks nothing.
VOTING_TOPICS = frozenset({"procuration"})


def votes_there(text: str, intent: str, topic: str | None) -> bool:
    """« elle vote à Warlencourt » after a proxy vote: DIET read the electoral rolls; the
    message only gives the commune of the vote."""
    words = normalize(text).split()
    if topic not in VOTING_TOPICS or len(words) > SHORT or intent.startswith("urgence"):
        return False
    if not VOTES_THERE.search(" ".join(words)):
        return False
    found = territory_matcher().find_in_text(text)
    return found.commune is not None or bool(found.outside)


DOES_NOT_KNOW = re.compile(r"\b(sais pas|sait pas|jsp|chais pas|aucune idee|ne sais)\b")


def does_not_know(text: str) -> bool:
    words = normalize(text).split()
    return 0 < len(words) <= SHORT and DOES_NOT_KNOW.search(" ".join(words)) is not None


def detail_before_commune(text: str, intent: str, asked: bool, topic: str | None) -> bool:
    """« pour un anniversaire » right after « Dans quelle commune ? » about the salle des fêtes:
    a detail of the question in course, not understood alone. The topic is asked again, so the
    commune question comes back with it, instead of « Vouliez-vous dire … ? »."""
    if not asked or not topic or topic == RETRIEVAL or intent != NOT_UNDERSTOOD:
        return False
    words = normalize(text).split()
    if not words or len(words) > SHORT or text.startswith("/"):
        return False
    if DOES_NOT_KNOW.search(" ".join(words)) or indices().topics_in(text):
        return False
    return not lexique().only_names_someone(text)
