"""Benchmark of issue #13, side by side with Rasa's default pipeline for French, in one run.

For each side (this project's config.yml, then the `rasa init` config with `language: fr`), on the
same domain.yml and data/ copied to a temporary folder:
  1. full training from nothing (empty training cache), with the time of every graph node;
  2. the designer's retrain (DESIGNER_TRAIN, the command of scripts/common.sh) after editing one
     response in domain.yml, then after adding 10 NLU examples;
  3. NLU in process: parse time per message (and per component), holdout macro-F1 on
     tests/nlu_holdout.yml, RSS of a process that loaded the model;
  4. both servers (tests/servers.py): start time, the 200-message mix with one sender (latency,
     then resident memory of the Rasa server + the action server), then 10 concurrent senders
     for 2 minutes (throughput, latency, errors);
  5. the model archive size.
Then it prints one table: both sides, the ratio (how many times better this project is than plain
Rasa) and whether each goal of #13 is met. Results go to results/bench.json.

Usage: .venv/bin/python bench/bench.py [--skip-default] [--skip-retrain] [--skip-concurrency]
       [--skip-urgence] [--messages 200] [--senders 10] [--seconds 120] [--keep DIR]
Figures, not verdicts: no test asserts on them. This project's side takes about 20 minutes on 2
cores; Rasa's default side about 45 more (its DIET, 2 transformer layers of 256, trains for 100
epochs twice: full training, then the retrain after new NLU examples). --smoke checks the script
in about 12 minutes.
Another training or benchmark running on the machine at the same time spoils the figures: the
script says so when it sees one.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(ROOT))

from tests.servers import Servers  # noqa: E402

# Training as scripts/common.sh runs it. The designer's retrain reuses the training cache
# (.rasa/cache) of the full training, and adds FINETUNE when NLU data changed.
DESIGNER_TRAIN = ["train"]  # plain `rasa train`: config.yml, domain.yml and data/ by default
FINETUNE = ["--epoch-fraction", "0.25"]
# Runtime settings for both sides' servers and parse workers: Rasa's defaults. (TensorFlow's
# intra/inter-op threads at 1 changed nothing measurable for a parse: 14.9 ms against 14.5 ms.)
RUNTIME_ENV: dict[str, str] = {}
ENV = {
    **os.environ,
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "RASA_TELEMETRY_ENABLED": "false",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "PYTHONWARNINGS": "ignore",
    "PYTHONPATH": str(ROOT),
}

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

# The designer's second kind of edit: 10 new examples of an existing intent.
NEW_EXAMPLES = [
    "vous ouvrez à quelle heure le mardi",
    "la mairie ouvre t elle le samedi matin",
    "jusqu'à quelle heure je peux passer à la mairie ce soir",
    "est ce que le secrétariat est ouvert entre midi et deux",
    "horaires d'ouverture du secrétariat de mairie svp",
    "c'est ouvert le mercredi après-midi à la mairie ?",
    "à quelle heure ferme la mairie aujourd'hui",
    "la mairie est elle fermée pendant les vacances",
    "quels jours la mairie reçoit le public",
    "je peux venir en mairie jeudi vers 17h ?",
]


@dataclass(frozen=True)
class Goal:
    key: str
    label: str
    unit: str
    limit: float
    higher_is_better: bool = False


GOALS = [
    Goal("train_full_s", "entraînement complet, à partir de rien", "s", 240),
    Goal("retrain_response_s", "réentraînement : une réponse modifiée", "s", 90),
    Goal("retrain_nlu_s", "réentraînement : 10 exemples NLU ajoutés", "s", 90),
    Goal("rss_both_mb", "mémoire Rasa + actions, après 200 messages", "Mo", 1300),
    Goal("rest_p50_ms", "REST 1 expéditeur, p50", "ms", 30),
    Goal("rest_p95_ms", "REST 1 expéditeur, p95", "ms", 60),
    Goal("parse_ms", "NLU en processus, par message (moyenne)", "ms", 15),
    Goal("conc_msg_s", "10 expéditeurs : débit", "msg/s", 80, True),
    Goal("conc_p95_ms", "10 expéditeurs : p95", "ms", 300),
    Goal("conc_errors", "10 expéditeurs : erreurs", "", 0),
    Goal("start_s", "démarrage jusqu'à la réponse des deux serveurs", "s", 25),
    Goal("model_mb", "archive du modèle", "Mo", 40),
    Goal("holdout_macro_f1", "macro-F1 NLU sur tests/nlu_holdout.yml", "", 0.966, True),
]


# --------------------------------------------------------------------------- helpers


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB (10^6 bytes)."""
    total = 0
    pids = [pid]
    while pids:
        current = pids.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                pids.extend(int(c) for c in children)
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total / 1e6


