"""The conversation stays in memory between two messages; the SQL store still gets every event.

Why (issue #13): Rasa's `SQLTrackerStore` reads the whole conversation back from the database at
every message (a query, then every event parsed from JSON and replayed), and before saving
counts the stored events with a second query: 13 % of the Rasa server's CPU on the 20-message mix
of `bench/bench.py` (py-spy on `rasa run`), growing with the conversation.

Here the tracker saved at the end of a message is kept, with the id of its last stored event.
At the next message one indexed query (`max(id)` for this conversation) says whether anything
else wrote since (another Rasa process, the purge script, an agent): if so, or if the tracker
changed without being saved (a turn that failed), Rasa's own reading is used. Saving writes the
new events exactly as Rasa does, without the counting query. A new session, an event broker or a
full-history read (`retrieve_full_tracker`) always take Rasa's own path.

Kept: at most CONVERSATIONS conversations, none idle for more than IDLE_SECONDS (personal data
stays in memory no longer than a conversation needs it).
"""

from __future__ import annotations

import json
import time
from collections import OrderedDict
from dataclasses import dataclass

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

CONVERSATIONS = 128
IDLE_SECONDS = 15 * 60

_retrieve = SQLTrackerStore.retrieve
_save = SQLTrackerStore.save


@dataclass
class _Kept:
    tracker: DialogueStateTracker
    saved: int  # events of `tracker` already in the database
    last_id: int  # id of the last of them
    at: float  # monotonic time of the save


_kept: OrderedDict[tuple[int, str], _Kept] = OrderedDict()


def _last_id(store: SQLTrackerStore, session: sa.orm.Session, sender_id: str) -> int | None:
    return (
        session.query(sa.func.max(store.SQLEvent.id))
        .filter(store.SQLEvent.sender_id == sender_id)
        .scalar()
    )


def _forget_idle(now: float) -> None:
    for key in [k for k, kept in _kept.items() if now - kept.at > IDLE_SECONDS]:
        del _kept[key]


async def retrieve(self: SQLTrackerStore, sender_id: str) -> DialogueStateTracker | None:
    key = (id(self), sender_id)
    kept = _kept.get(key)
    if kept is not None and self.event_broker is None:
        if len(kept.tracker.events) == kept.saved and time.monotonic() - kept.at <= IDLE_SECONDS:
            with self.session_scope() as session:
                if _last_id(self, session, sender_id) == kept.last_id:
                    _kept.move_to_end(key)
                    return kept.tracker
        del _kept[key]
    return await _retrieve(self, sender_id)


async def save(self: SQLTrackerStore, tracker: DialogueStateTracker) -> None:
    key = (id(self), tracker.sender_id)
    kept = _kept.pop(key, None)
    if self.event_broker is not None:
        await _save(self, tracker)
        return
    with self.session_scope() as session:
        if kept is not None and kept.tracker is tracker and len(tracker.events) >= kept.saved:
            new_events = list(tracker.events)[kept.saved :]
        else:
            new_events = list(self._additional_events(session, tracker))
        rows = []
        for event in new_events:  # as Rasa's SQLTrackerStore.save()
            data = event.as_dict()
            rows.append(
                self.SQLEvent(
                    sender_id=tracker.sender_id,
                    type_name=event.type_name,
                    timestamp=data.get("timestamp"),
                    intent_name=data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                    action_name=data.get("name"),
                    data=json.dumps(data),
                )
            )
        session.add_all(rows)
        session.flush()  # gives the rows their ids
        last_id = rows[-1].id if rows else _last_id(self, session, tracker.sender_id)
        session.commit()
    if last_id is None or any(isinstance(event, SessionStarted) for event in new_events):
        return  # Rasa reads only the new session back: so will the next message
    now = time.monotonic()
    _kept[key] = _Kept(tracker, len(tracker.events), last_id, now)
    _forget_idle(now)
    while len(_kept) > CONVERSATIONS:
        _kept.popitem(last=False)


def install() -> None:
    SQLTrackerStore.retrieve = retrieve  # type: ignore[method-assign]
    SQLTrackerStore.save = save  # type: ignore[method-assign]
