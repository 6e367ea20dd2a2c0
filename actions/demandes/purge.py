"""Deletes what we no longer need to keep: `python -m actions.demandes.purge`.

Treated demandes go 12 months after their last change (TCHATCHE_DEMANDES_RETENTION_MOIS), as
promised to the resident in the acknowledgement; appointments 3 months after they took place.
Untreated demandes are kept whatever their age: deleting them would lose a resident's request.
"""

from __future__ import annotations

import os
import sys
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import sessionmaker

from actions import clock
from actions.demandes.models import Creneau, Demande, RendezVous

APPOINTMENT_MONTHS = 3


def months_before(value: datetime, months: int) -> datetime:
    """Same day `months` earlier, clamped to the end of shorter months."""
    year, month = divmod(value.year * 12 + value.month - 1 - months, 12)
    month += 1
    day = value.day
    while True:
        try:
            date(year, month, day)
            break
        except ValueError:
            day -= 1
    return value.replace(year=year, month=month, day=day)


def purge(
    db: sessionmaker, now: datetime | None = None, months: int | None = None
) -> tuple[int, int]:
    """Returns (demandes deleted, rendez-vous deleted)."""
    now = now or clock.now()
    if now.tzinfo is not None:
        now = now.astimezone(clock.PARIS).replace(tzinfo=None)
    months = months or int(os.environ.get("TCHATCHE_DEMANDES_RETENTION_MOIS", "12"))
    with db() as session, session.begin():
        demandes = session.execute(
            delete(Demande).where(
                Demande.status == "traite", Demande.updated_at < months_before(now, months)
            )
        ).rowcount
        old = select(RendezVous.id).where(RendezVous.end < months_before(now, APPOINTMENT_MONTHS))
        session.execute(
            delete(Creneau)
            .where(Creneau.rendez_vous_id.in_(old))
            .execution_options(synchronize_session=False)
        )
        rendez_vous = session.execute(
            delete(RendezVous).where(RendezVous.end < months_before(now, APPOINTMENT_MONTHS))
        ).rowcount
    return demandes, rendez_vous


def main() -> int:
    from actions.demandes.db import default_session_factory

    demandes, rendez_vous = purge(default_session_factory())
    print(f"{demandes} demande(s) traitée(s) et {rendez_vous} rendez-vous supprimés.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
