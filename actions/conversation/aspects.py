"""Which aspect of the topic a follow-up asks about (aspects.yml, edited by designers)."""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from actions.conversation.context import words
from actions.text import NUMBER_WORD, says_keyword

ASPECTS_FILE = Path(__file__).with_name("aspects.yml")
PREFIX = "utter_precision_"  # utter_precision_<sujet>_<aspect>: a topic's answer to an aspect


@dataclass(frozen=True)
class Aspect:
    name: str
    keywords: tuple[str, ...]
    otherwise: str | None  # intent replayed when the topic has no answer for this aspect
    topic_suffixes: tuple[str, ...] = ()  # utter_<topic><suffix>: the topic's own answer to it
    replay_topics: tuple[str, ...] = ()  # topics whose own question, asked again, answers it
    final_keywords: tuple[str, ...] = ()  # ending the message, they put this aspect first
    like: str | None = None  # answered with the responses of that other aspect (`comme`)
    opening_topics: tuple[str, ...] = ()  # asked in the topic's first question: answered first
    prevails: bool = False  # a follow-up even when it names another topic (`l_emporte`)


GLUED_UNIT = re.compile(r"(\d)([a-z])")  # « 12m2 », « 4ans »: the number and its unit apart
# « l'adresse mail » is an e-mail, not a place: one word, so that « adresse » (lieu) is not read.
EMAIL_ADDRESS = re.compile(r"\badresse (?:e ?mail|mail|mel|electronique)\b")


def _padded(text: str) -> str:
    return EMAIL_ADDRESS.sub("courriel", GLUED_UNIT.sub(r"\1 \2", words(text)))


def _keyword(raw: str) -> str:
    """« ou ? » → « ou qmark », « on est # » → « on est qnombre »: the messages' folding."""
    star = raw.endswith("*")
    folded = _padded(raw.rstrip("*").replace("#", f" {NUMBER_WORD} ")).strip()
    return folded + ("*" if star else "")


@lru_cache(maxsize=1)
def aspects(path: Path = ASPECTS_FILE) -> tuple[Aspect, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    result = []
    for name, entry in (data.get("aspects") or {}).items():
        keywords = tuple(_keyword(str(k)) for k in entry.get("mots") or [])
        if not keywords:
            raise ValueError(f"{path.name} : l'aspect « {name} » n'a pas de mots.")
        suffixes = tuple(str(x) for x in entry.get("reponse_du_sujet") or [])
        replay = tuple(str(x) for x in entry.get("rejouer_le_sujet") or [])
        final = tuple(_keyword(str(k)) for k in entry.get("en_fin") or [])
        like = entry.get("comme")
        opening = tuple(str(x) for x in entry.get("des_la_question") or [])
        prevails = bool(entry.get("l_emporte"))
        result.append(
            Aspect(
                str(name),
                keywords,
                entry.get("sinon"),
                suffixes,
                replay,
                final,
                like,
                opening,
                prevails,
            )
        )
    return tuple(result)


def find_aspects(text: str) -> list[Aspect]:
    """Every aspect of aspects.yml named in the message, in the file's order (its priority).

    All of them, not the first: « elle habite à Lille, c'est où qu'elle vote ? » names a place
    and another commune; the topic may answer only one of the two. The question word that ends
    the message (`en_fin`) goes first: « je dois aller où ? » asks where, not who.
    """
    padded = _padded(text)
    found = [a for a in aspects() if any(says_keyword(k, padded) for k in a.keywords)]
    ending = padded.replace(" qmark ", " ").rstrip() + " "
    last = [a for a in aspects() if any(ending.endswith(f" {k} ") for k in a.final_keywords)]
    return last + [a for a in found if a not in last]


def find_aspect(text: str) -> Aspect | None:
    """The first aspect of aspects.yml named in the message (the file's order is the priority)."""
    found = find_aspects(text)
    return found[0] if found else None


def candidates(topic: str, aspect: Aspect, orientation_subject: str | None) -> list[str]:
    names = []
    if topic == "orientation" and orientation_subject:
        names.append(f"{PREFIX}orientation_{orientation_subject}_{aspect.name}")
    names.append(f"{PREFIX}{topic}_{aspect.name}")
    if aspect.like:
        if topic == "orientation" and orientation_subject:
            names.append(f"{PREFIX}orientation_{orientation_subject}_{aspect.like}")
        names.append(f"{PREFIX}{topic}_{aspect.like}")
    names += [f"utter_{topic}{suffix}" for suffix in aspect.topic_suffixes]
    return names


def topic_answer(
    topic: str, aspect: Aspect, responses: Container[str], subject: str | None = None
) -> str | None:
    """The topic's own follow-up response to this aspect (utter_precision_…), else None: the
    one check behind « does the topic in course answer it ? », in Rasa's process and in forms."""
    return next(
        (n for n in candidates(topic, aspect, subject) if n.startswith(PREFIX) and n in responses),
        None,
    )
