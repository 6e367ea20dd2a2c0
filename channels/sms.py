"""SMS channel through Twilio: signed webhooks only, replies shaped for a basic phone.

Why a subclass of Rasa's `TwilioInput`:
- Rasa never checks `X-Twilio-Signature`: anyone could write in a resident's name. Here the
  signature is checked with twilio's `RequestValidator` against the public URL of the webhook
  (`TCHATCHE_TWILIO_WEBHOOK_URL`, because behind a proxy the URL Rasa sees is not the one Twilio
  signed) and refused with 403.
- Rasa sends replies with twilio's blocking client while handling the message: when Twilio is
  unreachable the webhook fails and the resident's message is not stored. Here the message is
  handled first (tracker saved), then the reply is posted in a background task; errors are logged.
- A text message has no buttons: choices become "Répondez 1 pour …, 2 pour …" and a reply "1" is
  turned back into the button's payload, read from the last bot message in the tracker (so it
  survives a restart and needs no extra store).
- The messages of one turn are packed into as few SMS as hold them uncut (up to 3 per need, each
  of at most 3 segments): a form's question or the local part of an answer is never cut away.
  A message too long on its own is cut at a sentence, keeping the service-public.gouv.fr link.
  The text is made GSM-7 where possible (a single non-GSM character makes every segment 70
  characters).
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import re
import unicodedata
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.twilio import TwilioInput, TwilioOutput
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

from channels import collector as channel_collector
from channels import credential
from tchatche_dialogue.deux_besoins import SECOND_NEED

logger = logging.getLogger(__name__)

DEFAULT_TWILIO_API_URL = "https://api.twilio.com"
# At most this many SMS for one need of one turn (each up to MAX_SEGMENTS segments).
MAX_SMS_PER_NEED = 3
MAX_SEGMENTS = 3
SEND_TIMEOUT = aiohttp.ClientTimeout(total=15)
_PENDING: set[asyncio.Task] = set()

# GSM 03.38 basic set (1 septet each) and extension table (escape + 1 septet).
GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = set("^{}\\[~]|€\f")
REPLACEMENTS = {
    "\u2019": "'",
    "\u2018": "'",
    "\u02bc": "'",
    "\u201c": '"',
    "\u201d": '"',
    "«": '"',
    "»": '"',
    "\u00a0": " ",
    "\u202f": " ",
    "\u2009": " ",
    "\u2013": "-",
    "\u2014": "-",
    "\u2026": "...",
    "œ": "oe",
    "Œ": "OE",
    "•": "-",
    "\t": " ",
}
URL = re.compile(r"https?://[^\s<>\"]+")
DANGLING = re.compile(r"(?<=[.!?])\s+[^.!?]*:\s*$")
# « Source officielle : https://… », « - passeport : https://… », « Sources officielles : »: lines
# that are only there for a link, dropped with it when a reply is cut (the link comes last).
LINK_LINE = re.compile(
    r"^[^\n]*?:\s*https?://[^\s<>\"]+\s*$\n?|^\s*Sources? officielles?\s*:\s*$\n?",
    re.MULTILINE | re.IGNORECASE,
)
CHOICE = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")


def twilio_api_url() -> str:
    return os.environ.get("TCHATCHE_TWILIO_API_URL", "").rstrip("/") or DEFAULT_TWILIO_API_URL


def to_gsm(text: str) -> str:
    """GSM-7 text where possible: typographic signs replaced, accents not in GSM dropped (ê→e),
    emojis and other symbols removed. A French reply then fits 153 characters per segment."""
    text = re.sub(r"\s*»", '"', re.sub(r"«\s*", '"', text))
    out: list[str] = []
    for char in text:
        char = REPLACEMENTS.get(char, char)
        if all(c in GSM_BASIC or c in GSM_EXTENDED for c in char):
            out.append(char)
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        if base and all(c in GSM_BASIC or c in GSM_EXTENDED for c in base):
            out.append(base)
        elif unicodedata.category(char).startswith(("L", "N")):
            out.append(char)  # a letter we cannot map: keep it (UCS-2) rather than lose meaning
        # else: emoji, pictogram, control character: dropped
    cleaned = re.sub(r" +([.,])", r"\1", re.sub(r"[ ]{2,}", " ", "".join(out)))
    return re.sub(r"\n{3,}", "\n\n", cleaned).strip()


def is_gsm(text: str) -> bool:
    return all(c in GSM_BASIC or c in GSM_EXTENDED for c in text)


def segments(text: str) -> int:
    """Number of SMS segments Twilio bills for `text` (GSM-7: 160/153, UCS-2: 70/67)."""
    if is_gsm(text):
        units = sum(2 if c in GSM_EXTENDED else 1 for c in text)
        return 1 if units <= 160 else math.ceil(units / 153)
    units = len(text.encode("utf-16-le")) // 2
    return 1 if units <= 70 else math.ceil(units / 67)


def choices_line(buttons: list[dict[str, Any]]) -> str:
    """'Répondez 1 pour Horaires, 2 pour Démarches.' for a message's buttons."""
    parts = [f"{i} pour {b.get('title', '')}" for i, b in enumerate(buttons, start=1)]
    return "Répondez " + ", ".join(parts) + "." if parts else ""


