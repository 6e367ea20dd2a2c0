"""Emails of demandes: notification to the service, acknowledgement to the resident.

The demande is always stored before any email is tried: an SMTP outage must never lose what a
resident wrote. Failures are logged and left as `mail_envoye = False` (or
`accuse_envoye = False`) for `python -m actions.demandes.mail --renvoyer`.
"""

from __future__ import annotations

import argparse
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

from actions.demandes.models import Demande

log = logging.getLogger(__name__)

SERVICE_LABELS = {
    "etat_civil": "état civil",
    "urbanisme": "urbanisme",
    "services_techniques": "services techniques",
    "ecole": "école",
    "autre": "autre",
}
RETENTION_TEXT = (
    "Nous conservons votre demande, vos coordonnées et la conversation avec l'assistant "
    "pendant 12 mois après son traitement, puis elles sont supprimées. Elles ne servent qu'à "
    "traiter votre demande."
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
    return "Signalement" if demande.kind == "signalement" else "Demande"


def service_notification(demande: Demande, commune_nom: str) -> EmailMessage:
    """Message to the service mailbox, with the conversation attached for context."""
    msg = EmailMessage()
    msg["To"] = demande.routed_to
    msg["Subject"] = (
        f"[{demande.reference}] {_kind_label(demande)} – {commune_nom} – "
        f"{SERVICE_LABELS.get(demande.service, demande.service)}"
    )
    if demande.contact_email:
        msg["Reply-To"] = demande.contact_email
    lines = [
        f"{_kind_label(demande)} reçue par l'assistant Tchatche.",
        "",
        f"Référence : {demande.reference}",
        f"Commune : {commune_nom} ({demande.commune_insee})",
        f"Service : {SERVICE_LABELS.get(demande.service, demande.service)}",
        f"Reçue le : {demande.created_at:%d/%m/%Y à %H:%M}",
    ]
    if demande.lieu:
        lines.append(f"Lieu : {demande.lieu}")
    if demande.photo_path:
        lines.append(f"Photo : {demande.photo_path}")
    lines += [
        "",
        "Message :",
        demande.message,
        "",
        "Contact :",
        f"  courriel : {demande.contact_email or 'non communiqué'}",
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
    return msg


def resident_acknowledgement(demande: Demande, commune_nom: str, next_opening: str) -> EmailMessage:
    """Acknowledgement to the resident: reference, when the mairie reopens, what is kept."""
    msg = EmailMessage()
    msg["To"] = demande.contact_email
    msg["Subject"] = f"Votre {_kind_label(demande).lower()} {demande.reference} est bien reçue"
    body = [
        "Bonjour,",
        "",
        f"Votre {_kind_label(demande).lower()} adressée à la mairie de {commune_nom} a bien été "
        f"enregistrée sous la référence {demande.reference}.",
        "Rappelez cette référence si vous contactez la mairie à ce sujet.",
        "",
        f"{next_opening} Le service concerné vous répondra dès que possible.",
        "",
        "Votre message :",
        demande.message,
        "",
        RETENTION_TEXT,
        "",
        "Ce courriel est envoyé automatiquement, merci de ne pas y répondre.",
        "",
        f"Mairie de {commune_nom}",
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
    commune = territory().communes.get(demande.commune_insee)
    commune_nom = commune.nom if commune else demande.commune_insee
    errors = []
    sent, acknowledged = demande.mail_envoye, demande.accuse_envoye
    if not sent:
        try:
            send(service_notification(demande, commune_nom))
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
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
