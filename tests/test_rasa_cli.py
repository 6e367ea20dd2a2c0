"""Rasa's own check of the project's data: `rasa data validate`.

The test stories on the trained model run once, in tests/test_plain_rasa.py (plain `rasa test`:
every story of tests/test_stories.yml must pass), and in `make check`: a second run here cost
100 s of CI for the same assertion."""

from __future__ import annotations

from scripts.validate import validate


def test_data_validate_without_any_warning():
    """Plain `rasa data validate` from the project root, as a designer types it (make validate)."""
    outcome = validate()
    assert outcome.returncode == 0, outcome.output[-4000:]
    assert outcome.problems == [], "\n".join(outcome.problems)
