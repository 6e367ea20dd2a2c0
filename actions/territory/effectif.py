"""How many people the resident expects in the salle des fêtes, against its capacity.

« on sera 120 » after the salle of a commune that takes 100: the answer must say it is too small,
not repeat « jusqu'à 100 personnes » and leave the sum to the resident. Only a number said as a
head-count counts (« on sera 120 », « pour 80 personnes », « 45 invités »): « le 12 juin » or
« 150 € » are not people.
"""

from __future__ import annotations

import re

from actions.territory.model import Commune
from actions.text import fold

# « on sera 120 », « nous serions environ 80 » : the number after the verb.
AFTER_VERB = re.compile(
    r"\b(?:on sera|on serait|on va etre|nous serons|nous serions|on est|nous sommes)\s+"
    r"(?:environ |a peu pres |pres de |plus de |au moins |dans les )?(\d{1,4})\b"
)
# « 120 personnes », « pour 80 pers », « 45 invites » : the number before the people.
BEFORE_PEOPLE = re.compile(
    r"\b(\d{1,4})\s*(?:personnes?|pers|invites?|convives?|adultes?|participants?|gens)\b"
)


def head_count(text: str) -> int | None:
    """The number of people said in the message, else None."""
    folded = fold(text)
    found = AFTER_VERB.search(folded) or BEFORE_PEOPLE.search(folded)
    if found is None:
        return None
    count = int(found.group(1))
    return count if count > 0 else None


SALLE_TOPIC = "salle_des_fetes"


def head_count_facts(topic: str | None, commune: Commune | None, text: str) -> dict[str, object]:
    """`salle_effectif` (the number said) and `salle_assez_grande`, read by the salle's capacity
    answer, whether it comes first (the opening question) or as a follow-up; empty for every
    other topic. None for both when no number of people is said, so that an earlier turn's sum
    is not kept."""
    if topic != SALLE_TOPIC or commune is None:
        return {}
    salle = commune.salle_des_fetes
    count = head_count(text) if salle is not None else None
    if salle is None or count is None:
        return {"salle_effectif": None, "salle_assez_grande": None}
    return {"salle_effectif": str(count), "salle_assez_grande": count <= salle.capacite}
