"""A greeting with a question in it, and an opening that says nothing yet.

« bonjour les horaires svp » is read by DIET as a greeting; « je voudrais savoir » as anything.
tchatche_dialogue/suivi.py reads the rest again, or waits for the question.
"""

from __future__ import annotations

from typing import Any

from tchatche_dialogue.intents import GREETING, NOT_UNDERSTOOD
from tchatche_nlu.urgence_lexique import normalize

# Greetings proper (not « la mairie », « merci »): a message that opens with one and is not
# understood is read again without it.
OPENING_GREETINGS = frozenset("bonjour bonsoir salut slt bjr coucou hello".split())
GREETING_WORDS = OPENING_GREETINGS | frozenset(
    "re madame monsieur mme mr messieurs dames svp merci a tous tout le monde la mairie".split()
)
MORE_THAN_A_GREETING = 4  # other words: a greeting with a question in it

# Words of an opening that says nothing yet: « je voudrais savoir », « c'est pour une question ».
FILLER = frozenset(
    "je j jai ai voudrais voudrai voulais voudrait veux souhaite souhaiterais aimerais savoir "
    "demander vous une un petite question questions renseignement renseignements renseigner info "
    "infos information informations c est ce pour bonjour bonsoir salut madame monsieur svp stp "
    "s il plait excusez moi euh alors voila avoir poser me desole pardon a propos quelque chose "
    "bjr slt aurais aurai des d quelques".split()
)
ASKING = frozenset(
    "savoir demander question questions renseignement renseignements renseigner info infos "
    "information informations".split()
)
# « je voudrais », « j'aimerais » sent alone (an elderly resident types in pieces): the wish is
# said, its object comes next. DIET read « je voudrais » as nothing (0.45), and the menu of
# « Vouliez-vous dire » offered building permits. « je veux » alone may be a yes: not here.
WANTING = frozenset("voudrais voudrai voulais souhaite souhaiterais aimerais".split())


# Words said with a greeting that ask nothing: « bonjour ça va », « coucou Tchatche ».
SMALL_TALK = frozenset("ca sa va vous allez comment tchatche bien et toi vs oui ok".split())


def greets(text: str, intent: str, parse: dict[str, Any]) -> bool:
    """DIET read a greeting, or did not understand a message that opens with one (« bonjour,
    c'est un robot ? »: 0.45)."""
    if intent == GREETING:
        return True
    words = normalize(text).split()
    if intent != NOT_UNDERSTOOD or not words:
        return False
    # « bonjour je suis une dame agee » : DIET hesitated with a commune first (0.38); a message
    # that opens with a greeting proper is read again without it, whatever came first.
    if words[0] in OPENING_GREETINGS:
        return True
    ranking = [r.get("name") for r in parse.get("intent_ranking") or []]
    others = [name for name in ranking if name != NOT_UNDERSTOOD]
    return others[:1] == [GREETING] and words[0] in GREETING_WORDS


def after_the_greeting(text: str) -> str:
    """The words after the greeting that may ask something (« les horaires svp »), or ""."""
    words = normalize(text).split()
    while words and words[0] in GREETING_WORDS:
        words.pop(0)  # the greeting opens the message; « la mairie » later is the question's
    return "" if set(words) <= FILLER | SMALL_TALK else " ".join(words)


# « ok merci. la mairie c quoi le num » : thanks, then a new question. DIET read the thanks (0.40).
THANKS_WORDS = frozenset("ok okay oki merci beaucoup d accord parfait super top tres bien".split())


def after_the_thanks(text: str) -> str:
    """The words after an opening « ok merci » that may ask something else, or ""."""
    words = normalize(text).split()
    if not words or words[0] not in THANKS_WORDS or "merci" not in words[:4]:
        return ""
    while words and words[0] in THANKS_WORDS:
        words.pop(0)
    return " ".join(words) if len(words) >= MORE_THAN_A_GREETING else ""


def more_than_a_greeting(text: str) -> bool:
    words = normalize(text).split()
    return len([w for w in words if w not in GREETING_WORDS]) >= MORE_THAN_A_GREETING


def says_nothing_yet(text: str) -> bool:
    """Only filler words, one of them asking or wanting: the question is still to come."""
    words = normalize(text).split()
    return bool(words) and set(words) <= FILLER and bool(set(words) & (ASKING | WANTING))