def _fits(text: str) -> bool:
    return segments(text) <= MAX_SEGMENTS


def _cut_sentences(text: str, keep: Callable[[str], bool]) -> str:
    """Longest prefix of whole sentences (or words) for which keep(prefix) holds."""
    sentences = re.split(r"(?<=[.!?:])\s+", text)
    result = ""
    for sentence in sentences:
        candidate = f"{result} {sentence}".strip()
        if not keep(candidate):
            break
        result = candidate
    if result:
        return result
    words = text.split()
    for end in range(len(words), 0, -1):
        candidate = " ".join(words[:end]) + "..."
        if keep(candidate):
            return candidate
    return ""


def _pieces(message: dict[str, Any]) -> list[dict[str, Any]]:
    """A message too long for one SMS, split at its lines and sentences into pieces that fit.

    Buttons and documents stay with the last piece. A single sentence too long on its own stays
    whole: sms_reply cuts it later.
    """
    text = str(message.get("text") or "")
    if not text or _fits(to_gsm(text)):
        return [message]
    chunks: list[tuple[str, str]] = []  # (separator before, words)
    for line in text.splitlines():
        for number, sentence in enumerate(re.split(r"(?<=[.!?])\s+", line.strip())):
            if sentence:
                chunks.append((" " if number else "\n", sentence))
    pieces: list[str] = []
    for separator, sentence in chunks:
        candidate = f"{pieces[-1]}{separator}{sentence}" if pieces else sentence
        if pieces and _fits(to_gsm(candidate)):
            pieces[-1] = candidate
        else:
            pieces.append(sentence)
    return [{"text": piece} for piece in pieces[:-1]] + [{**message, "text": pieces[-1]}]


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    return list(message.get("buttons") or [])


