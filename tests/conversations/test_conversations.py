"""Issue 14: the multi-turn conversations played through the running servers.

One test per dev conversation (the lead may read and tune on them), and one test for the set kept
apart that only reports its share and the failing ids, never its messages.
Run: .venv/bin/python -m pytest tests/conversations -m conversations -q
"""

from __future__ import annotations

import pytest

from tests.conversations.runner import (
    APART_GOAL,
    Harness,
    Outcome,
    describe,
    load_set,
    share,
)

pytestmark = pytest.mark.conversations

DEV = load_set("dev")


@pytest.fixture(scope="module")
def harness():
    instance = Harness().start()
    yield instance
    instance.stop()


@pytest.mark.parametrize("conversation", DEV.conversations, ids=lambda c: c.id)
def test_dev_conversation(harness, conversation):
    outcome = Outcome(conversation, harness.play(conversation, DEV.default_forbid))
    if not outcome.passed:  # the resident's words and the bot's replies, not a dataclass dump
        pytest.fail(describe(outcome, details=True), pytrace=False)


def test_apart_share(harness):
    apart = load_set("apart")
    outcomes = [Outcome(c, harness.play(c, apart.default_forbid)) for c in apart.conversations]
    failing = [o.conversation.id for o in outcomes if not o.passed]
    print(f"ensemble mis à part : {share(outcomes):.0%} justes ; en échec : {', '.join(failing)}")
    assert share(outcomes) >= APART_GOAL, (
        f"{share(outcomes):.0%} des conversations mises à part sont justes "
        f"(objectif {APART_GOAL:.0%}) ; en échec : {', '.join(failing)}"
    )
