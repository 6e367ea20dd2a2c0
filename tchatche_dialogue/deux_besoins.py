"""Two needs in one message: « les horaires de la mairie de Bapaume et où jeter mes pneus ».

Why splitting the message and not Rasa's multi-intent labels (`intent_split_symbol`): multi-intent
classification only predicts combinations present in the training data, so every pair of the ~30
topics would need its own examples and rules. Splitting reuses the single-intent NLU and rules: each
part is handled as its own message, the second announced by « Votre autre question : … ».

The split is conservative. A message is split only when both parts are, on their own, topics the
NLU recognises with confidence, and different ones, and each part asks something (« où »,
« quand », « je veux », « ? »…): « je paie des impôts locaux et je veux m'inscrire sur les listes »
stays one need, the one asked.
An emergency anywhere in the message, or a form waiting for an answer, keeps the message whole.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel, UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from actions.conversation.context import is_topic
from actions.demandes.prefill import emails, nom, phones
from actions.territory.dates import find_day
from actions.territory.matching import territory_matcher
from actions.text import fold
from tchatche_nlu.indices import FOLLOW_UP
from tchatche_nlu.retrieval import RETRIEVAL, selected_subject
from tchatche_nlu.thresholds import unsure

MIN_CONFIDENCE = 0.6  # one of the two needs: clearly understood on its own
# The other may be short and less sure (« où jeter mes pneus »): a topic as best guess is enough,
# it then goes through the usual path (« Vouliez-vous dire … ? » if unsure).
MIN_GUESS = 0.3
MIN_WORDS = 2
MAX_CANDIDATES = 3
HOURS = "horaires_mairie"
# Needs whose answer is a form: the rest of the message fills it (actions/demandes/prefill.py).
FORMS = ("prendre_rendez_vous", "signaler_probleme", "parler_a_un_agent")
REPORT = "signaler_probleme"  # a problem told is the need itself, question or not
SECOND_NEED = "Votre autre question"
# The two parts keep the message's id with these endings: a follow-up after them may be the
# first need's (tchatche_dialogue/suivi.py, `the_other_need`).
PARTS = ("#1", "#2")
ANNOUNCE = SECOND_NEED + " : « {text} »"
# Where a second need may start.
CONNECTORS = re.compile(
    r"\s*(?:\?|\.|;|,)?\s+(?:et\s+aussi|et\s+puis|et\s+|ainsi\s+que\s+|aussi\s+|puis\s+)"
    r"|\s*\?\s+|\.\s+|;\s+",
    re.IGNORECASE,
)
# The words of a question and of a request, shared by ASKS and ASKS_OR_WANTS.
QUESTION_WORDS = r"ou|quand|comment|combien|cb|quel|quelle|quels|quelles|qui|pourquoi|est ce"
REQUEST_WORDS = (
    r"je voudrais|je voudrai|voudrais|voudrai|j aimerais|je souhaite|je souhaiterais|je cherche|"
    r"besoin|je veux|je dois|je peux|peut on|on peut|svp|donnez"
)
# Each part asks something: a question word, a request, a verb of the need, or a question mark.
ASKS = re.compile(
    rf"\b({QUESTION_WORDS}|c est|c|{REQUEST_WORDS}|il faut|faut il|horaires?|"
    r"voudrions|aimerions|souhaitons|souhaiterions|faut|faudrait|numero|telephone|tel|donner|"
    r"inscrire|jeter|louer|reserver|refaire|demander|"
    r"prendre|savoir|avoir|faire)\b"
)
# « je voudrais savoir quand passe la collecte et aussi si la mairie est ouverte samedi », « je
# voudrais les horaires de la déchetterie et le prix de la cantine »: the second part is an
# indirect question or a second object, asked by the verb of the first.
INDIRECT = re.compile(
    r"(si|s il|s ils|ou|quand|comment|combien|quel|quelle|quels|quelles|"
    r"le|la|les|l|un|une|des|du|mon|ma|mes)\b"
)

# What makes a part a question or a request of its own; a part with none of them only tells
# (« nous avons acheté une maison et nous voulons refaire la toiture »).
ASKS_OR_WANTS = re.compile(rf"\b({QUESTION_WORDS}|quoi|{REQUEST_WORDS}|faut)\b")


# « y a qqn qui a balancé… », « il y a des jeunes qui font du bruit »: a « qui » that tells.
TELLING_WHO = re.compile(r"\b((?:il )?y a|ya|(?:il )?y avait)((?: \S+){1,3}?) qui\b")


def tells_only(part: str) -> bool:
    told = TELLING_WHO.sub(r"\1\2", fold(part))
    return "?" not in part and not ASKS_OR_WANTS.search(told)


# A part that goes on with the sentence before it (« … et qu'il s'occupe de tout ») is no need of
# its own; « et que faut-il faire ? », « et qu'est-ce que… » still are.
CONTINUES = re.compile(
    r"(qu|que) (il|ils|elle|elles|on|je|j|tu|nous|vous|le|la|les|l|c|ce|ca|cela|mon|ma|mes)\b"
)


def candidate_splits(text: str) -> list[tuple[str, str]]:
    """(first need, second need) pairs, cut at connectors, both parts long enough."""
    pairs = []
    for match in CONNECTORS.finditer(text):
        left, right = text[: match.start()].strip(" ,;."), text[match.end() :].strip()
        if match.group(0).lstrip().startswith("?"):
            left += " ?"  # « la mairie est ouverte le 24 ? et … »: the first part asks too
        if len(left.split()) < MIN_WORDS or len(right.split()) < MIN_WORDS:
            continue
        asked = [bool(ASKS.search(fold(part)) or part.endswith("?")) for part in (left, right)]
        if not (asked[0] and (asked[1] or INDIRECT.match(fold(right)))):
            continue
        if CONTINUES.match(fold(right)):
            continue  # « il dit qu'il y a rien à faire et qu'il s'occupe de tout » : one story
        pairs.append((left, right))
        if len(pairs) == MAX_CANDIDATES:
            break
    return pairs


def _is_topic(name: str, confidence: float, minimum: float = MIN_CONFIDENCE) -> bool:
    return confidence >= minimum and is_topic(name)


def _best_guess(parse: dict[str, Any]) -> tuple[str, float]:
    """The most likely intent, looking past the fallback: what the NLU would have chosen."""
    for item in parse.get("intent_ranking") or [parse.get("intent") or {}]:
        if item.get("name") != "nlu_fallback":
            return str(item.get("name") or ""), float(item.get("confidence") or 0.0)
    return "", 0.0


def need_of(parse: dict[str, Any], intent: str) -> str:
    """The need a part asks: « orientation/caf » and « orientation/sante » are two needs."""
    if intent != RETRIEVAL:
        return intent
    return str(
        selected_subject(parse.get("response_selector")).get("intent_response_key") or intent
    )


async def find_two_needs(
    processor: MessageProcessor, message: UserMessage
) -> tuple[UserMessage, UserMessage] | None:
    text = message.text or ""
    if text.startswith("/") or len(text.split()) < 2 * MIN_WORDS:
        return None
    pairs = candidate_splits(text)
    if not pairs:
        return None
    whole = await processor.parse_message(message)
    if str((whole.get("intent") or {}).get("name") or "").startswith("urgence_"):
        return None
    whole_need, whole_confidence = _best_guess(whole)
    whole_sure = _is_topic(whole_need, whole_confidence)
    tracker = await processor.get_tracker(message.sender_id)
    if tracker.active_loop_name:
        return None
    if whole_sure and whole_need == REPORT and tells_only(text):
        return None  # « y a qqn qui a balancé des sacs et un vieux frigo … »: one problem told
    told = _end_of_the_story(text)
    if told:
        needs = await _two_needs_after_the_story(processor, message, text[:told], text[told:])
        if needs:
            return needs
    for left, right in pairs:
        parts = []
        for part in (left, right):
            sub = UserMessage(part, sender_id=message.sender_id, metadata=message.metadata)
            parts.append(await processor.parse_message(sub))
        (first, c1), (second, c2) = _best_guess(parts[0]), _best_guess(parts[1])
        dated = _with_the_day_of_the_first(left, right, second)
        if dated:
            # « … passer demain à la mairie pour déposer notre Pacs. Est-ce ouvert ? »: the day
            # said in the first part is the second's (« Est-ce ouvert demain ? »).
            right = dated
            sub = UserMessage(right, sender_id=message.sender_id, metadata=message.metadata)
            parts[1] = await processor.parse_message(sub)
            second, c2 = _best_guess(parts[1])
        both = _is_topic(first, c1, MIN_GUESS) and (
            _is_topic(second, c2, MIN_GUESS) or _asks_the_first(first, c1, second, right)
        )
        if whole_sure and min(c1, c2) < unsure():
            continue  # « la communion c'est le 16 mai, … la salle ça rentre ? »: a story, one need
        needs = (need_of(parts[0], first), need_of(parts[1], second))
        if needs[0] in FORMS and gives_details(right):
            continue  # « … un rendez-vous. Je m'appelle …, 06 … »: the form's answers
        if whole_sure and _story_before_the_question(
            (left, right), needs, need_of(whole, whole_need)
        ):
            continue  # « on a acheté une maison … , faut-il une autorisation ? »: works, one need
        if whole_sure and _a_part_may_be(parts, (c1, c2), whole_need):
            continue  # « … une véranda de 15 m². Faut-il une autorisation ? » (deces 0.54)
        different = needs[0] != needs[1]
        if both and max(c1, c2) >= MIN_CONFIDENCE and different:
            share_commune(parts)
            return tuple(  # type: ignore[return-value]
                UserMessage(
                    part,
                    message.output_channel,
                    message.sender_id,
                    parse_data=parse,
                    input_channel=message.input_channel,
                    message_id=f"{message.message_id}{ending}",
                    metadata=message.metadata,
                )
                for part, parse, ending in zip((left, right), parts, PARTS, strict=False)
            )
    return None


SENTENCE_END = re.compile(r"[.!]\s+")


def _end_of_the_story(text: str) -> int | None:
    """Where the questions begin, after sentences that only tell (« Nous venons d'emménager à
    Bucquoy avec nos deux enfants. »); None when the message does not start with a story."""
    end = None
    for match in SENTENCE_END.finditer(text):
        if not tells_only(text[: match.start()]):
            break
        end = match.end()
    if end is None or len(text[end:].split()) < 2 * MIN_WORDS:
        return None
    return end


async def _two_needs_after_the_story(
    processor: MessageProcessor, message: UserMessage, story: str, questions: str
) -> tuple[UserMessage, UserMessage] | None:
    """« Nous venons d'emménager à Bucquoy avec nos deux enfants. Quel jour passe le camion des
    ordures, et est-ce qu'il y a une cantine à l'école ? »: the story told first is cut off, and
    the two questions after it are the two needs, for the commune the story named."""
    home = territory_matcher().find_in_text(story).commune
    asked = UserMessage(
        questions,
        message.output_channel,
        message.sender_id,
        input_channel=message.input_channel,
        message_id=message.message_id,
        metadata=message.metadata,
    )
    needs = await find_two_needs(processor, asked)
    if needs and home:
        told = {"entities": [{"entity": "commune", "value": home.nom}]}
        for need in needs:
            share_commune([need.parse_data, told])
    return needs


def gives_details(part: str) -> bool:
    """A phone number, an e-mail or a name (« je m'appelle … »), read as the forms read them:
    answers for a form, no need of its own."""
    return bool(phones(part) or emails(part) or nom(part))


def _with_the_day_of_the_first(left: str, right: str, second: str) -> str | None:
    """The second part, a question about the hours without a day, with the first part's day."""
    if second != HOURS or not right.endswith("?"):
        return None
    now = datetime.now()
    day = find_day(left, now)
    if day is None or find_day(right, now) is not None:
        return None
    return f"{right[:-1].rstrip()} {day.phrase} ?"


def _a_part_may_be(parts: list[dict[str, Any]], sure: tuple[float, float], whole: str) -> bool:
    """A part read unsure, with the whole message's need among its readings: « Faut-il une
    autorisation ? » after a véranda is read as a death (0.54), the works second (0.43)."""
    for parse, confidence in zip(parts, sure, strict=True):
        ranking = [str(item.get("name")) for item in (parse.get("intent_ranking") or [])[:3]]
        own = _best_guess(parse)[0]
        if own != whole and confidence < MIN_CONFIDENCE and whole in ranking:
            return True
    return False


def _asks_the_first(first: str, c1: float, second: str, right: str) -> bool:
    """« je dois déposer un permis à la mairie de Béhagnies. Je peux passer le mercredi 30 ? »:
    the second part asks a day for the first need, answered after it, as if sent next. Other
    follow-ups stay in the message (« … pour 50 personnes. C'est combien ? »: the salle's
    answer says it)."""
    return (
        second == FOLLOW_UP
        and _is_topic(first, c1)
        and right.endswith("?")
        and find_day(right, datetime.now()) is not None
    )


def _story_before_the_question(texts: tuple[str, str], needs: tuple[str, str], whole: str) -> bool:
    """The whole message's need is the part that asks (« ? »); the other part only tells."""
    for asked, other in ((0, 1), (1, 0)):
        if needs[asked] == whole and texts[asked].endswith("?") and tells_only(texts[other]):
            return True
    return False


def share_commune(parts: list[dict[str, Any]]) -> None:
    """« les horaires de la déchetterie et le prix de la cantine à Bapaume »: the commune named
    in one need is the other's too, instead of « Dans quelle commune ? » for the first."""
    named = [[e for e in p.get("entities") or [] if e.get("entity") == "commune"] for p in parts]
    for part, own, other in ((parts[0], named[0], named[1]), (parts[1], named[1], named[0])):
        if not own and other:
            shared = {k: v for k, v in other[0].items() if k not in ("start", "end")}
            part["entities"] = [*(part.get("entities") or []), shared]


_original_handle_message = MessageProcessor.handle_message
COMMUNE_QUESTION = "utter_ask_commune"
# The first of two needs that both asked the commune: answered once the commune is given.
WAITING_NEED = "besoin_en_attente"
COMMUNE_ANSWER = "informer_commune"


class HoldsTheCommuneQuestion(OutputChannel):
    """The first need's channel, holding back its « Dans quelle commune habitez-vous ? »: when
    the second need asks it too (« ma carte grise et aussi mon passeport »), the resident reads
    it once, at the end. Every other message goes out at once, as Rasa sends it."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner
        self.held: tuple[str, dict[str, Any]] | None = None

    def name(self) -> str:  # type: ignore[override]
        return self.inner.name()  # responses chosen per channel stay those of the real one

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        if message.get("utter_action") == COMMUNE_QUESTION:
            self.held = (recipient_id, message)
            return
        await self.inner.send_response(recipient_id, message)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class NotesTheCommuneQuestion(OutputChannel):
    """The second need's channel: says whether it asked the commune itself."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner
        self.asked = False

    def name(self) -> str:  # type: ignore[override]
        return self.inner.name()

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        self.asked = self.asked or message.get("utter_action") == COMMUNE_QUESTION
        await self.inner.send_response(recipient_id, message)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


async def _set_waiting_need(
    processor: MessageProcessor, tracker: DialogueStateTracker, text: str | None
) -> None:
    tracker.update(SlotSet(WAITING_NEED, text))
    await processor.save_tracker(tracker)


async def _answer_waiting_need(
    processor: MessageProcessor, message: UserMessage, channel: OutputChannel
) -> None:
    """« les horaires de la mairie et mon passeport », then « Bapaume »: both needs asked the
    commune, the question was put once, and the commune answered the passport (the topic in
    course). The first need is then answered too, with that commune, instead of being lost.
    When the resident writes anything but the commune (another question, « non »), the waiting
    need is dropped: a new question is not to be followed by an old one."""
    tracker = await processor.get_tracker(message.sender_id)
    waiting = tracker.get_slot(WAITING_NEED)
    if not waiting:
        return
    await _set_waiting_need(processor, tracker, None)
    answered = (tracker.latest_message.intent or {}).get("name") == COMMUNE_ANSWER
    if not answered or not tracker.get_slot("commune") or tracker.active_loop_name:
        return
    await _replay_need(processor, message, channel, waiting)


async def _replay_need(
    processor: MessageProcessor, message: UserMessage, channel: OutputChannel, text: str
) -> None:
    """The need `text`, announced, then handled as its own message (the commune now known)."""
    await channel.send_text_message(message.sender_id, ANNOUNCE.format(text=text))
    replay = UserMessage(
        text,
        channel,
        message.sender_id,
        input_channel=message.input_channel,
        metadata=message.metadata,
    )
    await _original_handle_message(processor, replay)


async def handle_message(self: MessageProcessor, message: UserMessage) -> Any:
    channel = message.output_channel or CollectingOutputChannel()
    message.output_channel = channel
    needs = await find_two_needs(self, message)
    if needs is None:
        before = await self.get_tracker(message.sender_id)
        waited = bool(before.get_slot(WAITING_NEED))
        result = await _original_handle_message(self, message)
        if not waited:
            return result
        await _answer_waiting_need(self, message, channel)
        return channel.messages if isinstance(channel, CollectingOutputChannel) else result
    first, second = needs
    first.output_channel = holding = HoldsTheCommuneQuestion(channel)
    second.output_channel = noting = NotesTheCommuneQuestion(channel)
    await _original_handle_message(self, first)
    await channel.send_text_message(message.sender_id, ANNOUNCE.format(text=second.text))
    await _original_handle_message(self, second)
    if holding.held and not noting.asked:
        tracker = await self.get_tracker(message.sender_id)
        if tracker.get_slot("commune") and not tracker.active_loop_name:
            # « le menu de la cantine et la mairie de Bucquoy ouvre quand » : the second need
            # named the commune; the first is answered for it, not asked « Dans quelle commune ? ».
            await _replay_need(self, message, channel, first.text or "")
        else:
            await channel.send_response(*holding.held)  # only the first needs it: asked last
    elif holding.held:
        # Both asked it: the resident answers once, for the second; the first waits for it.
        await _set_waiting_need(self, await self.get_tracker(message.sender_id), first.text)
    if isinstance(channel, CollectingOutputChannel):
        return channel.messages
    return None


def install() -> None:
    """Called once when Rasa imports the dialogue package (config.yml names its policy)."""
    if MessageProcessor.handle_message is not handle_message:
        MessageProcessor.handle_message = handle_message  # type: ignore[method-assign]
