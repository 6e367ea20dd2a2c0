"""Chooses the GED backend from the environment, once per process.

TCHATCHE_GED=embedded (default) serves a folder of PDFs (TCHATCHE_GED_DOSSIER, default the demo
corpus var/ged/demo, generated on first use so that a fresh checkout answers at once, and again
when it was generated for another week, so that its menus and calendars are current; index in
TCHATCHE_GED_INDEX, default var/ged/index.sqlite);
TCHATCHE_GED=mayan talks to a Mayan EDMS server (actions/documents/mayan.py).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from actions.documents.model import DocumentStore, GedUnavailable

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_FOLDER = ROOT / "var" / "ged" / "demo"
DEFAULT_INDEX = ROOT / "var" / "ged" / "index.sqlite"

_store: DocumentStore | None = None
_lock = threading.Lock()


def _build() -> DocumentStore:
    backend = os.environ.get("TCHATCHE_GED", "embedded").strip().lower() or "embedded"
    if backend == "mayan":
        try:  # only needed with a Mayan server
            from actions.documents.mayan import MayanStore
        except ImportError as error:
            raise GedUnavailable(f"Module Mayan absent : {error}") from error
        return MayanStore.from_env()
    if backend != "embedded":
        raise GedUnavailable(f"TCHATCHE_GED inconnu : « {backend} » (embedded ou mayan).")
    from actions.documents.embedded import EmbeddedStore

    configured = os.environ.get("TCHATCHE_GED_DOSSIER")
    folder = Path(configured) if configured else DEFAULT_FOLDER
    if not folder.is_absolute():
        folder = ROOT / folder
    if not configured:
        from scripts.generate_corpus import generate, is_current

        if not is_current(folder):
            generate(folder)
    index = os.environ.get("TCHATCHE_GED_INDEX")
    return EmbeddedStore(folder, Path(index) if index else DEFAULT_INDEX)


def get_store() -> DocumentStore:
    """The process-wide store (built on first call)."""
    global _store
    with _lock:
        if _store is None:
            _store = _build()
        return _store


def reset_store() -> None:
    """Forget the store, so that tests can change the environment."""
    global _store
    with _lock:
        _store = None


def prepare() -> None:
    """The demo corpus of this week and its index, before the servers start (scripts/common.sh):
    the action server then reads a current index and loads neither fpdf nor pypdf. A Mayan GED
    has nothing to prepare."""
    from actions.documents.embedded import EmbeddedStore

    try:
        store = get_store()
        if isinstance(store, EmbeddedStore):
            store.prepare()
    except GedUnavailable as error:  # the assistant still starts and says the GED is down
        print(f"Attention : GED indisponible ({error}). Les documents ne seront pas envoyés.")


if __name__ == "__main__":
    prepare()
