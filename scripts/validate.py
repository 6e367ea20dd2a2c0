"""`make validate`: Rasa's `rasa data validate`, with the two kinds of expected notices explained.

Rasa's validator reads rules and stories only, so it calls « not used » every response that a
custom action plays itself (orientation, documents, forms, follow-ups, the action guard). It also
reports the retrieval intent `orientation` as duplicated: a Rasa 3.6 false positive (its importer
merges the retrieval intents of the NLU data into the domain). Both are listed here by name and
counted, never hidden; anything else is an error for the designer to fix.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
RASA = str(Path(sys.executable).parent / "rasa")
ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "RASA_TELEMETRY_ENABLED": "false"}
# Library deprecation notices are not about our data; Rasa's data warnings are UserWarnings.
DATA_WARNING = re.compile(r"UserWarning|\bWARNING\b|is not used|not listed|was found labeled")
# The retrieval intent and its action, as `rasa interactive` writes them back into domain.yml.
RETRIEVAL_MERGE = (
    "The following duplicated intents have been found across multiple domain files: orientation",
    "The following duplicated actions have been found across multiple domain files: "
    "utter_orientation",
)
# Follow-up answers, played by action_repondre_precision (actions/conversation/precision.py).
FOLLOW_UP = "utter_precision_"
UNUSED = re.compile(r"The utterance '([^']+)' is not used in any story or rule\.")


def dispatched(root: Path = ROOT) -> frozenset[str]:
    """Responses that custom actions play themselves (each module lists its own)."""
    from actions.conversation.dispatched import dispatched_responses
    from actions.demandes.formulaire import DISPATCHED_RESPONSES as FORM_RESPONSES
    from actions.documents.action import DISPATCHED_RESPONSES as DOCUMENT_RESPONSES
    from actions.orientation.action import DISPATCHED_RESPONSES as ORIENTATION_RESPONSES
    from channels.action_guard import RESPONSE as GUARD_RESPONSE

    forms = yaml.safe_load((root / "domain.yml").read_text(encoding="utf-8"))["forms"]
    questions = {f"utter_ask_{slot}" for form in forms.values() for slot in form["required_slots"]}
    return frozenset(
        {
            *ORIENTATION_RESPONSES,
            *DOCUMENT_RESPONSES,
            *FORM_RESPONSES,
            *questions,
            *dispatched_responses(),
            GUARD_RESPONSE,
        }
    )


@dataclass
class Outcome:
    returncode: int
    output: str
    played_by_actions: list[str]
    false_positive: bool
    problems: list[str]

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.problems


def validate(root: Path = ROOT) -> Outcome:
    """`root`: the project folder (a scratch copy in tests)."""
    result = subprocess.run(
        [RASA, "data", "validate", "--fail-on-warnings"],
        cwd=root,
        env={**ENV, "PYTHONPATH": os.pathsep.join(dict.fromkeys([str(root), str(ROOT)]))},
        capture_output=True,
        text=True,
        timeout=900,
    )
    output = result.stdout + result.stderr
    allowed = dispatched(root)
    played, problems, false_positive = [], [], False
    for line in output.splitlines():
        if not DATA_WARNING.search(line):
            continue
        unused = UNUSED.search(line)
        if line.rstrip().endswith(RETRIEVAL_MERGE):
            false_positive = True
        elif unused and (
            unused.group(1) in allowed or unused.group(1).startswith("utter_precision_")
        ):
            played.append(unused.group(1))
        else:
            problems.append(line.strip())
    return Outcome(result.returncode, output, sorted(set(played)), false_positive, problems)


def main() -> int:
    outcome = validate()
    if outcome.returncode != 0:
        print(outcome.output[-4000:])
        print("ÉCHEC : rasa data validate a trouvé une erreur (voir ci-dessus).")
        return 1
    print(
        f"rasa data validate : aucune erreur. {len(outcome.played_by_actions)} réponses sont "
        "jouées par les actions (actions/) et non par une règle : Rasa les dit « not used », "
        "c'est normal."
    )
    if outcome.false_positive:
        print(
            "Avis connu de Rasa 3.6, sans effet : l'intention de recherche « orientation » "
            "(et son action utter_orientation) est dite en double."
        )
    if outcome.problems:
        print(f"À corriger ({len(outcome.problems)}) :")
        print("\n".join(f"  - {p}" for p in outcome.problems))
        return 1
    print("Aucun autre avertissement.")
    from scripts.conception import main as check_topics

    return check_topics()


if __name__ == "__main__":
    sys.exit(main())
