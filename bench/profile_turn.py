"""Where a resident's message spends its time: py-spy on both servers during the message mix.

Starts the Rasa server and the action server (tests/servers.py) on the trained model, sends the
20-message mix of bench/bench.py once to warm up, then records both processes with py-spy while
one sender plays the mix (--messages, 200 by default), and prints:
  - the latency per message (p50, p95) and the slowest messages of the mix;
  - for each server, the functions holding the most CPU samples (inclusive), Rasa's and ours.
The raw samples stay in results/profile/ (py-spy's "raw" format, one stack per line, which
speedscope and flamegraph.pl read).

Usage: .venv/bin/python bench/profile_turn.py [--messages 200] [--top 40] [--no-spy]
py-spy comes from requirements-dev.txt. Figures, not verdicts: docs/performance.md reads them.
"""

from __future__ import annotations

import argparse
import re
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import CONVERSATION, percentile  # noqa: E402  (bench/bench.py, this folder)
from tests.servers import Servers  # noqa: E402

OUT = ROOT / "results" / "profile"
PY_SPY = Path(sys.executable).parent / "py-spy"


def inclusive(raw: Path) -> tuple[int, Counter[str]]:
    """Samples per function, counting a function once per stack (its callees included)."""
    counts: Counter[str] = Counter()
    total = 0
    for line in raw.read_text(encoding="utf-8").splitlines():
        stack, _, number = line.rpartition(" ")
        if not number.isdigit():
            continue
        total += int(number)
        frames = {re.sub(r":\d+\)$", ")", frame) for frame in stack.split(";")[1:]}
        for frame in frames:
            counts[frame] += int(number)
    return total, counts


def play(servers: Servers, messages: int, prefix: str) -> dict[str, list[float]]:
    latencies: dict[str, list[float]] = {}
    for sent in range(messages):
        text = CONVERSATION[sent % len(CONVERSATION)]
        start = time.perf_counter()
        servers.send(f"{prefix}-{sent // len(CONVERSATION)}", text)
        latencies.setdefault(text, []).append((time.perf_counter() - start) * 1000)
    return latencies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--no-spy", action="store_true", help="latency only, no profiler")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    servers = Servers().start()
    recorders: list[tuple[str, subprocess.Popen, Path]] = []
    try:
        play(servers, len(CONVERSATION), "warm")
        if not args.no_spy:
            for name, process in (
                ("actions", servers.processes[0]),
                ("rasa", servers.processes[1]),
            ):
                raw = OUT / f"{name}.txt"
                command = [str(PY_SPY), "record", "-p", str(process.pid), "-r", "200"]
                command += ["-f", "raw", "-o", str(raw), "--subprocesses"]
                recorders.append((name, subprocess.Popen(command, stdout=subprocess.DEVNULL), raw))
            time.sleep(1)
        latencies = play(servers, args.messages, "profile")
    finally:
        for _, recorder, _ in recorders:
            recorder.send_signal(signal.SIGINT)
        for _, recorder, _ in recorders:
            recorder.wait(timeout=120)
        servers.stop()
    flat = sorted(v for values in latencies.values() for v in values)
    print(
        f"{len(flat)} messages, 1 expéditeur : p50 {statistics.median(flat):.1f} ms, "
        f"p95 {percentile(flat, 95):.1f} ms"
    )
    print("messages les plus lents (médiane, ms) :")
    for text, values in sorted(latencies.items(), key=lambda kv: -statistics.median(kv[1]))[:6]:
        print(f"  {statistics.median(values):7.1f}  {text}")
    for name, _, raw in recorders:
        total, counts = inclusive(raw)
        print(
            f"\n{name} : {total} échantillons à 200 Hz ({total / 200 / len(flat) * 1000:.1f} ms "
            f"de CPU par message), fonctions les plus lourdes (inclusif) :"
        )
        shown = 0
        for frame, samples in counts.most_common():
            if not re.search(r"(rasa|actions|channels|tchatche|sqlalchemy|tensorflow|json)", frame):
                continue
            print(f"  {100 * samples / total:5.1f} %  {frame[:110]}")
            shown += 1
            if shown == args.top:
                break
        print(f"  (échantillons bruts : {raw.relative_to(ROOT)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
