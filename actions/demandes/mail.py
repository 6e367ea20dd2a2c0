"""Emails of demandes: notification to the service, acknowledgement to the resident.

The demande is always stored before any email is tried: an SMTP outage must never lose what a
resident wrote. Failures are logged and left as `mail_envoye = False` (or
`accuse_envoye = False`) for `python -m actions.demandes.mail --renvoyer`.

Rendez-vous emails (confirmation, move, cancellation) are written as whole messages in the
transaction that changes the booking (table courriels_rendez_vous) and sent after its commit.
"""

from __future__ import annotations

import argparse
import email
import email.policy
import logging
import os
import smtplib
import sys
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from sqlalchemy import or_, select
from sqlalchemy.orm import sessionmaker

from actions import clock
from actions.demandes import photos
from actions.demandes.models import CourrielRendezVous, Demande, RendezVous
from actions.demandes.photos import PhotoFile
from actions.demandes.services import SERVICE_LABELS
from actions.territory.hours import DAY_NAMES, MONTHS, fmt_time
from actions.text import of_place

log = logging.getLogger(__name__)


# What a demande is called, and its gender: every participle and pronoun agrees with it.
# « Votre demande … est bien reçue », « Votre signalement … est bien reçu ».
KIND_NOUNS = {"demande": ("demande", "f"), "signalement": ("signalement", "m")}


def retention_text(kind: str = "demande") -> str:
    """How long the demande is kept. « elles » after feminine nouns only (demande, coordonnées,
    conversation); a masculine one among them (signalement) makes it « ils »."""
    noun, gender = KIND_NOUNS.get(kind, KIND_NOUNS["demande"])
    they, deleted = ("elles", "supprimées") if gender == "f" else ("ils", "supprimés")
    return (
        f"Nous conservons votre {noun}, vos coordonnées et la conversation avec l'assistant "
        f"pendant 12 mois après son traitement, puis {they} sont {deleted}. "
        f"{they.capitalize()} ne servent qu'à traiter votre {noun}."
    )


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str | None
    password: str | None
    sender: str
    timeout: float = 10.0

    @classmethod
    def from_env(cls) -> SmtpSettings:
        return cls(
            host=os.environ.get("TCHATCHE_SMTP_HOST", "127.0.0.1"),
            port=int(os.environ.get("TCHATCHE_SMTP_PORT", "1025")),
            user=os.environ.get("TCHATCHE_SMTP_USER") or None,
            password=os.environ.get("TCHATCHE_SMTP_PASSWORD") or None,
            sender=os.environ.get("TCHATCHE_SMTP_FROM", "tchatche@territoire.example"),
        )


def send(message: EmailMessage, settings: SmtpSettings | None = None) -> None:
    """Sends one message; raises OSError / smtplib.SMTPException on failure."""
    settings = settings or SmtpSettings.from_env()
    if "From" not in message:
        message["From"] = settings.sender
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=settings.sender.split("@")[-1])
    with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
        if settings.user:
            smtp.ehlo()
            if smtp.has_extn("starttls"):  # never send a password in clear when TLS is offered
                smtp.starttls()
                smtp.ehlo()
            smtp.login(settings.user, settings.password or "")
        smtp.send_message(message)


def _kind_label(demande: Demande) -> str:
    return _noun(demande).capitalize()


def _noun(demande: Demande) -> str:
    return KIND_NOUNS.get(demande.kind, KIND_NOUNS["demande"])[0]


def _agreed(demande: Demande, participle: str) -> str:
    """« reçu » → « reçue » for a demande, « reçu » for a signalement."""
    feminine = KIND_NOUNS.get(demande.kind, KIND_NOUNS["demande"])[1] == "f"
    return f"{participle}e" if feminine else participle


