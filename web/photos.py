"""Photos of signalements sent from the web chat (web/static/chat.js), and their back-office view.

- `POST /signalements/photos` (anonymous, same origin as the commune page): multipart field
  `photo`, a JPEG, PNG or WebP (decided by the magic bytes) of 8 MB at most. Answers
  `201 {"photo": "<token>"}`, or `{"erreur": "<French sentence>"}` with 400 (no photo),
  403 (foreign Origin), 413 (too big), 415 (not a photo), 429 (too many uploads from one
  address) or 503 (unattached photos fill TCHATCHE_PHOTOS_ATTENTE_MO).
- `GET /agents/demandes/{reference}/photo` (signed-in agent): the photo, scoped exactly like the
  demande's own page (`backoffice.scoped`): out of scope is a 404, like no photo at all.

The app's 1 MB body limit (web/app.py) still holds for every other route: the photo is read here
part by part and the reading stops at 8 MB.
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import time
from collections import defaultdict, deque

from aiohttp import BodyPartReader, web

from actions.demandes import photos
from actions.demandes.models import Demande
from web import backoffice

UPLOADS_PER_ADDRESS = 10  # per WINDOW seconds, per client address
WINDOW = 10 * 60
MAX_TRACKED = 10_000  # addresses remembered by the limiter
CHUNK = 64 * 1024
MULTIPART_OVERHEAD = 64 * 1024  # boundaries and part headers around the photo

NO_PHOTO = "Aucune photo reçue. Choisissez une photo, puis réessayez."
TOO_MANY = "Trop de photos envoyées. Réessayez dans quelques minutes."
REFUSED = "Envoi refusé."

_uploads: dict[str, deque[float]] = defaultdict(deque)
_dumps = functools.partial(json.dumps, ensure_ascii=False)


def _error(status: int, message: str) -> web.Response:
    return web.json_response(
        {"erreur": message},
        status=status,
        dumps=_dumps,
        headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"},
    )


def client_address(request: web.Request) -> str:
    """The resident's address; behind a reverse proxy (TCHATCHE_WEB_DERRIERE_PROXY=1) the last
    address of X-Forwarded-For, the one the proxy itself added."""
    if os.environ.get("TCHATCHE_WEB_DERRIERE_PROXY") == "1":
        forwarded = request.headers.get("X-Forwarded-For", "")
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    return request.remote or "?"


def _over_limit(address: str) -> bool:
    """Counts this attempt; True when the address already made UPLOADS_PER_ADDRESS of them."""
    now = time.monotonic()
    attempts = _uploads[address]
    while attempts and attempts[0] < now - WINDOW:
        attempts.popleft()
    if len(attempts) >= UPLOADS_PER_ADDRESS:
        return True
    if len(_uploads) > MAX_TRACKED:
        _uploads.clear()  # bounded memory; the limiter is a brake, not a lock
    _uploads[address].append(now)
    return False


async def _read_photo(request: web.Request) -> bytes | None:
    """The bytes of the first `photo` part, None without one; PhotoRefused(413) past 8 MB.

    Raises ValueError / AssertionError / KeyError for a body that is not proper multipart."""
    reader = await request.multipart()
    found = None
    total = 0  # every part counts: a huge other field is refused as well
    while (part := await reader.next()) is not None:
        if not isinstance(part, BodyPartReader):
            return None  # nested multipart: not something the widget sends
        keep = part.name == "photo" and found is None
        data = bytearray()
        while chunk := await part.read_chunk(CHUNK):
            total += len(chunk)
            if keep:
                data.extend(chunk)
            if len(data) > photos.MAX_BYTES or total > photos.MAX_BYTES + MULTIPART_OVERHEAD:
                raise photos.PhotoRefused(413, photos.TOO_BIG)
        if keep:
            found = bytes(data)
    return found


async def upload(request: web.Request) -> web.Response:
    if not backoffice._same_origin(request):
        return _error(403, REFUSED)
    length = request.content_length
    if length is not None and length > photos.MAX_BYTES + MULTIPART_OVERHEAD:
        return _error(413, photos.TOO_BIG)
    if _over_limit(client_address(request)):
        return _error(429, TOO_MANY)
    try:
        data = await _read_photo(request)
    except (AssertionError, KeyError, ValueError):  # not multipart, or a broken body
        return _error(400, NO_PHOTO)
    except photos.PhotoRefused as refused:
        return _error(refused.status, refused.message)
    if not data:
        return _error(400, NO_PHOTO)
    try:
        token = await asyncio.to_thread(photos.store, backoffice.db, data)
    except photos.PhotoRefused as refused:
        return _error(refused.status, refused.message)
    return web.json_response({"photo": token}, status=201, headers={"Cache-Control": "no-store"})


@backoffice.authenticated
async def agent_photo(request: web.Request, dbs, ctx) -> web.Response:
    item = (
        backoffice.scoped(dbs.query(Demande), Demande, ctx["agent"])
        .filter(Demande.reference == request.match_info["reference"])
        .one_or_none()
    )
    photo = photos.load(dbs, item.id) if item is not None else None
    if photo is None:
        return backoffice.not_found(ctx)
    headers = backoffice._headers()
    # An image, never a page: nothing in it may run even if a browser tried to render it.
    headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    headers["Content-Disposition"] = f'inline; filename="{photo.filename(item.reference)}"'
    return web.Response(body=photo.data, content_type=photo.content_type, headers=headers)


def setup(app: web.Application) -> None:
    app.router.add_post("/signalements/photos", upload)
    app.router.add_get("/agents/demandes/{reference}/photo", agent_photo)
