"""« La mairie est ouverte le 24 décembre ? », « les poubelles passent à Noël ? »: one day's answer.

The day comes from the resident's message (dates.py); the answer from the commune's own data:
the mairie's weekly hours and exceptional closures, the public holidays (holidays.py), the
collection days and the territory's rule for collections on a holiday (territoire.yml,
`jours_feries_sans_collecte` and `report`, the rule the generated collection calendars print),
the déchetterie's hours. action_preparer_reponse puts the sentence in the slot `jour_demande`;
the topic's first response (domain.yml) says it instead of the « right now » sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from rasa_sdk import Tracker

from actions import clock
from actions.territory.dates import AskedDay, day_label, find_day, short_label, weekday_date
from actions.territory.holidays import holiday_name
from actions.territory.hours import (
    DAY_NAMES,
    HORIZON_DAYS,
    NO_OPENING,
    closure_on,
    fmt_ranges,
    fmt_time,
    opening_state,
    ranges_on,
)
from actions.territory.model import Commune, GestionDechets, Schedule, Territory
from actions.text import at_place, fold, of_place

# Topics whose answer changes with the day asked; the value of the slot `jour_demande_pour`.
DAY_TOPICS = ("horaires_mairie", "collecte_dechets", "dechetterie")
# The intent of an answer to « Dans quelle commune habitez-vous ? »: the day was in the question.
COMMUNE_ANSWER = "informer_commune"
EMPTY: dict[str, Any] = {"jour_demande": None, "jour_demande_pour": None}
# « ça rouvre quand ? », « la réouverture » : asked about the day asked just before.
REOPENING = re.compile(r"\b(rouvr|reouvr|reouverture|reprend)")
# « elle rouvre quand après les fêtes ? » : after the year-end closures, read from New Year's Day.
AFTER_THE_FEASTS = re.compile(
    r"\bapres (les fetes|les fetes de fin d annee|le nouvel an|le jour de l an|"
    r"les vacances de noel|les vacances de fin d annee|les conges de fin d annee)\b"
)
NEW_YEAR = "jour de l an"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _next_opening(schedule: Schedule, day: date, today: date) -> str:
    """« le lundi 4 janvier à 8 h 30 »: the first opening after that day."""
    for offset in range(1, HORIZON_DAYS):
        later = day + timedelta(days=offset)
        ranges = ranges_on(schedule, later)
        if ranges:
            when = "demain" if later == today + timedelta(days=1) else short_label(later, today)
            return f"{when} à {fmt_time(ranges[0].start)}"
    return ""


def _place_day(place: str, schedule: Schedule, day: date, now: datetime, contact: str) -> str:
    """Open or closed that day, and why; if closed, when it reopens. `place`: « la mairie de X ».

    `contact`: how to reach it (a sentence), said when no opening is planned in two months.
    """
    today = now.date()
    label = _cap(day_label(day, today))
    reopening = _next_opening(schedule, day, today)
    again = f" Elle rouvre {reopening}." if reopening else f" {NO_OPENING} {contact}"
    holiday = holiday_name(day)
    closure = closure_on(schedule, day)
    if holiday:
        return f"{label} est férié : {place} est fermée.{again}"
    if closure:
        return f"{label}, {place} est fermée (fermeture exceptionnelle : {closure.reason}).{again}"
    ranges = ranges_on(schedule, day)
    if not ranges:
        return (
            f"{label}, {place} est fermée : elle n'ouvre pas le {DAY_NAMES[day.weekday()]}.{again}"
        )
    sentence = f"{label}, {place} est ouverte {fmt_ranges(ranges)}."
    if day == today:
        state = opening_state(schedule, now)
        if state.closes_at is not None:
            sentence += f" Elle est ouverte en ce moment, jusqu'à {fmt_time(state.closes_at)}."
        elif now.time().replace(tzinfo=None) >= ranges[-1].end:
            sentence += f" Elle est fermée pour aujourd'hui.{again}"
    return sentence


@dataclass(frozen=True)
class _Round:
    """One kind of collection of a commune: its weekday and, every other week, its parity."""

    what: str  # « la collecte des ordures ménagères »
    weekday: int
    parity: int | None  # ISO week number modulo 2, None when weekly

    def scheduled(self, day: date) -> bool:
        week_parity = day.isocalendar().week % 2
        return day.weekday() == self.weekday and self.parity in (None, week_parity)


def _rounds(commune: Commune) -> list[_Round]:
    """The commune's collections, read from its sheet (« lundi, semaines paires »)."""
    rounds = []
    for what, text in (
        ("la collecte des ordures ménagères", commune.collecte.ordures_menageres),
        ("la collecte du tri sélectif", commune.collecte.tri_selectif),
    ):
        words = fold(text).split()
        weekday = next((DAY_NAMES.index(w) for w in words if w in DAY_NAMES), None)
        if weekday is None:
            continue
        parity = 1 if "impaires" in words else 0 if "paires" in words else None
        rounds.append(_Round(what, weekday, parity))
    return rounds


