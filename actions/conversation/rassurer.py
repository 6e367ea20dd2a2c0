"""A resident who says they are not at ease with the chat hears « prenez votre temps » first.

« bonjour je suis agée et je comprend pas bien internet » or « j'ai 85 ans et j'y comprends
rien » asks nothing yet: DIET reads a follow-up (`precision`) with no topic, whose answer
« De quel sujet parlez-vous ? » sounds like a reproach. The same menu of themes then comes with
words that reassure and say what the assistant is (never a person).
"""

from __future__ import annotations

import re

from actions.text import fold

REASSURE = "utter_rassurer"
ILL_AT_EASE = re.compile(
    r"\b(je suis|jsuis|chuis|j suis) (un peu |tres |trop )?"
    r"(age|agee|ages|agees|vieux|vieille|pas doue|pas douee|nul|nulle|perdu|perdue)\b"
    r"|\bj ?ai (plus de )?[6-9]\d ans\b"
    r"|\b(comprends?|connais) (pas|rien|pas bien|pas grand chose)( a)? "
    r"(internet|l ordinateur|l ordi|le telephone|ces machines|ces trucs|ca|tout ca|ce site)\b"
    r"|\by comprends? rien\b"
    r"|\bpas (a l aise|doue|douee|habitue|habituee) avec\b"
    r"|\bsais pas (bien )?(me servir|utiliser|ecrire|taper)\b"
)


def ill_at_ease(text: str) -> bool:
    """The message says the resident finds the chat or the internet hard."""
    return ILL_AT_EASE.search(fold(text).replace("'", " ")) is not None
