"""The one place that reads the current time, so that tests can freeze it (time-machine)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def now() -> datetime:
    """Current local time in France: mairie hours are wall-clock times in Europe/Paris."""
    return datetime.now(tz=PARIS)