def _packs(messages: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Messages grouped so that each group fits one SMS uncut, at most MAX_SMS_PER_NEED groups.

    A message too long on its own stays alone (sms_reply cuts it at a sentence and keeps its
    link); what is left beyond the last group joins it and may be cut there.
    """
    packs: list[list[dict[str, Any]]] = []
    for message in (piece for whole in messages for piece in _pieces(whole)):
        if packs and (
            # A message with buttons is measured with its numbered choices: a pack that only
            # fits without them lost its local part when they were added (« Riencourt »).
            _fits("\n".join(_uncut([*packs[-1], message], choices=bool(buttons(message)))).strip())
            or len(packs) == MAX_SMS_PER_NEED
        ):
            packs[-1].append(message)
        else:
            packs.append([message])
    return packs


def sms_replies(messages: list[dict[str, Any]]) -> list[str]:
    """The SMS of one turn: whole messages, never a question cut away.

    Squeezed into one SMS, a long answer lost its end: the question of a form (« Voulez-vous
    être tenu au courant ? »), the local part after the national one, the second of two needs.
    The messages of one turn are packed into as few SMS as fit uncut; the second need,
    announced by « Votre autre question », starts its own SMS. Only the last SMS keeps the
    numbered choices: « 1 » answers the buttons the bot offered last.
    """
    needs: list[list[dict[str, Any]]] = [[]]
    for message in messages:
        if str(message.get("text") or "").startswith(SECOND_NEED) and needs[-1]:
            needs.append([])
        needs[-1].append(message)
    packs = [pack for need in needs for pack in _packs(need)]
    last = len(packs) - 1
    replies = [sms_reply(pack, choices=index == last) for index, pack in enumerate(packs)]
    return [reply for reply in replies if reply]


def _uncut(messages: list[dict[str, Any]], choices: bool) -> tuple[str, str]:
    """(body, choices line) of the messages, GSM-7, before any cut."""
    texts: list[str] = []
    buttons: list[dict[str, Any]] = []
    for message in messages:
        custom = message.get("custom")
        document = custom.get("document") if isinstance(custom, dict) else None
        # the action's text fallback usually carries the link already: no second copy
        if (
            isinstance(document, dict)
            and document.get("url")
            and not any(str(document["url"]) in t for t in texts)
        ):
            texts.append(f"{document.get('titre') or 'Document'} : {document['url']}")
        if message.get("text"):
            texts.append(str(message["text"]).strip())
        if message.get("buttons") and choices:
            buttons = list(message["buttons"])
    return to_gsm("\n".join(t for t in texts if t)), to_gsm(choices_line(buttons))


def sms_reply(messages: list[dict[str, Any]], choices: bool = True) -> str:
    """One SMS (≤ 3 segments) from the messages Rasa produced for one turn.

    Texts are joined, the last buttons become numbered choices, a `custom.document` becomes its
    title and link. When too long, the text is cut at a sentence and the first link
    (service-public.gouv.fr first) is kept so the resident can read the rest.
    """
    body, choices_text = _uncut(messages, choices)
    full = "\n".join(p for p in (body, choices_text) if p)
    if _fits(full):
        return full
    links = URL.findall(body)
    links.sort(key=lambda u: "service-public.gouv.fr" not in u)
    link = links[0] if links else ""
    prose = " ".join(URL.sub("", LINK_LINE.sub("", body)).split())
    more = f"En savoir plus : {link}" if link else ""
    tail = "\n".join(p for p in (more, choices_text) if p)
    # The choices must stay usable: drop them to a shorter form if they alone are too long.
    if not _fits(tail):
        tail = more
    short = _cut_sentences(prose, lambda p: _fits("\n".join(x for x in (p, tail) if x)))
    short = DANGLING.sub("", short) if link else short  # "Source officielle :" lost its link
    reply = "\n".join(x for x in (short, tail) if x)
    while not _fits(reply):  # pathological: a huge link or choices; hard cut
        reply = reply[: int(len(reply) * 0.9)]
    return reply


def last_buttons(events: list[Any]) -> list[dict[str, Any]]:
    """Buttons of the bot's last turn (after the latest user message), from tracker events."""
    found: list[dict[str, Any]] = []
    for event in reversed(events):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, BotUttered) and not found:
            found = list((event.data or {}).get("buttons") or [])
    return found


