"""One real Tchatche (Rasa + action server + web app) for all channel tests, with local fake
Graph and Twilio APIs, so that the ~45 s start is paid once."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.channels.fake_api import FakeApi
from tests.servers import Servers

FB_SECRET = "secret-de-test-facebook"
FB_VERIFY = "jeton-de-verification"
FB_PAGE_TOKEN = "jeton-de-page"
TWILIO_SID = "AC00000000000000000000000000000000"
TWILIO_TOKEN = "jeton-twilio-de-test"
TWILIO_NUMBER = "+33600000000"
# What Twilio would call behind a proxy: not the URL Rasa sees (127.0.0.1:<port>).
TWILIO_PUBLIC_URL = "https://mairies.example/webhooks/twilio/webhook"


@pytest.fixture(scope="session")
def graph_api():
    fake = FakeApi().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def twilio_api():
    fake = FakeApi().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def servers(graph_api, twilio_api, tmp_path_factory):
    # Demandes and photos of these tests go to a throwaway database, not var/demandes.db.
    demandes_db = tmp_path_factory.mktemp("demandes") / "demandes.db"
    instance = Servers(
        web=True,
        extra_env={
            "TCHATCHE_DEMANDES_DB": f"sqlite:///{demandes_db}",
            "TCHATCHE_FACEBOOK_SECRET": FB_SECRET,
            "TCHATCHE_FACEBOOK_VERIFY": FB_VERIFY,
            "TCHATCHE_FACEBOOK_PAGE_ACCESS_TOKEN": FB_PAGE_TOKEN,
            "TCHATCHE_GRAPH_API_URL": graph_api.url,
            "TCHATCHE_TWILIO_ACCOUNT_SID": TWILIO_SID,
            "TCHATCHE_TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
            "TCHATCHE_TWILIO_NUMBER": TWILIO_NUMBER,
            "TCHATCHE_TWILIO_WEBHOOK_URL": TWILIO_PUBLIC_URL,
            "TCHATCHE_TWILIO_API_URL": twilio_api.url,
        },
    ).start()
    yield instance
    instance.stop()


def user_texts(database: Path, sender: str) -> list[str]:
    """Texts of the user messages stored in the tracker store for `sender`."""
    with sqlite3.connect(database) as db:
        rows = db.execute(
            "select data from events where sender_id = ? and type_name = 'user' order by id",
            (sender,),
        ).fetchall()
    return [json.loads(r[0]).get("text") for r in rows]


def rasa_log(servers: Servers) -> str:
    return (servers.workdir / "rasa.log").read_text(errors="replace")
