"""A rendez-vous slot asked in the resident's own words: « mardi 22 a 9h », « demain 14h30 ».

Residents do not always touch a button: they write a day, a time, or both, SMS style. This
module reads that wish (read_wish) and answers it against the mairie's free slots (answer):
the wished slot when it is free, else one plain sentence saying why not (taken, no rendez-vous
that day, too soon…) and the nearest free slots from that day and time, to offer as buttons.
A day alone offers that day's free slots; a time alone is taken on the first day it is free.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from actions import clock
from actions.demandes import prefill, service
from actions.territory.dates import find_day, weekday_date
from actions.territory.hours import fmt_time
from actions.territory.loader import territory
from actions.text import of_place

MORNING = "matin"
AFTERNOON = "apres_midi"
NOON = time(12, 0)
OFFERS = 5
# Every free slot of the booking window (30 days of a busy mairie is about 550).
ALL = 2000

# « 9h », « 14h30 », « 14 h 30 », « 10 heures », « 9:30 ». Not a phone number or a price.
_CLOCK = re.compile(
    r"(?<![\d:.,])([01]?\d|2[0-3]) ?(?:heures?|hrs?|h)(?: ?([0-5]\d))?(?![\d])"
    r"|(?<![\d:.,])([01]?\d|2[0-3]):([0-5]\d)(?![\d])"
)
# « le 23 a 10 » : a bare number after « à » is an hour in an answer about a time.
_AT_NUMBER = re.compile(r"\ba (\d{1,2})\b(?! ?(?:h|heures?|:|/|\d|er\b|janv|fev|mars|avr))")
_NOON = re.compile(r"\b(?:a )?midi\b(?! ?(?:et|a|trente|\d))")
_MORNING = re.compile(r"\b(?:matin|matinee|mat)\b")
_AFTERNOON = re.compile(r"\b(?:apres[ -]?midi|aprem|aprm|apm|ap midi|soir|fin de journee)\b")
# « 2 h » for a rendez-vous at the mairie is 14 h: nobody books at 2 in the night.
_AFTERNOON_HOURS = range(1, 7)


@dataclass(frozen=True)
class Wish:
    """What the resident asked: days (« ce week-end » is two), a time, a part of the day."""

    days: tuple[date, ...] = ()
    at: time | None = None
    part: str | None = None  # MORNING or AFTERNOON


@dataclass(frozen=True)
class Answer:
    """The wished slot when free; else why not (one sentence) and the slots to offer."""

    start: datetime | None
    why: str
    offers: list[datetime]


def read_time(text: str) -> time | None:
    """The time of day a message names, or None."""
    # « après-midi » names a part of the day, not noon.
    lowered = _AFTERNOON.sub(" ", prefill.plain(text))
    match = _CLOCK.search(lowered)
    if match:
        hour = int(match.group(1) or match.group(3))
        minute = int(match.group(2) or match.group(4) or 0)
    elif _NOON.search(lowered):
        return NOON
    else:
        bare = _AT_NUMBER.search(lowered)
        if not bare or not 7 <= int(bare.group(1)) <= 19:
            return None
        hour, minute = int(bare.group(1)), 0
    if hour in _AFTERNOON_HOURS and not _MORNING.search(lowered):
        hour += 12
    return time(hour, minute)


def read_part(text: str) -> str | None:
    lowered = prefill.plain(text)
    if _AFTERNOON.search(lowered):
        return AFTERNOON
    if _MORNING.search(lowered):
        return MORNING
    return None


def read_wish(text: str, now: datetime) -> Wish | None:
    """Day(s), time and part of the day the text names; None when it names none of them."""
    asked = find_day(text, now)
    days = asked.days if asked else ()
    at = read_time(text)
    part = None if at else read_part(text)
    if not days and at is None and part is None:
        return None
    return Wish(days, at, part)


def _nearest(slots: list[datetime], wished: datetime, count: int) -> list[datetime]:
    """The `count` slots closest to the wished time (before or after it), in time order.

    « 14h30 » between 14 h 20 and 14 h 40 offers both, not only the later ones.
    """
    return sorted(sorted(slots, key=lambda s: (abs(s - wished), s))[:count])


def in_part(start: datetime, part: str | None) -> bool:
    if part == MORNING:
        return start.time() < NOON
    if part == AFTERNOON:
        return start.time() >= NOON
    return True


def _part_start(day: date, part: str | None) -> datetime:
    return datetime.combine(day, NOON if part == AFTERNOON else time(0, 0))


def _today(now: datetime) -> date:
    """The mairie's date (slots are stored as Paris wall-clock times)."""
    return (now.astimezone(clock.PARIS) if now.tzinfo else now).date()


def _day_words(day: date, today: date, part: str | None) -> str:
    """« le mardi 22 décembre », « le matin du mardi 22 décembre »."""
    named = weekday_date(day, today)
    if part == MORNING:
        return f"le matin du {named}"
    if part == AFTERNOON:
        return f"l'après-midi du {named}"
    return f"le {named}"


