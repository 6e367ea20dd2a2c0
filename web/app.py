"""One aiohttp application; each feature registers its routes from its own module."""

from __future__ import annotations

import os

from aiohttp import web


def create_app() -> web.Application:
    app = web.Application(client_max_size=1024**2)
    # Each module exposes `setup(app)`; keep imports here so a feature can be read on its own.
    from web import documents

    documents.setup(app)
    try:
        from web import site
    except ImportError:  # the commune page arrives with the channels issue
        site = None
    if site is not None:
        site.setup(app)
    from web import backoffice

    backoffice.setup(app)
    from web import photos  # photos of signalements (upload, back-office view)

    photos.setup(app)
    return app


def main() -> None:
    port = int(os.environ.get("TCHATCHE_WEB_PORT", "8080"))
    web.run_app(create_app(), host="127.0.0.1", port=port, print=None)


if __name__ == "__main__":
    main()