def _postponed_by(waste: GestionDechets) -> int | None:
    """Days a cancelled collection moves by, from the territory's rule (« au lendemain »)."""
    return 1 if "lendemain" in fold(waste.report) else None


def _collection_day(commune: Commune, terr: Territory, day: date, today: date) -> str:
    waste = terr.dechets
    shift = _postponed_by(waste)
    holiday = holiday_name(day)
    cancelled = holiday in waste.jours_feries_sans_collecte if holiday else False
    label = _cap(day_label(day, today))
    parts: list[str] = []
    concerned: set[str] = set()
    for rnd in _rounds(commune):
        before = day - timedelta(days=shift or 1)
        if rnd.scheduled(day):
            concerned.add(rnd.what)
            if cancelled and shift:
                moved = weekday_date(day + timedelta(days=shift), today)
                parts.append(f"{rnd.what} {of_place(commune.nom)} est reportée au {moved}")
            elif cancelled:
                parts.append(f"{rnd.what} {of_place(commune.nom)} n'a pas lieu : {waste.report}")
            else:
                parts.append(f"{rnd.what} {of_place(commune.nom)} a lieu comme d'habitude")
        elif (
            shift
            and rnd.scheduled(before)
            and holiday_name(before) in (waste.jours_feries_sans_collecte)
        ):
            concerned.add(rnd.what)
            origin = f"{weekday_date(before, today)} ({holiday_name(before)})"
            parts.append(
                f"{rnd.what} {of_place(commune.nom)} a lieu ce jour-là, reportée du {origin}"
            )
    usual = (
        f"les ordures ménagères sont ramassées le {commune.collecte.ordures_menageres}, "
        f"le tri sélectif le {commune.collecte.tri_selectif}"
    )
    if holiday and not cancelled:
        head = f"{label} est férié, mais la collecte est maintenue"
    elif holiday:
        head = f"{label} est férié : pas de collecte ce jour-là"
    else:
        head = label
    if not parts and holiday:
        # No round of this commune falls that day: the rule for moved rounds (« reportée au
        # lendemain ») would make the resident look for a collection the next day.
        return (
            f"{label} est férié. {_cap(at_place(commune.nom))}, il n'y a pas de collecte ce "
            f"jour-là. {_cap(usual)}."
        )
    if not parts:
        return f"{label}, pas de collecte {at_place(commune.nom)} : {usual}."
    said = " ; ".join(parts)
    sentence = f"{head}. {_cap(said)}." if cancelled else f"{head} : {said}."
    if "la collecte des ordures ménagères" not in concerned:
        om = commune.collecte.ordures_menageres
        none = "" if cancelled else " Pas de collecte des ordures ménagères ce jour-là :"
        sentence += f"{none} {'elles' if none else 'Les ordures ménagères'} sont ramassées le {om}."
    return sentence


def mairie_contact(commune: Commune) -> str:
    """« Vous pouvez appeler la mairie au 03 … ou lui écrire à mairie@… . »"""
    mairie = commune.mairie
    return f"Vous pouvez appeler la mairie au {mairie.telephone} ou lui écrire à {mairie.courriel}."


