"""Demo web site of the 26 communes, each page with the chat widget (web/static/chat.js).

`/` lists the communes, `/commune/<slug>` is one commune's page. The pages are clearly marked as a
demonstration: they show what a mairie would paste on its own site (one <div> and two scripts).
Front-end libraries come from node_modules (installed by `npm ci`) and are served from here:
no CDN at run time, so the page works offline and residents' browsers talk to no third party.

The browser talks to Rasa's socket.io directly over WebSocket (no CORS for WebSocket, and Rasa's
socket.io server does not check the Origin); `TCHATCHE_RASA_PUBLIC_URL` says where Rasa is as
seen from the browser (default: same host name as the page, port TCHATCHE_RASA_PORT or 5005).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
from aiohttp import web

from actions.territory.hours import weekly_text
from actions.territory.loader import territory
from actions.territory.model import Commune
from actions.text import fold

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
STATIC = Path(__file__).resolve().parent / "static"
TEMPLATES = Path(__file__).resolve().parent / "templates"
# Files the page needs from node_modules, served under /static/vendor/<name>.
VENDOR = {
    "socket.io.min.js": ROOT / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js",
}
MAX_MESSAGE = 1000  # characters; the widget refuses longer messages with a French explanation

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(TEMPLATES)),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)


def slug(name: str) -> str:
    """'Achiet-le-Grand' -> 'achiet-le-grand': ASCII, lower case, hyphens."""
    return "-".join(fold(name).split())


def communes_by_slug() -> dict[str, Commune]:
    return {
        slug(c.nom): c for c in sorted(territory().communes.values(), key=lambda c: fold(c.nom))
    }


def rasa_public_url(request: web.Request) -> str:
    """Where the browser finds Rasa (http(s)://host:port), see the module docstring."""
    configured = os.environ.get("TCHATCHE_RASA_PUBLIC_URL", "").rstrip("/")
    if configured:
        return configured
    host = urlsplit(f"//{request.host}").hostname or "127.0.0.1"
    port = os.environ.get("TCHATCHE_RASA_PORT", "5005")
    return f"{request.scheme}://{host}:{port}"


def security_headers(socket_url: str) -> dict[str, str]:
    """A strict CSP: only our own scripts and styles, sockets only to Rasa. Bot text can never
    run as code even if a rendering bug slipped in."""
    parts = urlsplit(socket_url)
    ws_scheme = "wss" if parts.scheme == "https" else "ws"
    connect = f"'self' {parts.scheme}://{parts.netloc} {ws_scheme}://{parts.netloc}"
    return {
        "Content-Security-Policy": (
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            f"connect-src {connect}; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
        ),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }


def render(
    template: str, socket_url: str = "", status: int = 200, **context: object
) -> web.Response:
    context.setdefault("territoire", territory().nom)
    html = _env.get_template(template).render(socket_url=socket_url, **context)
    headers = security_headers(socket_url) if socket_url else {}
    return web.Response(text=html, content_type="text/html", status=status, headers=headers)


async def index(request: web.Request) -> web.Response:
    communes = [(s, c.nom) for s, c in communes_by_slug().items()]
    return render("index.html", communes=communes)


async def commune_page(request: web.Request) -> web.Response:
    commune = communes_by_slug().get(request.match_info["slug"])
    if commune is None:
        return render("introuvable.html", status=404)
    socket_url = rasa_public_url(request)
    return render(
        "commune.html",
        socket_url=socket_url,
        commune=commune,
        slug=slug(commune.nom),
        horaires=weekly_text(commune.mairie.horaires).splitlines(),
        max_message=MAX_MESSAGE,
    )


async def vendor(request: web.Request) -> web.StreamResponse:
    path = VENDOR.get(request.match_info["name"])
    if path is None:
        raise web.HTTPNotFound()
    if not path.is_file():
        logger.error("%s is missing: run `npm ci` at the root of the project", path)
        raise web.HTTPServiceUnavailable(text="Dépendances du site absentes : lancez « npm ci ».")
    return web.FileResponse(path, headers={"Cache-Control": "public, max-age=3600"})


def setup(app: web.Application) -> None:
    app.router.add_get("/", index)
    app.router.add_get("/commune/{slug}", commune_page)
    app.router.add_get("/static/vendor/{name}", vendor)
    app.router.add_static("/static/", STATIC, append_version=False)
