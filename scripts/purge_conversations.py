"""Deletes conversation events older than the retention period (30 days by default).

Conversations contain what residents wrote, so they are kept only as long as needed to follow
up a question. ./run.sh runs this at each start; a cron job can run it daily:
    .venv/bin/python scripts/purge_conversations.py --days 30
The database is the SQL tracker store of endpoints.yml (SQLite file or PostgreSQL).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DAYS = 30


def database_url(endpoints: Path) -> str:
    """SQLAlchemy URL of the tracker store configured in an endpoints file."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.utils.endpoints import read_endpoint_config

    config = read_endpoint_config(str(endpoints), "tracker_store")
    if config is None or (config.type or "").lower() != "sql":
        raise SystemExit(f"{endpoints} : pas de tracker_store SQL, rien à purger.")
    kwargs = config.kwargs
    return str(
        SQLTrackerStore.get_db_url(
            dialect=kwargs.get("dialect", "sqlite"),
            host=config.url,
            port=kwargs.get("port"),
            db=kwargs.get("db", "rasa.db"),
            username=kwargs.get("username"),
            password=kwargs.get("password"),
        )
    )


def purge(url: str, days: float, now: float | None = None) -> int:
    """Deletes events older than `days`; returns how many were deleted."""
    cutoff = (now if now is not None else time.time()) - days * 86400
    engine = sa.create_engine(url)
    if not sa.inspect(engine).has_table("events"):
        return 0
    with engine.begin() as connection:
        result = connection.execute(
            sa.text("DELETE FROM events WHERE timestamp < :cutoff"), {"cutoff": cutoff}
        )
    engine.dispose()
    return result.rowcount or 0


def main() -> int:
    parser = argparse.ArgumentParser(description="Efface les conversations anciennes.")
    parser.add_argument("--days", type=float, default=DEFAULT_DAYS)
    parser.add_argument("--endpoints", type=Path, default=ROOT / "endpoints.yml")
    args = parser.parse_args()
    deleted = purge(database_url(args.endpoints), args.days)
    print(f"Conversations de plus de {args.days:g} jours effacées : {deleted} événements.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
