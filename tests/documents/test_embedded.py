"""The embedded backend and its folder: what the mairie secretary does and sees."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from actions.clock import now
from actions.documents.embedded import EmbeddedStore
from actions.documents.folder import FolderError, read_folder
from actions.documents.model import DOC_TYPES, GedUnavailable, SearchQuery
from actions.documents.request import find_documents, understand
from scripts.generate_corpus import generate, is_current, main, produced_for
from tests.conftest import CORPUS_DAY


def test_demo_corpus_is_rich_enough(corpus_dir: Path) -> None:
    entries = read_folder(corpus_dir)
    assert len(entries) >= 34
    assert len({c for e in entries for c in e.communes}) >= 6
    assert {e.doc_type for e in entries} == set(DOC_TYPES)
    assert sum(e.audience == "elus" for e in entries) == 3
    for entry in entries:
        text = "".join(page.extract_text() for page in PdfReader(entry.path).pages)
        assert "Document fictif — contenu d'exemple" in text, entry.filename
        if entry.doc_type == "menu_cantine":
            assert entry.valid_from.weekday() == 0 and entry.valid_until.weekday() == 4


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def test_generation_is_deterministic(corpus_dir: Path, tmp_path: Path) -> None:
    generate(tmp_path, today=CORPUS_DAY + dt.timedelta(days=2))  # same week, same corpus
    assert digest(tmp_path) == digest(corpus_dir)
    assert produced_for(tmp_path) == dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    "day",
    [CORPUS_DAY + dt.timedelta(days=365), dt.date(2027, 12, 31), dt.date(2028, 2, 29), None],
    ids=["un-an-apres", "31-decembre", "29-fevrier", "aujourd-hui"],
)
def test_demo_has_this_weeks_menu_and_this_years_calendar_on_any_day(
    tmp_path: Path, day: dt.date | None
) -> None:
    """The demo corpus follows the date it is generated on (None: the clock's today, which the
    time-bomb runs of tests/test_time_bombs.py move): never a demo with only stale menus."""
    today = day or now().date()
    generate(tmp_path / "demo", today=day)
    store = EmbeddedStore(tmp_path / "demo", tmp_path / "index.sqlite")
    for commune in ("62181", "62080"):  # Bucquoy, and Bapaume whose next menu is not out yet
        menu = find_documents(store, understand("le menu de la cantine", today), commune)
        if today.weekday() < 5 or commune == "62181":  # weekend: next week's menu
            assert menu.covers_date, (commune, today)
        assert all(d.communes == (commune,) for d in menu.documents)
    calendar = find_documents(store, understand("le calendrier des poubelles", today), None)
    assert calendar.covers_date
    assert calendar.documents[0].title == f"Calendrier de collecte des déchets {today.year}"
    assert is_current(tmp_path / "demo", today)


def test_stale_demo_is_regenerated_only_when_needed(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    main(["--dossier", str(folder), "--jour", "2026-11-25"])
    before = digest(folder)
    assert is_current(folder, dt.date(2026, 11, 29)) and not is_current(
        folder, dt.date(2026, 12, 1)
    )
    main(["--dossier", str(folder), "--jour", "2026-11-27", "--si-besoin"])  # same week: nothing
    assert digest(folder) == before
    main(["--dossier", str(folder), "--jour", "2026-12-01", "--si-besoin"])  # a new week
    assert produced_for(folder) == dt.date(2026, 11, 30)
    assert (folder / "bucquoy-menu-cantine-2026-12-21.pdf").is_file()


def copy_of(corpus_dir: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "dossier"
    shutil.copytree(corpus_dir, folder)
    return folder


def test_index_follows_the_folder(corpus_dir: Path, tmp_path: Path) -> None:
    folder = copy_of(corpus_dir, tmp_path)
    store = EmbeddedStore(folder, tmp_path / "index.sqlite")
    assert store.search(SearchQuery(text="marché de Noël")) != []
    assert store.search(SearchQuery(text="kermesse")) == []
    shutil.copy(folder / "bucquoy-bulletin-automne-2026.pdf", folder / "kermesse.pdf")
    entries = yaml.safe_load((folder / "documents.yml").read_text(encoding="utf-8"))
    entries.append(
        {
            "fichier": "kermesse.pdf",
            "titre": "Affiche de la kermesse de l'école",
            "type": "bulletin",
            "communes": ["62181"],
            "date": "2026-06-01",
            "mots_cles": ["fête de l'école"],
        }
    )
    (folder / "documents.yml").write_text(yaml.safe_dump(entries, allow_unicode=True))
    found = store.search(SearchQuery(text="kermesse"))
    assert [d.title for d in found] == ["Affiche de la kermesse de l'école"]
    # A fresh process reuses the index built for the same folder.
    assert EmbeddedStore(folder, tmp_path / "index.sqlite").get(found[0].id) is not None


def test_ids_are_opaque_and_stable(corpus_dir: Path, tmp_path: Path) -> None:
    one = EmbeddedStore(corpus_dir, tmp_path / "a.sqlite").search(SearchQuery(limit=100))
    two = EmbeddedStore(corpus_dir, tmp_path / "b.sqlite").search(SearchQuery(limit=100))
    assert [d.id for d in one] == [d.id for d in two]
    assert all(re.fullmatch(r"[0-9a-f]{16}", d.id) for d in one)


def test_changed_file_is_not_served_under_its_old_id(corpus_dir: Path, tmp_path: Path) -> None:
    folder = copy_of(corpus_dir, tmp_path)
    store = EmbeddedStore(folder, tmp_path / "index.sqlite")
    old = store.search(SearchQuery(text="règlement cimetière"))[0]
    (folder / old.filename).write_bytes(b"%PDF-1.4 remplace")
    assert store.get(old.id) is None
    with pytest.raises(KeyError):
        store.content(old.id)


def write_index(folder: Path, entries: list[dict]) -> None:
    folder.mkdir(exist_ok=True)
    (folder / "documents.yml").write_text(yaml.safe_dump(entries, allow_unicode=True))


def test_folder_errors_name_the_entry_and_the_problem(tmp_path: Path) -> None:
    folder = tmp_path / "dossier"
    write_index(
        folder,
        [
            {"fichier": "absent.pdf", "titre": "A", "type": "arrete", "date": "2026-01-01"},
            {"fichier": "b.pdf", "titre": "B", "type": "facture", "date": "2026-13-01"},
            {"fichier": "../c.pdf", "titre": "C", "type": "arrete", "date": "2026-01-01",
             "communes": ["75056"], "audience": "tous"},
        ],
    )  # fmt: skip
    (folder / "b.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(FolderError) as raised:
        read_folder(folder)
    message = str(raised.value)
    assert "entrée n° 1 (absent.pdf)" in message and "introuvable" in message
    assert "entrée n° 2 (b.pdf)" in message and "type « facture » inconnu" in message
    assert "AAAA-MM-JJ" in message
    assert "entrée n° 3" in message and "75056" in message and "audience" in message
    assert "simple nom de fichier" in message


def test_broken_folder_makes_the_store_unavailable(tmp_path: Path) -> None:
    folder = tmp_path / "dossier"
    folder.mkdir()
    (folder / "documents.yml").write_text("- fichier: [oups\n")
    with pytest.raises(GedUnavailable):
        EmbeddedStore(folder, tmp_path / "index.sqlite").search(SearchQuery(text="x"))


def test_unknown_backend_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    from actions.documents import config

    monkeypatch.setenv("TCHATCHE_GED", "sharepoint")
    config.reset_store()
    try:
        with pytest.raises(GedUnavailable, match="TCHATCHE_GED inconnu"):
            config.get_store()
    finally:
        config.reset_store()


def test_prepared_index_is_used_as_it_is(
    corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """./run.sh prepares the index; the action server then finds the documents without
    reading a single PDF (which would load pypdf into its memory)."""
    folder = copy_of(corpus_dir, tmp_path)
    EmbeddedStore(folder, tmp_path / "index.sqlite").prepare()

    def no_pdf_reading(data: bytes) -> str:
        raise AssertionError("a prepared index must not be rebuilt")

    monkeypatch.setattr("actions.documents.embedded.extract_text", no_pdf_reading)
    found = EmbeddedStore(folder, tmp_path / "index.sqlite").search(
        SearchQuery(text="marché de Noël")
    )
    assert found != []


def test_action_server_does_not_load_pdf_libraries() -> None:
    """rasa_sdk imports every module of actions/: fpdf and pypdf (with numpy, fontTools,
    cryptography) would add about 50 MB to the action server for PDFs it does not read."""
    code = (
        "import sys, rasa_sdk.executor as e\n"
        "e.ActionExecutor().register_package('actions')\n"
        "print(sorted({'fpdf', 'pypdf', 'numpy', 'fontTools'} & set(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip().splitlines()[-1] == "[]"
