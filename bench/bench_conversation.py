"""Latency of the turns of a real conversation (issue #14): a first question, a follow-up, a yes,
and a message with two needs, each timed through the REST webhook of real servers.

A follow-up or a « oui » replays an intent inside the same turn, and two needs run two turns:
this says what that costs next to a plain question.
Usage: .venv/bin/python bench/bench_conversation.py [--residents 20]
Prints p50/p95 per kind of turn and writes results/bench_conversation.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.generate_corpus import generate  # noqa: E402
from tests.servers import Servers  # noqa: E402

# (kind of turn, message): one resident plays them in this order.
SCRIPT = (
    ("question", "horaires de la mairie de bapaume"),
    ("suite", "et le samedi ?"),
    ("question", "c combien la salle des fetes a bancourt"),
    ("suite", "et la caution c'est combien ?"),
    ("oui_non", "non"),
    ("deux_besoins", "les horaires de la mairie de Bapaume et où jeter mes pneus"),
    # Not understood, it opens with a greeting: parsed a second time without it (salutation.py).
    ("salutation_relue", "bonjour je suis une dame agee"),
)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--residents", type=int, default=20)
    args = parser.parse_args()
    ged = Path(tempfile.mkdtemp(prefix="bench-conv-"))
    generate(ged / "demo")
    servers = Servers()
    servers.extra_env.update(
        TCHATCHE_GED="embedded",
        TCHATCHE_GED_DOSSIER=str(ged / "demo"),
        TCHATCHE_GED_INDEX=str(ged / "index.sqlite"),
        TCHATCHE_DEMANDES_DB=f"sqlite:///{ged / 'demandes.db'}",
    )
    servers.start()
    timings: dict[str, list[float]] = {}
    try:
        servers.send("warm-up", "bonjour")
        for _ in range(args.residents):
            sender = f"bench-{uuid.uuid4().hex[:8]}"
            for kind, text in SCRIPT:
                start = time.perf_counter()
                servers.send(sender, text)
                timings.setdefault(kind, []).append((time.perf_counter() - start) * 1000)
    finally:
        servers.stop()
    figures = {
        kind: {
            "n": len(values),
            "p50_ms": round(statistics.median(values), 1),
            "p95_ms": round(percentile(values, 0.95), 1),
        }
        for kind, values in timings.items()
    }
    print(f"{'tour':<18}{'n':>5}{'p50 ms':>10}{'p95 ms':>10}")
    for kind, row in figures.items():
        print(f"{kind:<18}{row['n']:>5}{row['p50_ms']:>10}{row['p95_ms']:>10}")
    out = ROOT / "results" / "bench_conversation.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
