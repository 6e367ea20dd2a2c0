"""The census window of a child whose birth date the resident gives.

« il est né le 12 mars 2011 » after the recensement, or « il aura 16 ans en mars » in the question:
the rule (between the 16th birthday and the end of the 3rd month after it, fiche F870) is worked
out for that child, against today, so the resident reads two dates, not a rule to apply. A birth
date that cannot be read (a year alone) gets the rule itself.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from actions.territory.dates import MONTH_WORDS, MONTHS, _day_number, _spell_numeric
from actions.text import fold

RESPONSE = "utter_precision_recensement_citoyen_date_naissance"  # to come
NOW = "utter_recensement_citoyen_periode_en_cours"  # the window is open
PAST = "utter_recensement_citoyen_periode_passee"  # the window is closed: still possible until 25
RULE = "utter_precision_recensement_citoyen_age"  # no date to work with
RESPONSES = (RESPONSE, NOW, PAST)
AGE = 16
LAST_AGE = 25  # late, it is still possible until then
MONTHS_AFTER = 3

_DAY = r"(1er|premier|[0-9]{1,2})"
_MONTH = "(" + "|".join(sorted(MONTH_WORDS, key=len, reverse=True)) + ")"
_YEAR = r"((?:19|20)[0-9]{2})"
# « il aura 16 ans le 3 janvier », « elle a eu 16 ans en décembre 2026 »: the birthday itself.
BIRTHDAY = re.compile(
    rf"\b(?:16|seize) ans (?:le |en |au mois de |au mois d )?(?:{_DAY} )?{_MONTH}(?: {_YEAR})?\b"
)
FULL = re.compile(rf"\b{_DAY} {_MONTH} {_YEAR}\b")  # born « 12 mars 2011 »
MONTH_YEAR = re.compile(rf"\b{_MONTH} {_YEAR}\b")  # born « mars 2011 »


def _end_of_third_month(month: int, year: int) -> date:
    index = year * 12 + month - 1 + MONTHS_AFTER
    end_year, end_month = divmod(index, 12)
    return date(end_year, end_month + 1, calendar.monthrange(end_year, end_month + 1)[1])


def _birthday(year: int, month: int, day: int) -> date:
    """29 February, in a year that has none, is the 28th."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def census_window(text: str, today: date) -> tuple[str, dict[str, str]] | None:
    """The response to say and its values, or None when no birth day or month can be read."""
    words = fold(_spell_numeric(text))
    day_s: str | None = None
    if found := BIRTHDAY.search(words):
        day_s, month_s, year_s = found.groups()
        month = MONTH_WORDS[month_s]
        if year_s:
            year = int(year_s)
        else:  # « il aura 16 ans en mars »: the next March whose window is not over yet.
            over = _end_of_third_month(month, today.year) < today
            year = today.year + 1 if over else today.year
    elif found := FULL.search(words):
        day_s, month_s, year_s = found.groups()
        month, year = MONTH_WORDS[month_s], int(year_s) + AGE
    elif found := MONTH_YEAR.search(words):
        month, year = MONTH_WORDS[found.group(1)], int(found.group(2)) + AGE
    else:
        return None
    day = _day_number(day_s) if day_s else None
    if day_s and day is None:
        return None  # « le 45 mars »: no day
    start = _birthday(year, month, day) if day else date(year, month, 1)
    end = _end_of_third_month(month, year)
    first = "1er" if start.day == 1 else str(start.day)
    since = f"le {first} {MONTHS[month - 1]} {year}" if day else f"{MONTHS[month - 1]} {year}"
    values = {
        "seize_ans": since if day else f"en {since}",
        "seize_ans_depuis": since,
        "date_limite": f"{end.day} {MONTHS[end.month - 1]} {end.year}",  # a month's last day
    }
    if today >= _birthday(start.year + LAST_AGE - AGE, start.month, start.day):
        return RULE, {}  # 25 or more: no window to work out, the rule says what remains
    if today > end:
        return PAST, values
    if today >= start:
        return NOW, values
    return RESPONSE, values


def census_answer(text: str, today: date) -> tuple[str, dict[str, str]]:
    """The window's response, or the rule when no birth date can be read."""
    return census_window(text, today) or (RULE, {})