def other_trainings() -> list[str]:
    """Other Rasa trainings, tests or benchmarks on the machine (they spoil the figures)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if re.search(r"rasa (train|test)|pytest|bench\.py --worker", cmd) and "bench.py" not in cmd:
            found.append(f"{proc.name}: {cmd[:120]}")
    return found


def default_config() -> dict[str, Any]:
    """The `rasa init` config (Rasa's default_config.yml) with language fr."""
    import rasa.engine.recipes.default_recipe as recipe_module

    path = Path(recipe_module.__file__).parent / "config_files" / "default_config.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config["language"] = "fr"
    config["assistant_id"] = "rasa_defaut_fr"
    return config


def component_times(nodes: dict[str, float]) -> dict[str, float]:
    """Graph node times grouped by component: 'DIETClassifier (train)', 'SpacyNLP (run)'…"""
    grouped: dict[str, float] = defaultdict(float)
    for name, seconds in nodes.items():
        match = re.match(r"^(train|run|provide|load)_(.+?)(\d+)$", name)
        if match:
            phase, component = match.group(1), match.group(2).rsplit(".", 1)[-1]
            key = f"{component} ({'featurise' if phase == 'run' else phase})"
        else:
            key = name
        grouped[key] += seconds
    return dict(sorted(grouped.items(), key=lambda kv: -kv[1]))


# --------------------------------------------------------------------------- workers


def time_graph_nodes() -> dict[str, float]:
    """Wraps Rasa's graph nodes: the returned dict fills with each node's total seconds."""
    from rasa.engine import graph

    times: dict[str, float] = defaultdict(float)
    original = graph.GraphNode.__call__

    def timed(self: Any, *args: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(self, *args)
        finally:
            times[self._node_name] += time.perf_counter() - start

    graph.GraphNode.__call__ = timed  # type: ignore[method-assign]
    return times


def worker_train(out: Path, rasa_args: list[str]) -> None:
    """Runs `rasa <args>` in this process and records the time of every graph node."""
    times = time_graph_nodes()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *rasa_args]
    code = 0
    try:
        rasa_main()
    except SystemExit as error:
        code = int(error.code or 0)
    peak = 0.0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            peak = int(line.split()[1]) * 1024 / 1e6
    out.write_text(json.dumps({"nodes": dict(times), "peak_rss_mb": peak, "code": code}))
    sys.exit(code)


def selector_label(parsed: dict[str, Any]) -> str:
    """Like tests/nlu_eval.full_intent, also for a ResponseSelector without retrieval_intent."""
    intent = (parsed.get("intent") or {}).get("name") or "aucune"
    selectors = parsed.get("response_selector") or {}
    selector = selectors.get(intent)
    if selector is None and intent == "orientation":  # ResponseSelector without retrieval_intent
        selector = selectors.get("default")
    if selector:
        key = (selector.get("response") or {}).get("intent_response_key")
        if key:
            return key
    return intent


def worker_parse(model: Path, out: Path, examples_file: Path) -> None:
    """Loads the model, parses the examples; parse time per message and per component, F1."""
    from sklearn.metrics import classification_report

    from tests.nlu_eval import read_examples

    def rss() -> float:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024 / 1e6
        return 0.0

    from rasa.core.agent import Agent

    started = time.monotonic()
    agent = Agent.load(str(model))
    load_s = time.monotonic() - started
    loaded_mb = rss()
    examples = read_examples(examples_file)
    texts = [e.text for e in examples]

    times: dict[str, float] = {}

    async def parse_all() -> tuple[list[dict[str, Any]], list[float]]:
        nonlocal times
        for text in texts[:20]:  # warm-up: TensorFlow traces its functions on first calls
            await agent.parse_message(text)
        times = time_graph_nodes()
        parsed, latencies = [], []
        for text in texts:
            start = time.perf_counter()
            parsed.append(await agent.parse_message(text))
            latencies.append((time.perf_counter() - start) * 1000)
        return parsed, latencies

    parsed, latencies = asyncio.run(parse_all())
    truth = [e.label for e in examples]
    predicted = [selector_label(p) for p in parsed]
    labels = sorted(set(truth))
    report = classification_report(
        truth, predicted, labels=labels, output_dict=True, zero_division=0
    )
    n = len(texts)
    out.write_text(
        json.dumps(
            {
                "examples": n,
                "load_s": load_s,
                "rss_loaded_mb": loaded_mb,
                "parse_ms_mean": sum(latencies) / n,
                "parse_ms_p50": statistics.median(latencies),
                "parse_ms_p95": percentile(latencies, 95),
                "macro_f1": report["macro avg"]["f1-score"],
                "per_intent_f1": {label: report[label]["f1-score"] for label in labels},
                "component_ms": {
                    k: v * 1000 / n for k, v in sorted(times.items(), key=lambda kv: -kv[1])
                },
                "errors": [
                    [t, p, x] for t, p, x in zip(truth, predicted, texts, strict=True) if t != p
                ],
            },
            ensure_ascii=False,
        )
    )


# --------------------------------------------------------------------------- one side


@dataclass
class Side:
    name: str
    config: dict[str, Any] | None  # None: the project's config.yml as it is
    workdir: Path
    finetune: bool = True  # False: plain `rasa train` with its cache, as a new Rasa user does

    def retrain_args(self, previous: str, name: str, nlu_changed: bool) -> list[str]:
        """The designer's retrain, as scripts/common.sh runs it: the training cache skips what
        did not change; when NLU data changed, DIET and the ResponseSelector are fine-tuned from
        the current model (a quarter of their epochs) instead of trained from scratch."""
        args = [*DESIGNER_TRAIN, "--out", "models", "--fixed-model-name", name]
        if self.finetune and nlu_changed:
            args += ["--finetune", f"models/{previous}.tar.gz", *FINETUNE]
        return args

    def prepare(self, epochs: int | None = None) -> None:
        """Copies domain.yml and data/, writes config.yml (with `epochs` everywhere: --smoke)."""
        self.workdir.mkdir(parents=True)
        shutil.copytree(ROOT / "data", self.workdir / "data")
        shutil.copy(ROOT / "domain.yml", self.workdir / "domain.yml")
        path = self.workdir / "config.yml"
        if self.config is None and epochs is None:
            shutil.copy(ROOT / "config.yml", path)
            return
        config = self.config or yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
        if epochs is not None:
            for component in [*config.get("pipeline", []), *config.get("policies", [])]:
                if "epochs" in component:
                    component["epochs"] = epochs
        path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")

    @property
    def env(self) -> dict[str, str]:
        return {**ENV, "RASA_CACHE_DIRECTORY": str(self.workdir / ".rasa" / "cache")}

    def train(self, label: str, args: list[str]) -> dict[str, Any]:
        """Runs a training worker in the side's folder; wall time, node times, peak memory."""
        record = self.workdir / f"train_{label}.json"
        log = self.workdir / f"train_{label}.log"
        busy = other_trainings()
        start = time.monotonic()
        with log.open("w") as out:
            code = subprocess.run(
                [sys.executable, __file__, "--worker-train", str(record), "--", *args],
                cwd=self.workdir,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            ).returncode
        seconds = time.monotonic() - start
        if code != 0:
            raise RuntimeError(f"{self.name}: training {label} failed, see {log}")
        data = json.loads(record.read_text())
        busy += other_trainings()
        return {
            "seconds": seconds,
            "components": component_times(data["nodes"]),
            "peak_rss_mb": data["peak_rss_mb"],
            "other_trainings_seen": sorted(set(busy)),
        }

    def parse(self, model: Path, examples: Path, label: str) -> dict[str, Any]:
        record = self.workdir / f"parse_{label}.json"
        subprocess.run(
            [sys.executable, __file__, "--worker-parse", str(model), str(record), str(examples)],
            cwd=ROOT,
            env={**ENV, **RUNTIME_ENV},
            check=True,
            capture_output=True,
        )
        return json.loads(record.read_text())


def edit_one_response(path: Path) -> None:
    """Changes the text of the first response of domain.yml (a designer's small edit)."""
    text = path.read_text(encoding="utf-8")
    new, count = re.subn(r"(- text: \"?)", r"\1[modifié] ", text, count=1)
    if count != 1:
        raise RuntimeError("no response text found in domain.yml")
    path.write_text(new, encoding="utf-8")


def add_nlu_examples(data: Path) -> None:
    lines = "".join(f"    - {e}\n" for e in NEW_EXAMPLES)
    (data / "nlu" / "bench_ajout.yml").write_text(
        f'version: "3.1"\nnlu:\n- intent: horaires_mairie\n  examples: |\n{lines}',
        encoding="utf-8",
    )


def urgence_split(side: Side) -> dict[str, Any]:
    """Trains the NLU without every 5th example of data/nlu/urgence.yml, and tests on them."""
    from tests.nlu_eval import read_examples

    folder = side.workdir / "urgence_split"
    shutil.copytree(side.workdir / "data", folder / "data")
    shutil.copy(side.workdir / "domain.yml", folder / "domain.yml")
    shutil.copy(side.workdir / "config.yml", folder / "config.yml")
    source = yaml.safe_load((ROOT / "data" / "nlu" / "urgence.yml").read_text(encoding="utf-8"))
    train_blocks, test_blocks = [], []
    for block in source["nlu"]:
        lines = [ln for ln in block["examples"].splitlines() if ln.strip().startswith("- ")]
        kept = [ln for i, ln in enumerate(lines) if i % 5 != 2]
        held = [ln for i, ln in enumerate(lines) if i % 5 == 2]
        train_blocks.append({**block, "examples": "\n".join(kept) + "\n"})
        test_blocks.append({"intent": block["intent"], "examples": "\n".join(held) + "\n"})
    for path, blocks in (
        (folder / "data" / "nlu" / "urgence.yml", train_blocks),
        (folder / "urgence_test.yml", test_blocks),
    ):
        path.write_text(
            yaml.safe_dump({"version": "3.1", "nlu": blocks}, allow_unicode=True, sort_keys=False),
            encoding="utf-8",
        )
    sub = Side(side.name, side.config, folder)
    args = [
        "train",
        "nlu",
        "--config",
        "config.yml",
        "--nlu",
        "data",
        "--out",
        "models",
        "--fixed-model-name",
        "split",
    ]
    trained = sub.train("urgence_split", args)
    result = sub.parse(folder / "models" / "split.tar.gz", folder / "urgence_test.yml", "urgence")
    held = read_examples(folder / "urgence_test.yml")
    return {
        "train_seconds": trained["seconds"],
        "examples": len(held),
        "per_intent_f1": result["per_intent_f1"],
        "macro_f1": result["macro_f1"],
        "errors": result["errors"],
    }


def run_servers(model: Path, args: argparse.Namespace, figures: dict[str, Any]) -> None:
    os.environ.update(RUNTIME_ENV)  # tests/servers.py passes os.environ to both servers
    from actions.documents.config import prepare

    prepare()  # the demo GED of this week and its index, as ./run.sh does before starting
    servers = Servers().start(model)
    try:
        figures["start_s"] = servers.ready_seconds
        latencies: list[float] = []
        sent = 0
        while sent < args.messages:
            for text in CONVERSATION:
                if sent >= args.messages:
                    break
                start = time.perf_counter()
                servers.send(f"bench-{sent // len(CONVERSATION)}", text)
                latencies.append((time.perf_counter() - start) * 1000)
                sent += 1
        figures["rest_messages"] = sent
        figures["rest_p50_ms"] = statistics.median(latencies)
        figures["rest_p95_ms"] = percentile(latencies, 95)
        figures["rest_max_ms"] = max(latencies)
        figures["rss_actions_mb"] = tree_rss_mb(servers.processes[0].pid)
        figures["rss_rasa_mb"] = tree_rss_mb(servers.processes[1].pid)
        figures["rss_both_mb"] = figures["rss_actions_mb"] + figures["rss_rasa_mb"]
        if not args.skip_concurrency:
            figures.update(concurrent(servers, args.senders, args.seconds))
            figures["rss_both_after_concurrency_mb"] = tree_rss_mb(
                servers.processes[0].pid
            ) + tree_rss_mb(servers.processes[1].pid)
    finally:
        servers.stop()


def concurrent(servers: Servers, senders: int, seconds: float) -> dict[str, Any]:
    """`senders` threads, each its own conversations, for `seconds`: throughput and latency."""
    import requests

    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def sender(number: int) -> None:
        session = requests.Session()
        turn = 0
        while time.monotonic() < deadline:
            text = CONVERSATION[turn % len(CONVERSATION)]
            start = time.perf_counter()
            try:
                response = session.post(
                    f"{servers.url}/webhooks/rest/webhook",
                    json={"sender": f"conc-{number}-{turn // len(CONVERSATION)}", "message": text},
                    timeout=60,
                )
                ok = response.status_code == 200 and isinstance(response.json(), list)
                error = None if ok else f"HTTP {response.status_code}"
            except (requests.RequestException, ValueError) as exc:
                error = type(exc).__name__
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                latencies.append(elapsed)
                if error:
                    errors.append(error)
            turn += 1

    threads = [threading.Thread(target=sender, args=(i,)) for i in range(senders)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    return {
        "conc_messages": len(latencies),
        "conc_msg_s": len(latencies) / wall,
        "conc_p50_ms": statistics.median(latencies),
        "conc_p95_ms": percentile(latencies, 95),
        "conc_errors": len(errors),
    }


def bench_side(side: Side, args: argparse.Namespace) -> dict[str, Any]:
    print(f"\n=== {side.name} ({side.workdir})", flush=True)
    side.prepare(2 if args.smoke else None)
    figures: dict[str, Any] = {}
    out_args = ["--out", "models", "--fixed-model-name"]
    full = side.train("full", [*DESIGNER_TRAIN, *out_args, "full"])
    figures["train_full_s"] = full["seconds"]
    figures["train_peak_rss_mb"] = full["peak_rss_mb"]
    figures["train_components_s"] = full["components"]
    figures["other_trainings_seen"] = full["other_trainings_seen"]
    print(f"entraînement complet : {full['seconds']:.0f} s", flush=True)
    model = side.workdir / "models" / "full.tar.gz"
    figures["model_mb"] = model.stat().st_size / 1e6
    if not args.skip_retrain:
        edit_one_response(side.workdir / "domain.yml")
        response = side.train("response", side.retrain_args("full", "response", False))
        figures["retrain_response_s"] = response["seconds"]
        figures["retrain_response_components_s"] = response["components"]
        add_nlu_examples(side.workdir / "data")
        nlu = side.train("nlu", side.retrain_args("response", "nlu", True))
        figures["retrain_nlu_s"] = nlu["seconds"]
        figures["retrain_nlu_components_s"] = nlu["components"]
        retrained = side.parse(side.workdir / "models" / "nlu.tar.gz", holdout(), "retrained")
        figures["holdout_macro_f1_after_retrain"] = retrained["macro_f1"]
        figures["other_trainings_seen"] += response["other_trainings_seen"]
        figures["other_trainings_seen"] += nlu["other_trainings_seen"]
        print(f"réentraînements : {response['seconds']:.0f} s, {nlu['seconds']:.0f} s", flush=True)
    parsed = side.parse(model, holdout(), "holdout")
    figures["parse_ms"] = parsed["parse_ms_mean"]
    figures["parse_ms_p95"] = parsed["parse_ms_p95"]
    figures["parse_components_ms"] = parsed["component_ms"]
    figures["rss_in_process_after_load_mb"] = parsed["rss_loaded_mb"]
    figures["holdout_macro_f1"] = parsed["macro_f1"]
    figures["holdout_errors"] = parsed["errors"]
    print(f"holdout macro-F1 : {parsed['macro_f1']:.3f}", flush=True)
    if not args.skip_urgence and side.config is None:  # this project's side only
        figures["urgence_split"] = urgence_split(side)
    run_servers(model, args, figures)
    figures["other_trainings_seen"] += other_trainings()
    return figures


def holdout() -> Path:
    return ROOT / "tests" / "nlu_holdout.yml"


# --------------------------------------------------------------------------- report


def fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value < 1.5 and unit == "":
        return f"{value:.3f}"
    return f"{value:,.0f}".replace(",", " ") if value >= 100 else f"{value:.1f}"


def report(results: dict[str, dict[str, Any]]) -> str:
    ours, plain = results.get("tchatche", {}), results.get("rasa_defaut_fr", {})
    rows = [
        "| mesure | Tchatche | Rasa par défaut (fr) | rapport | objectif | atteint |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for goal in GOALS:
        mine, theirs = ours.get(goal.key), plain.get(goal.key)
        ratio = "—"
        if isinstance(mine, int | float) and isinstance(theirs, int | float) and mine and theirs:
            factor = mine / theirs if goal.higher_is_better else theirs / mine
            ratio = f"× {factor:.2f}"
        elif goal.key == "conc_errors" and mine == 0 and theirs is not None:
            ratio = f"0 contre {theirs}"
        met = "—"
        if isinstance(mine, int | float):
            ok = mine >= goal.limit if goal.higher_is_better else mine <= goal.limit
            met = "oui" if ok else "NON"
        sign = "≥" if goal.higher_is_better else "≤"
        label = f"{goal.label} ({goal.unit})" if goal.unit else goal.label
        rows.append(
            f"| {label} | {fmt(mine, goal.unit)} | {fmt(theirs, goal.unit)} | {ratio} "
            f"| {sign} {goal.limit:g} | {met} |"
        )
    return "\n".join(rows)


def print_profile(name: str, figures: dict[str, Any]) -> None:
    print(f"\n{name} : temps d'entraînement par composant (s, 8 premiers)")
    for component, seconds in list(figures.get("train_components_s", {}).items())[:8]:
        print(f"  {component:55s} {seconds:7.1f}")
    print(f"{name} : analyse NLU par composant (ms par message, 6 premiers)")
    for component, ms in list(figures.get("parse_components_ms", {}).items())[:6]:
        print(f"  {component:55s} {ms:7.2f}")
    split = figures.get("urgence_split")
    if split:
        f1 = {k: round(v, 3) for k, v in split["per_intent_f1"].items() if k.startswith("urgence_")}
        mean = sum(f1.values()) / max(1, len(f1))
        print(
            f"{name} : F1 urgence_* sur 1/5 de data/nlu/urgence.yml mis de côté, moyenne {mean:.3f}"
        )
        print(f"  {f1}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip-default", action="store_true", help="only this project's side")
    parser.add_argument("--skip-retrain", action="store_true", help="no designer's retrain")
    parser.add_argument("--skip-concurrency", action="store_true", help="no 10-sender run")
    parser.add_argument("--skip-urgence", action="store_true", help="no urgence_* split check")
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--senders", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument(
        "--smoke", action="store_true", help="check the script: 2 epochs, 20 messages, 10 s"
    )
    args = parser.parse_args()
    if args.smoke:
        args.messages, args.seconds = 20, 10
    busy = other_trainings()
    if busy:
        print("ATTENTION : d'autres processus Rasa tournent, les mesures en souffriront :")
        print("\n".join(f"  {b}" for b in busy))
    base = args.keep or Path(tempfile.mkdtemp(prefix="tchatche-bench-"))
    sides = [Side("tchatche", None, base / "tchatche")]
    if not args.skip_default:
        sides.append(Side("rasa_defaut_fr", default_config(), base / "rasa_defaut_fr", False))
    results: dict[str, dict[str, Any]] = {}
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    out = ROOT / "results" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    try:
        for side in sides:
            results[side.name] = bench_side(side, args)
            partial = {"date": started, "command": " ".join(sys.argv), "results": results}
            out.write_text(json.dumps(partial, indent=2, ensure_ascii=False), encoding="utf-8")
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    table = report(results)
    for name, figures in results.items():
        print_profile(name, figures)
    print(f"\nBanc d'essai du {started}, {os.cpu_count()} cœurs : {' '.join(sys.argv)}\n")
    print(table)
    seen = sorted({s for f in results.values() for s in f.get("other_trainings_seen", [])})
    if seen:
        print("\nATTENTION : d'autres processus Rasa ont tourné pendant la mesure :")
        print("\n".join(f"  {s}" for s in seen))
    payload = {"date": started, "command": " ".join(sys.argv), "results": results, "table": table}
    out.write_text(json.dumps(payload, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"(écrit dans {out.relative_to(ROOT)})")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--worker-train":
        worker_train(Path(sys.argv[2]), sys.argv[sys.argv.index("--") + 1 :])
    elif len(sys.argv) > 4 and sys.argv[1] == "--worker-parse":
        worker_parse(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))
    else:
        sys.exit(main())
