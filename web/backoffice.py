"""Back-office of the agents under /agents/: sign-in, lists, detail, status change, CSV export.

Security in one place:
- sessions: random token in an HttpOnly, SameSite=Strict cookie (Secure when
  TCHATCHE_COOKIE_SECURE=1); only its SHA-256 is stored (`sessions` table). The cookie is
  "<random>.<creation epoch>" and the hash covers both, so the 8-hour absolute limit cannot be
  stretched by editing the cookie; `expires_at` holds the 30-minute idle deadline, renewed on use.
- CSRF: per-session token in every form, checked on every POST (403 and no change otherwise).
- access: every query of demandes / rendez-vous goes through `scoped()`; an item out of scope is
  a 404, exactly like an item that does not exist.
"""

from __future__ import annotations

import asyncio
import csv
import functools
import hashlib
import hmac
import io
import os
import secrets
import time
from collections import defaultdict, deque
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import jinja2
from aiohttp import web
from sqlalchemy import false

from actions import clock
from actions.demandes.models import (
    AGENT_RDV_STATUSES,
    Agent,
    Demande,
    RendezVous,
)
from actions.demandes.models import Session as AgentSession
from actions.demandes.services import SERVICE_LABELS

COOKIE = "tchatche_agent"
ABSOLUTE = timedelta(hours=8)
IDLE = timedelta(minutes=30)
MAX_FAILURES = 5
FAILURE_WINDOW = 15 * 60  # seconds
THROTTLE_DELAY = 2.0  # seconds added to each attempt after MAX_FAILURES failures in the window
MAX_TRACKED = 10_000  # e-mail addresses tracked by the throttle
LOGIN_ERROR = "Adresse ou mot de passe incorrect"
TEMPLATES = Path(__file__).resolve().parent / "templates"

STATUS_LABELS = {"nouveau": "Nouveau", "en_cours": "En cours", "traite": "Traité"}
KIND_LABELS = {"demande": "Demande", "signalement": "Signalement"}
RDV_STATUS_LABELS = {
    "confirme": "À venir",
    "deplace": "À venir (déplacé)",
    "honore": "Honoré",
    "absent": "Absent",
    "annule": "Annulé",
}
COURRIEL_LABELS = {
    ("confirmation", "habitant"): "Confirmation à l'habitant",
    ("deplacement", "habitant"): "Déplacement, à l'habitant",
    ("annulation", "habitant"): "Annulation, à l'habitant",
    ("confirmation", "service"): "Nouveau rendez-vous, à la mairie",
    ("deplacement", "service"): "Déplacement, à la mairie",
    ("annulation", "service"): "Annulation, à la mairie",
}
MOTIF_LABELS = {"carte_identite": "Carte d'identité", "passeport": "Passeport", "autre": "Autre"}

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(TEMPLATES)),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)
_failures: dict[str, deque[float]] = defaultdict(deque)


# --- clock, database ------------------------------------------------------------------------


def now() -> datetime:
    """Naive Paris wall-clock time, like the models (frozen by time-machine in tests)."""
    return clock.now().replace(tzinfo=None)


_factories: dict[str, object] = {}


def session_factory():
    """Session factory of the demandes database (TCHATCHE_DEMANDES_DB, read on each call so
    tests can point it elsewhere; one engine per URL)."""
    from actions.demandes import db as demandes_db

    url = demandes_db.database_url()
    factory = _factories.get(url)
    if factory is None:
        factory = demandes_db.make_session_factory(demandes_db.make_engine(url))
        _factories[url] = factory
    return factory


def db():
    """A SQLAlchemy session on the demandes database."""
    return session_factory()()


def verify_password(password: str, stored: str) -> bool:
    from actions.demandes.passwords import verify_password as verify

    return verify(password, stored)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- access scope ---------------------------------------------------------------------------


