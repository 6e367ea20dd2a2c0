"""The socket.io output of the web chat, without a browser: documents reach the widget."""

from __future__ import annotations

import asyncio
from typing import Any

from channels.webchat import WebchatOutput


class FakeSio:
    def __init__(self, fail: bool = False) -> None:
        self.emitted: list[tuple[str, Any, str]] = []
        self.fail = fail

    async def emit(self, event: str, data: Any, room: str) -> None:
        if self.fail:
            raise ConnectionError("socket closed")
        self.emitted.append((event, data, room))


def test_custom_document_is_emitted_under_custom():
    sio = FakeSio()
    document = {"document": {"url": "https://x.example/d/t", "titre": "Menu", "type": "pdf"}}
    asyncio.run(WebchatOutput(sio, "bot_uttered").send_custom_json("session-1", document))
    assert sio.emitted == [("bot_uttered", {"custom": document}, "session-1")]


def test_emit_errors_never_reach_rasa():
    sio = FakeSio(fail=True)
    asyncio.run(WebchatOutput(sio, "bot_uttered").send_text_message("session-1", "Bonjour"))
    assert sio.emitted == []
