"""Time from create_demande() being called to the email reaching the SMTP server.

Runs against a real aiosmtpd server on 127.0.0.1 and a temporary SQLite database (or
TCHATCHE_DEMANDES_DB), and prints the median and the worst of N demandes:

    PYTHONPATH=. .venv/bin/python bench/bench_demandes.py [N]
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from actions.demandes.db import make_engine, make_session_factory
from actions.demandes.service import create_demande
from tests.demandes.conftest import start_smtp


def main(n: int = 50) -> None:
    controller, inbox = start_smtp()
    os.environ["TCHATCHE_SMTP_HOST"] = "127.0.0.1"
    os.environ["TCHATCHE_SMTP_PORT"] = str(inbox.port)
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("TCHATCHE_DEMANDES_DB") or f"sqlite:///{Path(tmp) / 'bench.db'}"
        db = make_session_factory(make_engine(url))
        create_demande("62080", "autre", "échauffement", db=db)  # config, territory, imports
        to_service, to_resident, total = [], [], []
        for i in range(n):
            before = len(inbox.messages)
            start = time.perf_counter()
            create_demande(
                "62080",
                "urbanisme",
                f"Demande de test n° {i}",
                contact_email="habitant@example.org",
                transcript="Habitant : bonjour\nTchatche : bonjour !\n" * 20,
                db=db,
            )
            total.append(time.perf_counter() - start)
            with inbox.arrived:
                inbox.arrived.wait_for(lambda b=before: len(inbox.messages) >= b + 2, timeout=10)
            service, resident = inbox.messages[before : before + 2]
            to_service.append(service.at - start)
            to_resident.append(resident.at - start)
    controller.stop()

    def ms(values: list[float]) -> str:
        return f"médiane {statistics.median(values) * 1000:.1f} ms, max {max(values) * 1000:.1f} ms"

    print(f"{n} demandes ({url.split(':')[0]})")
    print(f"  appel -> courriel du service reçu : {ms(to_service)}")
    print(f"  appel -> accusé de réception reçu : {ms(to_resident)}")
    print(f"  durée de create_demande()         : {ms(total)}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
