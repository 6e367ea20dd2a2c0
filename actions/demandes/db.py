"""Database connection for demandes and rendez-vous.

SQLite by default so that a single mairie can run Tchatche without a server; set
TCHATCHE_DEMANDES_DB to a PostgreSQL URL when several workers write at once.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine, create_engine
from sqlalchemy.orm import sessionmaker

from actions.demandes.models import Base

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_URL = f"sqlite:///{ROOT / 'var' / 'demandes.db'}"
BUSY_TIMEOUT_MS = 30_000


def database_url() -> str:
    return os.environ.get("TCHATCHE_DEMANDES_DB") or DEFAULT_URL


def make_engine(url: str | None = None) -> Engine:
    """Engine with the table created; on SQLite, WAL and a busy timeout so writers queue.

    pysqlite's own transaction handling is switched off and every transaction starts with
    BEGIN IMMEDIATE: the write lock is taken at the start, so a reference counter read inside
    the transaction cannot be read by another writer at the same time.
    """
    url = url or database_url()
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
        )

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record) -> None:
            dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(connection) -> None:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    else:
        engine = create_engine(url, pool_pre_ping=True)
    Base.metadata.create_all(engine)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(bind=engine, expire_on_commit=False, future=True)


@lru_cache(maxsize=1)
def default_session_factory() -> sessionmaker:
    """Session factory of the configured database, created once per process."""
    return make_session_factory(make_engine())