def service_notification(
    demande: Demande, commune_nom: str, photo: PhotoFile | None = None
) -> EmailMessage:
    """Message to the service mailbox, with the conversation (and the photo) attached."""
    msg = EmailMessage()
    msg["To"] = demande.routed_to
    msg["Subject"] = (
        f"[{demande.reference}] {_kind_label(demande)} – {commune_nom} – "
        f"{SERVICE_LABELS.get(demande.service, demande.service).lower()}"
    )
    if demande.contact_email:
        msg["Reply-To"] = demande.contact_email
    lines = [
        f"{_kind_label(demande)} {_agreed(demande, 'reçu')} par l'assistant Tchatche.",
        "",
        f"Référence : {demande.reference}",
        f"Commune : {commune_nom} ({demande.commune_insee})",
        f"Service : {SERVICE_LABELS.get(demande.service, demande.service).lower()}",
        f"{_agreed(demande, 'Reçu')} le : {demande.created_at:%d/%m/%Y à %H:%M}",
    ]
    if demande.lieu:
        lines.append(f"Lieu : {demande.lieu}")
    if demande.photo_path:
        lines.append(f"Photo : {demande.photo_path}")
    if photo is not None:
        lines.append(f"Photo : jointe ({photo.filename(demande.reference)})")
    lines += [
        "",
        "Message :",
        demande.message,
        "",
        "Contact :",
        f"  adresse e-mail : {demande.contact_email or 'non communiqué'}",
        f"  téléphone : {demande.contact_telephone or 'non communiqué'}",
        "",
        "La conversation complète est jointe (conversation.txt).",
    ]
    msg.set_content("\n".join(lines))
    msg.add_attachment(
        demande.transcript or "(conversation non disponible)",
        subtype="plain",
        filename=f"conversation-{demande.reference}.txt",
    )
    if photo is not None:
        maintype, subtype = photo.content_type.split("/")
        msg.add_attachment(
            photo.data,
            maintype=maintype,
            subtype=subtype,
            filename=photo.filename(demande.reference),
        )
    return msg


def resident_acknowledgement(demande: Demande, commune_nom: str, next_opening: str) -> EmailMessage:
    """Acknowledgement to the resident: reference, when the mairie reopens, what is kept."""
    msg = EmailMessage()
    msg["To"] = demande.contact_email
    received = _agreed(demande, "reçu")
    msg["Subject"] = f"Votre {_noun(demande)} {demande.reference} est bien {received}"
    body = [
        "Bonjour,",
        "",
        f"Votre {_noun(demande)} {_agreed(demande, 'adressé')} à la mairie "
        f"{of_place(commune_nom)} a bien été {_agreed(demande, 'enregistré')} sous la référence "
        f"{demande.reference}.",
        "Rappelez cette référence si vous contactez la mairie à ce sujet.",
        "",
        f"{next_opening} Le service concerné vous répondra dès que possible.",
        "",
        "Votre message :",
        demande.message,
        "",
        retention_text(demande.kind),
        "",
        "Ce message est envoyé automatiquement. Merci de ne pas y répondre.",
        "",
        f"Mairie {of_place(commune_nom)}",
    ]
    msg.set_content("\n".join(body))
    return msg


def deliver(db: sessionmaker, demande_id: int, now: datetime | None = None) -> Demande:
    """Sends what has not been sent yet for this demande and records the outcome."""
    from actions.demandes.service import next_opening_text
    from actions.territory.loader import territory

    with db() as session, session.begin():
        demande = session.get(Demande, demande_id)
        session.expunge(demande)
        photo = None if demande.mail_envoye else photos.load(session, demande_id)
    commune = territory().communes.get(demande.commune_insee)
    commune_nom = commune.nom if commune else demande.commune_insee
    errors = []
    sent, acknowledged = demande.mail_envoye, demande.accuse_envoye
    if not sent:
        try:
            send(service_notification(demande, commune_nom, photo))
            sent = True
        except (OSError, smtplib.SMTPException) as exc:
            log.error(
                "demande %s : notification au service non envoyée : %s", demande.reference, exc
            )
            errors.append(f"service : {exc}")
    if demande.contact_email and not acknowledged:
        try:
            opening = next_opening_text(demande.commune_insee, now)
            send(resident_acknowledgement(demande, commune_nom, opening))
            acknowledged = True
        except (OSError, smtplib.SMTPException) as exc:
            log.error("demande %s : accusé de réception non envoyé : %s", demande.reference, exc)
            errors.append(f"accusé : {exc}")
    with db() as session, session.begin():
        stored = session.get(Demande, demande_id)
        stored.mail_envoye = sent
        stored.accuse_envoye = acknowledged if demande.contact_email else None
        stored.mail_erreur = "; ".join(errors) or None
        session.flush()
        session.expunge(stored)
    return stored


