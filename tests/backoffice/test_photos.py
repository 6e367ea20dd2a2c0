"""Photos of signalements through the real web app: upload route, back-office view and scope."""

from __future__ import annotations

import hashlib
import re

import pytest
import requests

from actions.demandes import photos
from actions.demandes.models import Photo
from actions.demandes.service import create_signalement
from tests.backoffice.conftest import BAPAUME
from tests.images import GIF, HEIC, JPEG, WEBP, png
from web import photos as web_photos

A = "agent.a@mairie.test"
B = "agent.b@mairie.test"
INTERCO = "urba@interco.test"
TOO_BIG = "La photo est trop lourde : 8 Mo au plus."
NOT_A_PHOTO = "Ce fichier n'est pas une photo."


@pytest.fixture(autouse=True)
def fresh_limiter():
    web_photos._uploads.clear()
    yield
    web_photos._uploads.clear()


def upload(server: str, data: bytes, name: str = "photo.jpg", mime: str = "image/jpeg", **kw):
    return requests.post(
        f"{server}/signalements/photos",
        files={"photo": (name, data, mime)},
        timeout=30,
        **kw,
    )


def stored(database) -> list[Photo]:
    with database() as s:
        return list(s.query(Photo).order_by(Photo.id))


def test_upload_accepts_jpeg_png_and_webp_by_their_bytes(server, database):
    cases = [(JPEG, "image/jpeg"), (png(), "image/png"), (WEBP, "image/webp")]
    tokens = []
    for data, _ in cases:
        # the name and the declared type are lies: only the bytes count
        r = upload(server, data, name="../../etc/passwd.exe", mime="application/octet-stream")
        assert r.status_code == 201, r.text
        assert r.headers["Content-Type"].startswith("application/json")
        token = r.json()["photo"]
        assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)
        tokens.append(token)
    rows = stored(database)
    assert [(p.content_type, p.size, p.demande_id) for p in rows] == [
        (expected, len(data), None) for data, expected in cases
    ]
    assert [p.token_hash for p in rows] == [hashlib.sha256(t.encode()).hexdigest() for t in tokens]


@pytest.mark.parametrize(
    ("data", "mime", "status", "message"),
    [
        (b"<svg onload=alert(1)>", "image/png", 415, NOT_A_PHOTO),
        (GIF, "image/gif", 415, NOT_A_PHOTO),
        (b"%PDF-1.7\n" + b"x" * 100, "image/jpeg", 415, NOT_A_PHOTO),
        (HEIC, "image/heic", 415, photos.WRONG_FORMAT),
        (b"", "image/jpeg", 400, web_photos.NO_PHOTO),
    ],
)
def test_upload_refuses_what_is_not_a_photo(server, database, data, mime, status, message):
    r = upload(server, data, mime=mime)
    assert (r.status_code, r.json()) == (status, {"erreur": message})
    assert stored(database) == []


def test_upload_without_the_photo_field_or_not_multipart(server, database):
    r = requests.post(f"{server}/signalements/photos", files={"image": ("a.jpg", JPEG)}, timeout=10)
    assert (r.status_code, r.json()["erreur"]) == (400, web_photos.NO_PHOTO)
    r = requests.post(f"{server}/signalements/photos", json={"photo": "x"}, timeout=10)
    assert r.status_code == 400
    r = requests.post(f"{server}/signalements/photos", data=JPEG, timeout=10)
    assert r.status_code == 400
    assert stored(database) == []


def test_upload_size_limit_8_mb(server, database):
    exactly = JPEG + b"\x00" * (photos.MAX_BYTES - len(JPEG))
    assert upload(server, exactly).status_code == 201
    r = upload(server, exactly + b"\x00")
    assert (r.status_code, r.json()) == (413, {"erreur": TOO_BIG})
    far_too_big = upload(server, exactly * 2)  # refused on its Content-Length
    assert (far_too_big.status_code, far_too_big.json()) == (413, {"erreur": TOO_BIG})

    # chunked, no Content-Length: the reading stops past 8 MB
    boundary = "limite"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; filename="a.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode()

    def body():
        yield head + JPEG
        for _ in range(10):
            yield b"\x00" * (1024 * 1024)
        yield f"\r\n--{boundary}--\r\n".encode()

    r = requests.post(
        f"{server}/signalements/photos",
        data=body(),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        timeout=30,
    )
    assert (r.status_code, r.json()) == (413, {"erreur": TOO_BIG})
    assert [p.size for p in stored(database)] == [photos.MAX_BYTES]


def test_upload_from_another_site_is_refused(server, database):
    r = upload(server, JPEG, headers={"Origin": "https://evil.test"})
    assert r.status_code == 403
    same = upload(server, JPEG, headers={"Origin": server})
    assert same.status_code == 201
    assert len(stored(database)) == 1


def test_upload_rate_limit_per_address(server, monkeypatch):
    monkeypatch.setattr(web_photos, "UPLOADS_PER_ADDRESS", 3)
    assert [upload(server, JPEG).status_code for _ in range(3)] == [201, 201, 201]
    r = upload(server, JPEG)
    assert r.status_code == 429 and "Réessayez dans quelques minutes" in r.json()["erreur"]


def test_upload_when_pending_photos_fill_their_room(server, monkeypatch):
    monkeypatch.setenv("TCHATCHE_PHOTOS_ATTENTE_MO", "1")
    big = JPEG + b"\x00" * (700 * 1024)
    assert upload(server, big).status_code == 201
    r = upload(server, big)
    assert r.status_code == 503 and "continuez sans photo" in r.json()["erreur"]


def test_back_office_shows_the_photo_to_the_right_agents_only(server, database, client):
    data = png(3, 2)
    token = upload(server, data, name="IMG_2031.png", mime="image/png").json()["photo"]
    sig = create_signalement(
        BAPAUME, "Lampadaire éteint", "rue de Péronne", photo=token, db=database, send_mail=False
    )
    detail = f"/agents/demandes/{sig.reference}"
    image = f"{detail}/photo"

    a = client()
    a.login(A)
    page = a.get(detail)
    assert page.status_code == 200
    alt = f"Photo jointe par l'habitant au signalement {sig.reference}"
    assert f'<img src="{image}" alt="{alt}">' in page.text
    assert re.search(r"\(PNG,\s+1 Ko\)", page.text)
    r = a.get(image)
    assert r.status_code == 200 and r.content == data
    assert r.headers["Content-Type"] == "image/png"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Cache-Control"] == "no-store"
    assert "sandbox" in r.headers["Content-Security-Policy"]
    assert r.headers["Content-Disposition"] == f'inline; filename="photo-{sig.reference}.png"'
    # a signalement without photo: no image, and its photo address is a 404
    assert "<img" not in a.get("/agents/demandes/SIG-2026-000002").text
    assert a.get("/agents/demandes/SIG-2026-000002/photo").status_code == 404

    for other in (B, INTERCO):  # another commune; intercommunal agent of another service
        c = client()
        c.login(other)
        assert c.get(detail).status_code == 404
        r = c.get(image)
        assert r.status_code == 404 and r.content != data
        assert "Élément introuvable" in r.text

    anonymous = client().get(image, follow=False)
    assert anonymous.status_code == 303 and anonymous.headers["Location"] == "/agents/connexion"
