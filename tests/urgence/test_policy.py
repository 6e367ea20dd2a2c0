"""UrgencePolicy against what Rasa would otherwise do: a running form, an ordinary question."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
from rasa.core.policies.policy import PolicyPrediction
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from tchatche_dialogue.urgence_policy import UrgencePolicy

ROOT = Path(__file__).resolve().parents[2]
SEQUENCES = {
    "urgence_incendie": [
        "utter_urgence_incendie",
        "utter_urgence_sans_parler",
        "utter_urgence_apres",
    ],
    "urgence_enfant_danger": ["utter_urgence_enfant_danger", "utter_urgence_sans_parler"],
    "urgence_violences_femmes": ["utter_urgence_violences_femmes", "utter_urgence_sans_parler"],
}


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


@pytest.fixture
def policy(tmp_path) -> UrgencePolicy:
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    return UrgencePolicy(
        UrgencePolicy.get_default_config(),
        storage,
        Resource("urgence"),
        context,
        sequences=SEQUENCES,
    )


def message(intent: str, text: str, entities: list | None = None) -> UserUttered:
    return UserUttered(text, {"name": intent, "confidence": 1.0}, entities or [])


def in_form(domain: Domain, *events) -> DialogueStateTracker:
    """A signalement form waiting for « quoi », then the given events."""
    return DialogueStateTracker.from_events(
        "t",
        [
            ActionExecuted("action_listen"),
            message("signaler_probleme", "je veux signaler un problème"),
            ActionExecuted("signalement_form"),
            ActiveLoop("signalement_form"),
            SlotSet("requested_slot", "signalement_quoi"),
            ActionExecuted("action_listen"),
            *events,
        ],
        domain.slots,
    )


def predicted(domain: Domain, prediction: PolicyPrediction) -> str:
    best = max(range(len(prediction.probabilities)), key=prediction.probabilities.__getitem__)
    return domain.action_names_or_texts[best]


def test_in_a_form_the_emergency_wins_and_leaves_the_form(domain, policy):
    fire = message("urgence_incendie", "il y a le feu dans la grange")
    tracker = in_form(domain, fire, SlotSet("signalement_quoi", "il y a le feu dans la grange"))
    ours = policy.predict_action_probabilities(tracker, domain)
    assert predicted(domain, ours) == "utter_urgence_incendie"
    # What RulePolicy says in a form: run the form again, a "no user" prediction.
    form = [0.0] * domain.num_actions
    form[domain.index_for_action("signalement_form")] = 1.0
    rule = PolicyPrediction(form, "RulePolicy", 6, is_no_user_prediction=True)
    best = DefaultPolicyPredictionEnsemble._pick_best_policy([rule, ours])
    assert best.policy_name == "UrgencePolicy"
    assert ActiveLoop(None) in best.events
    assert SlotSet("requested_slot", None) in best.events
    assert SlotSet("signalement_quoi", None) in best.events  # the danger is not an answer


def test_the_rule_is_played_to_the_end_then_the_assistant_listens(domain, policy):
    fire = message("urgence_incendie", "au feu")
    played = []
    tracker = DialogueStateTracker.from_events("t", [ActionExecuted("action_listen"), fire])
    for _ in range(4):
        action = predicted(domain, policy.predict_action_probabilities(tracker, domain))
        played.append(action)
        tracker.update(ActionExecuted(action))
    assert played == [*SEQUENCES["urgence_incendie"], "action_listen"]


def test_a_second_kind_adds_its_first_answer(domain, policy):
    both = message(
        "urgence_violences_femmes",
        "mon mari me frappe et frappe les enfants",
        [{"entity": "urgence", "value": "urgence_enfant_danger"}],
    )
    tracker = DialogueStateTracker.from_events("t", [ActionExecuted("action_listen"), both])
    assert policy.planned(tracker) == [
        "utter_urgence_violences_femmes",
        "utter_urgence_enfant_danger",
        "utter_urgence_sans_parler",
    ]


def test_ordinary_messages_are_left_to_the_other_policies(domain, policy):
    hours = message("horaires_mairie", "la mairie est ouverte ?")
    tracker = DialogueStateTracker.from_events("t", [ActionExecuted("action_listen"), hours])
    prediction = policy.predict_action_probabilities(tracker, domain)
    assert max(prediction.probabilities) == 0.0
    assert not prediction.is_no_user_prediction
