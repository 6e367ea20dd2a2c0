"""Writes the demo GED folder (PDFs + documents.yml) from ged/corpus.yml.

The demo must run without any commune's real documents, and the tests need the same corpus on every
machine: the output is deterministic (fixed PDF dates, menus rotated by week number), so two runs
give byte-identical files and the embedded index is not rebuilt for nothing.

Menus and collection calendars are only useful around today: a corpus written once with fixed
weeks had no menu of the week and no calendar of the year a few months later. They are produced
relative to the week of a reference day (`today`, default the clock's), so the output is a
function of that week only: the tests pin the day, ./run.sh regenerates it when the week changes.

Usage: python -m scripts.generate_corpus [--dossier var/ged/demo] [--jour AAAA-MM-JJ] [--si-besoin]
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import re
from pathlib import Path
from typing import Any

import yaml

from actions import clock

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "ged" / "corpus.yml"
DEFAULT_FOLDER = ROOT / "var" / "ged" / "demo"
NOTICE = "Document fictif — contenu d'exemple"
MONTHS = (
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()
)
SCHOOL_DAYS = ((0, "Lundi"), (1, "Mardi"), (3, "Jeudi"), (4, "Vendredi"))
WEEKDAYS = "lundi mardi mercredi jeudi vendredi samedi dimanche".split()
# documents.yml records the week it was produced for, so that a stale demo can be told apart.
WEEK_LINE = "# Semaine de référence : "


def french_date(day: dt.date) -> str:
    first = "1er" if day.day == 1 else str(day.day)
    return f"{first} {MONTHS[day.month - 1]} {day.year}"


@functools.cache
def _pdf_class() -> type:
    """An A4 page with the fictitious-content notice in the footer of every page.

    fpdf is imported here, not at the top: the action server imports this module on every start
    to check that the corpus is this week's, and fpdf (with numpy, fontTools, Pillow) would add
    about 35 MB to its memory for PDFs it only writes once a week.
    """
    from fpdf import FPDF

    class _Pdf(FPDF):
        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", "I", 8)
            self.cell(0, 8, f"{NOTICE} — page {self.page_no()}", align="C")

    return _Pdf


def render_pdf(header: str, title: str, subtitle: str, paragraphs: list[str]) -> bytes:
    """One simple, text-searchable PDF (core fonts in windows-1252: é, œ, — and « » work)."""
    pdf = _pdf_class()(format="A4")
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_creation_date(dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    pdf.set_title(title)
    pdf.set_author(header)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 10)
    pdf.set_text_color(160, 0, 0)
    pdf.cell(0, 6, NOTICE.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(4)
    pdf.set_font("Helvetica", "", 11)
    pdf.cell(0, 6, header, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Helvetica", "B", 15)
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "I", 10)
    pdf.multi_cell(0, 6, subtitle, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", "", 11)
    for paragraph in paragraphs:
        pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    return bytes(pdf.output())


def _as_date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _header(communes: dict[str, str], codes: list[str]) -> str:
    if not codes:
        return "Communauté de communes — les 26 communes du territoire"
    return ", ".join(f"Commune de {communes[c]}" for c in codes)


def reference_monday(today: dt.date) -> dt.date:
    """The Monday of the week the corpus is produced for: everything relative counts from it."""
    return today - dt.timedelta(days=today.weekday())


def _week(value: Any, monday: dt.date) -> dt.date:
    """A week of `menus.semaines`: an offset in weeks from the reference week, or a fixed date."""
    if isinstance(value, int):
        return monday + dt.timedelta(weeks=value)
    day = _as_date(value)
    assert day is not None and day.weekday() == 0, f"{day} n'est pas un lundi"
    return day


def _menu_entries(corpus: dict[str, Any], reference: dt.date) -> list[dict[str, Any]]:
    """One entry per school week; dishes rotate with the ISO week so every week differs."""
    dishes = corpus["plats"]
    entries = []
    for menu in corpus["menus"]:
        insee = str(menu["commune"])
        slug = corpus["communes"][insee].lower().replace(" ", "-")
        for monday in (_week(value, reference) for value in menu["semaines"]):
            friday = monday + dt.timedelta(days=4)
            week = monday.isocalendar()[1]
            lines = []
            for offset, (weekday, name) in enumerate(SCHOOL_DAYS):
                day = monday + dt.timedelta(days=weekday)
                n = week * 4 + offset
                lines.append(
                    f"{name} {french_date(day)} : {dishes['entrees'][n % len(dishes['entrees'])]}"
                    f", {dishes['plats'][n % len(dishes['plats'])]}"
                    f", {dishes['desserts'][(n + 3) % len(dishes['desserts'])]}."
                )
            lines.append(
                "Pas de cantine le mercredi. Menus susceptibles de modifications selon les "
                "livraisons. Pain et fruits de saison de producteurs locaux."
            )
            entries.append(
                {
                    "fichier": f"{slug}-menu-cantine-{monday.isoformat()}.pdf",
                    "titre": f"Menu de la cantine, semaine du {french_date(monday)}",
                    "type": "menu_cantine",
                    "communes": [insee],
                    "date": monday - dt.timedelta(days=7),
                    "valide_du": monday,
                    "valide_au": friday,
                    "mots_cles": ["cantine", "menu", "repas", "restauration scolaire", "école"],
                    "texte": [f"{menu['ecole']}.", *lines],
                }
            )
    return entries


def calendar_publication(year: int) -> dt.date:
    """A year's collection calendar comes out on the first Monday of November of the year before."""
    first = dt.date(year - 1, 11, 1)
    return first + dt.timedelta(days=-first.weekday() % 7)


