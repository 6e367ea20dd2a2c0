"""Personal data is kept only as long as needed: old conversation events are deleted."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from scripts.purge_conversations import database_url, purge


def test_old_events_deleted_recent_kept(tmp_path: Path):
    db = tmp_path / "conversations.db"
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{db}"\n')
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(db))
    now = time.time()
    for sender, age_days in (("ancien", 45), ("recent", 2)):
        tracker = DialogueStateTracker(sender, slots=[])
        tracker.update(
            UserUttered("mon numéro est le 06 00 00 00 00", timestamp=now - age_days * 86400)
        )
        asyncio.run(store.save(tracker))

    url = database_url(endpoints)
    assert purge(url, days=30, now=now) == 1
    with sqlite3.connect(db) as connection:
        senders = {row[0] for row in connection.execute("select sender_id from events")}
    assert senders == {"recent"}