# ----------------------------------------------------------------------------- rendez-vous

RDV_RETENTION_TEXT = (
    "Nous conservons votre rendez-vous et vos coordonnées pendant 3 mois après sa date, puis "
    "ils sont supprimés. Ils ne servent qu'à organiser ce rendez-vous."
)
RDV_MOTIF_LABELS = {
    "carte_identite": "carte d'identité",
    "passeport": "passeport",
    "autre": "autre démarche",
}


def fmt_rdv_when(start: datetime) -> str:
    """ "jeudi 26 novembre 2026 à 9 h 30": the day and time as a resident reads them."""
    day = "1er" if start.day == 1 else str(start.day)
    return (
        f"{DAY_NAMES[start.weekday()]} {day} {MONTHS[start.month - 1]} {start.year} "
        f"à {fmt_time(start.time())}"
    )


def _rdv_manage_text(rdv: RendezVous, telephone: str) -> str:
    return (
        "Pour annuler ou déplacer ce rendez-vous, écrivez « annuler mon rendez-vous » à "
        f"l'assistant Tchatche. Il vous demandera la référence {rdv.reference} et l'adresse e-mail "
        "ou le téléphone donné à la réservation. Vous pouvez aussi appeler la mairie au "
        f"{telephone}."
    )


def resident_rendez_vous(
    rdv: RendezVous,
    commune,
    event: str,
    *,
    pieces: str,
    old_start: datetime | None = None,
    by_mairie: bool = False,
) -> EmailMessage:
    """Confirmation, move or cancellation for the resident: reference, place, day, what to bring.

    `commune` is the territory's Commune of the mairie (name, address, telephone).
    """
    mairie = commune.mairie
    when = fmt_rdv_when(rdv.start)
    msg = EmailMessage()
    msg["To"] = rdv.contact_email
    details = [
        f"Référence : {rdv.reference}",
        f"Motif : {RDV_MOTIF_LABELS.get(rdv.motif, rdv.motif)}",
    ]
    if event == "annulation":
        msg["Subject"] = f"Votre rendez-vous {rdv.reference} est annulé"
        if by_mairie:
            intro = (
                f"La mairie {of_place(commune.nom)} a annulé votre rendez-vous du {when}. "
                "Pour toute question, appelez-la."
            )
        else:
            intro = (
                f"Votre rendez-vous du {when} à la mairie {of_place(commune.nom)} est bien annulé."
            )
        body = [
            intro,
            "",
            *details,
            f"Date annulée : {when}",
            f"Mairie : {mairie.adresse}",
            f"Téléphone de la mairie : {mairie.telephone}",
            "",
            "Pour prendre un nouveau rendez-vous, écrivez « prendre rendez-vous » à l'assistant "
            f"Tchatche ou appelez la mairie au {mairie.telephone}.",
        ]
    else:
        if event == "deplacement":
            msg["Subject"] = f"Votre rendez-vous {rdv.reference} est déplacé"
            intro = f"Votre rendez-vous à la mairie {of_place(commune.nom)} est bien déplacé."
            dates = [f"Nouvelle date : {when}"]
            if old_start is not None:
                dates.append(f"Ancienne date (annulée) : {fmt_rdv_when(old_start)}")
        else:
            msg["Subject"] = f"Votre rendez-vous {rdv.reference} est confirmé"
            intro = f"Votre rendez-vous à la mairie {of_place(commune.nom)} est confirmé."
            dates = [f"Date : {when}"]
        body = [
            intro,
            "",
            *details,
            *dates,
            f"Lieu : {mairie.adresse}",
            f"Téléphone de la mairie : {mairie.telephone}",
            "",
            pieces,
            "",
            _rdv_manage_text(rdv, mairie.telephone),
            "Si vous ne pouvez pas venir, prévenez la mairie : le créneau servira à quelqu'un "
            "d'autre.",
        ]
    msg.set_content(
        "\n".join(
            [
                f"Bonjour {rdv.nom}," if rdv.nom else "Bonjour,",
                "",
                *body,
                "",
                RDV_RETENTION_TEXT,
                "",
                "Ce message est envoyé automatiquement. Merci de ne pas y répondre.",
                "",
                f"Mairie {of_place(commune.nom)}",
            ]
        )
    )
    return msg