def waste_contact(terr: Territory) -> str:
    """Who answers for the déchetteries: the territory's waste body."""
    return f"Pour vous renseigner : {terr.dechets.nom}, au {terr.dechets.telephone}."


def no_opening_sentence(place: str, contact: str) -> str:
    """« La mairie de X est fermée en ce moment. Aucune ouverture n'est prévue dans les deux
    prochains mois. Vous pouvez appeler… »: the answer « right now » when nothing reopens soon."""
    return f"{_cap(place)} est fermée en ce moment. {NO_OPENING} {contact}"


def day_sentence(commune: Commune, terr: Territory, topic: str, day: date, now: datetime) -> str:
    """What the resident reads about that day for that topic, from the commune's data."""
    if topic == "horaires_mairie":
        return _place_day(
            f"la mairie {of_place(commune.nom)}",
            commune.mairie.horaires,
            day,
            now,
            mairie_contact(commune),
        )
    if topic == "collecte_dechets":
        return _collection_day(commune, terr, day, now.date())
    site = terr.dechetteries.get(commune.collecte.dechetterie)
    if site is None:
        return ""
    return _place_day(site_name(site.nom), site.horaires, day, now, waste_contact(terr))


def site_name(nom: str) -> str:
    """« la déchetterie de Bapaume », or « la déchetterie (Écopôle) » for another name."""
    if fold(nom).startswith("dechetterie"):
        return f"la {nom[:1].lower()}{nom[1:]}"
    return f"la déchetterie ({nom})"


# Topics whose answer says whether the mairie is open right now (utter_mairie_disponibilite).
MAIRIE_NOW_TOPICS = ("horaires_mairie", "contact_mairie", "parler_a_un_agent")


def no_opening_facts(
    commune: Commune, terr: Territory, now: datetime, topic: str
) -> dict[str, Any] | None:
    """The « right now » answer when the place is closed and nothing reopens in two months.

    The usual sentence ends with « Elle rouvre {prochaine_ouverture} », which cannot say that no
    opening is planned: the topic's response says the slot `jour_demande` instead (its variant
    for a sentence computed here), with how to reach the place. None in every other case.
    """
    if topic == "dechetterie":
        site = terr.dechetteries.get(commune.collecte.dechetterie)
        if site is None:
            return None
        place, schedule, contact = site_name(site.nom), site.horaires, waste_contact(terr)
    elif topic in MAIRIE_NOW_TOPICS:
        place = f"la mairie {of_place(commune.nom)}"
        schedule, contact = commune.mairie.horaires, mairie_contact(commune)
        topic = "horaires_mairie"  # the value the variant of utter_mairie_disponibilite expects
    else:
        return None
    state = opening_state(schedule, now)
    if state.status != "fermee" or state.next_opening is not None:
        return None
    return {"jour_demande": no_opening_sentence(place, contact), "jour_demande_pour": topic}


# A question with one of these words asks when or what, not « yes or no? ».
_WH_WORDS = frozenset(
    "quand quel quelle quels quelles comment combien cb pourquoi ou jusqu horaire horaires heure "
    "heures qu qui".split()
)
# Which collection a resident means (« la poubelle jaune », « les ordures »).
_ROUND_WORDS = {
    "la collecte du tri sélectif": frozenset(
        "tri selectif jaune jaunes recyclable recyclables emballage emballages".split()
    ),
    "la collecte des ordures ménagères": frozenset(
        "ordure ordures menagere menageres noire noires grise grises om".split()
    ),
}


def asks_yes_or_no(text: str) -> bool:
    """« demain c'est le tri ? », « je peux passer le 24 ? »: a yes/no question, no « quand »."""
    words = fold(text).replace("'", " ").split()
    asked = "?" in text or " ".join(words[:2]) == "est ce"
    follow_up = words[:1] == ["et"]  # « et le 25 ? »: the earlier question, maybe « quand ? »
    return asked and not follow_up and not _WH_WORDS.intersection(words)


