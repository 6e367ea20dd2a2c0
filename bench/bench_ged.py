"""Search latency of a GED backend over 100 varied French requests.

A resident waits for the answer while the action server reads the request and searches the GED:
this measures exactly that path (request.understand + find_documents), per request.

Usage: .venv/bin/python bench/bench_ged.py [--backend embedded|mayan]
Prints the figures and writes them to results/bench_ged.json. Figures, not verdicts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from actions.documents.model import DocumentStore  # noqa: E402
from actions.documents.request import find_documents, understand  # noqa: E402

# The day the requests are read on, and the embedded demo corpus generated for: pinned, so that
# the figures compare from one run (and one year) to the next. A Mayan loaded with a corpus of
# another week finds fewer menus; the timings stay comparable.
TODAY = dt.date(2026, 11, 25)
REQUESTS = [
    "le compte rendu du dernier conseil municipal",
    "compte-rendu conseil",
    "CR du conseil de mars",
    "pv du conseil municipal 2025",
    "le formulaire pour louer la salle des fêtes",
    "formulaire salle des fetes",
    "imprimé concession cimetière",
    "inscription cantine",
    "le menu de la cantine cette semaine",
    "menu cantine demain stp",
    "on mange quoi lundi prochain a la cantine",
    "menu de la semaine prochaine",
    "le calendrier des poubelles 2026",
    "calendrier poubelle 2027",
    "ramassage des ordures le 14 juillet",
    "collecte jour férié",
    "l'arrêté sur la circulation rue de Péronne",
    "arrete stationnement 14 juillet",
    "arrêté brûlage déchets verts",
    "bruit tondeuse dimanche",
    "le bulletin municipal le plus récent",
    "journal de la commune",
    "règlement de la salle des fêtes",
    "reglement cimetiere",
    "le PLU",
    "hauteur des clôtures urbanisme",
]
COMMUNES = [None, "62181", "62080", "62839", "62005"]


def queries(count: int = 100) -> list[tuple[str, str | None]]:
    """`count` (request, commune) pairs, deterministic, every request with several communes."""
    pairs = [(text, COMMUNES[(i + j) % len(COMMUNES)]) for j in range(4) for i, text in
             enumerate(REQUESTS)]  # fmt: skip
    return pairs[:count]


def build_store(backend: str, workdir: Path) -> tuple[DocumentStore, float]:
    """The store and the seconds spent building the embedded index (0 for Mayan)."""
    if backend == "mayan":
        from actions.documents.mayan import MayanStore

        return MayanStore.from_env(), 0.0
    from actions.documents.embedded import EmbeddedStore
    from scripts.generate_corpus import generate

    folder = Path(os.environ.get("TCHATCHE_GED_DOSSIER", workdir / "demo"))
    if not (folder / "documents.yml").is_file():
        generate(folder, today=TODAY)
    store = EmbeddedStore(folder, workdir / "index.sqlite")
    start = time.perf_counter()
    store.get("0" * 16)  # builds the index
    return store, time.perf_counter() - start


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("embedded", "mayan"), default="embedded")
    parser.add_argument("--output", type=Path, default=ROOT / "results" / "bench_ged.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store, build_seconds = build_store(args.backend, Path(tmp))
        pairs = queries()
        find_documents(store, understand(pairs[0][0], TODAY), pairs[0][1])  # warm-up
        latencies, found = [], 0
        for text, commune in pairs:
            start = time.perf_counter()
            answer = find_documents(store, understand(text, TODAY), commune_insee=commune)
            latencies.append((time.perf_counter() - start) * 1000)
            found += bool(answer.documents)
    result = {
        "backend": args.backend,
        "requests": len(latencies),
        "with_results": found,
        "index_build_s": round(build_seconds, 3),
        "p50_ms": round(statistics.median(latencies), 2),
        "p95_ms": round(percentile(latencies, 0.95), 2),
        "max_ms": round(max(latencies), 2),
        "mean_ms": round(statistics.fmean(latencies), 2),
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }
    for key, value in result.items():
        print(f"{key:>14}: {value}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