def scoped(query, model, agent: Agent):
    """THE access rule; every list, detail and export query goes through it.

    - commune agent (commune_insee set): only that commune; if services are listed, only those.
    - intercommunal agent (commune_insee None): every commune, only the services assigned.
      Rendez-vous have no service: they belong to the mairie, so intercommunal agents see none.
    """
    services = agent.service_list()
    if model is Demande:
        if agent.commune_insee:
            query = query.filter(Demande.commune_insee == agent.commune_insee)
            if services:
                query = query.filter(Demande.service.in_(services))
            return query
        if not services:
            return query.filter(false())
        return query.filter(Demande.service.in_(services))
    if model is RendezVous:
        if agent.commune_insee:
            return query.filter(RendezVous.mairie_insee == agent.commune_insee)
        return query.filter(false())
    raise ValueError(f"no scope rule for {model!r}")


def commune_names() -> dict[str, str]:
    try:
        from actions.territory.loader import territory

        return {insee: c.nom for insee, c in territory().communes.items()}
    except Exception:
        return {}


# --- responses ------------------------------------------------------------------------------


def _headers(private: bool = True) -> dict[str, str]:
    headers = {
        "Content-Security-Policy": (
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
        ),
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }
    if private:
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    return headers


def render(template: str, status: int = 200, **context: object) -> web.Response:
    context.setdefault("agent", None)
    context.setdefault("csrf", "")
    html = _env.get_template(f"backoffice/{template}").render(
        services=SERVICE_LABELS,
        statuses=STATUS_LABELS,
        kinds=KIND_LABELS,
        rdv_statuses=RDV_STATUS_LABELS,
        motifs=MOTIF_LABELS,
        **context,
    )
    return web.Response(text=html, content_type="text/html", status=status, headers=_headers())


def not_found(ctx: dict) -> web.Response:
    return render("introuvable.html", status=404, **ctx)


# --- sessions -------------------------------------------------------------------------------


def _load_session(request: web.Request, dbs):
    """(session row, agent) for the cookie, or None; renews the idle deadline."""
    cookie = request.cookies.get(COOKIE, "")
    if not cookie or "." not in cookie:
        return None
    try:
        created = datetime.fromtimestamp(int(cookie.rsplit(".", 1)[1]))
    except (ValueError, OverflowError, OSError):
        return None
    row = dbs.get(AgentSession, _hash(cookie))
    if row is None:
        return None
    current = now()
    if current >= row.expires_at or current >= created + ABSOLUTE:
        dbs.delete(row)
        dbs.commit()
        return None
    agent = dbs.get(Agent, row.agent_id)
    if agent is None:
        return None
    row.expires_at = min(current + IDLE, created + ABSOLUTE)
    dbs.commit()
    return row, agent


def _set_cookie(response: web.StreamResponse, value: str, max_age: int) -> None:
    response.set_cookie(
        COOKIE,
        value,
        path="/agents/",
        httponly=True,
        samesite="Strict",
        secure=os.environ.get("TCHATCHE_COOKIE_SECURE") == "1",
        max_age=max_age,
    )


def authenticated(handler):
    """Runs the handler with (request, dbs, ctx) for a signed-in agent; checks CSRF on POST."""

    async def wrapper(request: web.Request) -> web.StreamResponse:
        dbs = db()
        try:
            found = _load_session(request, dbs)
            if found is None:
                if request.method == "POST":
                    raise web.HTTPForbidden(text="Session expirée : reconnectez-vous.")
                raise web.HTTPSeeOther("/agents/connexion")
            row, agent = found
            if request.method == "POST":
                form = await request.post()
                sent = str(form.get("csrf", ""))
                if not sent or not hmac.compare_digest(sent, row.csrf_token):
                    raise web.HTTPForbidden(
                        text="Formulaire invalide ou expiré : rechargez la page.",
                        headers=_headers(),
                    )
            ctx = {"agent": agent, "csrf": row.csrf_token, "communes": commune_names()}
            return await handler(request, dbs, ctx)
        finally:
            dbs.close()

    return wrapper


@functools.lru_cache(maxsize=1)
def _dummy_hash() -> str:
    from actions.demandes.passwords import hash_password

    return hash_password(secrets.token_urlsafe(16))


def _same_origin(request: web.Request) -> bool:
    """Sign-in has no session yet, so no CSRF token: a foreign Origin is refused instead."""
    origin = request.headers.get("Origin")
    if not origin or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.host


