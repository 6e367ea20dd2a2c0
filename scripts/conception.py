"""Every topic has all its pieces: the check that names, in French, the piece a designer forgot.

A topic (an intent residents ask about, see `is_topic`) needs, besides its intent in domain.yml:
training examples, held-out examples, a rule that answers it, a test story, and a button label for
« Vouliez-vous dire … ? ». A topic that depends on the commune (a value of the `sujet` slot) also
needs its place in the `or:` rule that sends it to action_preparer_reponse and a rule
« répondre sur le sujet … ». Run by `make validate` and tests/test_conception.py;
docs/conception.md explains each piece.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
MIN_EXAMPLES = 10
MIN_HOLDOUT = 5
GUIDE = "voir docs/conception.md"
PREPARE = "action_preparer_reponse"


def _yaml(path: Path) -> dict[str, Any]:
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.is_file() else {}


def _data_files(root: Path) -> list[Path]:
    return sorted((root / "data").rglob("*.yml"))


def _example_counts(paths: list[Path]) -> dict[str, int]:
    """intent (or retrieval intent `orientation/<sujet>`) -> number of examples."""
    counts: dict[str, int] = {}
    for path in paths:
        for block in _yaml(path).get("nlu") or []:
            if "intent" in block:
                lines = [ln for ln in str(block.get("examples", "")).splitlines() if ln.strip()]
                counts[block["intent"]] = counts.get(block["intent"], 0) + len(lines)
    return counts


def _steps(root: Path, key: str, paths: list[Path]) -> Iterator[list[dict[str, Any]]]:
    for path in paths:
        for item in _yaml(path).get(key) or []:
            yield item.get("steps") or []


def _first_intents(steps: list[dict[str, Any]]) -> list[str]:
    if not steps:
        return []
    first = steps[0].get("or") or [steps[0]]
    return [s["intent"] for s in first if "intent" in s]


def _story_intents(steps: list[dict[str, Any]]) -> set[str]:
    found: set[str] = set()
    for step in steps:
        for s in step.get("or") or [step]:
            if "intent" in s:
                found.add(s["intent"])
    return found


def _sujet_rules(root: Path) -> set[str]:
    """`sujet` values answered by a rule that follows action_preparer_reponse."""
    answered: set[str] = set()
    for steps in _steps(root, "rules", _data_files(root)):
        if len(steps) > 2 and steps[0].get("action") == PREPARE and "slot_was_set" in steps[1]:
            for item in steps[1]["slot_was_set"]:
                if item.get("sujet"):
                    answered.add(item["sujet"])
    return answered


def topics(domain: dict[str, Any]) -> list[str]:
    """Intents residents ask about; retrieval intents count once per sub-intent."""
    from actions.conversation.context import is_topic

    intents = [i if isinstance(i, str) else next(iter(i)) for i in domain.get("intents") or []]
    found = [i for i in intents if is_topic(i) and i != "orientation"]
    found += sorted(
        name.removeprefix("utter_")
        for name in domain.get("responses") or {}
        if name.startswith("utter_orientation/")
    )
    return found


def missing_pieces(root: Path = ROOT) -> list[str]:
    """One French sentence per missing piece; empty when every topic is complete."""
    from actions.sujets import GENERAL_TOPICS, commune_topics

    domain = _yaml(root / "domain.yml")
    data = _data_files(root)
    examples = _example_counts(data)
    holdout = _example_counts([root / "tests" / "nlu_holdout.yml"])
    labels = _yaml(root / "actions" / "intentions.yml")
    rule_starts = {i for steps in _steps(root, "rules", data) for i in _first_intents(steps)}
    story_starts = {i for steps in _steps(root, "stories", data) for i in _story_intents(steps)}
    tested = {
        i
        for steps in _steps(root, "stories", [root / "tests" / "test_stories.yml"])
        for i in _story_intents(steps)
    }
    problems: list[str] = []
    for topic in topics(domain):
        base = "orientation" if topic.startswith("orientation/") else topic
        say = f"Le sujet « {topic} »"
        if examples.get(topic, 0) < MIN_EXAMPLES:
            problems.append(
                f"{say} a {examples.get(topic, 0)} exemple(s) d'apprentissage dans data/ "
                f"(il en faut au moins {MIN_EXAMPLES}) : ajoutez-en dans data/nlu/ ({GUIDE})."
            )
        if holdout.get(topic, 0) < MIN_HOLDOUT:
            problems.append(
                f"{say} a {holdout.get(topic, 0)} phrase(s) de contrôle dans "
                f"tests/nlu_holdout.yml (il en faut au moins {MIN_HOLDOUT}, jamais copiées "
                f"de data/) ({GUIDE})."
            )
        if base not in rule_starts and base not in story_starts:
            problems.append(
                f"{say} n'a aucune règle qui lui répond : ajoutez dans data/rules.yml une règle "
                f"qui commence par « - intent: {base} » ({GUIDE})."
            )
        if base not in tested:
            problems.append(
                f"{say} n'a pas d'histoire de test : ajoutez-en une dans tests/test_stories.yml "
                f"({GUIDE})."
            )
        if topic not in labels:
            problems.append(
                f"{say} n'a pas de libellé de bouton dans actions/intentions.yml (ligne "
                f"« {topic}: … ») : il ne serait jamais proposé dans « Vouliez-vous dire ? »."
            )
    known = set(topics(domain))
    for label in sorted(set(labels) - known):
        problems.append(
            f"Le libellé « {label} » de actions/intentions.yml ne correspond à aucun sujet de "
            f"domain.yml : corrigez son nom ou retirez-le."
        )
    or_rule = {
        i
        for steps in _steps(root, "rules", data)
        if len(steps) > 1 and steps[1].get("action") == PREPARE
        for i in _first_intents(steps)
    }
    answered = _sujet_rules(root)
    intents = {i if isinstance(i, str) else next(iter(i)) for i in domain.get("intents") or []}
    for sujet in [*commune_topics(domain), *GENERAL_TOPICS]:
        say = f"Le sujet « {sujet} » (valeur du slot sujet)"
        if sujet not in intents:
            problems.append(f"{say} n'est pas une intention de domain.yml (section intents).")
            continue
        if sujet in ("orientation", "chercher_document"):
            continue  # their own actions (action_orienter, action_chercher_document) answer
        if sujet not in or_rule:
            problems.append(
                f"{say} manque dans la règle « les sujets qui passent par {PREPARE} » de "
                f"data/rules.yml : ajoutez « - intent: {sujet} » sous « or: » ({GUIDE})."
            )
        if sujet not in answered:
            problems.append(
                f"{say} n'a pas de règle « répondre sur le sujet {sujet} » dans data/ "
                f"(action {PREPARE}, puis slot_was_set sujet: {sujet}, puis ses réponses) : "
                f"sans elle, la réponse ne vient jamais ({GUIDE})."
            )
    for intent in sorted(or_rule - set(commune_topics(domain)) - set(GENERAL_TOPICS)):
        if intent != "informer_commune":
            problems.append(
                f"L'intention « {intent} » passe par {PREPARE} mais n'est pas une valeur du slot "
                f"sujet de domain.yml : ajoutez-la sous slots > sujet > values ({GUIDE})."
            )
    return problems


def holdout_labels(root: Path = ROOT) -> set[str]:
    """The labels the held-out file must cover: every topic and every other answered intent."""
    domain = _yaml(root / "domain.yml")
    intents = [i if isinstance(i, str) else next(iter(i)) for i in domain.get("intents") or []]
    plain = {i for i in intents if i != "orientation" and not re.match(r"urgence_", i)}
    return plain | {t for t in topics(domain) if t.startswith("orientation/")}


def main() -> int:
    problems = missing_pieces()
    if problems:
        print(f"Sujets incomplets ({len(problems)}) :")
        print("\n".join(f"  - {p}" for p in problems))
        return 1
    print("Chaque sujet a toutes ses pièces (exemples, phrases de contrôle, règle, test, bouton).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
