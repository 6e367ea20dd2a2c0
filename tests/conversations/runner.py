"""Plays the multi-turn conversation sets of issue 14 through running Tchatche servers.

A set (tests/conversations/<name>.yml) is a list of conversations written from the residents'
side. Each turn has regexes the bot's replies to that turn must match (`expect`) and must not
match (`forbid`, plus the set's `defaults.forbid` unless the turn says `allow_fallback: true`).
A conversation passes when every turn passes: what counts for a resident is the whole exchange.

Why regexes are matched twice: SMS replies are made GSM-7 (some accents dropped) and the wording
may use typographic apostrophes or non-breaking spaces. Each reply is matched as written and once
folded (no accents, straight apostrophes, plain spaces): an `expect` passes if either matches, a
`forbid` fails if either matches. So a designer may write `deces` or `d[ée]c[èe]s`.

The servers are started once (Rasa + action server + web app for signed document links) with every
channel configured: REST, SMS through the Twilio connector and Messenger, both against local fake
APIs on 127.0.0.1 as in tests/channels/. The action server's clock is pinned by TCHATCHE_NOW to
Monday 21 December 2026, 10:00 in Paris, so « demain » is Tuesday 22 and « à Noël » Friday 25.

    .venv/bin/python -m tests.conversations.runner --set dev
    .venv/bin/python -m tests.conversations.runner --set apart          # ids and results only
    .venv/bin/python -m tests.conversations.runner --set dev --only salle-caution-bapaume

The apart set is kept apart (never read for training or tuning): by default the runner prints
only its ids, kinds and the number of the failing turn, never its messages.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import hmac
import json
import os
import re
import shutil
import sqlite3
import sys
import tempfile
import time
import unicodedata
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
import yaml

# Rasa's channel helpers imported here pull TensorFlow: keep its start-up chatter out of reports.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
HERE = Path(__file__).resolve().parent
SETS = ("dev", "apart")
KINDS = (
    "suivi",
    "attente",
    "oui_non",
    "deux_besoins",
    "formulaire",
    "urgence",
    "moment",
    "date",
    "lieu",
    "nouveau_sujet",
)
CHANNELS = ("rest", "twilio", "messenger")
# Monday 21 December 2026, 10:00 in Paris: the day every date conversation is written against.
NOW = "2026-12-21T10:00:00+01:00"
APART_GOAL = 0.95

FB_SECRET = "secret-des-conversations-facebook"
FB_VERIFY = "jeton-des-conversations"
FB_PAGE_TOKEN = "jeton-de-page-des-conversations"
TWILIO_SID = "AC11111111111111111111111111111111"
TWILIO_TOKEN = "jeton-twilio-des-conversations"
TWILIO_NUMBER = "+33600000001"
TWILIO_PUBLIC_URL = "https://mairies.example/webhooks/twilio/webhook"


# ---------------------------------------------------------------------------------------------
# The sets


@dataclass
class Turn:
    user: str
    expect: list[str] = field(default_factory=list)
    forbid: list[str] = field(default_factory=list)
    allow_fallback: bool = False


@dataclass
class Conversation:
    id: str
    kind: str
    channel: str
    turns: list[Turn]
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass
class ConversationSet:
    name: str
    default_forbid: list[str]
    conversations: list[Conversation]


def set_path(name: str) -> Path:
    return HERE / f"{name}.yml"


def problems(data: Any) -> list[str]:
    """Everything wrong with a set as loaded from YAML (empty list: the set is usable).

    Checked without servers, so that a typo in a designer's file is found in a second.
    """
    found: list[str] = []
    if not isinstance(data, dict) or not isinstance(data.get("conversations"), list):
        return ["the file must be a mapping with a `conversations` list"]
    defaults = data.get("defaults") or {}
    for pattern in defaults.get("forbid") or []:
        found += _regex_problem("defaults.forbid", pattern)
    seen: set[str] = set()
    for index, conv in enumerate(data["conversations"]):
        where = f"conversation #{index + 1}"
        if not isinstance(conv, dict):
            found.append(f"{where}: not a mapping")
            continue
        cid = conv.get("id")
        if not isinstance(cid, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", cid):
            found.append(f"{where}: id must be lowercase words with dashes, got {cid!r}")
        elif cid in seen:
            found.append(f"{where}: duplicate id {cid}")
        else:
            seen.add(cid)
            where = cid
        if conv.get("kind") not in KINDS:
            found.append(f"{where}: kind {conv.get('kind')!r} is not one of {', '.join(KINDS)}")
        if conv.get("channel") not in CHANNELS:
            found.append(f"{where}: channel {conv.get('channel')!r} not in {CHANNELS}")
        metadata = conv.get("metadata")
        rest_only = conv.get("channel") == "rest" and isinstance(metadata, dict)
        if metadata is not None and not rest_only:
            found.append(f"{where}: metadata is a mapping, for the rest channel only")
        unknown = set(conv) - {"id", "kind", "channel", "metadata", "turns", "note"}
        if unknown:
            found.append(f"{where}: unknown keys {sorted(unknown)}")
        turns = conv.get("turns")
        if not isinstance(turns, list) or len(turns) < 2:
            found.append(f"{where}: a conversation has at least two turns")
            continue
        for number, turn in enumerate(turns, start=1):
            label = f"{where} turn {number}"
            if not isinstance(turn, dict) or not isinstance(turn.get("user"), str):
                found.append(f"{label}: needs a `user` text")
                continue
            unknown = set(turn) - {"user", "expect", "forbid", "allow_fallback"}
            if unknown:
                found.append(f"{label}: unknown keys {sorted(unknown)}")
            if not turn.get("expect"):
                found.append(f"{label}: needs at least one `expect` regex")
            for key in ("expect", "forbid"):
                patterns = turn.get(key) or []
                if not isinstance(patterns, list):
                    found.append(f"{label}: {key} must be a list")
                    continue
                for pattern in patterns:
                    found += _regex_problem(f"{label} {key}", pattern)
    return found


def _regex_problem(where: str, pattern: Any) -> list[str]:
    if not isinstance(pattern, str):
        return [f"{where}: {pattern!r} is not a string"]
    try:
        re.compile(pattern, re.DOTALL)
    except re.error as error:
        return [f"{where}: {pattern!r} does not compile ({error})"]
    return []


def load_set(name: str) -> ConversationSet:
    data = yaml.safe_load(set_path(name).read_text(encoding="utf-8"))
    errors = problems(data)
    if errors:
        raise ValueError(f"{name}.yml:\n" + "\n".join(errors))
    conversations = [
        Conversation(
            id=c["id"],
            kind=c["kind"],
            channel=c["channel"],
            metadata=dict(c.get("metadata") or {}),
            turns=[
                Turn(
                    user=t["user"],
                    expect=list(t.get("expect") or []),
                    forbid=list(t.get("forbid") or []),
                    allow_fallback=bool(t.get("allow_fallback")),
                )
                for t in c["turns"]
            ],
        )
        for c in data["conversations"]
    ]
    default_forbid = list((data.get("defaults") or {}).get("forbid") or [])
    return ConversationSet(name, default_forbid, conversations)


# ---------------------------------------------------------------------------------------------
# Matching


def fold(text: str) -> str:
    """The text without accents, with straight apostrophes and plain spaces (see module doc)."""
    text = text.replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ")
    text = text.replace("œ", "oe").replace("Œ", "OE")
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def matches(pattern: str, text: str) -> bool:
    compiled = re.compile(pattern, re.DOTALL)
    return any(compiled.search(variant) for variant in (text, fold(text)))


@dataclass
class TurnResult:
    number: int
    user: str
    reply: str
    missing: list[str]
    forbidden: list[str]

    @property
    def passed(self) -> bool:
        return not self.missing and not self.forbidden


def judge(turn: Turn, number: int, reply: str, default_forbid: list[str]) -> TurnResult:
    forbid = [*turn.forbid, *([] if turn.allow_fallback else default_forbid)]
    return TurnResult(
        number=number,
        user=turn.user,
        reply=reply,
        missing=[p for p in turn.expect if not matches(p, reply)],
        forbidden=[p for p in forbid if matches(p, reply)],
    )


def readable(messages: Iterable[Any]) -> str:
    """Everything a resident reads in the replies of one turn: texts, button titles, links."""
    lines: list[str] = []

    def walk(value: Any, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                if k not in ("recipient_id", "payload", "content_type", "type", "is_reusable"):
                    walk(v, k)
                elif k == "payload" and isinstance(v, dict):
                    walk(v, k)  # Messenger attachments carry the link inside their payload
        elif isinstance(value, list):
            for item in value:
                walk(item, key)
        elif isinstance(value, str) and value.strip():
            lines.append(value.strip())

    for message in messages:
        walk(message)
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# The servers and the channels


class Harness:
    """One Tchatche instance (all channels) with fake Graph/Twilio APIs, SMTP and the demo GED."""

    def __init__(self) -> None:
        self.servers: Any = None
        self._stoppers: list[Any] = []
        self.sent: dict[str, int] = {}  # messages sent by each SMS or Messenger sender

    def start(self) -> Harness:
        # Imported here: the loader and the validation test must not need the server stack.
        from scripts.generate_corpus import generate
        from tests.channels.fake_api import FakeApi
        from tests.demandes.conftest import start_smtp
        from tests.servers import Servers

        work = Path(tempfile.mkdtemp(prefix="tchatche-conversations-"))
        self._stoppers.append(lambda: shutil.rmtree(work, ignore_errors=True))
        generate(work / "demo", today=dt.date.fromisoformat(NOW[:10]))
        self.graph = FakeApi().start()
        self.twilio = FakeApi().start()
        self._stoppers += [self.graph.stop, self.twilio.stop]
        controller, inbox = start_smtp()
        self._stoppers.append(controller.stop)
        self.inbox = inbox
        instance = Servers(web=True)
        instance.extra_env.update(
            TCHATCHE_NOW=NOW,
            TCHATCHE_SMTP_HOST="127.0.0.1",
            TCHATCHE_SMTP_PORT=str(inbox.port),
            TCHATCHE_DEMANDES_DB=f"sqlite:///{work / 'demandes.db'}",
            TCHATCHE_GED="embedded",
            TCHATCHE_GED_DOSSIER=str(work / "demo"),
            TCHATCHE_GED_INDEX=str(work / "index.sqlite"),
            TCHATCHE_SECRET="secret-des-conversations-de-bout-en-bout",
            TCHATCHE_PUBLIC_URL=instance.web_url,
            TCHATCHE_FACEBOOK_SECRET=FB_SECRET,
            TCHATCHE_FACEBOOK_VERIFY=FB_VERIFY,
            TCHATCHE_FACEBOOK_PAGE_ACCESS_TOKEN=FB_PAGE_TOKEN,
            TCHATCHE_GRAPH_API_URL=self.graph.url,
            TCHATCHE_TWILIO_ACCOUNT_SID=TWILIO_SID,
            TCHATCHE_TWILIO_AUTH_TOKEN=TWILIO_TOKEN,
            TCHATCHE_TWILIO_NUMBER=TWILIO_NUMBER,
            TCHATCHE_TWILIO_WEBHOOK_URL=TWILIO_PUBLIC_URL,
            TCHATCHE_TWILIO_API_URL=self.twilio.url,
        )
        self.servers = instance
        self._stoppers.insert(0, instance.stop)
        instance.start()
        return self

    def stop(self) -> None:
        for stop in self._stoppers:
            try:
                stop()
            except Exception as error:  # keep stopping the others
                print(f"arrêt : {error}", file=sys.stderr)
        self._stoppers.clear()

    # -- one turn on each channel: returns what the resident reads --------------------------

    def new_sender(self, channel: str) -> str:
        if channel == "twilio":
            return f"+3362{uuid.uuid4().int % 10**7:07d}"
        return f"conv-{channel}-{uuid.uuid4().hex[:10]}"

    def send(self, channel: str, sender: str, text: str, metadata: dict[str, Any]) -> str:
        if channel == "rest":
            return readable(self.servers.send(sender, text, metadata))
        if channel == "twilio":
            return self._send_sms(sender, text)
        return self._send_messenger(sender, text)

    def _bot_messages_of_last_turn(self, sender: str) -> list[dict[str, Any]]:
        """The bot's messages after the sender's latest message, from the tracker store.

        The connectors post replies in a background task after the turn is saved: the tracker
        says how many messages are on their way, so the runner waits for exactly those.
        """
        self.sent[sender] = self.sent.get(sender, 0) + 1
        deadline = time.monotonic() + 60
        while True:  # the webhook may answer before Rasa has saved the turn
            with sqlite3.connect(self.servers.database) as db:
                rows = db.execute(
                    "select type_name, action_name, data from events where sender_id = ? "
                    "order by id",
                    (sender,),
                ).fetchall()
            users = sum(1 for row in rows if row[0] == "user")
            done = bool(rows) and rows[-1][0] == "action" and rows[-1][1] == "action_listen"
            if (users >= self.sent[sender] and done) or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        messages: list[dict[str, Any]] = []
        for type_name, _, data in rows:
            if type_name == "user":
                messages = []
            elif type_name == "bot":
                event = json.loads(data)
                extra = event.get("data") or {}
                message = {"text": event.get("text")}
                message.update({k: v for k, v in extra.items() if v})
                messages.append(message)
        return messages

    def _wait(self, api: Any, predicate: Any, count: int, timeout: float = 60) -> list[Any]:
        deadline = time.monotonic() + timeout
        found: list[Any] = []
        while time.monotonic() < deadline:
            found = [r for r in list(api.requests) if predicate(r)]
            if len(found) >= count:
                return found
            time.sleep(0.05)
        return found

    def _send_sms(self, sender: str, text: str) -> str:
        from twilio.request_validator import RequestValidator

        from channels.sms import sms_replies

        def to_sender(r: Any) -> bool:
            return r.path.endswith("/Messages.json") and r.form().get("To") == sender

        before = len([r for r in list(self.twilio.requests) if to_sender(r)])
        form = {
            "MessageSid": f"SM{uuid.uuid4().hex}",
            "AccountSid": TWILIO_SID,
            "From": sender,
            "To": TWILIO_NUMBER,
            "Body": text,
        }
        signature = RequestValidator(TWILIO_TOKEN).compute_signature(TWILIO_PUBLIC_URL, form)
        response = requests.post(
            f"{self.servers.url}/webhooks/twilio/webhook",
            data=form,
            headers={"X-Twilio-Signature": signature},
            timeout=60,
        )
        response.raise_for_status()
        expected = len(sms_replies(self._bot_messages_of_last_turn(sender)))
        found = self._wait(self.twilio, to_sender, before + expected)
        # The SMS of one turn are posted one after the other: wait until no more arrive.
        while True:
            time.sleep(0.5)
            again = [r for r in list(self.twilio.requests) if to_sender(r)]
            if len(again) == len(found):
                break
            found = again
        return "\n".join(r.form().get("Body", "") for r in found[before:])

    def _send_messenger(self, sender: str, text: str) -> str:
        from channels.messenger import to_messenger

        def to_sender(r: Any) -> bool:
            return r.path.endswith("/me/messages") and r.json()["recipient"]["id"] == sender

        before = len([r for r in list(self.graph.requests) if to_sender(r)])
        message = {"mid": f"m-{uuid.uuid4().hex}", "text": text}
        body = {
            "object": "page",
            "entry": [
                {
                    "id": "page-1",
                    "time": 1,
                    "messaging": [
                        {
                            "sender": {"id": sender},
                            "recipient": {"id": "page-1"},
                            "timestamp": 1,
                            "message": message,
                        }
                    ],
                }
            ],
        }
        raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
        signature = "sha256=" + hmac.new(FB_SECRET.encode(), raw, hashlib.sha256).hexdigest()
        response = requests.post(
            f"{self.servers.url}/webhooks/facebook/webhook",
            data=raw,
            headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature},
            timeout=60,
        )
        response.raise_for_status()
        expected = sum(len(to_messenger(m)) for m in self._bot_messages_of_last_turn(sender))
        found = self._wait(self.graph, to_sender, before + expected)
        return readable(r.json()["message"] for r in found[before:])

    # -- a whole conversation ---------------------------------------------------------------

    def play(self, conversation: Conversation, default_forbid: list[str]) -> list[TurnResult]:
        """Plays every turn with a fresh sender; stops at the first failing turn."""
        sender = self.new_sender(conversation.channel)
        results: list[TurnResult] = []
        for number, turn in enumerate(conversation.turns, start=1):
            reply = self.send(conversation.channel, sender, turn.user, conversation.metadata)
            results.append(judge(turn, number, reply, default_forbid))
            if not results[-1].passed:
                break
        return results


# ---------------------------------------------------------------------------------------------
# Report


@dataclass
class Outcome:
    conversation: Conversation
    turns: list[TurnResult]

    @property
    def passed(self) -> bool:
        return len(self.turns) == len(self.conversation.turns) and all(t.passed for t in self.turns)

    @property
    def failing(self) -> TurnResult | None:
        return next((t for t in self.turns if not t.passed), None)


def share(outcomes: list[Outcome]) -> float:
    return sum(o.passed for o in outcomes) / len(outcomes) if outcomes else 0.0


def describe(outcome: Outcome, details: bool) -> str:
    conv = outcome.conversation
    head = f"{'OK   ' if outcome.passed else 'ÉCHEC'} {conv.id} [{conv.kind}, {conv.channel}]"
    failing = outcome.failing
    if failing is None:
        return head
    head += f" : tour {failing.number}/{len(conv.turns)}"
    if not details:
        return head
    lines = [head, f"    habitant : {failing.user}"]
    lines += [f"    manque   : {p}" for p in failing.missing]
    lines += [f"    interdit : {p}" for p in failing.forbidden]
    reply = failing.reply or "(aucune réponse)"
    lines += ["    réponse  : " + reply.replace("\n", "\n               ")]
    return "\n".join(lines)


def summary(outcomes: list[Outcome]) -> str:
    by_kind: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        by_kind.setdefault(outcome.conversation.kind, []).append(outcome)
    lines = ["", "Par type :"]
    for kind in KINDS:
        group = by_kind.get(kind)
        if group:
            passed = sum(o.passed for o in group)
            lines.append(f"  {kind:<14} {passed:>3}/{len(group):<3} {passed / len(group):6.0%}")
    channels = Counter(o.conversation.channel for o in outcomes)
    passed = sum(o.passed for o in outcomes)
    lines.append(f"Canaux : {dict(channels)}")
    lines.append(f"Total : {passed}/{len(outcomes)} conversations justes ({share(outcomes):.0%})")
    return "\n".join(lines)


def run_set(
    harness: Harness,
    conversation_set: ConversationSet,
    only: str | None = None,
    details: bool = True,
    out: Any = sys.stdout,
) -> list[Outcome]:
    outcomes = []
    for conversation in conversation_set.conversations:
        if only and conversation.id != only:
            continue
        outcome = Outcome(conversation, harness.play(conversation, conversation_set.default_forbid))
        outcomes.append(outcome)
        print(describe(outcome, details), file=out, flush=True)
    print(summary(outcomes), file=out, flush=True)
    return outcomes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=SETS, default="dev", dest="name")
    parser.add_argument("--only", help="id of one conversation")
    parser.add_argument(
        "--show",
        action="store_true",
        help="print the failing turn's messages for the apart set too (they are kept apart)",
    )
    args = parser.parse_args(argv)
    conversation_set = load_set(args.name)
    if args.only and args.only not in {c.id for c in conversation_set.conversations}:
        parser.error(f"no conversation {args.only!r} in {args.name}.yml")
    details = args.name != "apart" or args.show
    print(f"Démarrage des serveurs (horloge des actions : {NOW})…", flush=True)
    harness = Harness().start()
    try:
        outcomes = run_set(harness, conversation_set, args.only, details)
    finally:
        harness.stop()
    if args.name == "apart":
        verdict = "atteint" if share(outcomes) >= APART_GOAL else "non atteint"
        print(f"Objectif {APART_GOAL:.0%} sur l'ensemble mis à part : {verdict}")
    return 0 if all(o.passed for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
