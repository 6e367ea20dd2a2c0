"""Rasa's own checks on the project: data validation and test stories on the trained model."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from scripts.validate import validate

ROOT = Path(__file__).resolve().parents[1]
RASA = str(Path(sys.executable).parent / "rasa")
ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "RASA_TELEMETRY_ENABLED": "false"}


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [RASA, *args], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=900
    )


def test_data_validate_without_any_warning():
    """Plain `rasa data validate` from the project root, as a designer types it (make validate)."""
    outcome = validate()
    assert outcome.returncode == 0, outcome.output[-4000:]
    assert outcome.problems == [], "\n".join(outcome.problems)


def test_test_stories_without_prediction_error():
    result = _run(
        "test",
        "core",
        "--model",
        "models/tchatche.tar.gz",
        "--stories",
        "tests/test_stories.yml",
        "--endpoints",
        "endpoints.yml",
        "--fail-on-prediction-errors",
        "--out",
        "results/core",
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    failed = ROOT / "results" / "core" / "failed_test_stories.yml"
    assert not failed.exists() or "story:" not in failed.read_text(encoding="utf-8")
