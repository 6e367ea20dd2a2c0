"""Rasa's own checks on the project: data validation and test stories on the trained model."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from actions.conversation.dispatched import dispatched_responses
from actions.demandes.dialogue import DISPATCHED_RESPONSES as FORM_RESPONSES
from actions.documents.action import DISPATCHED_RESPONSES as DOCUMENT_RESPONSES
from actions.orientation.action import DISPATCHED_RESPONSES as ORIENTATION_RESPONSES
from channels.action_guard import RESPONSE as GUARD_RESPONSE

ROOT = Path(__file__).resolve().parents[1]
RASA = str(Path(sys.executable).parent / "rasa")
ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "RASA_TELEMETRY_ENABLED": "false"}
# Library deprecation notices are not about our data; Rasa's data warnings are UserWarnings.
DATA_WARNING = re.compile(r"UserWarning|\bWARNING\b|is not used|not listed|was found labeled")
# Rasa 3.6 false positive: its importer merges the retrieval intents of the NLU data into the
# domain, and then reports the retrieval intent as "duplicated across domain files" although it
# is declared once (it must be, or rules using it are rejected). Only this exact case is allowed.
RETRIEVAL_MERGE = (
    "The following duplicated intents have been found across multiple domain files: orientation"
)

# Responses that custom actions dispatch themselves (each module lists its own): the validator
# only looks at rules and stories, so it reports them as unused.
# Forms play utter_ask_<slot> themselves too; the action guard (channels/) plays its own.
FORM_QUESTIONS = tuple(
    f"utter_ask_{slot}"
    for form in yaml.safe_load((ROOT / "domain" / "demandes.yml").read_text("utf-8"))[
        "forms"
    ].values()
    for slot in form["required_slots"]
)
DISPATCHED = tuple(
    f"The utterance '{name}' is not used in any story or rule."
    for name in (
        *ORIENTATION_RESPONSES,
        *DOCUMENT_RESPONSES,
        *FORM_RESPONSES,
        *FORM_QUESTIONS,
        *dispatched_responses(),
        GUARD_RESPONSE,
    )
)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [RASA, *args], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=900
    )


def test_data_validate_without_any_warning():
    result = _run(
        "data",
        "validate",
        "--fail-on-warnings",
        "--domain",
        "domain",
        "--data",
        "data",
        "--config",
        "config.yml",
    )
    output = result.stdout + result.stderr
    warnings = [
        line
        for line in output.splitlines()
        if DATA_WARNING.search(line)
        and not line.endswith(RETRIEVAL_MERGE)
        and not line.endswith(DISPATCHED)
        # Follow-up answers (domain/precisions.yml), played by action_repondre_precision.
        and "The utterance 'utter_precision_" not in line
    ]
    assert result.returncode == 0, output[-4000:]
    assert warnings == [], "\n".join(warnings)


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
