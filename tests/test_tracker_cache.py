"""The conversation kept in memory never hides what the database holds (tchatche_dialogue).

A resident's message must be answered from the conversation as stored: what another Rasa process
or the purge script wrote or deleted counts, a turn that failed leaves nothing behind, and the
events in the database are the ones Rasa itself would have written.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from tchatche_dialogue import tracker_cache


@pytest.fixture
def store(domain: Domain, tmp_path: Path) -> SQLTrackerStore:
    tracker_cache._kept.clear()
    return SQLTrackerStore(domain, dialect="sqlite", db=str(tmp_path / "conversations.db"))


FIRST = ["bonjour", "je voudrais un renseignement"]


def events(text: str, intent: str) -> list[Event]:
    return [
        ActionExecuted("action_listen"),
        UserUttered(text, {"name": intent, "confidence": 0.9}),
        SlotSet("commune_manquante", False),
        BotUttered(f"réponse à {text}"),
    ]


def turn(tracker: DialogueStateTracker, text: str, intent: str) -> None:
    for event in events(text, intent):
        tracker.update(event)


def first_turn(store: SQLTrackerStore, sender: str) -> DialogueStateTracker:
    """A new conversation (not kept: its session has just started), then a second message."""
    tracker = DialogueStateTracker(sender, store.domain.slots)
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    turn(tracker, "bonjour", "saluer")
    asyncio.run(store.save(tracker))
    tracker = asyncio.run(store.retrieve(sender))
    turn(tracker, FIRST[1], "demande_information")
    asyncio.run(store.save(tracker))
    return tracker


def texts(tracker: DialogueStateTracker | None) -> list[str]:
    assert tracker is not None
    return [e.text for e in tracker.events if isinstance(e, UserUttered)]


def rows(database: Path) -> list[tuple]:
    with sqlite3.connect(database) as db:
        return db.execute(
            "SELECT sender_id, type_name, intent_name, action_name, data FROM events ORDER BY id"
        ).fetchall()


def test_the_next_message_reads_the_kept_conversation(store):
    tracker = first_turn(store, "resident")
    again = asyncio.run(store.retrieve("resident"))
    assert again is tracker, "the conversation was read back from the database"
    turn(again, "horaires de la mairie", "horaires_mairie")
    asyncio.run(store.save(again))
    assert texts(asyncio.run(store.retrieve("resident"))) == [*FIRST, "horaires de la mairie"]
    tracker_cache._kept.clear()  # what the database holds, read by Rasa itself
    assert texts(asyncio.run(store.retrieve("resident"))) == [*FIRST, "horaires de la mairie"]


def test_what_another_process_wrote_counts(store, domain, tmp_path):
    first_turn(store, "resident")
    other = SQLTrackerStore(domain, dialect="sqlite", db=str(tmp_path / "conversations.db"))
    elsewhere = asyncio.run(tracker_cache._retrieve(other, "resident"))
    turn(elsewhere, "et le samedi ?", "precision")
    asyncio.run(tracker_cache._save(other, elsewhere))
    assert texts(asyncio.run(store.retrieve("resident"))) == [*FIRST, "et le samedi ?"]


def test_a_purged_conversation_is_gone(store, tmp_path):
    first_turn(store, "resident")
    with sqlite3.connect(tmp_path / "conversations.db") as db:
        db.execute("DELETE FROM events WHERE sender_id = 'resident'")
    assert asyncio.run(store.retrieve("resident")) is None


def test_a_turn_that_failed_leaves_nothing(store):
    tracker = first_turn(store, "resident")
    turn(tracker, "message jamais enregistré", "horaires_mairie")  # no save: the turn failed
    assert texts(asyncio.run(store.retrieve("resident"))) == FIRST


def test_the_database_holds_what_rasa_would_have_written(store, domain, tmp_path):
    plain = SQLTrackerStore(domain, dialect="sqlite", db=str(tmp_path / "plain.db"))
    start = [ActionExecuted("action_session_start"), SessionStarted()]
    said = [
        *events("bonjour", "saluer"),
        *events("horaires", "horaires_mairie"),
        *events("et le samedi ?", "precision"),
    ]
    for save, retrieve, name in (
        (store.save, store.retrieve, "kept"),
        (
            lambda t: tracker_cache._save(plain, t),
            lambda s: tracker_cache._retrieve(plain, s),
            "plain",
        ),
    ):
        tracker = DialogueStateTracker("resident", domain.slots)
        for event in start:
            tracker.update(event)
        for number in range(3):
            for event in said[number * 4 : number * 4 + 4]:
                tracker.update(event)
            asyncio.run(save(tracker))
            tracker = asyncio.run(retrieve("resident"))
        assert len(tracker.events) == 13, name
    assert rows(tmp_path / "conversations.db") == rows(tmp_path / "plain.db")
    assert len(rows(tmp_path / "plain.db")) == 14


def test_a_new_session_is_read_back_as_rasa_reads_it(store):
    tracker = first_turn(store, "resident")
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    turn(tracker, "nouvelle visite", "saluer")
    asyncio.run(store.save(tracker))
    assert texts(asyncio.run(store.retrieve("resident"))) == ["nouvelle visite"]
