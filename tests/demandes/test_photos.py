"""Photos of signalements: checks, token attach, email attachment, retention."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from actions.demandes import photos
from actions.demandes.mail import resend_pending
from actions.demandes.models import Demande, Photo
from actions.demandes.purge import purge, purge_photos
from actions.demandes.service import create_demande, create_signalement
from tests.demandes.conftest import free_port
from tests.images import GIF, HEIC, JPEG, WEBP, png

BAPAUME = "62080"
T0 = datetime(2026, 11, 10, 10, 0)


def rows(db) -> list[Photo]:
    with db() as session:
        return list(session.scalars(select(Photo).order_by(Photo.id)))


def test_type_comes_from_the_bytes_only():
    assert photos.check(JPEG) == "image/jpeg"
    assert photos.check(png()) == "image/png"
    assert photos.check(WEBP) == "image/webp"
    for data in (GIF, b"<html><script>alert(1)</script>", b"%PDF-1.7\n", b"", b"RIFF1234WAVE"):
        with pytest.raises(photos.PhotoRefused) as refused:
            photos.check(data)
        assert (refused.value.status, refused.value.message) == (415, photos.NOT_A_PHOTO)
    with pytest.raises(photos.PhotoRefused) as refused:
        photos.check(HEIC)
    assert refused.value.status == 415 and "JPEG, PNG ou WebP" in refused.value.message
    with pytest.raises(photos.PhotoRefused) as refused:
        photos.check(JPEG + b"\x00" * photos.MAX_BYTES)
    assert (refused.value.status, refused.value.message) == (
        413,
        "La photo est trop lourde : 8 Mo au plus.",
    )
    exactly = JPEG + b"\x00" * (photos.MAX_BYTES - len(JPEG))
    assert photos.check(exactly) == "image/jpeg"


def test_store_keeps_the_bytes_and_only_a_hash_of_the_token(sqlite_db):
    data = png()
    token = photos.store(sqlite_db, data, now=T0)
    assert len(token) >= 43 and token.replace("-", "").replace("_", "").isalnum()
    [row] = rows(sqlite_db)
    assert row.token_hash == photos.token_hash(token) and token not in row.token_hash
    assert (row.content_type, row.size, row.demande_id, row.created_at) == (
        "image/png",
        len(data),
        None,
        T0,
    )
    with sqlite_db() as session:
        assert photos.load(session, 0) is None
        assert bytes(session.get(Photo, row.id).data) == data
    assert photos.store(sqlite_db, data, now=T0) != token, "a new token for every upload"


def test_token_attaches_the_photo_once(any_db, caplog):
    token = photos.store(any_db, JPEG, now=T0)
    caplog.set_level(logging.WARNING, logger="actions.demandes.service")
    first = create_signalement(
        BAPAUME, "Nid-de-poule", "rue de Péronne", photo=token, now=T0, db=any_db, send_mail=False
    )
    with any_db() as session:
        attached = photos.load(session, first.id)
        assert attached == photos.PhotoFile("image/jpeg", JPEG)
        assert attached.filename(first.reference) == f"photo-{first.reference}.jpg"
    assert caplog.records == []

    # the same token again (a replay, or a second tab): the signalement is stored without it
    second = create_signalement(
        BAPAUME, "Autre trou", "rue Neuve", photo=token, now=T0, db=any_db, send_mail=False
    )
    unknown = create_signalement(
        BAPAUME, "Lampadaire", "place", photo="inconnu", now=T0, db=any_db, send_mail=False
    )
    with any_db() as session:
        assert photos.info(session, second.id) is None
        assert photos.info(session, unknown.id) is None
        assert session.get(Demande, unknown.id).reference == unknown.reference
        assert photos.info(session, first.id).demande_id == first.id
    warnings = [r.getMessage() for r in caplog.records]
    assert warnings == [
        f"{second.reference} : photo inconnue, expirée ou déjà utilisée, ignorée",
        f"{unknown.reference} : photo inconnue, expirée ou déjà utilisée, ignorée",
    ]
    assert token not in caplog.text, "the token is never logged"


def test_expired_token_is_ignored(sqlite_db):
    token = photos.store(sqlite_db, JPEG, now=T0)
    late = create_signalement(
        BAPAUME,
        "Dépôt sauvage",
        "chemin",
        photo=token,
        now=T0 + timedelta(hours=24, minutes=1),
        db=sqlite_db,
        send_mail=False,
    )
    with sqlite_db() as session:
        assert photos.info(session, late.id) is None


def test_email_to_the_services_carries_the_photo(sqlite_db, smtp):
    data = png(4, 3)
    token = photos.store(sqlite_db, data, now=T0)
    sig = create_signalement(
        BAPAUME,
        "Lampadaire éteint",
        "rue de Péronne",
        contact_email="habitant@example.org",
        photo=token,
        now=T0,
        db=sqlite_db,
    )
    assert sig.mail_envoye and sig.accuse_envoye
    [service] = [m for m in smtp.messages if "habitant@example.org" not in m.recipients]
    message = service.message
    assert f"Photo : jointe (photo-{sig.reference}.png)" in message.get_body().get_content()
    attachments = {a.get_filename(): a for a in message.iter_attachments()}
    assert set(attachments) == {
        f"conversation-{sig.reference}.txt",
        f"photo-{sig.reference}.png",
    }
    image = attachments[f"photo-{sig.reference}.png"]
    assert image.get_content_type() == "image/png"
    assert image.get_content() == data
    [acknowledgement] = smtp.to("habitant@example.org")
    assert not list(acknowledgement.message.iter_attachments()), "the resident gets no copy"


def test_photo_is_sent_again_with_a_retried_email(sqlite_db, smtp, monkeypatch):
    token = photos.store(sqlite_db, WEBP, now=T0)
    monkeypatch.setenv("TCHATCHE_SMTP_PORT", str(free_port()))  # nobody listens there
    sig = create_signalement(BAPAUME, "Panneau tombé", "D919", photo=token, now=T0, db=sqlite_db)
    assert not sig.mail_envoye and smtp.messages == []
    monkeypatch.setenv("TCHATCHE_SMTP_PORT", str(smtp.port))
    assert resend_pending(sqlite_db) == (1, 0)
    [received] = smtp.messages
    [image] = [
        a for a in received.message.iter_attachments() if a.get_content_type() != "text/plain"
    ]
    assert (image.get_content_type(), image.get_filename()) == (
        "image/webp",
        f"photo-{sig.reference}.webp",
    )
    assert image.get_content() == WEBP


def test_demandes_are_unchanged_without_photo(sqlite_db, smtp):
    demande = create_demande(BAPAUME, "etat_civil", "Acte de naissance", now=T0, db=sqlite_db)
    [received] = smtp.messages
    assert [a.get_content_type() for a in received.message.iter_attachments()] == ["text/plain"]
    assert "Photo" not in received.message.get_body().get_content()
    with sqlite_db() as session:
        assert photos.info(session, demande.id) is None


def test_purge_unattached_after_24_hours_attached_with_their_signalement(any_db):
    old_pending = photos.store(any_db, JPEG, now=T0 - timedelta(hours=25))
    assert old_pending
    recent_pending = photos.store(any_db, JPEG, now=T0 - timedelta(hours=23))
    kept_token = photos.store(any_db, png(), now=T0 - timedelta(days=400))
    gone_token = photos.store(any_db, WEBP, now=T0 - timedelta(days=400))
    assert len(rows(any_db)) == 4
    open_sig = create_signalement(
        BAPAUME, "Trou", "rue A", photo=kept_token, now=T0 - timedelta(days=400), db=any_db,
        send_mail=False,
    )  # fmt: skip
    treated = create_signalement(
        BAPAUME, "Arbre", "rue B", photo=gone_token, now=T0 - timedelta(days=400), db=any_db,
        send_mail=False,
    )  # fmt: skip
    with any_db() as session, session.begin():
        session.get(Demande, treated.id).status = "traite"

    assert purge_photos(any_db, now=T0) == 1  # old_pending
    with any_db() as session:
        left = {(p.demande_id, p.created_at) for p in session.scalars(select(Photo))}
    assert left == {
        (None, T0 - timedelta(hours=23)),
        (open_sig.id, T0 - timedelta(days=400)),
        (treated.id, T0 - timedelta(days=400)),
    }
    assert recent_pending

    assert purge(any_db, now=T0) == (1, 0)
    with any_db() as session:
        assert {p.demande_id for p in session.scalars(select(Photo))} == {None, open_sig.id}
    assert purge_photos(any_db, now=T0 + timedelta(hours=2)) == 1
    with any_db() as session:
        assert [p.demande_id for p in session.scalars(select(Photo))] == [open_sig.id]


def test_unattached_photos_have_a_total_size_limit(sqlite_db, monkeypatch):
    monkeypatch.setenv("TCHATCHE_PHOTOS_ATTENTE_MO", "1")
    big = JPEG + b"\x00" * (600 * 1024)
    photos.store(sqlite_db, big, now=T0)
    with pytest.raises(photos.PhotoRefused) as refused:
        photos.store(sqlite_db, big, now=T0)
    assert refused.value.status == 503
    # an upload tidies the expired unattached photos first: room again a day later
    assert photos.store(sqlite_db, big, now=T0 + timedelta(hours=25))