class SmsOutput(TwilioOutput):
    """Sends one SMS per turn through Twilio's REST API with aiohttp, logging failures."""

    @classmethod
    def name(cls) -> str:
        return "twilio"

    def __init__(self, account_sid: str, auth_token: str, twilio_number: str) -> None:
        # twilio's Client refuses empty credentials; the values are only used by `post()`.
        super().__init__(account_sid or "unset", auth_token or "unset", twilio_number)
        self.sid = account_sid
        self.token = auth_token

    async def post(self, recipient_id: str, body: str) -> bool:
        url = f"{twilio_api_url()}/2010-04-01/Accounts/{self.sid}/Messages.json"
        data = {"To": recipient_id, "From": self.twilio_number or "", "Body": body}
        try:
            async with (
                aiohttp.ClientSession(timeout=SEND_TIMEOUT) as session,
                session.post(
                    url, data=data, auth=aiohttp.BasicAuth(self.sid or "", self.token or "")
                ) as reply,
            ):
                if reply.status >= 400:
                    logger.error(
                        "SMS: Twilio answered %s for %s: %s",
                        reply.status,
                        recipient_id,
                        (await reply.text())[:300],
                    )
                    return False
                return True
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as error:
            logger.error("SMS: Twilio unreachable (%s), reply to %s not sent", error, recipient_id)
            return False

    async def deliver(self, recipient_id: str, messages: list[dict[str, Any]]) -> None:
        for body in sms_replies(messages):
            await self.post(recipient_id, body)

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        await self.deliver(recipient_id, [message])

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.deliver(recipient_id, [{"text": text}])

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        await self.deliver(recipient_id, [{"custom": json_message}])


class SmsInput(TwilioInput):
    """Twilio SMS webhook at /webhooks/twilio/webhook (Rasa's name is kept)."""

    @classmethod
    def name(cls) -> str:
        return "twilio"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}

        def value(key: str, env: str) -> str:
            return credential(credentials, key, env)

        channel = cls(
            value("account_sid", "TCHATCHE_TWILIO_ACCOUNT_SID"),
            value("auth_token", "TCHATCHE_TWILIO_AUTH_TOKEN"),
            value("twilio_number", "TCHATCHE_TWILIO_NUMBER"),
            debug_mode=False,
        )
        channel.webhook_url = value("webhook_url", "TCHATCHE_TWILIO_WEBHOOK_URL")
        return channel

    webhook_url: str = ""

    def get_output_channel(self) -> SmsOutput:
        return SmsOutput(self.account_sid or "", self.auth_token or "", self.twilio_number or "")

    def signed(self, request: Request) -> bool:
        """X-Twilio-Signature checked against the URL Twilio called (configured when proxied)."""
        signature = request.headers.get("X-Twilio-Signature") or ""
        if not self.auth_token or not signature:
            return False
        url = self.webhook_url or request.url
        params = {key: request.form.get(key) for key in request.form}
        return RequestValidator(self.auth_token).validate(url, params, signature)

    async def choice_payload(self, request: Request, sender: str, text: str) -> str:
        """'1' → payload of the first button the bot last offered to this sender, else text."""
        match = CHOICE.match(text)
        if not match:
            return text
        try:
            tracker = await request.app.ctx.agent.tracker_store.retrieve(sender)
        except Exception:  # a tracker store hiccup must not lose the message
            logger.exception("SMS: could not read the tracker of %s", sender)
            return text
        buttons = last_buttons(list(tracker.events)) if tracker else []
        index = int(match.group(1)) - 1
        if 0 <= index < len(buttons) and buttons[index].get("payload"):
            return str(buttons[index]["payload"])
        return text

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("tchatche_twilio_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok", "configured": bool(self.auth_token)})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.signed(request):
                logger.warning("SMS: webhook refused, missing or wrong X-Twilio-Signature")
                return response.text("signature invalide", status=403)
            sender = request.form.get("From") or ""
            text = (request.form.get("Body") or "").replace("¡", "@")
            if not sender:
                return response.text("From manquant", status=400)
            text = await self.choice_payload(request, sender, text)
            collector = channel_collector(self.name())
            try:
                await on_new_message(
                    UserMessage(
                        text,
                        collector,
                        sender,
                        input_channel=self.name(),
                        metadata=self.get_metadata(request),
                    )
                )
            except Exception:
                logger.exception("SMS: error while handling a message of %s", sender)
            task = asyncio.create_task(
                self.get_output_channel().deliver(sender, collector.messages)
            )
            _PENDING.add(task)
            task.add_done_callback(_PENDING.discard)
            return response.text(
                '<?xml version="1.0" encoding="UTF-8"?><Response></Response>',
                content_type="text/xml",
            )

        return webhook
