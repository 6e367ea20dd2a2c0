"""Opening state of a mairie or déchetterie at a given instant, in words a resident reads.

Everything takes `now` explicitly so that answers can be tested with a frozen clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from actions.territory.holidays import holiday_name
from actions.territory.model import Closure, Schedule, TimeRange

DAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
CLOSING_SOON = timedelta(minutes=30)
HORIZON_DAYS = 62
# No opening in the next HORIZON_DAYS days (no weekly hours, a long closure): said as a sentence
# of its own, never after « Elle rouvre ».
NO_OPENING = "Aucune ouverture n'est prévue dans les deux prochains mois."


def closure_on(schedule: Schedule, day: date) -> Closure | None:
    return next((c for c in schedule.closures if c.start <= day <= c.end), None)


def ranges_on(schedule: Schedule, day: date) -> tuple[TimeRange, ...]:
    """Opening ranges of that date, taking holidays and exceptional closures into account."""
    if holiday_name(day) or closure_on(schedule, day):
        return ()
    return schedule.weekly.get(day.weekday(), ())


def fmt_time(value: time) -> str:
    """French way of writing hours: 9 h, 14 h 30."""
    return f"{value.hour} h" if value.minute == 0 else f"{value.hour} h {value.minute:02d}"


def fmt_date(day: date, today: date) -> str:
    """« samedi 2 janvier », the year added when the date is not in the 12 coming months."""
    first = "1er" if day.day == 1 else str(day.day)
    text = f"{DAY_NAMES[day.weekday()]} {first} {MONTHS[day.month - 1]}"
    far = day < today or day >= today + timedelta(days=300)
    return f"{text} {day.year}" if far else text


def fmt_day(day: date, today: date) -> str:
    """« aujourd'hui », « demain » or « samedi 2 janvier »: the subject of a sentence or after a
    verb (« Elle rouvre demain »), never after « du » or « au » (see closure_text)."""
    if day == today:
        return "aujourd'hui"
    if day == today + timedelta(days=1):
        return "demain"
    return fmt_date(day, today)


def on_day(day: date, today: date) -> str:
    """« aujourd'hui », « demain », « après-demain » or « le lundi 28 décembre »: when, said
    after a verb or an adjective (« fermée le lundi 28 décembre »)."""
    if day == today + timedelta(days=2):
        return "après-demain"
    near = fmt_day(day, today)
    return near if day <= today + timedelta(days=1) else f"le {near}"


def closure_text(start: date, end: date, today: date) -> str:
    """A closure (dates included) as a person says it, from `today` on.

    « fermée aujourd'hui », « fermée jusqu'au samedi 2 janvier » (started already or starts
    today), « fermée demain et après-demain », « fermée à partir de demain, jusqu'au samedi
    2 janvier », « fermée du lundi 28 décembre au samedi 2 janvier ». Never « du demain » nor
    « au demain »: « aujourd'hui » and « demain » take no article.
    """
    first = max(start, today)
    if end < first:
        return ""
    if first == end:
        return f"fermée {on_day(end, today)}"
    if end - first == timedelta(days=1) and end <= today + timedelta(days=2):
        return f"fermée {on_day(first, today)} et {on_day(end, today)}"  # demain et après-demain
    until = f"jusqu'au {fmt_date(end, today)}"
    if first == today:
        return f"fermée {until}"
    if first == today + timedelta(days=1):
        return f"fermée à partir de demain, {until}"
    return f"fermée {_from_to(first, end, today)}"


def _from_to(first: date, last: date, today: date) -> str:
    """« du lundi 28 décembre au samedi 2 janvier », « du lundi 28 au mercredi 30 décembre »:
    two later dates; the month (and year) said once when they share it."""
    start = fmt_date(first, today)
    end = fmt_date(last, today)
    if (first.year, first.month) == (last.year, last.month):
        start = f"{DAY_NAMES[first.weekday()]} {'1er' if first.day == 1 else first.day}"
    return f"du {start} au {end}"


def fmt_ranges(ranges: tuple[TimeRange, ...]) -> str:
    return " et ".join(f"de {fmt_time(r.start)} à {fmt_time(r.end)}" for r in ranges)


@dataclass(frozen=True)
class OpeningState:
    """What a resident wants to know: open now? until when? when next?"""

    status: str  # "ouverte", "ferme_bientot" or "fermee"
    closes_at: time | None
    next_opening: datetime | None
    reason_closed: str | None  # holiday or exceptional closure today

    def describe_next(self, now: datetime) -> str:
        """« demain à 9 h », read after « Elle rouvre » or « prochaine ouverture : ».

        Without an opening in the next two months: « dans plus de deux mois », still a correct
        sentence after those words; answers that can, say NO_OPENING and how to reach the place.
        """
        if self.next_opening is None:
            return "dans plus de deux mois"
        day = fmt_day(self.next_opening.date(), now.date())
        return f"{day} à {fmt_time(self.next_opening.time())}"


def opening_state(schedule: Schedule, now: datetime) -> OpeningState:
    today = now.date()
    current = now.time().replace(tzinfo=None)
    closes_at = None
    for r in ranges_on(schedule, today):
        if r.start <= current < r.end:
            closes_at = r.end
    reason = holiday_name(today)
    closure = closure_on(schedule, today)
    if closure:
        reason = closure.reason
    next_opening = _next_opening(schedule, now, after=closes_at)
    if closes_at is not None:
        remaining = datetime.combine(today, closes_at) - datetime.combine(today, current)
        status = "ferme_bientot" if remaining <= CLOSING_SOON else "ouverte"
        return OpeningState(status, closes_at, next_opening, None)
    return OpeningState("fermee", None, next_opening, reason)


def _next_opening(schedule: Schedule, now: datetime, after: time | None) -> datetime | None:
    """Start of the next opening range strictly later than now (or than the current range)."""
    limit = after or now.time().replace(tzinfo=None)
    for offset in range(HORIZON_DAYS):
        day = now.date() + timedelta(days=offset)
        for r in ranges_on(schedule, day):
            if offset == 0 and r.start <= limit:
                continue
            return datetime.combine(day, r.start, tzinfo=now.tzinfo)
    return None


def weekly_text(schedule: Schedule) -> str:
    """One line per opening day, Monday first, e.g. "lundi : de 9 h à 12 h"."""
    lines = [
        f"{DAY_NAMES[d]} : {fmt_ranges(schedule.weekly[d])}"
        for d in range(7)
        if schedule.weekly.get(d)
    ]
    return "\n".join(lines) if lines else "aucun horaire d'ouverture connu"


def upcoming_closures_text(schedule: Schedule, now: datetime, days: int = 14) -> str:
    """Closures and holidays of the next two weeks that cancel an opening day, in one sentence."""
    today = now.date()
    horizon = today + timedelta(days=days)
    notes = [
        f"{closure_text(c.start, c.end, today)} ({c.reason})"
        for c in schedule.closures
        if c.start <= horizon and c.end >= today
    ]
    for offset in range(days):
        day = today + timedelta(days=offset)
        name = holiday_name(day)
        if name and schedule.weekly.get(day.weekday()) and not closure_on(schedule, day):
            notes.append(f"fermée {on_day(day, today)} ({name})")
    return " ; ".join(notes)
