"""A message for the mairie, told where DIET reads something else.

« contacter la mairie pour un problème de fosse septique », or a reason given to « Voulez-vous
laisser un message ? »: the resident is writing to the mairie, whatever topic the words name.
"""

from __future__ import annotations

import re

from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.trackers import DialogueStateTracker

from actions.demandes.prefill import without_contact
from tchatche_dialogue.intents import KEPT
from tchatche_dialogue.urgence_policy import since_last_message
from tchatche_nlu.urgence_lexique import normalize

MESSAGE_WANTED = "message_voulu"
OFFER = "utter_proposer_demande"
# What the resident wants to tell the mairie: « pour un problème de… », « au sujet de… ».
SUBJECT = re.compile(
    r"\b(?:pour (?:un|une|mon|ma|mes|des|notre|nos|le|la|l)|"
    r"(?:au sujet|a propos) (?:de|du|des|d)(?: (?:un|une|mon|ma|mes|notre|nos|la|l))?|concernant) "
    r"(?!(?:numero|telephone|tel|adresse|mail|horaires?|heures?|rendez vous|rdv)\b)\w{3,}"
)


def has_a_subject(text: str) -> bool:
    return SUBJECT.search(normalize(text)) is not None


# « c'est pour un problème de voisinage » to « Voulez-vous laisser un message ? »: the reason,
# so a yes with the message in it.
PURPOSE = re.compile(
    r"^(?:c est |c |cest |ce serait |ca serait )?(?:pour|au sujet|a propos|concernant)\b"
)


# « envoyer » to « Voulez-vous laisser un message ? »: DIET read the CAF (orientation).
SEND = frozenset(
    {"envoyer", "envoyez", "envoie", "j envoie", "laisser un message", "ecrire un message",
     "je veux ecrire", "oui envoyer", "ecrire", "un message"}
)  # fmt: skip


def _after_the_offer(tracker: DialogueStateTracker) -> bool:
    actions, _ = since_last_message(tracker)  # the turn that ended with the offer
    return [a for a in actions if a != ACTION_LISTEN_NAME][-1:] == [OFFER]


def sends_to_the_offer(text: str, tracker: DialogueStateTracker) -> bool:
    return (normalize(text).strip() in SEND or only_a_contact(text)) and _after_the_offer(tracker)


# « jean.dupuis@example.fr », « Dupont 06 12 34 56 78 » to « Voulez-vous laisser un message ? »:
# a way to answer, so a yes. DIET read an e-mail address as a residence permit. The contact is
# read with the form's own patterns, so that the form then takes it (actions/demandes/prefill.py).
NAME_WORDS = 4  # « Mme Martine Leroy » beside the contact, no more


def only_a_contact(text: str) -> bool:
    rest = without_contact(text)
    if rest == text:
        return False
    return len(normalize(rest).split()) <= NAME_WORDS


def message_written(text: str, intent: str, tracker: DialogueStateTracker) -> bool:
    """« c'est pour savoir si je peux mettre une caravane dans mon jardin » after « Écrivez
    votre message ici »: the message itself, whatever topic DIET reads in it. The resident said
    they wanted to write to the mairie (slot `message_voulu`); the form takes it as the message.
    After « Voulez-vous laisser un message ? », a reason (« c pour un problème de voisinage »)
    is that message too. A danger, a no, thanks or goodbye keep their reading."""
    if not _after_the_offer(tracker):
        return False
    if intent in KEPT or intent.startswith("urgence") or text.startswith("/"):
        return False
    words = normalize(text)
    if not tracker.get_slot(MESSAGE_WANTED) and not PURPOSE.match(words):
        return False
    return len(words.split()) >= 3
