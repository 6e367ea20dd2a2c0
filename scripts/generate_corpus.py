"""Writes the demo GED folder (PDFs + documents.yml) from ged/corpus.yml.

The demo must run without any commune's real documents, and the tests need the same corpus on every
machine: the output is deterministic (fixed PDF dates, menus rotated by week number), so two runs
give byte-identical files and the embedded index is not rebuilt for nothing.

Usage: python -m scripts.generate_corpus [--dossier var/ged/demo]
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from fpdf import FPDF

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "ged" / "corpus.yml"
DEFAULT_FOLDER = ROOT / "var" / "ged" / "demo"
NOTICE = "Document fictif — contenu d'exemple"
MONTHS = (
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()
)
SCHOOL_DAYS = ((0, "Lundi"), (1, "Mardi"), (3, "Jeudi"), (4, "Vendredi"))


def french_date(day: dt.date) -> str:
    first = "1er" if day.day == 1 else str(day.day)
    return f"{first} {MONTHS[day.month - 1]} {day.year}"


class _Pdf(FPDF):
    """A4 page with the fictitious-content notice in the footer of every page."""

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", "I", 8)
        self.cell(0, 8, f"{NOTICE} — page {self.page_no()}", align="C")


def render_pdf(header: str, title: str, subtitle: str, paragraphs: list[str]) -> bytes:
    """One simple, text-searchable PDF (core fonts in windows-1252: é, œ, — and « » work)."""
    pdf = _Pdf(format="A4")
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


def _menu_entries(corpus: dict[str, Any]) -> list[dict[str, Any]]:
    """One entry per school week; dishes rotate with the ISO week so every week differs."""
    dishes = corpus["plats"]
    entries = []
    for menu in corpus["menus"]:
        insee = str(menu["commune"])
        slug = corpus["communes"][insee].lower().replace(" ", "-")
        for monday in map(_as_date, menu["semaines"]):
            assert monday is not None and monday.weekday() == 0, f"{monday} n'est pas un lundi"
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


def generate(folder: Path = DEFAULT_FOLDER, corpus_path: Path = CORPUS) -> list[dict[str, Any]]:
    """Writes every PDF and documents.yml into `folder`; returns the metadata entries."""
    corpus = yaml.safe_load(corpus_path.read_text(encoding="utf-8"))
    communes = {str(k): v for k, v in corpus["communes"].items()}
    folder.mkdir(parents=True, exist_ok=True)
    metadata = []
    for entry in [*corpus["documents"], *_menu_entries(corpus)]:
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
            target.write_bytes(pdf)
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
        "# Format : voir ged/LISEZMOI.md.\n"
        + yaml.safe_dump(metadata, allow_unicode=True, sort_keys=False, width=100)
    )
    index = folder / "documents.yml"
    if not index.exists() or index.read_text(encoding="utf-8") != text:
        index.write_text(text, encoding="utf-8")
    return metadata


def main() -> None:
    parser = argparse.ArgumentParser(description="Génère le corpus GED de démonstration.")
    parser.add_argument("--dossier", type=Path, default=DEFAULT_FOLDER)
    args = parser.parse_args()
    entries = generate(args.dossier)
    print(f"{len(entries)} documents écrits dans {args.dossier}")


if __name__ == "__main__":
    main()
