"""channels/action_guard.py against a fake action server (aiohttp, free port), no Rasa server.

The real servers (action server stopped, then started again) are in test_action_server_down.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import pytest
from aiohttp import web
from rasa.core.actions import action as rasa_action
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.actions.forms import FormAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    Event,
    FollowupAction,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from channels import action_guard
from tests.servers import free_port

UNAVAILABLE = "un service de l'assistant est indisponible"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@asynccontextmanager
async def action_server(handler: Handler | None) -> AsyncIterator[EndpointConfig]:
    """Endpoint of a fake action server answering with `handler`; None: nobody listens."""
    port = free_port()
    endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook")
    if handler is None:
        yield endpoint
        return
    app = web.Application()
    app.router.add_post("/webhook", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield endpoint
    finally:
        await runner.cleanup()


async def error_500(request: web.Request) -> web.Response:
    return web.json_response({"error": "boom"}, status=500)


async def slow(request: web.Request) -> web.Response:
    await asyncio.sleep(5)
    return web.json_response({"events": [], "responses": []})


async def reject(request: web.Request) -> web.Response:
    body = await request.json()
    return web.json_response({"action_name": body["next_action"], "error": "non"}, status=400)


async def answer(request: web.Request) -> web.Response:
    return web.json_response(
        {"events": [{"event": "slot", "name": "commune", "value": "Bapaume"}], "responses": []}
    )


def question(domain: Domain) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(
        "resident",
        [
            ActionExecuted("action_listen"),
            UserUttered("horaires de la mairie de Bapaume", {"name": "horaires_mairie"}),
        ],
        slots=domain.slots,
    )


def run_remote(handler: Handler | None, domain: Domain) -> list[Event]:
    async def go() -> list[Event]:
        async with action_server(handler) as endpoint:
            action = RemoteAction("action_preparer_reponse", endpoint)
            nlg = TemplatedNaturalLanguageGenerator(domain.responses)
            return await action.run(CollectingOutputChannel(), nlg, question(domain), domain)

    return asyncio.run(go())


def assert_unavailable(events: list[Event]) -> None:
    bot, followup = events
    assert isinstance(bot, BotUttered) and UNAVAILABLE in bot.text
    assert "Réessayez dans quelques minutes" in bot.text
    assert bot.metadata.get("utter_action") == "utter_service_indisponible"
    assert followup == FollowupAction("action_listen")


@pytest.mark.parametrize("handler", [None, error_500], ids=["server down", "http 500"])
def test_custom_action_that_cannot_run_answers_in_french_then_listens(handler, domain):
    assert_unavailable(run_remote(handler, domain))


def test_action_server_too_slow(domain, monkeypatch):
    monkeypatch.setattr(rasa_action, "DEFAULT_REQUEST_TIMEOUT", 0.3)
    assert_unavailable(run_remote(slow, domain))


def test_a_working_action_server_is_untouched(domain):
    assert run_remote(answer, domain) == [SlotSet("commune", "Bapaume")]


def test_rejection_by_a_validation_action_still_reaches_rasa(domain):
    with pytest.raises(ActionExecutionRejection):
        run_remote(reject, domain)


def test_fixed_french_text_when_the_domain_has_no_such_response():
    domain = Domain.from_dict({"responses": {"utter_saluer": [{"text": "Bonjour"}]}})
    bot, _ = run_remote(None, domain)
    assert bot.text == action_guard.FALLBACK_TEXT


def form_answer(domain: Domain) -> DialogueStateTracker:
    """The resident answers the first question of demande_form (slot already extracted)."""
    return DialogueStateTracker.from_events(
        "resident",
        [
            ActionExecuted("action_listen"),
            UserUttered("/affirmer", {"name": "affirmer"}),
            ActionExecuted("demande_form"),
            ActiveLoop("demande_form"),
            SlotSet("requested_slot", "demande_service"),
            ActionExecuted("action_listen"),
            UserUttered("Urbanisme", {"name": "urbanisme"}),
            SlotSet("demande_service", "Urbanisme"),
        ],
        slots=domain.slots,
    )


def test_form_whose_validation_cannot_run_answers_in_french_and_accepts_nothing(domain):
    async def go() -> list[Event]:
        async with action_server(error_500) as endpoint:
            form = FormAction("demande_form", endpoint)
            nlg = TemplatedNaturalLanguageGenerator(domain.responses)
            return await form.run(CollectingOutputChannel(), nlg, form_answer(domain), domain)

    events = asyncio.run(go())
    assert_unavailable(events)  # no SlotSet: the question stays pending, nothing unchecked


def test_form_validation_rejection_is_kept(domain):
    async def go() -> list[Event]:
        async with action_server(reject) as endpoint:
            form = FormAction("demande_form", endpoint)
            nlg = TemplatedNaturalLanguageGenerator(domain.responses)
            return await form.run(CollectingOutputChannel(), nlg, form_answer(domain), domain)

    with pytest.raises(ActionExecutionRejection):
        asyncio.run(go())


def test_install_patches_once():
    runs = [cls.run for cls in action_guard.GUARDED_ACTIONS]
    action_guard.install()
    action_guard.install()
    assert [cls.run for cls in action_guard.GUARDED_ACTIONS] == runs
    assert all(getattr(run, "__wrapped__", None) for run in runs)
    assert not getattr(runs[0].__wrapped__, "__wrapped__", None), "wrapped once"
