"""Finds the day a resident asks about: « demain », « le 24/12 », « a noel », « ce week-end »…

Residents write as in a text message (« ajd », « 2main », « le 14 juillet », « paques »): the
message is folded (no accents, no case) and read against the clock of `actions.clock.now()`, so
that « demain » or « à Noël » is checked against the commune's own data (holidays.py, closures).
A date already past this year (« le 14 juillet » asked in November) is next year's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from actions.territory.holidays import easter_sunday, holiday_name
from actions.territory.hours import DAY_NAMES, MONTHS
from actions.territory.matching import STREET_WORDS
from actions.text import fold

MONTH_WORDS = {
    "janvier": 1, "janv": 1, "jan": 1, "fevrier": 2, "fev": 2, "fevr": 2, "mars": 3, "avril": 4,
    "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9, "sept": 9,
    "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "decembre": 12, "dec": 12,
}  # fmt: skip
WEEKDAY_WORDS = {name: index for index, name in enumerate(DAY_NAMES)}
# « le 24 » alone is a day of the month, unless a unit follows (« le 24 h », « le 15 rue… »).
_NOT_A_DAY_AFTER = frozenset(
    "h heure heures hr min minutes euros euro eur e ans an mois jours jour personnes places km m "
    "rue avenue route chemin place bis ter kg pourcent fois".split()
)
# « 24/12 », « 24/12/2026 », « 24-12 », « 24.12.2026 » (a dot needs the year: « 3.5 » is no date).
_NUMERIC = re.compile(
    r"(?<![\d/.-])(\d{1,2})[/-](\d{1,2})(?:[/-](\d{4}|\d{2}))?(?![\d/])"
    r"|(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})(?![\d.])"
)


@dataclass(frozen=True)
class AskedDay:
    """The day(s) a message names, and how to say them to the resident."""

    days: tuple[date, ...]
    label: str  # « le vendredi 25 décembre (Noël) », « demain, mardi 22 décembre »
    phrase: str = ""  # the words of the message that named it, folded

    @property
    def day(self) -> date:
        return self.days[0]


def weekday_date(day: date, today: date) -> str:
    """« vendredi 25 décembre », with the year when it is not this year's."""
    first = "1er" if day.day == 1 else str(day.day)
    text = f"{DAY_NAMES[day.weekday()]} {first} {MONTHS[day.month - 1]}"
    return text if day.year == today.year else f"{text} {day.year}"


def day_label(day: date, today: date) -> str:
    """How the answer names a day: relative when near, with the holiday's name when there is one.

    « aujourd'hui, lundi 21 décembre », « demain, mardi 22 décembre », « le vendredi 25 décembre
    (Noël) »: the resident can check the date against the calendar on the wall.
    """
    plain = weekday_date(day, today)
    if day == today:
        text = f"aujourd'hui, {plain}"
    elif day == today + timedelta(days=1):
        text = f"demain, {plain}"
    else:
        text = f"le {plain}"
    name = holiday_name(day)
    return f"{text} ({name})" if name else text


def short_label(day: date, today: date) -> str:
    """« le samedi 26 décembre »: a day inside a sentence (a reopening, a moved collection)."""
    return f"le {weekday_date(day, today)}"


