"""Tokens that let a municipal councillor (élu) see the documents reserved to élus.

The mairie issues a token per élu (CLI below) and the web chat passes it in its metadata
(customData.elu_token). The token names one commune: an élu of Bucquoy never gets Bapaume's
working papers. It is signed with a key of its own (label "elus"), so a document link cannot be
replayed as an élu token, and it expires, so a former councillor loses access by itself.

Usage: python -m actions.documents.elus --commune Bucquoy --nom "Marie Exemple" [--jours 30]
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import hmac
import json
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from actions import clock
from actions.documents.secrets import derived_key

MAC_BYTES = 16
MAX_TOKEN = 600


@dataclass(frozen=True)
class Elu:
    commune_insee: str
    nom: str
    expires: datetime


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _mac(body: bytes) -> bytes:
    return hmac.new(derived_key("elus"), body, hashlib.sha256).digest()[:MAC_BYTES]


def issue(commune_insee: str, nom: str, ttl_days: int = 30, now: datetime | None = None) -> str:
    """A token for this élu of this commune, valid `ttl_days` days from `now` (default: the
    clock of actions.clock, which tests freeze)."""
    current = now or clock.now()
    expiry = int((current + timedelta(days=ttl_days)).timestamp())
    body = json.dumps([commune_insee, nom, expiry], ensure_ascii=False, separators=(",", ":"))
    raw = body.encode("utf-8")
    return f"{_b64(raw)}.{_b64(_mac(raw))}"


def verify(token: object, now: datetime | None = None) -> Elu | None:
    """The élu, or None for anything forged, expired or malformed (the caller treats as public)."""
    if not isinstance(token, str) or len(token) > MAX_TOKEN or token.count(".") != 1:
        return None
    body_part, mac_part = token.split(".")
    try:
        raw = base64.urlsafe_b64decode(body_part + "=" * (-len(body_part) % 4))
        mac = base64.urlsafe_b64decode(mac_part + "=" * (-len(mac_part) % 4))
    except (binascii.Error, ValueError):
        return None
    if f"{_b64(raw)}.{_b64(mac)}" != token:  # canonical spelling only
        return None
    if not hmac.compare_digest(mac, _mac(raw)):
        return None
    try:
        commune, nom, expiry = json.loads(raw.decode("utf-8"))
        expires = datetime.fromtimestamp(int(expiry), tz=timezone.utc)
    except (ValueError, TypeError):
        return None
    current = now or clock.now()
    if current >= expires:
        return None
    return Elu(commune_insee=str(commune), nom=str(nom), expires=expires)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Crée le jeton d'accès d'un élu.")
    parser.add_argument("--commune", required=True, help="nom ou code INSEE de la commune")
    parser.add_argument("--nom", required=True, help="prénom et nom de l'élu")
    parser.add_argument("--jours", type=int, default=30, help="durée de validité (jours)")
    args = parser.parse_args(argv)
    from actions.territory.loader import territory
    from actions.territory.matching import CommuneMatcher

    communes = territory().communes
    by_insee = {c.insee: c for c in communes.values()}
    commune = (
        by_insee.get(args.commune) or CommuneMatcher(territory()).resolve(args.commune).commune
    )
    if commune is None:
        print(f"Commune inconnue : {args.commune}", file=sys.stderr)
        return 2
    if args.jours <= 0:
        print("La durée doit être d'au moins un jour.", file=sys.stderr)
        return 2
    print(issue(commune.insee, args.nom, args.jours))
    return 0


if __name__ == "__main__":
    sys.exit(main())