def calendar_years(reference: dt.date) -> tuple[int, int]:
    """This year's calendar and the next one once published (else last year's): always two."""
    year = reference.year
    return (year, year + 1) if reference >= calendar_publication(year + 1) else (year - 1, year)


def _postponed(year: int, days: list[str]) -> str:
    """ "la collecte du vendredi 1er mai est reportée au samedi 2 mai ; celle du …", for `year`."""

    def label(day: dt.date) -> str:  # "vendredi 1er mai"
        return f"{WEEKDAYS[day.weekday()]} {french_date(day).rsplit(' ', 1)[0]}"

    holidays = [dt.date.fromisoformat(f"{year}-{month_day}") for month_day in days]
    moved = [
        (label(day), label(day + dt.timedelta(days=1)))
        for day in sorted(holidays)
        if day.weekday() < 5  # collections run Monday to Friday
    ]
    if not moved:
        return "aucune collecte n'est déplacée, les jours fériés sans collecte tombent le week-end"
    first, *others = moved
    sentence = f"la collecte du {first[0]} est reportée au {first[1]}"
    return sentence + "".join(f" ; celle du {day} au {after}" for day, after in others)


def _calendar_entries(corpus: dict[str, Any], reference: dt.date) -> list[dict[str, Any]]:
    """The territory's collection calendars of the years around the reference week."""
    template = corpus["calendriers"]
    entries = []
    for year in calendar_years(reference):
        values = {"annee": year, "reports": _postponed(year, template["sans_collecte"])}
        entries.append(
            {
                "fichier": f"calendrier-collecte-{year}.pdf",
                "titre": f"Calendrier de collecte des déchets {year}",
                "type": "calendrier_collecte",
                "communes": [],
                "date": calendar_publication(year),
                "valide_du": dt.date(year, 1, 1),
                "valide_au": dt.date(year, 12, 31),
                "mots_cles": list(template["mots_cles"]),
                "texte": [line.format(**values) for line in template["texte"]],
            }
        )
    return entries


def _replace(target: Path, data: bytes) -> None:
    """Writes through a temporary file: the action server and the web server may both regenerate
    a stale demo at start-up, and neither must index a half-written file."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)


def produced_for(folder: Path) -> dt.date | None:
    """The reference Monday recorded in a generated folder's documents.yml (None if absent)."""
    try:
        with (folder / "documents.yml").open(encoding="utf-8") as index:
            head = [next(index, "") for _ in range(5)]
    except OSError:
        return None
    found = re.search(rf"^{WEEK_LINE}(\d{{4}}-\d{{2}}-\d{{2}})", "".join(head), re.MULTILINE)
    return dt.date.fromisoformat(found.group(1)) if found else None


