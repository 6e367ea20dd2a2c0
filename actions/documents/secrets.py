"""The one server secret behind signed links and élu tokens.

Production sets TCHATCHE_SECRET. In development a random key is created once in var/secret.key
(mode 0600, outside git) so that links survive a restart without anybody choosing a weak secret.
Each use derives its own key with a label, so that a link can never pass for an élu token.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KEY_FILE = ROOT / "var" / "secret.key"


def master_secret() -> bytes:
    configured = os.environ.get("TCHATCHE_SECRET")
    if configured:
        return configured.encode("utf-8")
    try:
        return KEY_FILE.read_bytes().strip()
    except FileNotFoundError:
        pass
    KEY_FILE.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32).encode()
    try:
        fd = os.open(KEY_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it first: use theirs
        return KEY_FILE.read_bytes().strip()
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
    return key


def derived_key(label: str) -> bytes:
    """A key for one purpose ("links", "elus"), derived from the master secret."""
    return hmac.new(master_secret(), f"tchatche:{label}".encode(), hashlib.sha256).digest()
