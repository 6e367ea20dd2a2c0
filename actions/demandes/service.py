"""Demandes, signalements and rendez-vous: what the assistant's actions call.

Every function takes `now` (aware Europe/Paris or naive local) so that answers are testable
with a frozen clock, and an optional session factory `db` (default: TCHATCHE_DEMANDES_DB).
"""

from __future__ import annotations

import logging
import re
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from actions import clock
from actions.demandes.config import BookingRules, DemandesConfig, demandes_config
from actions.demandes.models import (
    AGENT_RDV_STATUSES,
    MOTIFS,
    SERVICES,
    Counter,
    Creneau,
    Demande,
    RendezVous,
    format_reference,
)
from actions.territory.day_answer import mairie_contact
from actions.territory.hours import opening_state, ranges_on
from actions.territory.loader import territory
from actions.territory.model import Territory

log = logging.getLogger(__name__)

PIECES_TITRES = (
    "Pour une carte d'identité ou un passeport, apportez :\n"
    "- le numéro de votre pré-demande en ligne, si vous l'avez faite sur https://ants.gouv.fr "
    "(conseillé ; sans elle, vous remplissez un formulaire papier au guichet) ;\n"
    "- une photo d'identité de moins de 6 mois ;\n"
    "- un justificatif de domicile ;\n"
    "- votre ancien titre (carte d'identité ou passeport), si vous en avez un ;\n"
    "- pour un passeport, un timbre fiscal (86 € pour un majeur), en ligne sur "
    "https://timbres.impots.gouv.fr ; pour une carte d'identité perdue ou volée, un timbre "
    "fiscal de 25 €.\n"
    "Le détail selon votre situation : "
    "https://www.service-public.gouv.fr/particuliers/vosdroits/F1341 (carte d'identité) et "
    "https://www.service-public.gouv.fr/particuliers/vosdroits/F14929 (passeport)."
)

PIECES_AUTRE = (
    "Apportez les papiers liés à votre démarche. En cas d'empêchement, prévenez la mairie."
)
# Mailbox of the mairie that is told about bookings: the service of identity titles.
RDV_SERVICE = "etat_civil"


def pieces_for(motif: str) -> str:
    """What to bring: the identity-title list for a carte d'identité or a passeport."""
    return PIECES_TITRES if motif in ("carte_identite", "passeport") else PIECES_AUTRE


class DemandeError(Exception):
    """Base of the errors whose message can be shown to the resident as is (French)."""


class SlotTaken(DemandeError):
    def __init__(self) -> None:
        super().__init__(
            "Ce créneau vient d'être réservé par quelqu'un d'autre. Choisissez-en un autre."
        )


class SlotInvalid(DemandeError):
    pass


class BookingNotFound(DemandeError):
    def __init__(self) -> None:
        # Same message for unknown reference and wrong contact: no hint to someone guessing.
        super().__init__(
            "Je ne trouve pas de rendez-vous avec cette référence "
            "et cette adresse e-mail ou ce téléphone."
        )


def _local(value: datetime) -> datetime:
    """Naive Europe/Paris wall-clock time, as stored."""
    if value.tzinfo is not None:
        value = value.astimezone(clock.PARIS).replace(tzinfo=None)
    return value.replace(second=0, microsecond=0) if value.second or value.microsecond else value


def _now(now: datetime | None) -> datetime:
    return now if now is not None else clock.now()


def _db(db: sessionmaker | None) -> sessionmaker:
    if db is not None:
        return db
    from actions.demandes.db import default_session_factory

    return default_session_factory()


def next_reference(session: Session, kind: str, year: int) -> str:
    """Next reference of that kind and year, locked until the transaction ends.

    PostgreSQL: the counter row is read FOR UPDATE, concurrent transactions wait for it.
    SQLite: the transaction began with BEGIN IMMEDIATE (db.py), so it is the only writer.
    The first row of a year is inserted in a savepoint; losing that race is harmless.
    """
    query = select(Counter).where(Counter.kind == kind, Counter.year == year).with_for_update()
    counter = session.scalars(query).first()
    if counter is None:
        try:
            with session.begin_nested():
                session.add(Counter(kind=kind, year=year, last=0))
        except IntegrityError:
            pass
        counter = session.scalars(query.execution_options(populate_existing=True)).one()
    counter.last += 1
    session.flush()
    return format_reference(kind, year, counter.last)


