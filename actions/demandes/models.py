"""Tables of demandes, signalements, rendez-vous and the back-office agents (SQLAlchemy 1.4).

Datetimes are naive Europe/Paris wall-clock times: a mairie books "mardi 9 h 20", not an
instant, and SQLite has no time zones anyway. Creation times are written by the service
with `actions.clock.now()` so that tests with a frozen clock see stable values.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base, deferred, relationship

from actions.demandes.services import SERVICES

Base = declarative_base()

KINDS = ("demande", "signalement")
KIND_PREFIX = {"demande": "DEM", "signalement": "SIG", "rendez_vous": "RDV"}
DEMANDE_STATUSES = ("nouveau", "en_cours", "traite")
MOTIFS = ("carte_identite", "passeport", "autre")
# confirme and deplace: still to come; honore and absent: set by an agent afterwards.
RDV_STATUSES = ("confirme", "annule", "deplace", "honore", "absent")
# What an agent can set in the back-office; "deplace" only comes with a new slot (resident's move).
AGENT_RDV_STATUSES = ("confirme", "honore", "absent", "annule")
RDV_EVENTS = ("confirmation", "deplacement", "annulation")
RDV_RECIPIENTS = ("habitant", "service")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def format_reference(kind: str, year: int, number: int) -> str:
    """DEM-2026-000123: the prefix tells an agent on the phone what kind of file it is."""
    return f"{KIND_PREFIX[kind]}-{year}-{number:06d}"


class Counter(Base):
    """Next reference number per kind and year.

    Incremented in the transaction that inserts the row, with the row locked (SELECT … FOR
    UPDATE on PostgreSQL, the database write lock on SQLite), so two residents never share a
    reference and numbers do not jump when a transaction rolls back.
    """

    __tablename__ = "compteurs"
    kind = Column(String(20), primary_key=True)
    year = Column(Integer, primary_key=True)
    last = Column(Integer, nullable=False, default=0)


class Demande(Base):
    """A demande (question to a service) or a signalement (pothole, broken lamp…)."""

    __tablename__ = "demandes"
    __table_args__ = (
        CheckConstraint(_in("kind", KINDS), name="ck_demandes_kind"),
        CheckConstraint(_in("service", SERVICES), name="ck_demandes_service"),
        CheckConstraint(_in("status", DEMANDE_STATUSES), name="ck_demandes_status"),
    )

    id = Column(Integer, primary_key=True)
    reference = Column(String(20), unique=True, nullable=False)
    kind = Column(String(20), nullable=False)
    commune_insee = Column(String(5), nullable=False, index=True)
    service = Column(String(30), nullable=False)
    message = Column(Text, nullable=False)
    lieu = Column(Text, nullable=True)  # signalement: address or description of the place
    photo_path = Column(String(500), nullable=True)
    contact_email = Column(String(254), nullable=True)
    contact_telephone = Column(String(30), nullable=True)
    status = Column(String(20), nullable=False, default="nouveau", index=True)
    created_at = Column(DateTime, nullable=False)
    updated_at = Column(DateTime, nullable=False)
    transcript = Column(Text, nullable=False, default="")
    assigned_to_email = Column(String(254), nullable=True)
    # Mailbox the request was routed to, kept so a retry goes to the same place.
    routed_to = Column(String(254), nullable=False, default="")
    # False until the service notification left; `python -m actions.demandes.mail --renvoyer`.
    mail_envoye = Column(Boolean, nullable=False, default=False)
    # Acknowledgement to the resident: None when no email was given.
    accuse_envoye = Column(Boolean, nullable=True)
    mail_erreur = Column(Text, nullable=True)


PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp")


class Photo(Base):
    """A photo of a signalement, sent from the web chat (web/photos.py, actions/demandes/photos.py).

    Stored in the database (BLOB on SQLite, BYTEA on PostgreSQL): one backup, one purge. Until
    its signalement is stored `demande_id` is NULL and the photo goes after 24 h (purge.py); once
    attached it lives and dies with its signalement. Only a SHA-256 of the upload token is kept.
    """

    __tablename__ = "photos"
    __table_args__ = (CheckConstraint(_in("content_type", PHOTO_TYPES), name="ck_photos_type"),)

    id = Column(Integer, primary_key=True)
    token_hash = Column(String(64), unique=True, nullable=False)
    demande_id = Column(
        Integer, ForeignKey("demandes.id", ondelete="CASCADE"), nullable=True, unique=True
    )
    content_type = Column(String(20), nullable=False)
    size = Column(Integer, nullable=False)
    created_at = Column(DateTime, nullable=False, index=True)
    data = deferred(Column(LargeBinary, nullable=False))  # loaded only when asked for


class Creneau(Base):
    """One taken slot: the UNIQUE key is what makes double booking impossible.

    A partial unique index on rendez_vous would do on PostgreSQL, but this table works the same
    way on SQLite and PostgreSQL. The row is deleted when the booking is cancelled or moved.
    """

    __tablename__ = "creneaux"
    __table_args__ = (UniqueConstraint("mairie_insee", "start", name="uq_creneaux_slot"),)

    id = Column(Integer, primary_key=True)
    mairie_insee = Column(String(5), nullable=False)
    start = Column(DateTime, nullable=False)
    rendez_vous_id = Column(
        Integer, ForeignKey("rendez_vous.id", ondelete="CASCADE"), nullable=False, unique=True
    )


class RendezVous(Base):
    """An appointment for a carte d'identité or passeport at an equipped mairie."""

    __tablename__ = "rendez_vous"
    __table_args__ = (
        CheckConstraint(_in("motif", MOTIFS), name="ck_rendez_vous_motif"),
        CheckConstraint(_in("status", RDV_STATUSES), name="ck_rendez_vous_status"),
    )

    id = Column(Integer, primary_key=True)
    reference = Column(String(20), unique=True, nullable=False)
    mairie_insee = Column(String(5), nullable=False, index=True)
    start = Column(DateTime, nullable=False, index=True)
    end = Column(DateTime, nullable=False)
    nom = Column(String(200), nullable=False)
    contact_email = Column(String(254), nullable=True)
    contact_telephone = Column(String(30), nullable=True)
    motif = Column(String(20), nullable=False)
    status = Column(String(20), nullable=False, default="confirme")
    created_at = Column(DateTime, nullable=False)
    updated_at = Column(DateTime, nullable=True)

    creneau = relationship(
        "Creneau", uselist=False, cascade="all, delete-orphan", passive_deletes=True
    )
    courriels = relationship(
        "CourrielRendezVous",
        back_populates="rendez_vous",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="CourrielRendezVous.id",
    )


