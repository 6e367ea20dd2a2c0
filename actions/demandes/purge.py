"""Deletes what we no longer need to keep: `python -m actions.demandes.purge`.

Treated demandes go 12 months after their last change (TCHATCHE_DEMANDES_RETENTION_MOIS), as
promised to the resident in the acknowledgement; appointments 3 months after they took place,
with their emails.
Untreated demandes are kept whatever their age: deleting them would lose a resident's request.
A signalement's photo goes with it; a photo never attached to a signalement goes after 24 hours.
"""

from __future__ import annotations

import os
import sys
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import sessionmaker

from actions import clock
from actions.demandes import photos
from actions.demandes.models import CourrielRendezVous, Creneau, Demande, Photo, RendezVous

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
    """Returns (demandes deleted, rendez-vous deleted); photos: see `purge_photos`."""
    now = now or clock.now()
    if now.tzinfo is not None:
        now = now.astimezone(clock.PARIS).replace(tzinfo=None)
    months = months or int(os.environ.get("TCHATCHE_DEMANDES_RETENTION_MOIS", "12"))
    with db() as session, session.begin():
        expired = select(Demande.id).where(
            Demande.status == "traite", Demande.updated_at < months_before(now, months)
        )
        # ON DELETE CASCADE would do it, but not on a SQLite connection without foreign_keys.
        session.execute(
            delete(Photo)
            .where(Photo.demande_id.in_(expired))
            .execution_options(synchronize_session=False)
        )
        demandes = session.execute(
            delete(Demande).where(
                Demande.status == "traite", Demande.updated_at < months_before(now, months)
            )
        ).rowcount
        old = select(RendezVous.id).where(RendezVous.end < months_before(now, APPOINTMENT_MONTHS))
        for table in (Creneau, CourrielRendezVous):  # the emails hold names and addresses
            session.execute(
                delete(table)
                .where(table.rendez_vous_id.in_(old))
                .execution_options(synchronize_session=False)
            )
        rendez_vous = session.execute(
            delete(RendezVous).where(RendezVous.end < months_before(now, APPOINTMENT_MONTHS))
        ).rowcount
    return demandes, rendez_vous


def purge_photos(db: sessionmaker, now: datetime | None = None) -> int:
    """Deletes the photos uploaded more than 24 h ago and never attached to a signalement."""
    with db() as session, session.begin():
        return photos.purge_pending(session, now)


def main() -> int:
    from actions.demandes.db import default_session_factory

    demandes, rendez_vous = purge(default_session_factory())
    pending = purge_photos(default_session_factory())
    print(f"{demandes} demande(s) traitée(s) et {rendez_vous} rendez-vous supprimés.")
    print(f"{pending} photo(s) jamais jointe(s) à un signalement supprimée(s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