def service_rendez_vous(
    rdv: RendezVous, commune, event: str, to: str, *, old_start: datetime | None = None
) -> EmailMessage:
    """Notice to the mairie's service (état civil) of a booking, a move or a cancellation."""
    when = fmt_rdv_when(rdv.start)
    title = {
        "confirmation": "Nouveau rendez-vous",
        "deplacement": "Rendez-vous déplacé",
        "annulation": "Rendez-vous annulé",
    }[event]
    msg = EmailMessage()
    msg["To"] = to
    msg["Subject"] = f"[{rdv.reference}] {title} – {commune.nom} – {when}"
    if rdv.contact_email:
        msg["Reply-To"] = rdv.contact_email
    lines = {
        "confirmation": ["Rendez-vous pris par un habitant avec l'assistant Tchatche.", ""],
        "deplacement": ["Rendez-vous déplacé par l'habitant avec l'assistant Tchatche.", ""],
        "annulation": ["Rendez-vous annulé par l'habitant avec l'assistant Tchatche.", ""],
    }[event]
    lines += [
        f"Référence : {rdv.reference}",
        f"Mairie : {commune.nom} ({rdv.mairie_insee})",
    ]
    if event == "annulation":
        lines.append(f"Date annulée : {when} (le créneau est de nouveau libre)")
    elif event == "deplacement":
        lines.append(f"Nouvelle date : {when}, jusqu'à {fmt_time(rdv.end.time())}")
        if old_start is not None:
            lines.append(f"Ancienne date : {fmt_rdv_when(old_start)} (le créneau est libéré)")
    else:
        lines.append(f"Date : {when}, jusqu'à {fmt_time(rdv.end.time())}")
    lines += [
        f"Motif : {RDV_MOTIF_LABELS.get(rdv.motif, rdv.motif)}",
        f"Nom : {rdv.nom}",
        "",
        "Contact :",
        f"  adresse e-mail : {rdv.contact_email or 'non communiqué'}",
        f"  téléphone : {rdv.contact_telephone or 'non communiqué'}",
        "",
        f"Le rendez-vous est aussi dans l'espace agents : /agents/rendez-vous/{rdv.reference}",
    ]
    msg.set_content("\n".join(lines))
    return msg


def rendez_vous_courriels(
    rdv: RendezVous,
    commune,
    event: str,
    *,
    service_address: str | None,
    pieces: str,
    old_start: datetime | None = None,
    by_mairie: bool = False,
    now: datetime,
) -> list[CourrielRendezVous]:
    """The emails of one event, ready to be added to the booking's transaction (not sent)."""
    messages = []
    if rdv.contact_email:
        resident = resident_rendez_vous(
            rdv, commune, event, pieces=pieces, old_start=old_start, by_mairie=by_mairie
        )
        messages.append(("habitant", resident))
    if service_address:
        messages.append(
            (
                "service",
                service_rendez_vous(rdv, commune, event, service_address, old_start=old_start),
            )
        )
    return [
        CourrielRendezVous(
            evenement=event,
            destinataire=recipient,
            message=message.as_string(),
            created_at=now,
            envoye=False,
        )
        for recipient, message in messages
    ]


