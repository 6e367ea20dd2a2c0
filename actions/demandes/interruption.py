"""A clear question asked in the middle of a form leaves the form and gets its usual answer.

Without this, "et le numéro de téléphone ?" typed while the assistant waits for a slot of a
rendez-vous would be refused as a wrong answer, or worse taken as the resident's name. Which
action answers an intent is read from the rules in data/ (the rules that start with that
intent), so a designer who adds an intent and its rule needs no Python change.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from tchatche_nlu.retrieval import RETRIEVAL, selected_subject

DATA = Path(__file__).resolve().parents[2] / "data"
MIN_CONFIDENCE = 0.7
# A refused answer that is itself a question (« et le numéro de téléphone ? » at « C'est pour
# quoi ? », contact_mairie at 0.65): the form's question was not answered, the resident asks.
MIN_CONFIDENCE_QUESTION = 0.5
# Intents that answer the form or carry no new subject: never a reason to leave a form.
NOT_A_NEW_SUBJECT = frozenset(
    {
        "affirmer",
        "nier",
        "saluer",
        "remercier",
        "informer_commune",
        "charabia",
        "hors_sujet",
        "nlu_fallback",
    }
)
# The intents that open each form do not leave it ("carte d'identité" is a rendez-vous motif).
FORM_INTENTS = {
    "demande_form": frozenset({"parler_a_un_agent"}),
    "signalement_form": frozenset({"signaler_probleme"}),
    "rendez_vous_form": frozenset({"prendre_rendez_vous", "carte_identite_passeport"}),
}

# Answers that talk about the slot's own topic: "mon mail" asked for a contact is a wrong
# contact (explained), not a question about the mairie's contact details.
SLOT_INTENTS = {
    "demande_contact": frozenset({"contact_mairie"}),
    "signalement_contact": frozenset({"contact_mairie"}),
    "rdv_contact": frozenset({"contact_mairie"}),
    "rdv_creneau": frozenset({"horaires_mairie"}),
}


@lru_cache(maxsize=1)
def answering_actions(data_dir: Path = DATA) -> dict[str, str]:
    """intent -> first action of the unconditioned rule that starts with that intent (or with
    an `or:` of intents that includes it)."""
    found: dict[str, str] = {}
    for path in sorted(data_dir.rglob("*.yml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for rule in content.get("rules") or []:
            steps = rule.get("steps") or []
            if rule.get("condition") or len(steps) < 2:
                continue
            action = steps[1].get("action")
            # `- or: [- intent: a, - intent: b]` starts one rule for several intents.
            firsts = steps[0].get("or") or [steps[0]]
            for intent in (step.get("intent") for step in firsts):
                if intent and action:
                    found.setdefault(intent, action)
    return found


def _sureness(latest_message: dict[str, Any], name: str, intent: dict[str, Any]) -> float:
    """For `orientation`, DIET's confidence times the ResponseSelector's in the office: « c'est
    loin pour moi, je n'ai pas de voiture » during a booking was read as orientation at 1.00,
    towards the foreigners' office at 0.25, and left the form for the préfecture."""
    confidence = float(intent.get("confidence") or 0.0)
    if name == RETRIEVAL:
        subject = selected_subject(latest_message.get("response_selector"))
        confidence *= float(subject.get("confidence") or 0.0)
    return confidence


def new_subject(latest_message: dict[str, Any], form: str, slot: str) -> str | None:
    """The intent of a confident question on another subject, else None."""
    intent = (latest_message or {}).get("intent") or {}
    name = intent.get("name")
    asks = "?" in str((latest_message or {}).get("text") or "")
    if not name or _sureness(latest_message, name, intent) < (
        MIN_CONFIDENCE_QUESTION if asks else MIN_CONFIDENCE
    ):
        return None
    if name in NOT_A_NEW_SUBJECT or name in FORM_INTENTS.get(form, frozenset()):
        return None
    if name in SLOT_INTENTS.get(slot, frozenset()):
        return None
    return name if name in answering_actions() else None
