"""A topic added without one of its pieces fails here, with a French message naming the piece.

Designers add topics in YAML only (docs/conception.md); scripts/conception.py lists what a
topic needs. These tests run it on the project (complete) and on a scratch copy where a topic is
added piece by piece, as a designer who forgets one would.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from scripts.conception import holdout_labels, missing_pieces

ROOT = Path(__file__).resolve().parents[1]
TOPIC = "piscine"


def test_every_topic_of_the_project_has_all_its_pieces():
    assert missing_pieces() == []


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "domain.yml", tmp_path / "domain.yml")
    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "tests").mkdir()
    for name in ("nlu_holdout.yml", "test_stories.yml"):
        shutil.copy(ROOT / "tests" / name, tmp_path / "tests" / name)
    (tmp_path / "actions").mkdir()
    shutil.copy(ROOT / "actions" / "intentions.yml", tmp_path / "actions" / "intentions.yml")
    return tmp_path


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + text, "utf-8")


def _edit_domain(root: Path, change) -> None:
    path = root / "domain.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def _about(problems: list[str]) -> list[str]:
    return [p for p in problems if f"« {TOPIC} »" in p]


def test_a_topic_with_only_its_intent_is_told_every_missing_piece(scratch: Path):
    _edit_domain(scratch, lambda d: d["intents"].append(TOPIC))
    problems = _about(missing_pieces(scratch))
    assert any("exemple(s) d'apprentissage dans data/" in p for p in problems), problems
    assert any("phrase(s) de contrôle dans tests/nlu_holdout.yml" in p for p in problems)
    assert any("n'a aucune règle qui lui répond" in p for p in problems)
    assert any("n'a pas d'histoire de test" in p for p in problems)
    assert any("actions/intentions.yml" in p for p in problems)
    assert all("docs/conception.md" in p or "Vouliez-vous dire" in p for p in problems)


def test_each_piece_added_silences_its_message_until_none_is_left(scratch: Path):
    _edit_domain(scratch, lambda d: d["intents"].append(TOPIC))
    examples = "".join(f"    - piscine question {i}\n" for i in range(10))
    (scratch / "data" / "nlu" / "piscine.yml").write_text(
        f'version: "3.1"\nnlu:\n- intent: {TOPIC}\n  examples: |\n{examples}', "utf-8"
    )
    assert not any("d'apprentissage" in p for p in _about(missing_pieces(scratch)))
    held = "".join(f"    - la piscine {i} ?\n" for i in range(5))
    _append(scratch / "tests" / "nlu_holdout.yml", f"- intent: {TOPIC}\n  examples: |\n{held}")
    _append(
        scratch / "data" / "rules.yml",
        f"  - rule: piscine\n    steps:\n      - intent: {TOPIC}\n      - action: utter_piscine\n",
    )
    _append(
        scratch / "tests" / "test_stories.yml",
        f"  - story: piscine\n    steps:\n      - intent: {TOPIC}\n      - action: utter_piscine\n",
    )
    assert [p for p in _about(missing_pieces(scratch)) if "intentions.yml" not in p] == []
    _append(scratch / "actions" / "intentions.yml", f"{TOPIC}: La piscine\n")
    assert _about(missing_pieces(scratch)) == []


def test_a_commune_topic_without_its_rules_is_told_why_its_answer_never_comes(scratch: Path):
    def add(d):
        d["intents"].append(TOPIC)
        d["slots"]["sujet"]["values"].append(TOPIC)

    _edit_domain(scratch, add)
    problems = _about(missing_pieces(scratch))
    assert any(
        "règle « les sujets qui passent par action_preparer_reponse »" in p for p in problems
    )
    assert any(
        "« répondre sur le sujet piscine »" in p and "ne vient jamais" in p for p in problems
    )


def test_an_intent_sent_to_the_action_without_a_sujet_value_is_named(scratch: Path):
    path = scratch / "data" / "rules.yml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "          - intent: informer_commune\n",
        f"          - intent: informer_commune\n          - intent: {TOPIC}\n",
        1,
    )
    path.write_text(text, "utf-8")
    problems = missing_pieces(scratch)
    assert any(f"« {TOPIC} » passe par action_preparer_reponse" in p for p in problems), problems


def test_the_holdout_covers_what_the_domain_answers():
    """The held-out labels follow the domain: no count to update by hand."""
    from tests import nlu_eval

    labels = {e.label for e in nlu_eval.read_examples(nlu_eval.HOLDOUT)}
    missing = sorted(holdout_labels() - labels)
    assert (
        missing == []
    ), f"intentions sans phrase de contrôle dans tests/nlu_holdout.yml : {missing}"
    assert sorted(labels - holdout_labels()) == []


def test_topics_a_commune_file_may_list_as_competences_are_domain_intents():
    from actions.territory.loader import TOPICS

    intents = set(yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["intents"])
    unknown = [t for t in TOPICS if t not in intents]
    assert (
        unknown == []
    ), f"actions/territory/loader.py (TOPICS) nomme des sujets absents de domain.yml : {unknown}"
