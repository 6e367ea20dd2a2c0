"""Photos of signalements: checked, stored, attached, sent, purged.

The web chat uploads the photo first (`POST /signalements/photos`, web/photos.py) and gets a
random token; the widget sends the token with its next message (`customData.photo`) and the
dialogue hands it to `service.create_signalement(photo=token)`, which attaches the photo in the
transaction that stores the signalement. A token is good for one signalement, for 24 hours.

The bytes are kept as sent (no re-encoding; EXIF, GPS position included, helps the services
find the place). Only the first bytes decide what the file is: the name and the Content-Type
sent by the browser are never trusted.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker, undefer

from actions import clock
from actions.demandes import image_metadata
from actions.demandes.models import Photo

MAX_BYTES = 8 * 1024 * 1024
PENDING = timedelta(hours=24)  # an unattached photo is deleted after this
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}

TOO_BIG = "La photo est trop lourde : 8 Mo au plus."
NOT_A_PHOTO = "Ce fichier n'est pas une photo."
WRONG_FORMAT = "Ce format de photo n'est pas accepté : envoyez une photo JPEG, PNG ou WebP."
FULL = "L'envoi de photos est momentanément saturé. Réessayez plus tard, ou continuez sans photo."
# HEIF/AVIF brands ("....ftypheic"): a photo, but one the services could not open everywhere.
_OTHER_IMAGE_BRANDS = (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif")


class PhotoRefused(Exception):
    """Upload refused; `message` is French and can be shown as is, `status` is the HTTP one."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class PhotoFile:
    """A photo ready to be attached to an email or served to an agent."""

    content_type: str
    data: bytes

    def filename(self, reference: str) -> str:
        return f"photo-{reference}.{EXTENSIONS[self.content_type]}"


def sniff(data: bytes) -> str | None:
    """image/jpeg, image/png or image/webp from the magic bytes, else None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if len(data) >= 16 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def check(data: bytes) -> str:
    """The content type of an acceptable photo; raises PhotoRefused (413 / 415) otherwise."""
    if len(data) > MAX_BYTES:
        raise PhotoRefused(413, TOO_BIG)
    content_type = sniff(data)
    if content_type is None:
        if data[4:8] == b"ftyp" and data[8:12] in _OTHER_IMAGE_BRANDS:
            raise PhotoRefused(415, WRONG_FORMAT)
        raise PhotoRefused(415, NOT_A_PHOTO)
    return content_type


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def _naive(now: datetime | None) -> datetime:
    value = now if now is not None else clock.now()
    if value.tzinfo is not None:
        value = value.astimezone(clock.PARIS).replace(tzinfo=None)
    return value


def pending_limit_bytes() -> int:
    """Room for unattached photos, all residents together (TCHATCHE_PHOTOS_ATTENTE_MO)."""
    return int(os.environ.get("TCHATCHE_PHOTOS_ATTENTE_MO", "1024")) * 1024 * 1024


def purge_pending(session: Session, now: datetime | None = None) -> int:
    """Deletes the photos never attached to a signalement within 24 h; returns how many."""
    cutoff = _naive(now) - PENDING
    return session.execute(
        delete(Photo)
        .where(Photo.demande_id.is_(None), Photo.created_at < cutoff)
        .execution_options(synchronize_session=False)
    ).rowcount


def store(db: sessionmaker, data: bytes, now: datetime | None = None) -> str:
    """Stores an unattached photo and returns its token (url-safe, 43 characters).

    Raises PhotoRefused: 413 too big, 415 not a JPEG / PNG / WebP, 503 when the unattached photos
    of everybody already fill TCHATCHE_PHOTOS_ATTENTE_MO (a brake on someone filling the disk).
    """
    content_type = check(data)
    data = image_metadata.strip(data, content_type)  # no GPS position nor phone model kept
    stamp = _naive(now)
    token = secrets.token_urlsafe(32)
    with db() as session, session.begin():
        purge_pending(session, stamp)
        waiting = session.scalar(
            select(func.coalesce(func.sum(Photo.size), 0)).where(Photo.demande_id.is_(None))
        )
        if waiting + len(data) > pending_limit_bytes():
            raise PhotoRefused(503, FULL)
        session.add(
            Photo(
                token_hash=token_hash(token),
                content_type=content_type,
                size=len(data),
                created_at=stamp,
                data=data,
            )
        )
    return token


def attach(session: Session, token: str, demande_id: int, now: datetime | None = None) -> bool:
    """Attaches the unattached, unexpired photo of `token` to the demande, inside the caller's
    transaction (row locked on PostgreSQL; SQLite transactions are BEGIN IMMEDIATE). False
    for an unknown, expired or already used token."""
    if not isinstance(token, str) or not token.strip():
        return False
    photo = session.scalars(
        select(Photo)
        .where(
            Photo.token_hash == token_hash(token.strip()),
            Photo.demande_id.is_(None),
            Photo.created_at >= _naive(now) - PENDING,
        )
        .with_for_update()
    ).first()
    if photo is None:
        return False
    photo.demande_id = demande_id
    session.flush()
    return True


def info(session: Session, demande_id: int) -> Photo | None:
    """The photo row of a demande without its bytes (type, size), or None."""
    return session.scalars(select(Photo).where(Photo.demande_id == demande_id)).first()


def load(session: Session, demande_id: int) -> PhotoFile | None:
    """The photo of a demande with its bytes, or None."""
    photo = session.scalars(
        select(Photo).options(undefer(Photo.data)).where(Photo.demande_id == demande_id)
    ).first()
    if photo is None:
        return None
    return PhotoFile(photo.content_type, bytes(photo.data))