def _open_that_day(schedule: Schedule, day: date) -> bool:
    return (
        not holiday_name(day) and not closure_on(schedule, day) and bool(ranges_on(schedule, day))
    )


def _collected_that_day(commune: Commune, terr: Territory, text: str, day: date) -> bool:
    """The collection the resident names (or any, if none named) takes place that day."""
    words = set(fold(text).replace("'", " ").split())
    named = {what for what, keys in _ROUND_WORDS.items() if keys & words}
    waste = terr.dechets
    shift = _postponed_by(waste)
    for rnd in _rounds(commune):
        if named and rnd.what not in named:
            continue
        holiday = holiday_name(day)
        cancelled = bool(holiday) and holiday in waste.jours_feries_sans_collecte
        if rnd.scheduled(day) and not cancelled:
            return True
        before = day - timedelta(days=shift or 1)
        if (
            shift
            and rnd.scheduled(before)
            and holiday_name(before) in waste.jours_feries_sans_collecte
        ):
            return True
    return False


def yes_or_no(commune: Commune, terr: Territory, text: str, day: date, topic: str) -> str:
    """« Oui. » or « Non. » before the day's sentence, when the resident asked yes or no."""
    if not asks_yes_or_no(text):
        return ""
    if topic == "horaires_mairie":
        return "Oui. " if _open_that_day(commune.mairie.horaires, day) else "Non. "
    if topic == "collecte_dechets":
        return "Oui. " if _collected_that_day(commune, terr, text, day) else "Non. "
    if topic != "dechetterie":
        return ""
    site = terr.dechetteries.get(commune.collecte.dechetterie)
    if site is None:
        return ""
    # « elle ouvre le dimanche ? »: the answer first, before the week's hours.
    return "Oui. " if _open_that_day(site.horaires, day) else "Non. "


def date_facts(
    commune: Commune, terr: Territory, text: str, now: datetime, topic: str
) -> dict[str, Any]:
    """Slots `jour_demande` (the sentence about the day asked) and `jour_demande_pour` (its topic).

    Both None when the message names no day or the topic does not depend on the day, so that a
    later question without a day gets the usual « right now » answer.
    """
    if topic not in DAY_TOPICS:
        return dict(EMPTY)
    asked: AskedDay | None = find_day(text, now)
    if asked is None:
        return dict(EMPTY)
    sentences = [day_sentence(commune, terr, topic, day, now) for day in asked.days]
    sentences = [s for s in sentences if s]
    if not sentences:
        return dict(EMPTY)
    if len(asked.days) == 1:
        sentences[0] = yes_or_no(commune, terr, text, asked.day, topic) + sentences[0]
    return {"jour_demande": "\n".join(sentences), "jour_demande_pour": topic}


def asked_text(tracker: Tracker, topic: str) -> str:
    """The words to read the day from: this message, or the question the commune answers.

    « La mairie est ouverte le 24 décembre ? » → « Dans quelle commune ? » → « Bapaume »: the day
    is in the question asked before the commune.
    """
    message = tracker.latest_message or {}
    text = str(message.get("text") or "")
    intent = (message.get("intent") or {}).get("name")
    if topic in DAY_TOPICS and REOPENING.search(fold(text)) and find_day(text, clock.now()) is None:
        if AFTER_THE_FEASTS.search(fold(text)):
            return f"{NEW_YEAR} {text}"
        # « et ça rouvre quand ? » after « le 24 décembre ? »: reopening after that day.
        for event in reversed([e for e in tracker.events if e.get("event") == "user"][:-1][-3:]):
            earlier = str(event.get("text") or "")
            if find_day(earlier, clock.now()) is not None:
                return f"{earlier} {text}"
    if intent != COMMUNE_ANSWER or topic not in DAY_TOPICS:
        return text
    users = [e for e in tracker.events if e.get("event") == "user"]
    for event in reversed(users[:-1]):
        parse = event.get("parse_data") or {}
        if (parse.get("intent") or {}).get("name") == topic:
            return f"{event.get('text') or ''} {text}"
    return text
