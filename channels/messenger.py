"""Facebook Messenger channel: signed webhooks only, replies sent after the message is handled.

Why a subclass of Rasa's `FacebookInput`:
- Rasa checks the legacy `X-Hub-Signature` (SHA-1) with `==` and answers a bad signature with 200;
  here `X-Hub-Signature-256` is checked with `hmac.compare_digest` and refused with 403.
- Rasa calls the Graph API (`mark_seen`) before handling the message, without error handling: when
  Facebook is unreachable the resident's message is lost. Here the message is handled first with a
  collecting output channel (the tracker is saved whatever happens), then the replies are posted to
  the Graph API in a background task whose errors are logged.
- The Graph API base URL comes from `TCHATCHE_GRAPH_API_URL`, so tests can run a local fake API.

Secrets are read from the environment when credentials.yml leaves them out: a `${VAR}` in
credentials.yml makes Rasa refuse to start when VAR is unset, and Tchatche must start without
Facebook secrets. Without a secret every POST is refused (nothing can be verified).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from fbmessenger import MessengerClient
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.facebook import FacebookInput, MessengerBot
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels import collector as channel_collector
from channels import credential

logger = logging.getLogger(__name__)

DEFAULT_GRAPH_API_URL = "https://graph.facebook.com/v18.0"
MAX_QUICK_REPLIES = 13  # Messenger's limit
MAX_QUICK_REPLY_TITLE = 20  # characters, Messenger's limit
MAX_TEXT = 2000  # characters per Messenger text message
SEND_TIMEOUT = aiohttp.ClientTimeout(total=15)

# Background deliveries are kept referenced until done (asyncio only keeps weak references).
_PENDING: set[asyncio.Task] = set()


def graph_api_url() -> str:
    """Base URL of the Graph API, read at each call so tests can point it elsewhere."""
    return os.environ.get("TCHATCHE_GRAPH_API_URL", "").rstrip("/") or DEFAULT_GRAPH_API_URL


def signature_is_valid(secret: str, body: bytes, header: str) -> bool:
    """True when `header` is `sha256=<hex HMAC-SHA256 of the raw body with the app secret>`."""
    if not secret or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256=").strip().lower())


def short_title(title: str) -> str:
    """Messenger cuts quick-reply titles at 20 characters; cut on our side with an ellipsis."""
    title = " ".join(str(title).split())
    if len(title) <= MAX_QUICK_REPLY_TITLE:
        return title
    return title[: MAX_QUICK_REPLY_TITLE - 1].rstrip() + "…"


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Pieces of at most `limit` characters, cut at a line break or a space when possible."""
    pieces: list[str] = []
    while len(text) > limit:
        cut = max(text.rfind("\n", 0, limit), text.rfind(" ", 0, limit))
        cut = cut if cut > limit // 2 else limit
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return [*pieces, text] if text else pieces


def to_messenger(message: dict[str, Any]) -> list[dict[str, Any]]:
    """Messenger `message` objects for one message collected from Rasa (text, buttons, document)."""
    out: list[dict[str, Any]] = []
    custom = message.get("custom")
    document = custom.get("document") if isinstance(custom, dict) else None
    if isinstance(document, dict) and document.get("url"):
        out.append(
            {
                "attachment": {
                    "type": "file",
                    "payload": {"url": str(document["url"]), "is_reusable": False},
                }
            }
        )
    text = str(message.get("text") or "").strip()
    buttons = [b for b in message.get("buttons") or [] if b.get("title") and b.get("payload")]
    chunks = split_text(text) if text else []
    for chunk in chunks[:-1]:  # a long answer: several messages, nothing cut off
        out.append({"text": chunk})
    if chunks or buttons:
        item: dict[str, Any] = {"text": chunks[-1] if chunks else "Choisissez :"}
        if buttons:
            item["quick_replies"] = [
                {
                    "content_type": "text",
                    "title": short_title(b["title"]),
                    "payload": str(b["payload"])[:1000],
                }
                for b in buttons[:MAX_QUICK_REPLIES]
            ]
        out.append(item)
    if message.get("image"):
        out.append({"attachment": {"type": "image", "payload": {"url": str(message["image"])}}})
    return out