def _check_commune(terr: Territory, insee: str) -> None:
    if insee not in terr.communes:
        raise DemandeError(f"Commune inconnue : {insee}.")


def _store_and_send(
    kind: str,
    commune_insee: str,
    service: str,
    message: str,
    *,
    lieu: str | None,
    photo_path: str | None,
    contact_email: str | None,
    contact_telephone: str | None,
    transcript: str,
    now: datetime | None,
    db: sessionmaker | None,
    config: DemandesConfig | None,
    send_mail: bool,
    photo: str | None = None,
) -> Demande:
    terr = territory()
    _check_commune(terr, commune_insee)
    if service not in SERVICES:
        raise DemandeError(f"Service inconnu : {service}.")
    if not message.strip():
        raise DemandeError("Le message de la demande est vide.")
    config = config or demandes_config()
    factory = _db(db)
    stamp = _local(_now(now))
    with factory() as session, session.begin():
        demande = Demande(
            reference=next_reference(session, kind, stamp.year),
            kind=kind,
            commune_insee=commune_insee,
            service=service,
            message=message.strip(),
            lieu=lieu,
            photo_path=photo_path,
            contact_email=(contact_email or "").strip() or None,
            contact_telephone=(contact_telephone or "").strip() or None,
            status="nouveau",
            created_at=stamp,
            updated_at=stamp,
            transcript=transcript,
            routed_to=config.mailbox(terr, commune_insee, service),
            mail_envoye=False,
            accuse_envoye=False if (contact_email or "").strip() else None,
        )
        session.add(demande)
        if photo:
            from actions.demandes import photos

            session.flush()  # the id the photo points to
            if not photos.attach(session, photo, demande.id, stamp):
                log.warning(
                    "%s : photo inconnue, expirée ou déjà utilisée, ignorée", demande.reference
                )
    # Stored and committed: from here on an email failure only leaves mail_envoye false.
    if send_mail:
        from actions.demandes.mail import deliver

        demande = deliver(factory, demande.id, now)
    return demande


def create_demande(
    commune_insee: str,
    service: str,
    message: str,
    *,
    contact_email: str | None = None,
    contact_telephone: str | None = None,
    transcript: str = "",
    now: datetime | None = None,
    db: sessionmaker | None = None,
    config: DemandesConfig | None = None,
    send_mail: bool = True,
) -> Demande:
    """Stores a demande with its reference, then emails the service and the resident."""
    return _store_and_send(
        "demande",
        commune_insee,
        service,
        message,
        lieu=None,
        photo_path=None,
        contact_email=contact_email,
        contact_telephone=contact_telephone,
        transcript=transcript,
        now=now,
        db=db,
        config=config,
        send_mail=send_mail,
    )


def create_signalement(
    commune_insee: str,
    message: str,
    lieu: str,
    *,
    service: str = "services_techniques",
    photo_path: str | None = None,
    contact_email: str | None = None,
    contact_telephone: str | None = None,
    transcript: str = "",
    now: datetime | None = None,
    db: sessionmaker | None = None,
    config: DemandesConfig | None = None,
    send_mail: bool = True,
    photo: str | None = None,
) -> Demande:
    """A signalement (pothole, lamp…) goes to the technical services unless told otherwise.

    `photo`: token of a photo uploaded from the web chat (actions/demandes/photos.py); it is
    attached and sent to the service with the email. An unknown, expired (24 h) or already used
    token is ignored with a warning: the signalement is stored all the same.
    """
    return _store_and_send(
        "signalement",
        commune_insee,
        service,
        message,
        lieu=lieu,
        photo_path=photo_path,
        contact_email=contact_email,
        contact_telephone=contact_telephone,
        transcript=transcript,
        now=now,
        db=db,
        config=config,
        send_mail=send_mail,
        photo=photo,
    )


# ----------------------------------------------------------------------------- rendez-vous


def _rules(mairie_insee: str, config: DemandesConfig | None) -> BookingRules:
    rules = (config or demandes_config()).booking.get(mairie_insee)
    if rules is None:
        raise SlotInvalid("Cette mairie ne prend pas de rendez-vous pour les titres d'identité.")
    return rules


