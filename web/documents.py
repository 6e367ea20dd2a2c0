"""GET /d/{token}: the resident opens the signed link the assistant sent and gets the PDF.

The token alone authorises the download (it was issued for one document, after the audience
checks of the assistant). On any error the body is a short French sentence, never file bytes.
"""

from __future__ import annotations

import asyncio
import logging
import re
from urllib.parse import quote

from aiohttp import web

from actions.documents import links
from actions.documents.model import GedUnavailable

log = logging.getLogger(__name__)
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def _error(status: int, message: str) -> web.Response:
    return web.Response(
        status=status,
        text=f"{message}\n",
        content_type="text/plain",
        charset="utf-8",
        headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"},
    )


def _disposition(filename: str) -> str:
    ascii_name = _SAFE_NAME.sub("_", filename).strip("._") or "document.pdf"
    return f"inline; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


async def download(request: web.Request) -> web.StreamResponse:
    token = request.match_info.get("token", "")
    try:
        doc_id = links.verify(token)
    except links.ExpiredLink:
        return _error(410, "Ce lien a expiré. Redemandez le document à l'assistant.")
    except links.TamperedLink:
        return _error(403, "Ce lien n'est pas valide. Redemandez le document à l'assistant.")
    from actions.documents.config import get_store

    loop = asyncio.get_running_loop()
    try:
        store = await loop.run_in_executor(None, get_store)
        document = await loop.run_in_executor(None, store.get, doc_id)
        if document is None:
            return _error(404, "Ce document n'est plus disponible. Contactez votre mairie.")
        data = await loop.run_in_executor(None, store.content, doc_id)
    except KeyError:
        return _error(404, "Ce document n'est plus disponible. Contactez votre mairie.")
    except GedUnavailable as error:
        log.warning("GED indisponible pour un lien de document : %s", error)
        return _error(503, "Les documents sont momentanément indisponibles. Réessayez plus tard.")
    return web.Response(
        body=data,
        headers={
            "Content-Type": document.mime or "application/pdf",
            "Content-Disposition": _disposition(document.filename or f"{doc_id}.pdf"),
            "Content-Length": str(len(data)),
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


def setup(app: web.Application) -> None:
    app.router.add_get("/d/{token}", download)