class MessengerOutput(MessengerBot):
    """Posts to the Graph API with aiohttp (not fbmessenger's blocking `requests`), logs errors.

    Used directly by Rasa for messages it sends outside a webhook (e.g. reminders); webhook
    replies go through `deliver()` after the message has been handled.
    """

    @classmethod
    def name(cls) -> str:
        return "facebook"

    def __init__(self, page_access_token: str) -> None:
        super().__init__(MessengerClient(page_access_token or "unset"))
        self.page_access_token = page_access_token

    async def post(self, recipient_id: str, message: dict[str, Any]) -> bool:
        """Sends one Messenger message; returns False (and logs) instead of raising."""
        url = f"{graph_api_url()}/me/messages"
        body = {"recipient": {"id": recipient_id}, "messaging_type": "RESPONSE", "message": message}
        try:
            async with (
                aiohttp.ClientSession(timeout=SEND_TIMEOUT) as session,
                session.post(
                    url, json=body, params={"access_token": self.page_access_token}
                ) as reply,
            ):
                if reply.status >= 400:
                    logger.error(
                        "Messenger: Graph API answered %s for %s: %s",
                        reply.status,
                        recipient_id,
                        (await reply.text())[:300],
                    )
                    return False
                return True
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as error:
            logger.error(
                "Messenger: Graph API unreachable (%s), reply to %s not sent", error, recipient_id
            )
            return False

    async def deliver(self, recipient_id: str, messages: list[dict[str, Any]]) -> None:
        """Sends the collected replies of one turn in order; stops at the first failure."""
        for message in messages:
            for item in to_messenger(message):
                if not await self.post(recipient_id, item):
                    return

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        await self.deliver(recipient_id, [message])

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.deliver(recipient_id, [{"text": text}])

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        await self.deliver(recipient_id, [{"text": text, "buttons": buttons}])

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        await self.deliver(recipient_id, [{"custom": json_message}])

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self.deliver(recipient_id, [{"image": image}])

    async def send_action(self, recipient_id: str, sender_action: str) -> None:
        """No sender actions: they cost a Graph API call and tell the resident nothing useful."""


def incoming_messages(payload: dict[str, Any]) -> list[tuple[str, str]]:
    """(sender id, text) for every user message of a webhook payload (Rasa only read the first).

    A quick reply gives its payload; echoes, deliveries and reads are ignored.
    """
    found: list[tuple[str, str]] = []
    for entry in payload.get("entry") or []:
        for event in (entry or {}).get("messaging") or []:
            sender = str(((event or {}).get("sender") or {}).get("id") or "")
            message = event.get("message") or {}
            text = ""
            if message.get("is_echo"):
                continue
            if (message.get("quick_reply") or {}).get("payload"):
                text = str(message["quick_reply"]["payload"])
            elif isinstance(message.get("text"), str):
                text = message["text"]
            elif message.get("attachments"):
                text = str(
                    ((message["attachments"][0] or {}).get("payload") or {}).get("url") or ""
                )
            elif (event.get("postback") or {}).get("payload"):
                text = str(event["postback"]["payload"])
            if sender and text:
                found.append((sender, text))
    return found


class MessengerInput(FacebookInput):
    """Facebook Messenger webhook at /webhooks/facebook/webhook (Rasa's name is kept)."""

    @classmethod
    def name(cls) -> str:
        return "facebook"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}

        def value(key: str, env: str) -> str:
            return credential(credentials, key, env)

        return cls(
            value("verify", "TCHATCHE_FACEBOOK_VERIFY"),
            value("secret", "TCHATCHE_FACEBOOK_SECRET"),
            value("page-access-token", "TCHATCHE_FACEBOOK_PAGE_ACCESS_TOKEN"),
        )

    def get_output_channel(self) -> MessengerOutput:
        return MessengerOutput(self.fb_access_token)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("tchatche_facebook_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok", "configured": bool(self.fb_secret)})

        @webhook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            """Facebook's subscription handshake: echo hub.challenge if the token matches."""
            token = request.args.get("hub.verify_token") or ""
            if (
                self.fb_verify
                and request.args.get("hub.mode", "subscribe") == "subscribe"
                and hmac.compare_digest(token.encode(), self.fb_verify.encode())
            ):
                return response.text(request.args.get("hub.challenge") or "")
            logger.warning("Messenger: wrong verify token on the subscription handshake")
            return response.text("jeton de vérification incorrect", status=403)

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            signature = request.headers.get("X-Hub-Signature-256") or ""
            if not signature_is_valid(self.fb_secret, request.body or b"", signature):
                logger.warning("Messenger: webhook refused, missing or wrong X-Hub-Signature-256")
                return response.text("signature invalide", status=403)
            try:
                payload = json.loads(request.body or b"{}")
            except ValueError:
                return response.text("JSON invalide", status=400)
            metadata = self.get_metadata(request)
            for sender, text in incoming_messages(payload if isinstance(payload, dict) else {}):
                collector = channel_collector(self.name())
                try:
                    await on_new_message(
                        UserMessage(
                            text, collector, sender, input_channel=self.name(), metadata=metadata
                        )
                    )
                except Exception:  # the webhook must answer 200, or Facebook retries forever
                    logger.exception("Messenger: error while handling a message of %s", sender)
                task = asyncio.create_task(
                    self.get_output_channel().deliver(sender, collector.messages)
                )
                _PENDING.add(task)
                task.add_done_callback(_PENDING.discard)
            return response.text("EVENT_RECEIVED")

        return webhook