def booking_rules(mairie_insee: str, config: DemandesConfig | None = None) -> BookingRules:
    """The mairie's booking rules (delay, horizon), to say them to a resident."""
    return _rules(mairie_insee, config)


def _day_slots(rules: BookingRules, day: date) -> list[datetime]:
    """Every slot start of that day: inside the ranges, without holidays or closures."""
    if day in rules.fermetures:
        return []
    step = timedelta(minutes=rules.duree_minutes)
    slots = []
    for r in ranges_on(rules.jours, day):  # holidays and mairie closures give no range
        start, end = datetime.combine(day, r.start), datetime.combine(day, r.end)
        while start + step <= end:
            slots.append(start)
            start += step
    return slots


def _window(rules: BookingRules, now: datetime) -> tuple[datetime, datetime]:
    local = _local(now)
    first = local + timedelta(hours=rules.delai_minimum_heures)
    last = datetime.combine(local.date() + timedelta(days=rules.horizon_jours), datetime.max.time())
    return first, last


def free_slots(
    mairie_insee: str,
    now: datetime | None = None,
    count: int = 5,
    *,
    after: datetime | None = None,
    db: sessionmaker | None = None,
    config: DemandesConfig | None = None,
) -> list[datetime]:
    """The next `count` free slot starts (naive Europe/Paris), earliest first.

    `after`: only slots starting at or after it, for « mardi 22 à 9 h » when 9 h is taken (the
    booking window still applies: never sooner than the minimum delay).
    """
    rules = _rules(mairie_insee, config)
    first, last = _window(rules, _now(now))
    if after is not None:
        first = max(first, _local(after))
    with _db(db)() as session:
        taken = set(
            session.scalars(
                select(Creneau.start).where(
                    Creneau.mairie_insee == mairie_insee,
                    Creneau.start >= first,
                    Creneau.start <= last,
                )
            )
        )
    result = []
    day = first.date()
    while day <= last.date() and len(result) < count:
        for slot in _day_slots(rules, day):
            if first <= slot <= last and slot not in taken:
                result.append(slot)
                if len(result) == count:
                    break
        day += timedelta(days=1)
    return result


def _check_slot(rules: BookingRules, start: datetime, now: datetime) -> None:
    first, last = _window(rules, now)
    if start < first:
        raise SlotInvalid(
            f"Ce créneau est trop proche : réservez au moins {rules.delai_minimum_heures} h "
            "à l'avance."
        )
    if start > last:
        raise SlotInvalid(
            f"Les rendez-vous s'ouvrent {rules.horizon_jours} jours à l'avance au plus."
        )
    if start not in _day_slots(rules, start.date()):
        raise SlotInvalid("Ce n'est pas un créneau de rendez-vous de la mairie.")


def slots_of_day(
    mairie_insee: str, day: date, *, config: DemandesConfig | None = None
) -> list[datetime]:
    """Every slot the mairie offers that day, booked or not ([] on a day without rendez-vous).

    Tells « the mairie does not take rendez-vous then » apart from « that slot is taken ».
    """
    return _day_slots(_rules(mairie_insee, config), day)


# Why a wished slot cannot be booked (see why_not_free).
NOT_FREE_REASONS = ("passe", "trop_tot", "trop_loin", "ferme", "hors_creneau", "pris")


def why_not_free(
    mairie_insee: str,
    start: datetime,
    now: datetime | None = None,
    *,
    db: sessionmaker | None = None,
    config: DemandesConfig | None = None,
) -> str | None:
    """None when `start` can be booked now, else one of NOT_FREE_REASONS.

    The resident who wrote « mardi 22 à 9 h » is told plainly why it is not possible: past,
    too soon, too far ahead, no rendez-vous that day or at that time, or already taken.
    """
    rules = _rules(mairie_insee, config)
    now = _now(now)
    start = _local(start)
    first, last = _window(rules, now)
    if start < _local(now):
        return "passe"
    if start > last:
        return "trop_loin"
    day = _day_slots(rules, start.date())
    if not day:
        return "ferme"
    if start not in day:
        return "hors_creneau"
    if start < first:
        return "trop_tot"
    with _db(db)() as session:
        taken = session.scalars(
            select(Creneau.start).where(
                Creneau.mairie_insee == mairie_insee, Creneau.start == start
            )
        ).first()
    return "pris" if taken is not None else None


