"""NLU quality on examples never trained on: macro-F1 of at least 0.90, communes resolved."""

from __future__ import annotations

from pathlib import Path

import pytest

from actions.territory.loader import load_territory
from actions.territory.matching import CommuneMatcher
from scripts.nlu_inputs import nlu_files
from tests import nlu_eval

ROOT = Path(__file__).resolve().parents[1]
MIN_MACRO_F1 = 0.90


@pytest.fixture(scope="module")
def agent(nlu_agent):
    return nlu_agent


@pytest.fixture(scope="module")
def evaluation(agent):
    return nlu_eval.evaluate(agent)


def test_holdout_is_never_trained_on():
    training = {
        e.text.lower().strip() for path in nlu_files() for e in nlu_eval.read_examples(path)
    }
    holdout = nlu_eval.read_examples(nlu_eval.HOLDOUT)
    leaked = [e.text for e in holdout if e.text.lower().strip() in training]
    assert leaked == []


def test_holdout_has_five_examples_per_label():
    """Which labels it must cover comes from the domain (tests/test_conception.py)."""
    counts: dict[str, int] = {}
    for example in nlu_eval.read_examples(nlu_eval.HOLDOUT):
        counts[example.label] = counts.get(example.label, 0) + 1
    assert min(counts.values()) >= 5


def test_macro_f1_on_holdout(evaluation):
    report = (nlu_eval.RESULTS / "nlu_holdout_report.txt").read_text(encoding="utf-8")
    print("\n" + report)
    assert evaluation["macro_f1"] >= MIN_MACRO_F1, report


def test_communes_in_holdout_are_resolved(evaluation):
    """NLU entity + the action server's matcher give the commune the resident meant."""
    matcher = CommuneMatcher(load_territory())
    checked = wrong = 0
    for example, parsed in zip(evaluation["examples_list"], evaluation["parsed"], strict=True):
        if not example.communes:
            continue
        checked += 1
        found = None
        for entity in parsed.get("entities", []):
            if entity["entity"] == "commune":
                found = found or matcher.resolve(str(entity["value"])).commune
        found = found or matcher.find_in_text(example.text).commune
        # A message naming two communes ("entre Morval et Le Transloy") may give either.
        if found is None or found.nom not in example.communes:
            wrong += 1
    assert checked >= 20
    assert wrong == 0


@pytest.mark.parametrize(
    "text", ["", "😀😀", "<script>alert(1)</script>", "azertyuiop qsdf", "a" * 10_000]
)
def test_meaningless_input_is_not_given_a_procedure(agent, text):
    intent = nlu_eval.full_intent(nlu_eval.parse_all(agent, [text])[0])
    assert intent in ("charabia", "nlu_fallback")
