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


def fmt_day(day: date, today: date) -> str:
    if day == today:
        return "aujourd'hui"
    if day == today + timedelta(days=1):
        return "demain"
    first = "1er" if day.day == 1 else str(day.day)
    return f"{DAY_NAMES[day.weekday()]} {first} {MONTHS[day.month - 1]}"


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
        if self.next_opening is None:
            return "pas d'ouverture prévue dans les deux prochains mois"
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
        f"fermée du {fmt_day(max(c.start, today), today)} au {fmt_day(c.end, today)} ({c.reason})"
        for c in schedule.closures
        if c.start <= horizon and c.end >= today
    ]
    for offset in range(days):
        day = today + timedelta(days=offset)
        name = holiday_name(day)
        if name and schedule.weekly.get(day.weekday()) and not closure_on(schedule, day):
            notes.append(f"fermée {fmt_day(day, today)} ({name})")
    return " ; ".join(notes)
