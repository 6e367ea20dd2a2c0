"""Socket.io channel of the commune page's chat widget (web/static/chat.js).

Why a subclass of Rasa's `SocketIOInput`: Rasa's socket.io output sends custom JSON with
`sio.emit(event, **json_message)`, i.e. it expects `{"data": …}` and raises a TypeError for the
`{"document": {...}}` messages of the action server; the error stops the turn before the tracker is
saved, so the resident's message would be lost. Here custom JSON is emitted as `{"custom": …}`,
the same shape the widget gets from `CollectingOutputChannel`, and every emit error is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

logger = logging.getLogger(__name__)


class WebchatOutput(SocketIOOutput):
    """Socket.io output that never raises into Rasa's prediction loop."""

    async def _send_message(self, socket_id: str, response: Any) -> None:
        try:
            await self.sio.emit(self.bot_message_evt, response, room=socket_id)
        except Exception:  # a closed socket must not cost the resident's message
            logger.exception("Webchat: could not emit a reply to %s", socket_id)

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


class WebchatInput(SocketIOInput):
    """Rasa's socket.io input with `WebchatOutput`; configured like `socketio:`."""

    @classmethod
    def name(cls) -> str:
        return "socketio"

    def get_output_channel(self) -> WebchatOutput | None:
        if self.sio is None:
            return None
        return WebchatOutput(self.sio, self.bot_message_evt)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def with_webchat_output(message: UserMessage) -> Any:
            if isinstance(message.output_channel, SocketIOOutput) and self.sio is not None:
                message.output_channel = WebchatOutput(self.sio, self.bot_message_evt)
            return await on_new_message(message)

        return super().blueprint(with_webchat_output)
