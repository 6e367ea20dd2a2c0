"""The model loaded without Rasa's training step (tchatche_nlu/fast_load.py) predicts the same.

Rasa's own `RasaModel.load` trains one batch to build the weights; ours builds them with one
prediction. Both are loaded here and parse the same held-out messages: intents, confidences,
entities and the orientation answer must be identical. « lourd »: Rasa's own load costs the
minute that fast_load saves.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from rasa.core.agent import Agent
from rasa.utils.tensorflow.models import RasaModel

from tchatche_nlu import fast_load
from tests import nlu_eval

MESSAGES = 80


def summary(parsed: dict) -> tuple:
    selector = parsed.get("response_selector") or {}
    return (
        [(i["name"], round(i["confidence"], 6)) for i in parsed["intent_ranking"][:5]],
        [(e["entity"], e["value"], e["start"]) for e in parsed["entities"]],
        nlu_eval.full_intent(parsed),
        {
            k: v["response"]["intent_response_key"]
            for k, v in selector.items()
            if k != "all_retrieval_intents"
        },
    )


@pytest.mark.lourd
def test_the_fast_load_predicts_what_rasas_own_load_predicts(nlu_agent, monkeypatch):
    assert RasaModel.load.__func__ is fast_load._load, "the servers' load is not fast_load"
    held_out = [e.text for e in nlu_eval.read_examples(nlu_eval.HOLDOUT)]
    texts = held_out[:: max(1, len(held_out) // MESSAGES)][:MESSAGES]  # every intent
    ours = [summary(p) for p in nlu_eval.parse_all(nlu_agent, texts)]
    monkeypatch.setattr(RasaModel, "load", classmethod(fast_load._rasa_load))
    rasas = [summary(p) for p in nlu_eval.parse_all(Agent.load(str(nlu_eval.MODEL)), texts)]
    assert len(ours) == MESSAGES
    assert {s[2] for s in ours} != {ours[0][2]}, "every message got one intent: nothing learnt"
    for text, mine, theirs in zip(texts, ours, rasas, strict=True):
        assert mine == theirs, text


def test_the_action_server_still_imports_neither_rasa_nor_tensorflow():
    """fast_load imports TensorFlow; the action server (every module of actions/, as rasa_sdk
    imports them) must stay without it: it imports tchatche_nlu.retrieval."""
    code = (
        "import importlib, pkgutil, sys, actions\n"
        "for m in pkgutil.walk_packages(actions.__path__, 'actions.'):\n"
        "    importlib.import_module(m.name)\n"
        "print(sorted(n for n in ('tensorflow', 'rasa') if n in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    )
    assert done.stdout.strip() == "[]", done.stdout + done.stderr