def _send_courriels(db: sessionmaker, items: list[tuple[int, str, str]]) -> tuple[int, int]:
    """Sends stored rendez-vous emails in order and records each outcome; (sent, failed).

    When the server cannot be reached at all, the rest of the batch is not tried (each try
    would wait for the timeout) and stays pending with the same error.
    """
    sent = failed = 0
    unreachable: str | None = None
    for courriel_id, reference, text in items:
        error = unreachable
        if error is None:
            try:
                send(email.message_from_string(text, policy=email.policy.default))
            except smtplib.SMTPException as exc:  # this message only (refused recipient…)
                error = str(exc)
            except OSError as exc:  # connection refused, timeout: the server is down
                error = unreachable = str(exc) or exc.__class__.__name__
        if error:
            log.error("rendez-vous %s : courriel non envoyé : %s", reference, error)
            failed += 1
        else:
            sent += 1
        with db() as session, session.begin():
            row = session.get(CourrielRendezVous, courriel_id)
            if row is not None:  # gone if the rendez-vous was purged meanwhile
                row.envoye = error is None
                row.envoye_at = clock.now().replace(tzinfo=None) if error is None else None
                row.erreur = error
    return sent, failed


def _pending_courriels(db: sessionmaker, rendez_vous_id: int | None) -> list[tuple[int, str, str]]:
    query = (
        select(CourrielRendezVous.id, RendezVous.reference, CourrielRendezVous.message)
        .join(RendezVous, RendezVous.id == CourrielRendezVous.rendez_vous_id)
        .where(CourrielRendezVous.envoye.is_(False))
        .order_by(CourrielRendezVous.id)
    )
    if rendez_vous_id is not None:
        query = query.where(CourrielRendezVous.rendez_vous_id == rendez_vous_id)
    with db() as session:
        return [tuple(row) for row in session.execute(query)]


def deliver_rendez_vous(db: sessionmaker, rendez_vous_id: int) -> tuple[int, int]:
    """Sends the unsent emails of one rendez-vous, oldest first; (sent, failed)."""
    return _send_courriels(db, _pending_courriels(db, rendez_vous_id))


def resend_pending_rendez_vous(db: sessionmaker) -> tuple[int, int]:
    """Retries every unsent rendez-vous email, oldest first; (sent, still failing)."""
    return _send_courriels(db, _pending_courriels(db, None))


def resend_pending(db: sessionmaker) -> tuple[int, int]:
    """Retries every demande with an unsent email; returns (done, still failing)."""
    with db() as session:
        ids = session.scalars(
            select(Demande.id)
            .where(or_(Demande.mail_envoye.is_(False), Demande.accuse_envoye.is_(False)))
            .order_by(Demande.id)
        ).all()
    done = failed = 0
    for demande_id in ids:
        result = deliver(db, demande_id)
        if result.mail_erreur:
            failed += 1
        else:
            done += 1
    return done, failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Courriels des demandes Tchatche.")
    parser.add_argument(
        "--renvoyer", action="store_true", help="renvoie les courriels qui n'ont pas pu partir"
    )
    args = parser.parse_args(argv)
    if not args.renvoyer:
        parser.print_help()
        return 2
    logging.basicConfig(level=logging.INFO)
    from actions.demandes.db import default_session_factory

    done, failed = resend_pending(default_session_factory())
    print(f"{done} demande(s) envoyée(s), {failed} toujours en échec.")
    rdv_done, rdv_failed = resend_pending_rendez_vous(default_session_factory())
    print(f"{rdv_done} courriel(s) de rendez-vous envoyé(s), {rdv_failed} toujours en échec.")
    return 1 if failed or rdv_failed else 0


if __name__ == "__main__":
    sys.exit(main())