def _mairie(mairie_insee: str) -> str:
    return f"La mairie {of_place(territory().communes[mairie_insee].nom)}"


def why_sentence(reason: str, mairie_insee: str, start: datetime, today: date) -> str:
    """One plain sentence for a reason of service.why_not_free."""
    rules = service.booking_rules(mairie_insee)
    mairie = _mairie(mairie_insee)
    when = f"{weekday_date(start.date(), today)} à {fmt_time(start.time())}"
    return {
        "passe": f"Le {when} est déjà passé.",
        "trop_tot": (
            f"Le {when}, c'est trop proche : il faut réserver au moins "
            f"{rules.delai_minimum_heures} h à l'avance."
        ),
        "trop_loin": (
            f"Le {when}, c'est trop loin : on peut réserver {rules.horizon_jours} jours "
            "à l'avance au plus."
        ),
        "ferme": f"{mairie} ne prend pas de rendez-vous le {weekday_date(start.date(), today)}.",
        "hors_creneau": (
            f"{mairie} ne prend pas de rendez-vous à {fmt_time(start.time())} "
            f"le {weekday_date(start.date(), today)}."
        ),
        "pris": f"Le {when} est déjà pris.",
    }[reason]


def answer(wish: Wish, mairie_insee: str, now: datetime, count: int = OFFERS) -> Answer:
    """The wished slot if it is free, else why not and the nearest free slots from the wish."""
    today = _today(now)

    def free(after: datetime | None = None, many: int = count) -> list[datetime]:
        return service.free_slots(mairie_insee, now, many, after=after)

    if wish.at is not None and wish.days:
        wished = [datetime.combine(day, wish.at) for day in wish.days]
        reasons = [service.why_not_free(mairie_insee, start, now) for start in wished]
        for start, reason in zip(wished, reasons, strict=True):
            if reason is None:
                return Answer(start, "", free(start))
        why = why_sentence(reasons[0], mairie_insee, wished[0], today)
        from_that_day = free(_part_start(wish.days[0], None), 4 * count)
        return Answer(None, why, _nearest(from_that_day, wished[0], count) or free())

    if wish.at is not None:  # « 9h » alone: that time on the first day it is free
        every = free(many=ALL)
        same_time = [s for s in every if s.time() == wish.at]
        if same_time:
            return Answer(same_time[0], "", free(same_time[0]))
        wished_minutes = wish.at.hour * 60 + wish.at.minute
        ever = any(
            s.time() == wish.at
            for day in range(service.booking_rules(mairie_insee).horizon_jours + 1)
            for s in service.slots_of_day(mairie_insee, today + timedelta(days=day))
        )
        if ever:
            why = f"Il n'y a plus de créneau libre à {fmt_time(wish.at)}."
        else:
            why = f"{_mairie(mairie_insee)} ne prend pas de rendez-vous à {fmt_time(wish.at)}."
        # Around that time on the first day with a free slot within the hour, else the first.
        near = next(
            (s for s in every if abs(s.hour * 60 + s.minute - wished_minutes) <= 60),
            every[0] if every else None,
        )
        if near is None:
            return Answer(None, why, [])
        return Answer(None, why, _nearest(every, datetime.combine(near.date(), wish.at), count))

    if wish.days:  # a day, maybe « matin » or « après-midi »: that day's free slots
        first = _part_start(wish.days[0], wish.part)
        that_day = [s for s in free(first, ALL) if s.date() in wish.days and in_part(s, wish.part)][
            :count
        ]
        if that_day:
            return Answer(None, "", that_day)
        return Answer(None, _no_free_day(wish, mairie_insee, today), free(first) or free())

    later = [s for s in free(many=ALL) if in_part(s, wish.part)][:count]
    if later:
        return Answer(None, "", later)
    part = "le matin" if wish.part == MORNING else "l'après-midi"
    return Answer(None, f"Il n'y a plus de créneau libre {part}.", free())


def _no_free_day(wish: Wish, mairie_insee: str, today: date) -> str:
    """Why the wished day (or part of it) offers nothing: past, closed, too far, or full."""
    day = wish.days[0]
    mairie = _mairie(mairie_insee)
    rules = service.booking_rules(mairie_insee)
    words = _day_words(day, today, wish.part)
    if day < today:
        return f"{words[0].upper()}{words[1:]} est déjà passé."
    if day > today + timedelta(days=rules.horizon_jours):
        return (
            f"{words[0].upper()}{words[1:]}, c'est trop loin : on peut réserver "
            f"{rules.horizon_jours} jours à l'avance au plus."
        )
    planned = [s for d in wish.days for s in service.slots_of_day(mairie_insee, d)]
    if not planned:  # closed all day: « le jeudi 24 décembre », not « le matin du… »
        return f"{mairie} ne prend pas de rendez-vous {_day_words(day, today, None)}."
    if not any(in_part(s, wish.part) for s in planned):
        return f"{mairie} ne prend pas de rendez-vous {words}."
    return f"Il n'y a plus de créneau libre {words}."
