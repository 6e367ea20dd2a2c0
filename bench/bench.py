"""Benchmark of the foundation: training, model size, start-up, memory, REST latency.

Usage: .venv/bin/python bench/bench.py [--skip-training]
Prints the figures and writes them to results/bench.json. Not a test: figures, not verdicts.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.servers import RASA, Servers  # noqa: E402

# A mix of intents; about half go through the custom action (commune-dependent answers).
CONVERSATION = [
    "Bonjour",
    "la mairie est ouverte ?",
    "Bucquoy",
    "non c'est pour bapaume",
    "le numero de telephone de la mairie",
    "comment refaire ma carte d'identité",
    "qui est le maire",
    "quand passent les poubelles",
    "je voudrais un acte de naissance",
    "comment m'inscrire sur les listes électorales",
    "je veux faire ma carte grise",
    "la déchetterie est ouverte ?",
    "louer la salle des fetes",
    "tu es un robot ?",
    "il fait beau aujourd'hui",
    "je voudrais parler a quelqu'un",
    "merci",
    "au revoir",
    "permis de construire pour un garage",
    "recensement de mon fils de 16 ans",
]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def train(out: Path) -> tuple[float, Path]:
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "RASA_TELEMETRY_ENABLED": "false"}
    start = time.monotonic()
    subprocess.run(
        [
            RASA,
            "train",
            "--force",
            "--config",
            "config.yml",
            "--domain",
            "domain",
            "--data",
            "data",
            "--out",
            str(out),
            "--fixed-model-name",
            "bench",
            "--quiet",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return time.monotonic() - start, out / "bench.tar.gz"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--skip-training",
        action="store_true",
        help="use models/tchatche.tar.gz instead of training a fresh model",
    )
    parser.add_argument("--messages", type=int, default=200)
    args = parser.parse_args()
    figures: dict[str, object] = {}
    if args.skip_training:
        model = ROOT / "models" / "tchatche.tar.gz"
    else:
        seconds, model = train(Path(tempfile.mkdtemp(prefix="tchatche-bench-")))
        figures["training_seconds"] = round(seconds, 1)
    figures["model_mb"] = round(model.stat().st_size / 1e6, 1)
    servers = Servers().start(model)
    try:
        figures["startup_seconds_until_both_answer"] = round(servers.ready_seconds, 1)
        latencies = []
        sent = 0
        while sent < args.messages:
            sender = f"bench-{sent}"
            for text in CONVERSATION:
                if sent >= args.messages:
                    break
                start = time.perf_counter()
                servers.send(sender, text)
                latencies.append((time.perf_counter() - start) * 1000)
                sent += 1
        figures["messages"] = sent
        figures["latency_ms_p50"] = round(statistics.median(latencies), 1)
        figures["latency_ms_p95"] = round(percentile(latencies, 95), 1)
        figures["latency_ms_max"] = round(max(latencies), 1)
        figures["rss_mb_action_server"] = round(rss_mb(servers.processes[0].pid), 0)
        figures["rss_mb_rasa_server"] = round(rss_mb(servers.processes[1].pid), 0)
    finally:
        servers.stop()
    out = ROOT / "results" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    for key, value in figures.items():
        print(f"{key:40s} {value}")
    print(f"(écrit dans {out.relative_to(ROOT)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
