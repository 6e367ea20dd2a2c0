"""Action server down: the resident gets one clear French answer, and the bot listens.

Why a patch: in Rasa 3.6, `MessageProcessor._run_action` catches any exception raised by an
action, logs "Encountered an exception while running action … Bot will continue", drops the
action's events and goes on predicting. When the action server (actions/) is unreachable, times
out or answers 5xx, the resident gets silence or a wrong answer. Rasa has no hook for this (no
setting, no callback; channels and NLG never see the error), so `install()` wraps the `run` method
of the actions that call the action server:

- `RemoteAction`: every custom action of domain.yml (`action_*`, and `validate_*_form` when a form
  runs it);
- `FormAction`: its `validate_<form>` call goes to the action server;
- `ActionExtractSlots`: custom slot mappings with `action:` call it too (Rasa already tolerates
  their failure; wrapping it only keeps those nested calls from answering, see below).

The outermost wrapped action of a turn (the one Rasa runs) answers for the turn. If it fails, it
returns `BotUttered(utter_service_indisponible)` and `FollowupAction("action_listen")`: Rasa
sends the message, logs both events and runs `action_listen` next, so nothing else is predicted.
Nested calls (a form's validation action) let the error go up to that outer action: a form whose
validation cannot run accepts no unchecked answer, keeps its pending question, and the resident's
next message is validated normally once the server is back. The resident's message stays in the
tracker store, as after any turn.

`ActionExecutionRejection` (HTTP 400 from a validation action, a form answer that fills nothing)
goes through untouched: Rasa's forms rely on it. `asyncio.CancelledError` is not caught either.

The text lives in the domain (`utter_service_indisponible`, domain.yml, editable by the
designers); `FALLBACK_TEXT` is used only if the NLG has no such response.

Installed by `channels/__init__.py`: credentials.yml names our channels, so every Rasa server we
start imports this package. `install()` patches once, however often it is called.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from rasa.core.actions.action import (
    ActionExecutionRejection,
    ActionExtractSlots,
    RemoteAction,
    create_bot_utterance,
)
from rasa.core.actions.forms import FormAction
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import Event, FollowupAction

if TYPE_CHECKING:
    from rasa.core.actions.action import Action
    from rasa.core.channels.channel import OutputChannel
    from rasa.core.nlg import NaturalLanguageGenerator
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    Run = Callable[
        [Action, OutputChannel, NaturalLanguageGenerator, DialogueStateTracker, Domain],
        Awaitable[list[Event]],
    ]

logger = logging.getLogger(__name__)

RESPONSE = "utter_service_indisponible"
FALLBACK_TEXT = (
    "Désolé, je ne peux pas répondre à cette question pour le moment : un service de "
    "l'assistant est indisponible. Réessayez dans quelques minutes, ou appelez votre mairie "
    "aux heures d'ouverture."
)
GUARDED_ACTIONS: tuple[type[Action], ...] = (RemoteAction, FormAction, ActionExtractSlots)

_MARK = "__tchatche_action_guard__"
# True while a wrapped action runs: actions it runs itself leave the answer to it.
_inside_guarded_action: ContextVar[bool] = ContextVar("tchatche_action_guard", default=False)


async def unavailable_events(
    output_channel: OutputChannel,
    nlg: NaturalLanguageGenerator,
    tracker: DialogueStateTracker,
    domain: Domain,
) -> list[Event]:
    """The French message (from the domain if possible), then listen."""
    message: dict[str, Any] | None = None
    try:
        message = await nlg.generate(
            RESPONSE, tracker, output_channel.name(), domain_responses=domain.responses
        )
    except Exception:  # a remote NLG may be down too: the fixed text still goes out
        logger.exception("Action guard: could not render %s", RESPONSE)
    if not message:
        message = {"text": FALLBACK_TEXT}
    message["utter_action"] = RESPONSE
    return [create_bot_utterance(message), FollowupAction(ACTION_LISTEN_NAME)]


def guard(run: Run) -> Run:
    """`run` that answers `unavailable_events` instead of raising (outermost action only)."""

    @functools.wraps(run)
    async def guarded(
        action: Action,
        output_channel: OutputChannel,
        nlg: NaturalLanguageGenerator,
        tracker: DialogueStateTracker,
        domain: Domain,
    ) -> list[Event]:
        if _inside_guarded_action.get():
            return await run(action, output_channel, nlg, tracker, domain)
        token = _inside_guarded_action.set(True)
        try:
            return await run(action, output_channel, nlg, tracker, domain)
        except ActionExecutionRejection:
            raise
        except Exception:
            logger.exception(
                "Action '%s' could not run (action server down, too slow or failing): "
                "the resident gets %s and the bot listens.",
                action.name(),
                RESPONSE,
            )
            return await unavailable_events(output_channel, nlg, tracker, domain)
        finally:
            _inside_guarded_action.reset(token)

    setattr(guarded, _MARK, True)
    return guarded


def install() -> None:
    """Wrap the `run` of each class of `GUARDED_ACTIONS`, once."""
    for cls in GUARDED_ACTIONS:
        if not getattr(cls.run, _MARK, False):
            cls.run = guard(cls.run)  # type: ignore[method-assign]