def _recent_failures(email: str) -> int:
    cutoff = time.monotonic() - FAILURE_WINDOW
    attempts = _failures[email]
    while attempts and attempts[0] < cutoff:
        attempts.popleft()
    return len(attempts)


async def login_form(request: web.Request) -> web.Response:
    return render("connexion.html", error=None, email="")


async def login(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    email = str(form.get("email", "")).strip().lower()
    password = str(form.get("password", ""))
    if not _same_origin(request):
        raise web.HTTPForbidden(text="Requête refusée.", headers=_headers())
    if _recent_failures(email) >= MAX_FAILURES:
        await asyncio.sleep(THROTTLE_DELAY)
    dbs = db()
    try:
        agent = dbs.query(Agent).filter(Agent.email == email).one_or_none() if email else None
        # Unknown address: a hash is still checked, so timing does not tell which addresses exist.
        stored = agent.password_hash if agent is not None else _dummy_hash()
        loop = asyncio.get_running_loop()
        ok = await loop.run_in_executor(None, verify_password, password, stored)
        ok = ok and agent is not None
        if not ok:
            if len(_failures) > MAX_TRACKED:
                _failures.clear()  # bounded memory; the throttle is a brake, not a lock
            _failures[email].append(time.monotonic())
            return render("connexion.html", status=401, error=LOGIN_ERROR, email=email)
        _failures.pop(email, None)
        created = now()
        token = f"{secrets.token_urlsafe(32)}.{int(created.timestamp())}"
        dbs.add(
            AgentSession(
                token_hash=_hash(token),
                agent_id=agent.id,
                expires_at=created + IDLE,
                csrf_token=secrets.token_urlsafe(32),
            )
        )
        # Tidy expired sessions of everyone.
        dbs.query(AgentSession).filter(AgentSession.expires_at < created).delete()
        dbs.commit()
    finally:
        dbs.close()
    response = web.HTTPSeeOther("/agents/")
    _set_cookie(response, token, int(ABSOLUTE.total_seconds()))
    raise response


@authenticated
async def logout(request: web.Request, dbs, ctx) -> web.StreamResponse:
    dbs.query(AgentSession).filter(
        AgentSession.token_hash == _hash(request.cookies.get(COOKIE, ""))
    ).delete()
    dbs.commit()
    response = web.HTTPSeeOther("/agents/connexion")
    response.del_cookie(COOKIE, path="/agents/")
    raise response


# --- lists, detail, status, export ---------------------------------------------------------


def _date(value: str) -> datetime | None:
    try:
        return datetime.strptime(value, "%Y-%m-%d")
    except ValueError:
        return None


def _filters(request: web.Request) -> dict[str, str]:
    keys = ("commune", "service", "status", "kind", "du", "au")
    return {k: request.query.get(k, "").strip() for k in keys}


def _demandes(dbs, agent: Agent, f: dict[str, str]):
    query = scoped(dbs.query(Demande), Demande, agent)
    if f["commune"]:
        query = query.filter(Demande.commune_insee == f["commune"])
    if f["service"]:
        query = query.filter(Demande.service == f["service"])
    if f["status"]:
        query = query.filter(Demande.status == f["status"])
    if f["kind"]:
        query = query.filter(Demande.kind == f["kind"])
    if start := _date(f["du"]):
        query = query.filter(Demande.created_at >= start)
    if end := _date(f["au"]):
        query = query.filter(Demande.created_at < end + timedelta(days=1))
    return query.order_by(Demande.created_at.desc(), Demande.id.desc())


def _rendez_vous(dbs, agent: Agent, f: dict[str, str]):
    query = scoped(dbs.query(RendezVous), RendezVous, agent)
    if f["commune"]:
        query = query.filter(RendezVous.mairie_insee == f["commune"])
    if f["status"]:
        query = query.filter(RendezVous.status == f["status"])
    if start := _date(f["du"]):
        query = query.filter(RendezVous.start >= start)
    if end := _date(f["au"]):
        query = query.filter(RendezVous.start < end + timedelta(days=1))
    return query.order_by(RendezVous.start.asc(), RendezVous.id.asc())


def _visible_communes(agent: Agent, names: dict[str, str]) -> dict[str, str]:
    if agent.commune_insee:
        return {agent.commune_insee: names.get(agent.commune_insee, agent.commune_insee)}
    return dict(sorted(names.items(), key=lambda item: item[1]))


@authenticated
async def home(request: web.Request, dbs, ctx) -> web.StreamResponse:
    raise web.HTTPSeeOther("/agents/demandes")


@authenticated
async def demandes_list(request: web.Request, dbs, ctx) -> web.Response:
    f = _filters(request)
    rows = _demandes(dbs, ctx["agent"], f).limit(1000).all()
    return render(
        "demandes.html",
        rows=rows,
        f=f,
        export=f"/agents/demandes.csv?{urlencode(f)}",
        back=request.path_qs,
        choix_communes=_visible_communes(ctx["agent"], ctx["communes"]),
        **ctx,
    )


@authenticated
async def demande_detail(request: web.Request, dbs, ctx) -> web.Response:
    item = (
        scoped(dbs.query(Demande), Demande, ctx["agent"])
        .filter(Demande.reference == request.match_info["reference"])
        .one_or_none()
    )
    if item is None:
        return not_found(ctx)
    from actions.demandes.photos import info as photo_info  # served by web/photos.py

    return render("demande.html", item=item, photo=photo_info(dbs, item.id), **ctx)


def _safe_back(value: str, default: str) -> str:
    return value if value.startswith("/agents/") and not value.startswith("//") else default


@authenticated
async def demande_status(request: web.Request, dbs, ctx) -> web.StreamResponse:
    form = await request.post()
    status = str(form.get("status", ""))
    item = (
        scoped(dbs.query(Demande), Demande, ctx["agent"])
        .filter(Demande.reference == request.match_info["reference"])
        .one_or_none()
    )
    if item is None:
        return not_found(ctx)
    if status not in STATUS_LABELS:
        raise web.HTTPBadRequest(text="Statut inconnu.", headers=_headers())
    if item.status != status:
        item.status = status
        item.updated_at = now()
        dbs.commit()
    default = f"/agents/demandes/{item.reference}"
    raise web.HTTPSeeOther(_safe_back(str(form.get("retour", "")), default))


@authenticated
async def rendez_vous_list(request: web.Request, dbs, ctx) -> web.Response:
    f = _filters(request)
    rows = _rendez_vous(dbs, ctx["agent"], f).limit(1000).all()
    return render(
        "rendez_vous.html",
        rows=rows,
        f=f,
        export=f"/agents/rendez-vous.csv?{urlencode(f)}",
        choix_communes=_visible_communes(ctx["agent"], ctx["communes"]),
        **ctx,
    )


def _scoped_rendez_vous(dbs, agent: Agent, reference: str) -> RendezVous | None:
    return (
        scoped(dbs.query(RendezVous), RendezVous, agent)
        .filter(RendezVous.reference == reference)
        .one_or_none()
    )


def _render_rendez_vous(dbs, ctx: dict, item: RendezVous, error: str | None = None, status=200):
    from actions.demandes.mail import fmt_rdv_when

    return render(
        "rendez_vous_fiche.html",
        status=status,
        item=item,
        when=fmt_rdv_when(item.start),
        courriels=item.courriels,
        courriel_labels=COURRIEL_LABELS,
        choices={code: RDV_STATUS_LABELS[code] for code in AGENT_RDV_STATUSES},
        error=error,
        **ctx,
    )


@authenticated
async def rendez_vous_detail(request: web.Request, dbs, ctx) -> web.Response:
    item = _scoped_rendez_vous(dbs, ctx["agent"], request.match_info["reference"])
    if item is None:
        return not_found(ctx)
    return _render_rendez_vous(dbs, ctx, item)


@authenticated
async def rendez_vous_status(request: web.Request, dbs, ctx) -> web.StreamResponse:
    """Honoured, absent, back to "à venir", or cancelled (frees the slot, emails the resident)."""
    from actions.demandes import service

    form = await request.post()
    status = str(form.get("status", ""))
    item = _scoped_rendez_vous(dbs, ctx["agent"], request.match_info["reference"])
    if item is None:
        return not_found(ctx)
    if status not in AGENT_RDV_STATUSES:
        raise web.HTTPBadRequest(text="Statut inconnu.", headers=_headers())
    item_id, reference = item.id, item.reference
    # End this session's transaction first: on SQLite it holds the write lock the change needs.
    dbs.commit()
    try:
        # In a thread: the row lock, then the email to the resident after the commit.
        await asyncio.to_thread(
            service.set_rendez_vous_status, item_id, status, now(), db=session_factory()
        )
    except service.DemandeError as exc:
        dbs.expire_all()
        return _render_rendez_vous(dbs, ctx, dbs.get(RendezVous, item_id), str(exc), status=409)
    default = f"/agents/rendez-vous/{reference}"
    raise web.HTTPSeeOther(_safe_back(str(form.get("retour", "")), default))


def csv_cell(value: object) -> str:
    """Text for a spreadsheet cell; formulas (= + - @, and tab / CR) are neutralised."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    text = str(value)
    if text and text[0] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def csv_response(header: list[str], rows: list[list[object]], filename: str) -> web.Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    body = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    headers = _headers()
    headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return web.Response(body=body, content_type="text/csv", charset="utf-8", headers=headers)


@authenticated
async def demandes_csv(request: web.Request, dbs, ctx) -> web.Response:
    names = ctx["communes"]
    rows = [
        [
            d.reference,
            KIND_LABELS.get(d.kind, d.kind),
            names.get(d.commune_insee, d.commune_insee),
            d.commune_insee,
            SERVICE_LABELS.get(d.service, d.service),
            STATUS_LABELS.get(d.status, d.status),
            d.created_at,
            d.updated_at,
            d.message,
            d.lieu,
            d.contact_email,
            d.contact_telephone,
        ]
        for d in _demandes(dbs, ctx["agent"], _filters(request))
    ]
    header = [
        "Référence", "Type", "Commune", "Code INSEE", "Service", "Statut", "Créée le",
        "Mise à jour", "Message", "Lieu", "Adresse e-mail", "Téléphone",
    ]  # fmt: skip
    return csv_response(header, rows, "demandes.csv")


@authenticated
async def rendez_vous_csv(request: web.Request, dbs, ctx) -> web.Response:
    names = ctx["communes"]
    rows = [
        [
            r.reference,
            names.get(r.mairie_insee, r.mairie_insee),
            r.mairie_insee,
            r.start,
            r.end,
            r.nom,
            MOTIF_LABELS.get(r.motif, r.motif),
            RDV_STATUS_LABELS.get(r.status, r.status),
            r.contact_email,
            r.contact_telephone,
        ]
        for r in _rendez_vous(dbs, ctx["agent"], _filters(request))
    ]
    header = [
        "Référence", "Mairie", "Code INSEE", "Début", "Fin", "Nom", "Motif", "Statut",
        "Adresse e-mail", "Téléphone",
    ]  # fmt: skip
    return csv_response(header, rows, "rendez-vous.csv")


async def backoffice_css(request: web.Request) -> web.FileResponse:
    return web.FileResponse(Path(__file__).resolve().parent / "static" / "backoffice.css")


async def to_home(request: web.Request) -> web.StreamResponse:
    raise web.HTTPSeeOther("/agents/")


def setup(app: web.Application) -> None:
    app.router.add_get("/agents", to_home)
    app.router.add_get("/agents/", home)
    app.router.add_get("/agents/connexion", login_form)
    app.router.add_post("/agents/connexion", login)
    app.router.add_post("/agents/deconnexion", logout)
    app.router.add_get("/agents/demandes", demandes_list)
    app.router.add_get("/agents/demandes.csv", demandes_csv)
    app.router.add_get("/agents/demandes/{reference}", demande_detail)
    app.router.add_post("/agents/demandes/{reference}/statut", demande_status)
    app.router.add_get("/agents/rendez-vous", rendez_vous_list)
    app.router.add_get("/agents/rendez-vous.csv", rendez_vous_csv)
    app.router.add_get("/agents/rendez-vous/{reference}", rendez_vous_detail)
    app.router.add_post("/agents/rendez-vous/{reference}/statut", rendez_vous_status)
    app.router.add_get("/agents/static/backoffice.css", backoffice_css)
