"""The one place that reads the current time, so that tests can freeze it.

In process, tests freeze it with time-machine. Servers started by tests run in other processes:
`TCHATCHE_NOW` (an ISO 8601 instant, for example `2026-12-21T10:00:00+01:00`) pins their clock, so
that a conversation about « demain » or « à Noël » is checked against one known day.
"""

from __future__ import annotations

import os
from datetime import datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def now() -> datetime:
    """Current local time in France: mairie hours are wall-clock times in Europe/Paris."""
    pinned = os.environ.get("TCHATCHE_NOW")
    if pinned:
        moment = datetime.fromisoformat(pinned)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=PARIS)
        return moment.astimezone(PARIS)
    return datetime.now(tz=PARIS)
