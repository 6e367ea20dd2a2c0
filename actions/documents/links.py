"""Short signed links to a document, that expire: the only way a resident downloads a file.

A link goes out by SMS too, so the token is compact (~34 characters for an embedded-store id):
base64url( kind | expiry | document id | truncated HMAC-SHA256 ). Nothing is stored server-side;
the signature proves the assistant issued the link, the expiry limits forwarding.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
import struct
from datetime import datetime, timedelta

from actions import clock
from actions.documents.secrets import derived_key

MAC_BYTES = 12  # 96 bits: plenty against forgery for a link that lives a day
MAX_TOKEN = 200
_KIND_TEXT, _KIND_HEX = 0, 1
_HEX = re.compile(r"^(?:[0-9a-f]{2})+$")


class LinkError(Exception):
    """The link cannot be honoured."""


class TamperedLink(LinkError):
    """Not a link we issued (forged, truncated, edited): HTTP 403."""


class ExpiredLink(LinkError):
    """A genuine link past its expiry: HTTP 410, the resident asks the assistant again."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(body: bytes) -> bytes:
    return hmac.new(derived_key("links"), body, hashlib.sha256).digest()[:MAC_BYTES]


def make_token(
    doc_id: str, ttl: timedelta = timedelta(hours=24), now: datetime | None = None
) -> str:
    """Signs a link valid `ttl` from `now` (default: actions.clock, the clock tests freeze)."""
    current = now or clock.now()
    expiry = int((current + ttl).timestamp())
    if _HEX.match(doc_id):
        body = bytes([_KIND_HEX]) + struct.pack(">I", expiry) + bytes.fromhex(doc_id)
    else:
        body = bytes([_KIND_TEXT]) + struct.pack(">I", expiry) + doc_id.encode("utf-8")
    return _b64(body + _mac(body))


def make_link(
    doc_id: str, ttl: timedelta = timedelta(hours=24), now: datetime | None = None
) -> str:
    """The URL to send to the resident: {TCHATCHE_PUBLIC_URL}/d/<token>."""
    base = os.environ.get("TCHATCHE_PUBLIC_URL", "http://127.0.0.1:8080").rstrip("/")
    return f"{base}/d/{make_token(doc_id, ttl, now)}"


def verify(token: str, now: datetime | None = None) -> str:
    """The document id the token was issued for; TamperedLink or ExpiredLink otherwise.

    Checked at `now` (default: actions.clock): a test that signs under a frozen clock checks
    under the same clock, or passes the instant, never the real time.
    """
    if not token or len(token) > MAX_TOKEN or not re.fullmatch(r"[A-Za-z0-9_-]+", token):
        raise TamperedLink("jeton invalide")
    try:
        raw = _unb64(token)
    except (binascii.Error, ValueError) as error:
        raise TamperedLink("jeton invalide") from error
    if _b64(raw) != token:  # one spelling per token: unused trailing bits must not vary
        raise TamperedLink("jeton invalide")
    if len(raw) < 1 + 4 + 1 + MAC_BYTES:
        raise TamperedLink("jeton invalide")
    body, mac = raw[:-MAC_BYTES], raw[-MAC_BYTES:]
    if not hmac.compare_digest(mac, _mac(body)):
        raise TamperedLink("signature invalide")
    kind, (expiry,), payload = body[0], struct.unpack(">I", body[1:5]), body[5:]
    if kind == _KIND_HEX:
        doc_id = payload.hex()
    elif kind == _KIND_TEXT:
        try:
            doc_id = payload.decode("utf-8")
        except UnicodeDecodeError as error:
            raise TamperedLink("jeton invalide") from error
    else:
        raise TamperedLink("jeton invalide")
    current = now or clock.now()
    if current.timestamp() >= expiry:
        raise ExpiredLink("lien expiré")
    return doc_id
