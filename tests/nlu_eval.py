"""Evaluates the trained model on the held-out file tests/nlu_holdout.yml.

Retrieval sub-intents count as their own labels ("orientation/impots"), since each leads to a
different answer. Used by tests/test_nlu_holdout.py and bench/; writes results/nlu_holdout.*.
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sklearn.metrics import classification_report

ROOT = Path(__file__).resolve().parents[1]
HOLDOUT = ROOT / "tests" / "nlu_holdout.yml"
MODEL = ROOT / "models" / "tchatche.tar.gz"
RESULTS = ROOT / "results"
_ANNOTATION = re.compile(r"\[([^\]]+)\](\{[^}]*\}|\([^)]*\))")


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    communes: tuple[str, ...]


def plain_text(annotated: str) -> tuple[str, tuple[str, ...]]:
    """Strips Rasa's [span](entity) / [span]{json} markup; returns text and commune values."""
    communes = []
    for span, spec in _ANNOTATION.findall(annotated):
        if spec.startswith("{"):
            data = json.loads(spec)
            if data.get("entity") == "commune":
                communes.append(data.get("value", span))
        elif spec == "(commune)":
            communes.append(span)
    return _ANNOTATION.sub(lambda m: m.group(1), annotated), tuple(communes)


def read_examples(path: Path) -> list[Example]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    examples = []
    for block in data.get("nlu", []):
        if "intent" not in block:
            continue
        for line in block["examples"].splitlines():
            line = line.strip()
            if line.startswith("- "):
                text, communes = plain_text(line[2:].strip())
                examples.append(Example(text, block["intent"], communes))
    return examples


def full_intent(parsed: dict[str, Any]) -> str:
    intent = (parsed.get("intent") or {}).get("name") or "aucune"
    selector = (parsed.get("response_selector") or {}).get(intent)
    if selector:
        key = (selector.get("response") or {}).get("intent_response_key")
        if key:
            return key
    return intent


def load_agent() -> Any:
    from rasa.core.agent import Agent

    return Agent.load(str(MODEL))


def parse_all(agent: Any, texts: list[str]) -> list[dict[str, Any]]:
    async def run() -> list[dict[str, Any]]:
        return [await agent.parse_message(t) for t in texts]

    return asyncio.run(run())


def confusions_text(errors: list[dict[str, str]]) -> str:
    """The pairs of intents mixed up, most frequent first: where to add or fix examples."""
    pairs: dict[tuple[str, str], int] = {}
    for e in errors:
        key = (e["attendu"], e["prédit"])
        pairs[key] = pairs.get(key, 0) + 1
    ranked = sorted(pairs.items(), key=lambda item: (-item[1], item[0]))
    lines = "".join(f"  {n} × {a} pris pour {p}\n" for (a, p), n in ranked)
    lines = lines or "  aucune\n"
    return f"\nConfusions (attendu pris pour prédit) :\n{lines}\n"


def evaluate(agent: Any | None = None) -> dict[str, Any]:
    examples = read_examples(HOLDOUT)
    parsed = parse_all(agent or load_agent(), [e.text for e in examples])
    truth = [e.label for e in examples]
    predicted = [full_intent(p) for p in parsed]
    labels = sorted(set(truth))
    report = classification_report(
        truth, predicted, labels=labels, output_dict=True, zero_division=0
    )
    text_report = classification_report(truth, predicted, labels=labels, digits=3, zero_division=0)
    errors = [
        {"text": e.text, "attendu": t, "prédit": p}
        for e, t, p in zip(examples, truth, predicted, strict=True)
        if t != p
    ]
    result = {
        "examples": len(examples),
        "macro_f1": report["macro avg"]["f1-score"],
        "accuracy": sum(t == p for t, p in zip(truth, predicted, strict=True)) / len(truth),
        "per_intent": {label: report[label] for label in labels},
        "errors": errors,
        "parsed": parsed,
        "examples_list": examples,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "nlu_holdout_report.txt").write_text(
        text_report
        + f"\nmacro-F1 : {result['macro_f1']:.3f} sur {len(examples)} exemples\n"
        + confusions_text(errors)
        + "".join(f"  ERREUR {e['attendu']} -> {e['prédit']} : {e['text']}\n" for e in errors),
        encoding="utf-8",
    )
    serialisable = {k: v for k, v in result.items() if k not in ("parsed", "examples_list")}
    (RESULTS / "nlu_holdout.json").write_text(
        json.dumps(serialisable, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return result


if __name__ == "__main__":
    outcome = evaluate()
    print((RESULTS / "nlu_holdout_report.txt").read_text(encoding="utf-8"))