class CourrielRendezVous(Base):
    """One email about a rendez-vous (confirmation, move, cancellation), to the resident or the
    mairie's service.

    Written in the transaction that books, moves or cancels, and sent after the commit: a crash
    or an SMTP outage loses nothing. `envoye` stays False until the SMTP server accepted it;
    `python -m actions.demandes.mail --renvoyer` sends what is left. Deleted with its rendez-vous.
    """

    __tablename__ = "courriels_rendez_vous"
    __table_args__ = (
        CheckConstraint(_in("evenement", RDV_EVENTS), name="ck_courriels_rdv_evenement"),
        CheckConstraint(_in("destinataire", RDV_RECIPIENTS), name="ck_courriels_rdv_destinataire"),
    )

    id = Column(Integer, primary_key=True)
    rendez_vous_id = Column(
        Integer, ForeignKey("rendez_vous.id", ondelete="CASCADE"), nullable=False, index=True
    )
    evenement = Column(String(20), nullable=False)
    destinataire = Column(String(10), nullable=False)
    message = Column(Text, nullable=False)  # the whole email (RFC 5322 text), sent as written
    created_at = Column(DateTime, nullable=False)
    envoye = Column(Boolean, nullable=False, default=False, index=True)
    envoye_at = Column(DateTime, nullable=True)
    erreur = Column(Text, nullable=True)

    rendez_vous = relationship("RendezVous", back_populates="courriels")


class Agent(Base):
    """A mairie or intercommunalité employee of the back office."""

    __tablename__ = "agents"

    id = Column(Integer, primary_key=True)
    email = Column(String(254), unique=True, nullable=False)
    nom = Column(String(200), nullable=False)
    password_hash = Column(String(300), nullable=False)
    commune_insee = Column(String(5), nullable=True)  # None: intercommunal agent
    services = Column(String(200), nullable=False, default="")  # comma list, see SERVICES
    created_at = Column(DateTime, nullable=False, default=datetime.now)

    def service_list(self) -> list[str]:
        return [s for s in (self.services or "").split(",") if s]


class Session(Base):
    """A back-office login. Only a hash of the token is stored, so a database leak is no login."""

    __tablename__ = "sessions"

    token_hash = Column(String(64), primary_key=True)
    agent_id = Column(Integer, ForeignKey("agents.id", ondelete="CASCADE"), nullable=False)
    expires_at = Column(DateTime, nullable=False)
    csrf_token = Column(String(64), nullable=False)

    agent = relationship("Agent")
