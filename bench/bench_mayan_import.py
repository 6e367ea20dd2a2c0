"""Benchmark of the Mayan EDMS backend: install check, first start, import, memory, search latency.

Usage: .venv/bin/python bench/bench_mayan_import.py [--dossier var/ged/demo] [--ocr]
Starts a brand-new Mayan (temporary data folder, free port), imports the folder (the demo corpus
is generated when no folder is given), re-imports it (idempotence), measures a few searches, then
stops Mayan. Prints the figures and writes results/bench_mayan.json. Figures, not verdicts.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from actions.documents.mayan import MayanStore  # noqa: E402
from actions.documents.model import SearchQuery  # noqa: E402
from tests.documents.mayan_fixture import free_port  # noqa: E402

MAYAN_SH = ROOT / "scripts" / "mayan.sh"
QUERIES = ["compte-rendu conseil", "poubelles", "règlement cimetière", "lampadaires", ""]


def timed(args: list[str], env: dict[str, str]) -> float:
    started = time.monotonic()
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"ÉCHEC : {' '.join(args)}\n{done.stdout}\n{done.stderr}")
    return time.monotonic() - started


def rss_mb(pid: int) -> float:
    """Resident memory of the Mayan server (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description="Mesure l'import du corpus dans un Mayan neuf.")
    parser.add_argument("--dossier", type=Path, help="dossier à importer (défaut : corpus démo)")
    parser.add_argument("--ocr", action="store_true", help="import avec OCR")
    args = parser.parse_args()
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-mayan-") as tmp:
        base = Path(tmp)
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "TCHATCHE_MAYAN_MEDIA": str(base / "ged"),
            "TCHATCHE_MAYAN_LOG": str(base / "mayan.log"),
            "TCHATCHE_MAYAN_USER": "admin",
            "TCHATCHE_MAYAN_PASSWORD": secrets.token_hex(12),
        }
        figures["install_check_s"] = timed(["bash", str(MAYAN_SH), "install"], env)
        folder = args.dossier
        if folder is None:
            folder = base / "corpus"
            timed([sys.executable, "-m", "scripts.generate_corpus", "--dossier", str(folder)], env)
        figures["documents"] = len(list(folder.glob("*.pdf")))
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        try:
            figures["first_start_s"] = timed(["bash", str(MAYAN_SH), "start", str(port)], env)
            password = env["TCHATCHE_MAYAN_PASSWORD"]
            importer = [sys.executable, "-m", "scripts.ged_import", "--dossier", str(folder),
                        "--url", url, "--user", "admin", "--password", password,
                        *(["--ocr"] if args.ocr else [])]  # fmt: skip
            figures["import_s"] = timed(importer, env)
            figures["import_per_document_s"] = figures["import_s"] / max(1, figures["documents"])
            figures["reimport_s"] = timed(importer, env)
            pid = int((base / "ged" / "mayan.pid").read_text())
            figures["server_rss_mb"] = rss_mb(pid)
            store = MayanStore(url, "admin", env["TCHATCHE_MAYAN_PASSWORD"])
            started = time.monotonic()
            store.search(SearchQuery())
            figures["first_search_with_catalogue_s"] = time.monotonic() - started
            latencies = []
            for _ in range(3):
                for text in QUERIES:
                    started = time.monotonic()
                    store.search(SearchQuery(text=text, commune_insee="62181"))
                    latencies.append(time.monotonic() - started)
            figures["search_median_ms"] = statistics.median(latencies) * 1000
            figures["search_max_ms"] = max(latencies) * 1000
            figures["server_rss_after_searches_mb"] = rss_mb(pid)
            timed(["bash", str(MAYAN_SH), "stop"], env)
            figures["restart_s"] = timed(["bash", str(MAYAN_SH), "start", str(port)], env)
        finally:
            subprocess.run(["bash", str(MAYAN_SH), "stop"], cwd=ROOT, env=env, capture_output=True)
    for name, value in figures.items():
        print(f"{name:32} {value:10.2f}")
    out = ROOT / "results" / "bench_mayan.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"→ {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
