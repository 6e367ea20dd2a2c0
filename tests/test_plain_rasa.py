"""Rasa's own commands, typed with no option from the project root, as a designer types them.

`rasa train`, `rasa test`, `rasa run actions` with `rasa shell`, and `rasa interactive` whose
save must land in the files the project uses (domain.yml, data/stories.yml, data/nlu.yml) and
leave them valid. `rasa data validate` is tests/test_rasa_cli.py. These tests are « lourd »
(left out of `make check`): they start Rasa several times.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from scripts.validate import validate
from tests import background
from tests.background import Preparation
from tests.servers import wait_http
from tests.terminal import Terminal

ROOT = Path(__file__).resolve().parents[1]
RASA = str(Path(sys.executable).parent / "rasa")
ENV = {
    **os.environ,
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "RASA_TELEMETRY_ENABLED": "false",
    "PYTHONPATH": str(ROOT),
    "RASA_CACHE_DIRECTORY": str(ROOT / ".rasa" / "cache"),
}
UP = "\x1b[A"
DOWN = "\x1b[B"
CTRL_C = "\x03"


def _stories(path: Path) -> list[str]:
    return [s["story"] for s in yaml.safe_load(path.read_text(encoding="utf-8"))["stories"]]


@pytest.fixture(scope="module")
def action_server() -> Iterator[subprocess.Popen]:
    """`rasa run actions`, plain: port 5055, the one endpoints.yml names."""
    log = ROOT / "var" / "logs" / "plain_actions.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        process = subprocess.Popen(
            [RASA, "run", "actions"], cwd=ROOT, env=ENV, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        wait_http("http://127.0.0.1:5055/health", 120, process, log)
        yield process
    finally:
        process.terminate()
        process.wait(30)


class PlainRasaRuns(Preparation):
    """`rasa test` then `rasa train`, each with no option but the test's report folder
    (tests/background.py).

    They are the longest of these tests (100 s and 40 s on 2 cores: the stories, 2,600 NLU
    examples and the plots; then a training that the cache makes short), one process on one
    core at a time, while the suite leaves the other core idle half of the time. Started when
    the session begins, at the lowest CPU priority, they run beside the other tests, and their
    tests wait for what is left. `rasa test` goes first: it reads the newest model of models/,
    the one ./test.sh trained, as a designer's `rasa test` does; `rasa train` then adds its own.
    No timeout: other tests move the clock with time-machine, which set off subprocess's
    timeout at once.
    """

    def __init__(self) -> None:
        super().__init__()
        self.out = Path(tempfile.mkdtemp(prefix="tchatche-rasa-test-"))
        self.tested: subprocess.CompletedProcess[str] | None = None
        self.trained: subprocess.CompletedProcess[str] | None = None
        self.new_models: list[Path] = []

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["nice", "-n", "19", RASA, *args], cwd=ROOT, env=ENV, capture_output=True, text=True
        )

    def work(self) -> None:
        self.tested = self._run("test", "--out", str(self.out))
        before = set((ROOT / "models").glob("*.tar.gz"))
        self.trained = self._run("train")
        self.new_models = sorted(set((ROOT / "models").glob("*.tar.gz")) - before)

    def remove(self) -> None:
        self.join()
        shutil.rmtree(self.out, ignore_errors=True)
        for model in self.new_models:
            model.unlink(missing_ok=True)


def start_early() -> None:
    """Starts `rasa test` and `rasa train` now (idempotent): the selected tests are known."""
    background.start(PlainRasaRuns)


@pytest.fixture(scope="module")
def plain_runs() -> Iterator[PlainRasaRuns]:
    with background.handed_over(PlainRasaRuns) as runs:
        yield runs


@pytest.fixture(scope="module")
def plain_model(plain_runs: PlainRasaRuns) -> Path:
    """`rasa train`, plain: a new model in models/ (the training cache makes it quick)."""
    result = plain_runs.trained
    assert result is not None
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert len(plain_runs.new_models) == 1, plain_runs.new_models
    return plain_runs.new_models[0]


def test_rasa_train_makes_a_model_from_the_project_root(plain_model: Path):
    assert plain_model.stat().st_size > 1_000_000


def test_rasa_test_runs_the_project_stories_and_the_nlu(plain_runs: PlainRasaRuns):
    """No option: the stories of tests/test_stories.yml only (none from .venv), all passing."""
    result, out = plain_runs.tested, plain_runs.out
    assert result is not None
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    report = json.loads((out / "story_report.json").read_text(encoding="utf-8"))
    accuracy = report["conversation_accuracy"]
    assert accuracy["total"] == len(_stories(ROOT / "tests" / "test_stories.yml"))
    assert accuracy["correct"] == accuracy["total"], (out / "failed_test_stories.yml").read_text(
        encoding="utf-8"
    )
    assert (out / "intent_report.json").is_file()


def test_rasa_shell_answers_with_the_action_server(plain_model: Path, action_server):
    shell = Terminal([RASA, "shell"], ROOT, ENV)
    try:
        shell.expect(r"Your input ->", 300)
        shell.send("horaires de la mairie de bucquoy\r")
        shell.expect(r"mairie de Bucquoy", 120)
    finally:
        shell.close()


def test_rasa_interactive_saves_into_the_project_files(action_server, tmp_path: Path):
    """On a copy: a turn taught with `rasa interactive`, then « Export & Quit » with the
    proposed paths. The story and the example land in data/, the domain in domain.yml, and
    the project still validates."""
    for name in ("domain.yml", "config.yml", "endpoints.yml", "credentials.yml"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "var").mkdir()  # the SQLite conversation store of endpoints.yml
    stories_before = _stories(tmp_path / "data" / "stories.yml")
    domain_before = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    example = "bonjour tchatche du matin"
    # With no --model, rasa interactive trains first, fully (it keeps the NLU data in the model,
    # so the training cache does not apply): minutes that test nothing more. The model of
    # models/ is the one `make interactive` gives it too.
    model = str(ROOT / "models" / "tchatche.tar.gz")
    session = Terminal(
        [RASA, "interactive", "--model", model, "--skip-visualization"], tmp_path, ENV
    )
    try:
        session.expect(r"Your input ->", 300)
        session.send(example + "\r")
        session.expect(r"intent 'saluer'.*is this correct\?", 120)
        session.send("y")
        session.expect(r"wants to run 'utter_saluer', correct\?", 120)
        session.send("y")
        session.expect(r"wants to run 'action_listen', correct\?", 120)
        session.send("y")
        session.expect(r"Type out your own message", 120)  # the greeting's buttons
        time.sleep(1)
        session.send(UP + "\r")
        session.expect(r"Your input ->", 60)
        time.sleep(1)
        session.send(CTRL_C)
        session.expect(r"Do you want to stop\?", 60)
        time.sleep(1)
        session.send(DOWN * 4 + "\r")
        session.expect(r"Export stories to.*data/stories\.yml", 60)
        session.send("\r")
        session.expect(r"Export NLU data to.*data/nlu\.yml", 60)
        session.send("\r")
        session.expect(r"Export domain file to.*domain\.yml", 60)
        session.send("\r")
        session.process.wait(120)
    finally:
        session.close()
    assert len(_stories(tmp_path / "data" / "stories.yml")) == len(stories_before) + 1
    assert example in (tmp_path / "data" / "nlu.yml").read_text(encoding="utf-8")
    domain_after = yaml.safe_load((tmp_path / "domain.yml").read_text(encoding="utf-8"))
    assert set(domain_after["responses"]) == set(domain_before["responses"])
    assert set(domain_after["slots"]) == set(domain_before["slots"])
    assert not (tmp_path / "domain").exists()
    outcome = validate(tmp_path)
    assert outcome.returncode == 0, outcome.output[-3000:]
    assert outcome.problems == [], outcome.problems
