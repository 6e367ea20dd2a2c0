"""The trained model on danger messages it never saw: every one gets the number of its kind.

tests/urgence/messages.yml was written apart from the training data and the word list, and is
never used to train or tune them. Each message is parsed by the real model (NLU + the
UrgenceClassifier), and the answer its rule plays must contain the numbers of the kind the
message belongs to. Ordinary messages (its « ordinaires » and the whole NLU holdout) must not get
an emergency answer. Reports: results/urgence_rappel.txt, results/urgence_fausses_alertes.txt.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa.shared.core.domain import Domain

from tests import nlu_eval
from tests.urgence.answers import FIRST_NUMBERS, numbers_in, render, urgence_rules

ROOT = Path(__file__).resolve().parents[2]
# Two sets written apart by two different people (messages.yml, messages_b.yml).
MESSAGE_FILES = sorted(Path(__file__).parent.glob("messages*.yml"))
RESULTS = ROOT / "results"
MAX_FALSE_ALARM_RATE = 0.01


@pytest.fixture(scope="module")
def agent(nlu_agent):
    return nlu_agent


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


@pytest.fixture(scope="module")
def messages() -> dict:
    merged: dict = {"urgences": {}, "ordinaires": []}
    for path in MESSAGE_FILES:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
        for kind, texts in content["urgences"].items():
            merged["urgences"].setdefault(kind, []).extend(texts)
        merged["ordinaires"].extend(content["ordinaires"])
    return merged


def answer_numbers(parsed: dict, domain: Domain, rules: dict[str, list[str]]) -> list[str]:
    """Numbers the resident reads, following the rule of the parsed intent (and second kind)."""
    intent = (parsed.get("intent") or {}).get("name") or ""
    actions = list(rules.get(intent, []))
    for entity in parsed.get("entities") or []:
        if entity.get("entity") == "urgence" and entity.get("value") in rules:
            actions.insert(1, rules[entity["value"]][0])
    return [n for a in actions for n in numbers_in(render(domain, a)["text"])]


def write_report(name: str, lines: list[str]) -> None:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"urgence_{name}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_held_out_set_is_large_enough_and_never_trained_on(messages):
    dangers = messages["urgences"]
    assert len(MESSAGE_FILES) == 2
    assert sum(len(v) for v in dangers.values()) >= 120
    assert min(len(v) for v in dangers.values()) >= 30
    assert len(messages["ordinaires"]) >= 120
    training = {
        e.text.lower().strip()
        for path in sorted((ROOT / "data" / "nlu").glob("*.yml"))
        for e in nlu_eval.read_examples(path)
    }
    leaked = [t for v in dangers.values() for t in v if t.lower().strip() in training]
    assert leaked == []


def test_every_danger_message_gets_the_numbers_of_its_kind(agent, domain, messages):
    rules = urgence_rules()
    lines, missed, total = [], [], 0
    for kind, texts in messages["urgences"].items():
        wanted = FIRST_NUMBERS[f"urgence_{kind}"]
        parsed = nlu_eval.parse_all(agent, texts)
        ok = 0
        for text, result in zip(texts, parsed, strict=True):
            given = answer_numbers(result, domain, rules)
            if all(n in given for n in wanted):
                ok += 1
            else:
                intent = (result.get("intent") or {}).get("name")
                missed.append(f"  {kind} ({'/'.join(wanted)}) -> {intent} {given} : {text}")
        total += len(texts)
        lines.append(f"  {kind:<17} {ok}/{len(texts)}")
    found = total - len(missed)
    write_report(
        "rappel",
        [
            f"Rappel : {found}/{total} messages de danger ont le bon numéro "
            f"({100 * found / total:.1f} %)",
            *lines,
            *missed,
        ],
    )
    assert missed == [], "\n".join(missed)


def test_ordinary_messages_do_not_get_emergency_numbers(agent, messages):
    tricky = list(messages["ordinaires"])
    holdout = [e.text for e in nlu_eval.read_examples(nlu_eval.HOLDOUT)]
    alarms = []
    for name, texts in (("ordinaires", tricky), ("holdout", holdout)):
        for text, result in zip(texts, nlu_eval.parse_all(agent, texts), strict=True):
            intent = (result.get("intent") or {}).get("name") or ""
            if intent.startswith("urgence_"):
                alarms.append(f"  {name} -> {intent} : {text}")
    total = len(tricky) + len(holdout)
    rate = len(alarms) / total
    write_report(
        "fausses_alertes",
        [
            f"Fausses alertes : {len(alarms)}/{total} messages ordinaires "
            f"({100 * rate:.2f} %) : {len(tricky)} pièges et {len(holdout)} du holdout NLU",
            *alarms,
        ],
    )
    assert rate <= MAX_FALSE_ALARM_RATE, "\n".join(alarms)