def _next(month: int, day: int, today: date) -> date | None:
    """That day this year, or next year's when it is already past."""
    for year in (today.year, today.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    return None


def _next_moving(compute: Callable[[int], date], today: date) -> date:
    """A holiday that moves with Easter: this year's, or next year's when past."""
    this_year = compute(today.year)
    return this_year if this_year >= today else compute(today.year + 1)


def _easter(offset: int) -> Callable[[int], date]:
    return lambda year: easter_sunday(year) + timedelta(days=offset)


# Named days, longest phrases first so that « lundi de paques » is not read as « lundi ».
_FIXED: dict[str, tuple[int, int]] = {
    "reveillon de noel": (12, 24), "veille de noel": (12, 24), "jour de noel": (12, 25),
    "noel": (12, 25), "saint sylvestre": (12, 31), "st sylvestre": (12, 31),
    "reveillon du nouvel an": (12, 31), "jour de l an": (1, 1), "nouvel an": (1, 1),
    "fete du travail": (5, 1), "fete du muguet": (5, 1), "victoire 1945": (5, 8),
    "fete nationale": (7, 14), "assomption": (8, 15), "toussaint": (11, 1),
    "armistice": (11, 11),
}  # fmt: skip
_MOVING: dict[str, tuple[int, ...]] = {
    "lundi de paques": (1,), "paques": (0, 1), "jeudi de l ascension": (39,),
    "ascension": (39,), "lundi de pentecote": (50,), "pentecote": (49, 50),
}  # fmt: skip

# How a feast of several days is named in an answer.
_FEAST_NAMES = {"paques": "à Pâques", "pentecote": "à la Pentecôte"}
# « pendant les vacances de Noël » is no one day: the days services change are its two public
# holidays, Christmas and New Year's Day (each answered with the place's own closures).
_HOLIDAY_SEASON = "pendant les fêtes"
_SEASON_PHRASES = (
    "vacances de noel", "vacances de fin d annee", "fetes de fin d annee", "fetes de noel",
    "pendant les fetes", "entre noel et le nouvel an", "entre noel et nouvel an",
    "entre noel et le jour de l an",
)  # fmt: skip
# « les sapins de Noël », « le marché de Noël » name Christmas but ask about no day.
_NOT_A_DAY = (
    "sapin de noel", "sapins de noel", "arbre de noel", "arbres de noel", "marche de noel",
    "repas de noel", "colis de noel", "spectacle de noel", "pere noel", "cadeaux de noel",
    "cadeau de noel", "decorations de noel", "deco de noel", "illuminations de noel",
)  # fmt: skip


def _spell_numeric(text: str) -> str:
    """ "24/12" -> "24 decembre", so that numeric dates read like spelled ones."""
    names = {month: fold(name) for month, name in enumerate(MONTHS, start=1)}  # « mars », « août »

    def spelled(match: re.Match[str]) -> str:
        groups = match.groups()
        day_s, month_s, year_s = groups[:3] if groups[0] else groups[3:]
        day, month = int(day_s), int(month_s)
        if not (1 <= day <= 31 and 1 <= month <= 12):
            return match[0]
        year = (f"20{year_s}" if len(year_s) == 2 else year_s) if year_s else ""
        return f" {day} {names[month]} {year} "

    return _NUMERIC.sub(spelled, text)


def _day_number(token: str) -> int | None:
    if token in ("premier", "1er", "1e", "1ere"):
        return 1
    return int(token) if token.isdigit() and 1 <= int(token) <= 31 else None


def _year(token: str) -> int | None:
    return (
        int(token) if token.isdigit() and len(token) == 4 and 2000 <= int(token) <= 2099 else None
    )


def _find_phrase(tokens: list[str], phrase: str) -> int:
    words = phrase.split()
    for start in range(len(tokens) - len(words) + 1):
        if tokens[start : start + len(words)] == words:
            return start
    return -1


def _candidates(tokens: list[str], today: date) -> list[tuple[int, tuple[date, ...], str]]:
    """Every day the tokens name, with the position where it is named."""
    found: list[tuple[int, tuple[date, ...], str]] = []
    used: set[int] = set()

    def take(start: int, size: int, days: tuple[date, ...]) -> None:
        used.update(range(start, start + size))
        found.append((start, days, " ".join(tokens[start : start + size])))

    def free(start: int, size: int) -> bool:
        return start >= 0 and not used.intersection(range(start, start + size))

    for phrase in _NOT_A_DAY:
        start = _find_phrase(tokens, phrase)
        if start >= 0:
            used.update(range(start, start + len(phrase.split())))
    for phrase in _SEASON_PHRASES:
        start = _find_phrase(tokens, phrase)
        if free(start, len(phrase.split())):
            new_year = _next(1, 1, today) or today
            christmas = date(new_year.year - 1, 12, 25)
            days = tuple(d for d in (christmas, new_year) if d >= today)
            used.update(range(start, start + len(phrase.split())))
            found.append((start, days, _HOLIDAY_SEASON))
    for phrase, offsets in sorted(_MOVING.items(), key=lambda item: -len(item[0])):
        start = _find_phrase(tokens, phrase)
        if free(start, len(phrase.split())):
            first = _next_moving(_easter(offsets[-1]), today)
            days = tuple(first - timedelta(days=offsets[-1] - o) for o in offsets)
            take(start, len(phrase.split()), tuple(d for d in days if d >= today) or days)
    for phrase, (month, day_number) in sorted(_FIXED.items(), key=lambda item: -len(item[0])):
        start = _find_phrase(tokens, phrase)
        day = _next(month, day_number, today)
        if day and free(start, len(phrase.split())):
            take(start, len(phrase.split()), (day,))
    relative = (
        ("apres demain", 2), ("apres dmain", 2), ("apres 2main", 2), ("apredemain", 2),
        ("aujourd hui", 0), ("aujourdhui", 0), ("ajd", 0), ("auj", 0), ("ce jour", 0),
        ("demain", 1), ("dmain", 1), ("2main", 1),
    )  # fmt: skip
    for phrase, offset in relative:
        start = _find_phrase(tokens, phrase)
        if free(start, len(phrase.split())):
            take(start, len(phrase.split()), (today + timedelta(days=offset),))
    for phrase in ("ce week end", "ce weekend", "ce we", "le week end", "le weekend", "week end",
                   "weekend"):  # fmt: skip
        start = _find_phrase(tokens, phrase)
        size = len(phrase.split())
        if not free(start, size):
            continue
        saturday = today + timedelta(days=(5 - today.weekday()) % 7)
        if today.weekday() == 6:  # Sunday: this week-end is today
            saturday = today - timedelta(days=1)
        if start + size < len(tokens) and tokens[start + size] in ("prochain", "pro"):
            size += 1
            if today.weekday() >= 5:  # said during a week-end: the next one
                saturday += timedelta(days=7)
        take(start, size, tuple(d for d in (saturday, saturday + timedelta(days=1)) if d >= today))
    for i, token in enumerate(tokens):  # « 14 juillet », « 1er mai 2027 »
        if token not in MONTH_WORDS or not free(i - 1, 2):
            continue
        number = _day_number(tokens[i - 1]) if i > 0 else None
        if number is None or (i >= 3 and tokens[i - 2] == "du" and tokens[i - 3] in STREET_WORDS):
            continue  # « rue du 8 mai 1945 » is an address
        year = _year(tokens[i + 1]) if i + 1 < len(tokens) else None
        if year is not None:
            try:
                days = (date(year, MONTH_WORDS[token], number),)
            except ValueError:
                continue
            take(i - 1, 3, days)
            continue
        day = _next(MONTH_WORDS[token], number, today)
        if day:
            take(i - 1, 2, (day,))
    for i, token in enumerate(tokens):  # « lundi », « lundi prochain », « ce samedi »
        if token not in WEEKDAY_WORDS or not free(i, 1):
            continue
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        delta = (WEEKDAY_WORDS[token] - today.weekday()) % 7
        size = 1
        if after in ("prochain", "pro"):
            delta = delta or 7
            size = 2
        elif after in ("dernier", "passe"):
            delta = -((today.weekday() - WEEKDAY_WORDS[token]) % 7 or 7)
            size = 2
        take(i, size, (today + timedelta(days=delta),))
    for i, token in enumerate(tokens):  # « et le 24 ? »
        number = _day_number(token)
        if number is None or i == 0 or tokens[i - 1] != "le" or not free(i - 1, 2):
            continue
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        if after in _NOT_A_DAY_AFTER or after.isdigit():
            continue
        for months_ahead in range(3):
            index = today.year * 12 + today.month - 1 + months_ahead
            try:
                day = date(index // 12, index % 12 + 1, number)
            except ValueError:
                continue
            if day >= today:
                take(i - 1, 2, (day,))
                break
    return found


def find_day(text: str, now: datetime) -> AskedDay | None:
    """The day a message asks about, or None when it names none.

    When it names several, the first one written wins (« demain ou samedi » asks about demain).
    """
    today = now.date()
    tokens = fold(_spell_numeric(text)).split()
    found = _candidates(tokens, today)
    if not found:
        return None
    # « le vendredi d'après, pour le 1er janvier » : a date with its month says more than a
    # weekday alone, wherever it is written.
    dated = [item for item in found if any(w in MONTH_WORDS for w in item[2].split())]
    if dated and len(dated) < len(found):
        found = [
            item
            for item in found
            if item in dated or not any(w in WEEKDAY_WORDS for w in item[2].split())
        ]
    _, days, phrase = min(found, key=lambda item: item[0])
    if len(days) == 1:
        return AskedDay(days, day_label(days[0], today), phrase)
    named = join_days(days, today)
    if "week" in phrase or phrase == "ce we":
        return AskedDay(
            days, f"{'ce' if phrase.startswith('ce') else 'le'} week-end ({named})", phrase
        )
    return AskedDay(days, f"{_FEAST_NAMES.get(phrase, phrase)} ({named})", phrase)


def join_days(days: tuple[date, ...], today: date) -> str:
    """« samedi 26 et dimanche 27 décembre »: the month and year said once when shared."""
    full = [weekday_date(d, today) for d in days]
    same = all((d.month, d.year) == (days[-1].month, days[-1].year) for d in days)
    if not same:
        return " et ".join(full)
    heads = [f"{DAY_NAMES[d.weekday()]} {'1er' if d.day == 1 else d.day}" for d in days[:-1]]
    return " et ".join([*heads, full[-1]])
