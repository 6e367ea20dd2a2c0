"""Chooses DIET/ResponseSelector epochs and the fallback threshold by measurement.

The held-out file tests/nlu_holdout.yml is NOT used here (it stays a pure test set): the training
data is split 80/20 with a fixed seed, NLU models are trained on the 80 % with several epoch
counts, and evaluated on the 20 %. For the threshold, the 20 % predictions of the chosen model
show, per threshold, how many right answers would be lost to the fallback and how many wrong ones
it would catch.

Usage: .venv/bin/python bench/tune_nlu.py [--epochs 40 80 120]   (about 3 min per epoch count)
Writes results/tune_nlu.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.nlu_eval import full_intent, read_examples  # noqa: E402
from tests.servers import RASA  # noqa: E402

ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "RASA_TELEMETRY_ENABLED": "false"}


def split_data(workdir: Path) -> tuple[Path, Path]:
    subprocess.run(
        [
            RASA,
            "data",
            "split",
            "nlu",
            "--nlu",
            str(ROOT / "data" / "nlu"),
            "--training-fraction",
            "0.8",
            "--random-seed",
            "7",
            "--out",
            str(workdir),
        ],
        cwd=ROOT,
        env=ENV,
        check=True,
        capture_output=True,
    )
    return workdir / "training_data.yml", workdir / "test_data.yml"


def config_with(epochs: int, workdir: Path) -> Path:
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    for component in config["pipeline"]:
        if component["name"] in ("DIETClassifier", "ResponseSelector"):
            component["epochs"] = epochs
        if component["name"] == "FallbackClassifier":  # raw predictions, swept below
            component["threshold"] = 0.0
            component["ambiguity_threshold"] = 0.0
    path = workdir / f"config_{epochs}.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


async def parse(model: Path, texts: list[str]) -> list[dict]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    return [await agent.parse_message(t) for t in texts]


def macro_f1(truth: list[str], predicted: list[str]) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(truth, predicted, labels=sorted(set(truth)), average="macro"))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, nargs="+", default=[40, 80, 120])
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="tchatche-tune-"))
    train_file, test_file = split_data(workdir)
    examples = read_examples(test_file)
    truth = [e.label for e in examples]
    results: dict[str, object] = {"validation_examples": len(examples), "runs": []}
    best = None
    for epochs in args.epochs:
        start = time.monotonic()
        subprocess.run(
            [
                RASA,
                "train",
                "nlu",
                "--config",
                str(config_with(epochs, workdir)),
                "--nlu",
                str(train_file),
                "--out",
                str(workdir),
                "--fixed-model-name",
                f"nlu_{epochs}",
            ],
            cwd=ROOT,
            env=ENV,
            check=True,
            capture_output=True,
        )
        seconds = time.monotonic() - start
        parsed = asyncio.run(parse(workdir / f"nlu_{epochs}.tar.gz", [e.text for e in examples]))
        predicted = [full_intent(p) for p in parsed]
        score = macro_f1(truth, predicted)
        run = {"epochs": epochs, "train_seconds": round(seconds, 1), "macro_f1": round(score, 3)}
        results["runs"].append(run)  # type: ignore[union-attr]
        print(run, flush=True)
        if best is None or score > best[0] + 0.005:
            best = (score, epochs, parsed, predicted)
    assert best is not None
    _, epochs, parsed, predicted = best
    sweep = []
    for threshold in (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7):
        confidences = [(p.get("intent") or {}).get("confidence") or 0.0 for p in parsed]
        kept_right = lost_right = caught_wrong = passed_wrong = 0
        for t, p, c in zip(truth, predicted, confidences, strict=True):
            right = t == p
            if c < threshold:
                lost_right += right
                caught_wrong += not right
            else:
                kept_right += right
                passed_wrong += not right
        sweep.append(
            {
                "threshold": threshold,
                "right_kept": kept_right,
                "right_lost_to_fallback": lost_right,
                "wrong_caught": caught_wrong,
                "wrong_passed": passed_wrong,
            }
        )
        print(sweep[-1], flush=True)
    results["chosen_epochs"] = epochs
    results["threshold_sweep"] = sweep
    out = ROOT / "results" / "tune_nlu.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"(écrit dans {out.relative_to(ROOT)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