def _normalize_phone(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    return "0" + digits[2:] if digits.startswith("33") and len(digits) == 11 else digits


def _contact_matches(rdv: RendezVous, contact: str) -> bool:
    contact = (contact or "").strip()
    if not contact:
        return False
    if "@" in contact:
        return bool(rdv.contact_email) and rdv.contact_email.lower() == contact.lower()
    phone = _normalize_phone(contact)
    return (
        bool(phone)
        and bool(rdv.contact_telephone)
        and (_normalize_phone(rdv.contact_telephone) == phone)
    )


def _queue_mail(
    rdv: RendezVous,
    event: str,
    stamp: datetime,
    config: DemandesConfig | None,
    *,
    old_start: datetime | None = None,
    by_mairie: bool = False,
) -> None:
    """Writes the emails of this event in the current transaction; they leave after the commit.

    The resident gets one when they gave an email; the mairie's service is told of what a
    resident did (not of an agent's own cancellation, done from its back-office).
    """
    from actions.demandes.mail import rendez_vous_courriels

    terr = territory()
    service_address = None
    if not by_mairie:
        service_address = (config or demandes_config()).mailbox(terr, rdv.mairie_insee, RDV_SERVICE)
    rdv.courriels.extend(
        rendez_vous_courriels(
            rdv,
            terr.communes[rdv.mairie_insee],
            event,
            service_address=service_address,
            pieces=pieces_for(rdv.motif),
            old_start=old_start,
            by_mairie=by_mairie,
            now=stamp,
        )
    )


def _send_queued(factory: sessionmaker, rdv: RendezVous, send_mail: bool) -> None:
    """After the commit: an SMTP failure leaves the emails pending for --renvoyer, no more."""
    if send_mail:
        from actions.demandes.mail import deliver_rendez_vous

        deliver_rendez_vous(factory, rdv.id)


def book(
    mairie_insee: str,
    start: datetime,
    nom: str,
    email: str | None,
    telephone: str | None,
    motif: str,
    now: datetime | None = None,
    *,
    db: sessionmaker | None = None,
    config: DemandesConfig | None = None,
    send_mail: bool = True,
) -> RendezVous:
    """Books a slot; raises SlotInvalid (not a slot, too soon…) or SlotTaken (lost the race).

    The confirmation to the resident (when they gave an email) and the notice to the mairie are
    written with the booking and sent after the commit; the booking never waits on a lock for
    SMTP and never fails because of it.
    """
    rules = _rules(mairie_insee, config)
    now = _now(now)
    start = _local(start)
    if motif not in MOTIFS:
        raise SlotInvalid(f"Motif inconnu : {motif}.")
    if not (email or "").strip() and not (telephone or "").strip():
        raise SlotInvalid(
            "Indiquez une adresse e-mail ou un téléphone pour pouvoir gérer le rendez-vous."
        )
    _check_slot(rules, start, now)
    stamp = _local(now)
    factory = _db(db)
    try:
        with factory() as session, session.begin():
            rdv = RendezVous(
                reference=next_reference(session, "rendez_vous", stamp.year),
                mairie_insee=mairie_insee,
                start=start,
                end=start + timedelta(minutes=rules.duree_minutes),
                nom=nom.strip(),
                contact_email=(email or "").strip() or None,
                contact_telephone=(telephone or "").strip() or None,
                motif=motif,
                status="confirme",
                created_at=stamp,
                updated_at=stamp,
            )
            rdv.creneau = Creneau(mairie_insee=mairie_insee, start=start)
            _queue_mail(rdv, "confirmation", stamp, config)
            session.add(rdv)
    except IntegrityError as exc:  # the UNIQUE (mairie_insee, start) of creneaux
        raise SlotTaken() from exc
    _send_queued(factory, rdv, send_mail)
    return rdv


CLOSED_RDV_STATUSES = ("annule", "honore", "absent")


def _find(session: Session, reference: str, contact: str) -> RendezVous:
    rdv = session.scalars(
        select(RendezVous)
        .where(RendezVous.reference == reference.strip().upper())
        .with_for_update()
    ).first()
    # Cancelled, or already passed at the mairie (honoured, missed): nothing left to manage.
    if rdv is None or not _contact_matches(rdv, contact) or rdv.status in CLOSED_RDV_STATUSES:
        raise BookingNotFound()
    return rdv


def cancel(
    reference: str,
    contact: str,
    now: datetime | None = None,
    *,
    db: sessionmaker | None = None,
    config: DemandesConfig | None = None,
    send_mail: bool = True,
) -> RendezVous:
    """Cancels a booking when `contact` is its email or telephone; the slot is freed."""
    stamp = _local(_now(now))
    factory = _db(db)
    with factory() as session, session.begin():
        rdv = _find(session, reference, contact)
        rdv.status = "annule"
        rdv.updated_at = stamp
        rdv.creneau = None  # delete-orphan: the slot row goes, the slot is free again
        _queue_mail(rdv, "annulation", stamp, config)
    _send_queued(factory, rdv, send_mail)
    return rdv


def move(
    reference: str,
    contact: str,
    new_start: datetime,
    now: datetime | None = None,
    *,
    db: sessionmaker | None = None,
    config: DemandesConfig | None = None,
    send_mail: bool = True,
) -> RendezVous:
    """Moves a booking to another free slot, atomically: the old slot is kept if this fails."""
    now = _now(now)
    new_start = _local(new_start)
    stamp = _local(now)
    factory = _db(db)
    try:
        with factory() as session, session.begin():
            rdv = _find(session, reference, contact)
            rules = _rules(rdv.mairie_insee, config)
            _check_slot(rules, new_start, now)
            if rdv.creneau is not None:
                session.delete(rdv.creneau)
                session.flush()
            old_start = rdv.start
            rdv.creneau = Creneau(mairie_insee=rdv.mairie_insee, start=new_start)
            rdv.start = new_start
            rdv.end = new_start + timedelta(minutes=rules.duree_minutes)
            rdv.status = "deplace"
            rdv.updated_at = stamp
            _queue_mail(rdv, "deplacement", stamp, config, old_start=old_start)
    except IntegrityError as exc:
        raise SlotTaken() from exc
    _send_queued(factory, rdv, send_mail)
    return rdv


def set_rendez_vous_status(
    rendez_vous_id: int,
    status: str,
    now: datetime | None = None,
    *,
    db: sessionmaker | None = None,
    config: DemandesConfig | None = None,
    send_mail: bool = True,
) -> RendezVous:
    """An agent's change from the back-office (the caller checked the agent's scope).

    "annule" frees the slot and tells the resident by email when they gave one. A cancelled
    rendez-vous stays cancelled: its slot may already be someone else's.
    """
    if status not in AGENT_RDV_STATUSES:
        raise DemandeError("Statut de rendez-vous inconnu.")
    stamp = _local(_now(now))
    factory = _db(db)
    with factory() as session, session.begin():
        rdv = session.scalars(
            select(RendezVous).where(RendezVous.id == rendez_vous_id).with_for_update()
        ).one()
        if rdv.status == status:
            return rdv
        if rdv.status == "annule":
            raise DemandeError(
                "Ce rendez-vous est annulé et son créneau a été libéré : il ne peut pas être "
                "rétabli. Prenez un nouveau rendez-vous si besoin."
            )
        rdv.status = status
        rdv.updated_at = stamp
        if status == "annule":
            rdv.creneau = None  # the slot is free again
            _queue_mail(rdv, "annulation", stamp, config, by_mairie=True)
    _send_queued(factory, rdv, send_mail)
    return rdv


def next_opening_text(commune_insee: str, now: datetime | None = None) -> str:
    """One French sentence on when the mairie can be reached, for replies and emails."""
    now = _now(now)
    if now.tzinfo is None:
        now = now.replace(tzinfo=clock.PARIS)
    commune = territory().communes[commune_insee]
    state = opening_state(commune.mairie.horaires, now)
    if state.closes_at is not None:
        from actions.territory.hours import fmt_time

        return f"La mairie est ouverte aujourd'hui jusqu'à {fmt_time(state.closes_at)}."
    if state.next_opening is None:
        return (
            "Aucune ouverture de la mairie n'est prévue dans les deux prochains mois. "
            f"{mairie_contact(commune)}"
        )
    return f"La mairie rouvre {state.describe_next(now)}."
