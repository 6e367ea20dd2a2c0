"""The conversation sets load, every regex compiles, and the split asked by issue 14 holds.

No servers: a typo in a designer's YAML is caught in a second, before any long run.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from tests.conversations.runner import (
    CHANNELS,
    KINDS,
    Turn,
    fold,
    judge,
    load_set,
    matches,
    problems,
    readable,
    set_path,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", ["dev", "apart"])
def test_set_is_valid(name):
    data = yaml.safe_load(set_path(name).read_text(encoding="utf-8"))
    assert problems(data) == []


def test_split_sizes_kinds_channels_and_communes():
    dev, apart = load_set("dev"), load_set("apart")
    assert len(dev.conversations) >= 50
    assert len(apart.conversations) == 30
    everything = dev.conversations + apart.conversations
    assert len(everything) >= 80
    for conversations in (dev.conversations, apart.conversations):
        assert set(Counter(c.kind for c in conversations)) == set(KINDS)
        assert set(Counter(c.channel for c in conversations)) == set(CHANNELS)
    assert any(c.metadata.get("commune") for c in dev.conversations)
    assert any(c.metadata.get("commune") for c in apart.conversations)


def test_sets_are_apart():
    dev_ids = {c.id for c in load_set("dev").conversations}
    apart = load_set("apart").conversations
    assert not dev_ids & {c.id for c in apart}
    dev_texts = {t.user for c in load_set("dev").conversations for t in c.turns}
    long_apart = {t.user for c in apart for t in c.turns if len(t.user) > 20}
    assert not dev_texts & long_apart


def test_apart_file_says_it_is_kept_apart():
    head = set_path("apart").read_text(encoding="utf-8")[:400]
    assert "MIS À PART" in head and "NE PAS" in head


def test_matching_ignores_accents_both_ways():
    assert matches("(?i)d[ée]c[eè]s", "acte de deces")
    assert matches("(?i)deces", "l'acte de décès")
    assert not matches("(?i)naissance", "acte de décès")
    assert fold("l’œuvre\u202f: été") == "l'oeuvre : ete"


def test_a_turn_fails_on_a_missing_fact_or_a_forbidden_text():
    turn = Turn(user="et la caution ?", expect=["caution.{0,20}300"])
    assert judge(turn, 1, "La caution est de 300 €.", ["pas s[uû]r"]).passed
    assert not judge(turn, 1, "La caution est de 500 €.", []).passed
    fallback = "La caution est de 300 €. Je ne suis pas sûr d'avoir compris."
    assert judge(turn, 1, fallback, ["pas s[uû]r"]).forbidden == ["pas s[uû]r"]
    allowed = Turn(user="x", expect=["300"], allow_fallback=True)
    assert judge(allowed, 1, fallback, ["pas s[uû]r"]).passed


def test_readable_keeps_texts_buttons_and_links_not_payloads():
    replies = [
        {
            "recipient_id": "x",
            "text": "Voici",
            "buttons": [{"title": "Oui", "payload": "/affirmer"}],
        },
        {"custom": {"document": {"titre": "Formulaire", "url": "http://127.0.0.1/d/1"}}},
        {"attachment": {"type": "file", "payload": {"url": "http://127.0.0.1/d/2"}}},
    ]
    text = readable(replies)
    assert "Voici" in text and "Oui" in text and "Formulaire" in text
    assert "http://127.0.0.1/d/1" in text and "http://127.0.0.1/d/2" in text
    assert "/affirmer" not in text


def test_at_least_ten_communes_in_each_set():
    """Issue 14 asks for several communes: counted from page metadata and what residents type."""
    names = {}
    for path in (ROOT / "territoire" / "communes").glob("*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for name in [data["commune"], *(data.get("variantes") or [])]:
            names[fold(name).lower().replace("-", " ")] = data["commune"]
    for name in ("dev", "apart"):
        found = set()
        for conversation in load_set(name).conversations:
            texts = [conversation.metadata.get("commune", "")]
            texts += [t.user for t in conversation.turns]
            for text in texts:
                folded = " " + fold(text).lower().replace("-", " ") + " "
                found |= {c for n, c in names.items() if f" {n} " in folded}
        assert len(found) >= 10, (name, sorted(found))