def is_current(folder: Path, today: dt.date | None = None, corpus_path: Path = CORPUS) -> bool:
    """True when `folder` holds the corpus of this week, written after ged/corpus.yml changed."""
    day = today or clock.now().date()
    index = folder / "documents.yml"
    return (
        produced_for(folder) == reference_monday(day)
        and index.stat().st_mtime >= corpus_path.stat().st_mtime
    )


def generate(
    folder: Path = DEFAULT_FOLDER, corpus_path: Path = CORPUS, today: dt.date | None = None
) -> list[dict[str, Any]]:
    """Writes every PDF and documents.yml into `folder`; returns the metadata entries.

    Menus and calendars are those of the week of `today` (default: the clock's today).
    """
    reference = reference_monday(today or clock.now().date())
    corpus = yaml.safe_load(corpus_path.read_text(encoding="utf-8"))
    communes = {str(k): v for k, v in corpus["communes"].items()}
    folder.mkdir(parents=True, exist_ok=True)
    metadata = []
    dated = [*_calendar_entries(corpus, reference), *_menu_entries(corpus, reference)]
    for entry in [*corpus["documents"], *dated]:
        codes = [str(c) for c in entry.get("communes", [])]
        date = _as_date(entry["date"])
        valid_from, valid_until = _as_date(entry.get("valide_du")), _as_date(entry.get("valide_au"))
        audience = entry.get("audience", "public")
        subtitle = f"Date : {french_date(date)}"
        if valid_from and valid_until:
            subtitle += f". Applicable du {french_date(valid_from)} au {french_date(valid_until)}"
        if audience == "elus":
            subtitle += ". Document réservé aux élus"
        pdf = render_pdf(_header(communes, codes), entry["titre"], subtitle + ".", entry["texte"])
        target = folder / entry["fichier"]
        if not target.exists() or target.read_bytes() != pdf:  # keep mtimes when unchanged
            _replace(target, pdf)
        metadata.append(
            {
                "fichier": entry["fichier"],
                "titre": entry["titre"],
                "type": entry["type"],
                "communes": codes,
                "date": date,
                "audience": audience,
                "valide_du": valid_from,
                "valide_au": valid_until,
                "mots_cles": list(entry.get("mots_cles", [])),
            }
        )
    text = (
        "# Documents de démonstration (fictifs), produits par scripts/generate_corpus.py.\n"
        f"{WEEK_LINE}{reference.isoformat()} (menus et calendriers produits pour cette semaine).\n"
        "# Format : voir ged/LISEZMOI.md.\n"
        + yaml.safe_dump(metadata, allow_unicode=True, sort_keys=False, width=100)
    )
    index = folder / "documents.yml"
    if not index.exists() or index.read_text(encoding="utf-8") != text:
        _replace(index, text.encode("utf-8"))
    elif index.stat().st_mtime < corpus_path.stat().st_mtime:
        index.touch()  # same output from an edited corpus.yml: now up to date (is_current)
    return metadata


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Génère le corpus GED de démonstration.")
    parser.add_argument("--dossier", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument(
        "--jour",
        type=dt.date.fromisoformat,
        help="jour de référence des menus et calendriers, AAAA-MM-JJ (défaut : aujourd'hui)",
    )
    parser.add_argument(
        "--si-besoin",
        action="store_true",
        help="ne rien faire si le dossier est déjà celui de cette semaine",
    )
    args = parser.parse_args(argv)
    if args.si_besoin and is_current(args.dossier, args.jour):
        return
    entries = generate(args.dossier, today=args.jour)
    print(f"{len(entries)} documents écrits dans {args.dossier}")


if __name__ == "__main__":
    main()
