"""From the resident's last message to the email in the service's mailbox, through real servers.

Starts Rasa, the action server and a local SMTP server, leaves `--runs` messages through the
REST webhook, and times each from the sending of "oui, envoyer" to the arrival of the service's
notification. Prints the figures and writes results/bench_demande_e2e.json.
Usage: .venv/bin/python bench/bench_demande_e2e.py [--runs 10]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.demandes.conftest import start_smtp  # noqa: E402
from tests.servers import Servers  # noqa: E402

STEPS = (
    "je voudrais parler à quelqu'un de la mairie de Bapaume",
    "/affirmer",
    "Urbanisme",
    "Ma haie dépasse sur le trottoir, que dois-je faire ?",
    "marie.exemple@exemple.fr",
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    controller, inbox = start_smtp()
    workdir = Path(tempfile.mkdtemp(prefix="bench-demandes-"))
    servers = Servers()
    servers.extra_env.update(
        TCHATCHE_SMTP_HOST="127.0.0.1",
        TCHATCHE_SMTP_PORT=str(inbox.port),
        TCHATCHE_DEMANDES_DB=f"sqlite:///{workdir / 'demandes.db'}",
    )
    servers.start()
    delays: list[float] = []
    lost = 0
    try:
        for run in range(args.runs):
            sender = f"bench-{run}"
            for step in STEPS:
                servers.send(sender, step)
            before = len(inbox.messages)
            sent = time.perf_counter()
            reply = " ".join(r.get("text", "") for r in servers.send(sender, "oui, envoyer"))
            reference = reply.split("Son numéro : ")[1].split(".")[0]
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                notes = [
                    m
                    for m in inbox.messages[before:]
                    if reference in str(m.message["Subject"])
                    and "marie.exemple@exemple.fr" not in m.recipients
                ]
                if notes:
                    delays.append((notes[0].at - sent) * 1000)
                    break
                time.sleep(0.01)
            else:
                lost += 1
    finally:
        servers.stop()
        controller.stop()
    figures = {
        "runs": args.runs,
        "not_received_in_30_s": lost,
        "p50_ms": round(statistics.median(delays), 1),
        "max_ms": round(max(delays), 1),
        "mean_ms": round(statistics.mean(delays), 1),
    }
    for key, value in figures.items():
        print(f"{key:>8}: {value}")
    out = ROOT / "results" / "bench_demande_e2e.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
