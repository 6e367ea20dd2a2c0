"""Where the servers' start goes: the model loaded in process, timed, with its cProfile top.

    .venv/bin/python bench/profile_load.py          # as the servers load it (fast_load)
    TCHATCHE_RASA_LOAD=1 .venv/bin/python bench/profile_load.py   # Rasa's own RasaModel.load
    .venv/bin/python bench/profile_load.py --top 40   # and the 40 most expensive calls

Prints the seconds of `Agent.load` and of the first parse. farm-bench compares the two:
    farm-bench --vs "env TCHATCHE_RASA_LOAD=1 .venv/bin/python bench/profile_load.py" \\
        -- .venv/bin/python bench/profile_load.py
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(ROOT / "models" / "tchatche.tar.gz"))
    parser.add_argument("--top", type=int, default=0, help="print the N most expensive calls")
    args = parser.parse_args()

    from rasa.core.agent import Agent

    profile = cProfile.Profile() if args.top else None
    start = time.perf_counter()
    if profile:
        profile.enable()
    agent = Agent.load(args.model)
    if profile:
        profile.disable()
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    asyncio.run(agent.parse_message("bonjour, les horaires de la mairie de Bapaume ?"))
    first = time.perf_counter() - start
    how = "Rasa" if os.environ.get("TCHATCHE_RASA_LOAD") == "1" else "tchatche_nlu.fast_load"
    print(f"chargement du modèle ({how}) : {loaded:.1f} s ; première analyse : {first:.2f} s")
    if profile:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
