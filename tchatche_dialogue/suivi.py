"""A short follow-up read against the current topic, even when DIET names another intent.

« elle doit venir avec moi au rdv ? » after the passport of a teenager: DIET reads « rdv » and
says `prendre_rendez_vous`; the resident asks whether the child must come. « on va payer une
taxe ? » after a pool: DIET says the tax office. When the current topic has its own answer to an
aspect the message names (a response `utter_precision_<sujet>_<aspect>` of domain.yml, the words
of actions/conversation/aspects.yml), the message becomes the follow-up `precision`.

Conservative on purpose: a short message only, outside forms, never over an emergency, a yes or
no, a greeting or a commune; and never when the message names another topic by its cue words
(tchatche_nlu/indices.yml): « et le passeport c'est combien ? » is a new question.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from itertools import islice
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import BotUttered, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from actions import clock
from actions.accompagnement import wins_over
from actions.conversation.aspects import PREFIX, Aspect, find_aspects, topic_answer
from actions.conversation.context import (
    FOLLOWED,
    first_topic,
    followed_topic,
    is_topic,
    words,
)
from actions.conversation.oui_non import document_words, topic_documents
from actions.documents.request import asks_another_period, asks_the_one_before, names_a_kind
from actions.documents.sent import carries_a_document
from actions.orientation.action import NOISE
from actions.orientation.subjects import named_subject
from actions.procedures import procedure_terms
from actions.territory.dates import find_day
from actions.territory.day_answer import DAY_TOPICS
from tchatche_dialogue.commune_attendue import (
    commune_given,
    detail_before_commune,
    does_not_know,
    names_the_commune,
    no_place,
    votes_there,
)
from tchatche_dialogue.deux_besoins import PARTS, need_of
from tchatche_dialogue.intents import GREETING, NOT_UNDERSTOOD
from tchatche_dialogue.message_mairie import has_a_subject, message_written, sends_to_the_offer
from tchatche_dialogue.salutation import (
    after_the_greeting,
    after_the_thanks,
    greets,
    more_than_a_greeting,
    says_nothing_yet,
)
from tchatche_nlu.indices import FOLLOW_UP, indices, own_words, sureness
from tchatche_nlu.retrieval import RETRIEVAL
from tchatche_nlu.thresholds import SHORT, unsure
from tchatche_nlu.urgence_lexique import lexique, normalize

COMMUNE_ANSWER = "informer_commune"
YES = "affirmer"
THANKS = "remercier"
NO = "nier"
GOODBYE_INTENT = "au_revoir"
CONTACT = "contact_mairie"
AGENT = "parler_a_un_agent"  # also France Services and the CCAS (slot `accompagnement`)
BOOKING = "prendre_rendez_vous"
# « non merci bonne journée », « ok merci à bientôt »: the resident is leaving.
GOODBYE = re.compile(
    r"\b(bonne (journee|soiree|fin de journee|nuit|semaine|fin de semaine)|au revoir|a bientot|"
    r"bye|ciao)\b"
)
# Any word a resident leaves with (wider than GOODBYE, which closes a « non merci … »).
LEAVING = re.compile(
    r"\b(revoir|aurevoir|aurvoir|revoire|bye|ciao|tchao|adieu|salut|plus|bientot|demain|"
    r"prochaine|bonne|bon|laisse|file|vais|quitte|arrete|fin|fini|plaisir|continuation|"
    r"tout|termine|pars|part|partir|y aller)\b"  # « a+ » is read « a plus » (fold_plus)
)
COMMUNE_ASKED = "commune_manquante"  # slot: the assistant asked « Dans quelle commune … ? »
PRESENTS = "se_presenter"  # its answer: « Je vous écoute. Écrivez votre question … »
CONFIDENCE = 0.8
MIN_YES_QUESTION = 2  # words of an « ok … », « et maintenant ? » that may ask something
YES_WORDS = frozenset({"oui", "ouais", "ouai", "yes", "si", "voui"})
NO_WORDS = frozenset({"non", "nan", "no", "pas", "nope", "jamais"})
# DIET's intents a follow-up may be taken for besides topics: « elle doit donner quoi ? » → aide.
# « le 13 février » alone after the salle des fêtes was read as gibberish (charabia, 0.62);
# « il y a une cuisine ? » as a question about the assistant (qui_es_tu); « je suis né à Arras »
# after a birth certificate as a resident introducing themselves (se_presenter, 0.50).
REREAD = frozenset({"aide", "hors_sujet", "nlu_fallback", "charabia", "qui_es_tu", PRESENTS})


def _session_intents(tracker: DialogueStateTracker) -> Iterator[str | None]:
    """Intents of this session's user messages, latest first (the message being parsed is not
    in the tracker yet)."""
    for event in reversed(tracker.events):
        if isinstance(event, SessionStarted):
            return
        if isinstance(event, UserUttered):
            yield followed_topic(event.entities) or event.intent_name


def current_topic(tracker: DialogueStateTracker) -> str | None:
    """The topic of the latest earlier question of this session."""
    return first_topic(_session_intents(tracker))


def _names_itself(words: set[str], need: str) -> bool:
    """« et la déchetterie elle est où ? », « et la carte grise ? »: DIET's topic said in words."""
    own = own_words(need)
    return bool(own) and own <= words


def _names_part_of(words: set[str], need: str) -> bool:
    """« la mairie est ouverte ? »: a word of DIET's topic (« mairie ») said."""
    return bool(own_words(need) & words)


def leaves_without_a_word_of_leaving(text: str, parse: dict[str, Any]) -> bool:
    """DIET's goodbye, unsure, for a message that says no word of leaving."""
    intent = parse.get("intent") or {}
    return (
        intent.get("name") == GOODBYE_INTENT
        and float(intent.get("confidence") or 0.0) < CONFIDENCE
        and not LEAVING.search(fold_plus(text))
    )


def names_a_commune_not_leaving(text: str, parse: dict[str, Any]) -> bool:
    """DIET's goodbye for a message that names a commune without a goodbye's words."""
    intent = parse.get("intent") or {}
    return (
        intent.get("name") == GOODBYE_INTENT
        and _names_a_place(parse)
        and not GOODBYE.search(fold_plus(text))
    )


def _names_a_place(parse: dict[str, Any]) -> bool:
    """DIET tagged a commune: one of ours, or a place it could not tell."""
    return any(e.get("entity") == "commune" for e in parse.get("entities") or [])


def fold_plus(text: str) -> str:
    """Lower case without accents, « a+ » kept (normalize drops the « + »)."""
    return normalize(text.replace("+", " plus "))


def _a_topic(text: str, words: list[str], intent: str) -> bool:
    """DIET read a topic: the one in course, or another its words may only seem to name."""
    return is_topic(intent)


def _a_reading_to_read_again(text: str, words: list[str], intent: str) -> bool:
    """`aide`, `hors_sujet`, gibberish… (REREAD): no topic, the message may still ask one."""
    return intent in REREAD


def _a_question_after_ok(text: str, words: list[str], intent: str) -> bool:
    """« ok je réserve comment », « merci, est-ce payant ? »: DIET read the « ok », the thanks
    or a no; the aspect named is the question. A « oui … » or « non … » answers the
    assistant's question (oui_non.yml) and keeps its reading."""
    return (
        intent in (YES, NO, THANKS)
        and len(words) >= MIN_YES_QUESTION
        and words[0] not in YES_WORDS | NO_WORDS
    )


def _a_question_not_leaving(text: str, words: list[str], intent: str) -> bool:
    """« y a du porc ? » after the canteen's menu: DIET read a goodbye (0.75); a question with
    no word of leaving is no goodbye."""
    return intent == GOODBYE_INTENT and "?" in text and not GOODBYE.search(" ".join(words))


# The readings of DIET a follow-up may hide behind; any other reading is kept as it is.
READINGS_A_FOLLOW_UP_HIDES_BEHIND = (
    _a_topic,
    _a_reading_to_read_again,
    _a_question_after_ok,
    _a_question_not_leaving,
)


def follow_up(
    text: str,
    intent: str,
    topic: str | None,
    responses: dict[str, Any],
    subject: str | None,
    need: str | None = None,
) -> bool:
    """True when `text` asks the current `topic` something it answers itself.

    `need` is DIET's reading with its orientation subject (« orientation/carte_grise »).
    """
    if not topic or text.startswith("/"):
        return False
    words = normalize(text).split()
    if not any(hides(text, words, intent) for hides in READINGS_A_FOLLOW_UP_HIDES_BEHIND):
        return False
    # The topic in course read again by DIET: a longer question is still about it (« c'est la
    # mairie d'où qui fait l'acte si elle accouche à Arras » after a birth: 15 words).
    # DIET lost (REREAD): « je travaille à Bapaume, est-ce que je peux la faire valider là-bas
    # plutôt ? » after a procuration (15 words) is still its follow-up.
    longest = 2 * SHORT if intent == topic or intent in REREAD else SHORT
    # « faut prendre rendez-vous ? » names DIET's prendre_rendez_vous, yet asks the topic in course.
    # « il y a une aide ? » names DIET's `aide` (help with the assistant), which is no topic.
    named = need or intent
    names_itself = named not in REREAD and _names_itself(set(words), named) and intent != BOOKING
    if len(words) > longest:
        return False
    named_aspects = find_aspects(text)
    if _prevailing(named_aspects, topic, responses, subject):
        return True  # « c pour un passeport » after a birth certificate: what the act is for
    if names_itself:
        return False
    if set(indices().topics_in(text)) - {topic} - _acts_of_the_event(words, topic):
        return False  # another topic named: a new question
    if named != topic and indices().question_in(text) == named:
        return False  # « ok et le tri c quand » after the hours: the question says its topic
    if intent == RETRIEVAL and named_subject(text) not in (None, subject):
        return False  # « sinon ma femme cherche du taf elle s inscrit ou » : France Travail
    answered = []
    # « et demain c'est ouvert ? » after the déchetterie: its own question asked again with the
    # day (`rejouer_le_sujet`), not the mairie's hours (`sinon`). Not when another aspect named
    # goes elsewhere: « c'est ouvert le samedi ? » after the collection asks the mairie's hours.
    own = [bool(topic_answer(topic, a, responses, subject)) for a in named_aspects]
    # « elle fait combien de personnes la salle ? » after the bins: DIET's topic said in a word
    # of its own, with an aspect the bins do not answer.
    if (
        named_aspects
        and not own[0]
        and named != topic
        and is_topic(named)
        and _names_part_of(set(words), named)
        and topic not in named_aspects[0].replay_topics
    ):
        return False
    elsewhere = any(
        a.otherwise and topic not in a.replay_topics and not has
        for a, has in zip(named_aspects, own, strict=True)
    )
    # « la mairie est ouverte ? » after the déchetterie names DIET's topic: the mairie's hours.
    elsewhere = elsewhere or (named != topic and _names_part_of(set(words), named))
    for aspect, has in zip(named_aspects, own, strict=True):
        replayed = topic in aspect.replay_topics and not elsewhere
        if has or replayed:
            answered.append(aspect)
        elif aspect.otherwise and not answered:
            # « et le samedi c'est ouvert ? » after the lists: the mairie's hours. An aspect
            # before it in aspects.yml that the topic answers wins (« du bruit jusqu'à quelle
            # heure ? » after the salle des fêtes: its rules, not the mairie's hours).
            return False
    return bool(answered)


# The acts of the event in course are part of it: « il faudra des actes de décès pour la banque,
# c'est payant ? » during a death is asked of the death, not a new question about civil status.
EVENT_ACTS = {"deces": "deces", "declaration_naissance": "naissance"}
ACT_WORDS = frozenset({"acte", "actes", "extrait", "extraits", "copie", "copies"})


def _acts_of_the_event(words: list[str], topic: str) -> set[str]:
    event = EVENT_ACTS.get(topic)
    return {"etat_civil"} if event in words and ACT_WORDS & set(words) else set()


def prevails(text: str, topic: str | None, responses: dict[str, Any], subject: str | None) -> bool:
    """The message names an aspect that stays a follow-up though it names another topic
    (`l_emporte` in aspects.yml), and the topic in course answers it."""
    return _prevailing(find_aspects(text), topic, responses, subject)


def _prevailing(
    named: list[Aspect], topic: str | None, responses: dict[str, Any], subject: str | None
) -> bool:
    return bool(topic) and any(
        a.prevails and topic_answer(str(topic), a, responses, subject) for a in named
    )


_original_parse = MessageProcessor.parse_message


async def parse_message(
    self: MessageProcessor,
    message: UserMessage,
    tracker: DialogueStateTracker | None = None,
    only_output_properties: bool = True,
) -> dict[str, Any]:
    parse = await _original_parse(self, message, tracker, only_output_properties)
    if tracker is None or tracker.active_loop_name:
        return parse
    intent = str((parse.get("intent") or {}).get("name") or "")
    topic = current_topic(tracker)
    subject = tracker.get_slot("orientation_sujet")
    responses = self.domain.responses
    text = message.text or ""
    if message_written(text, intent, tracker) or sends_to_the_offer(text, tracker):
        return _read_as(parse, YES)
    if intent in (NO, YES, "remercier") and GOODBYE.search(normalize(text)):
        # « non merci bonne journée » : DIET read « non » (0.80); the resident is leaving.
        return _read_as(parse, GOODBYE_INTENT)
    if names_a_commune_not_leaving(text, parse):
        # « bon alors à Bihucourt »: DIET read a goodbye (0.82) for the « bon »; the resident
        # says where they live.
        return _read_as(parse, COMMUNE_ANSWER)
    if leaves_without_a_word_of_leaving(text, parse):
        # « c pour la banque » after an office: DIET read a goodbye (0.60), and the assistant said
        # « Au revoir ! » to a resident still explaining. Without a word of leaving, it is no
        # goodbye: read as not understood (« Vouliez-vous dire… ? »), or as a follow-up below.
        parse = _read_as(parse, NOT_UNDERSTOOD)
        intent = NOT_UNDERSTOOD
    if intent == CONTACT and has_a_subject(text):
        # « contacter la mairie pour un problème de fosse septique » : a subject for the mairie,
        # so a message to leave, not only its address (parler_a_un_agent offers it).
        return _read_as(parse, AGENT)
    if neighbour_noise(text, intent):
        # « mon voisin fait du bruit tous les soirs avec sa musique » : DIET understood nothing;
        # the neighbourhood dispute's answer, with the steps for noise (actions/orientation).
        return _with_subject(_read_as(parse, RETRIEVAL), JUSTICE)
    if wants_help_with_papers(text, intent, topic, responses, subject):
        # « j'ai besoin d'aide pour mes papiers », « ma mère a besoin d'une aide à domicile » :
        # a person of the mairie, France Services or the CCAS (actions/procedures.py).
        return _read_as(parse, AGENT)
    if wants_the_livret(text, intent):
        # « on a égaré notre livret de famille » : DIET read a birth; the booklet itself is asked.
        return _read_as(parse, CIVIL_STATUS)
    if says_nothing_yet(text) and not intent.startswith("urgence"):
        # « je voudrais savoir », « j'ai une question » : DIET read a residence permit (0.99).
        return _read_as(parse, PRESENTS)
    rest = after_the_greeting(text) if greets(text, intent, parse) else ""
    thanked = "" if rest or intent not in (THANKS, NOT_UNDERSTOOD) else after_the_thanks(text)
    if thanked:
        # « ok merci. la mairie c quoi le num » : DIET read the thanks (0.40); the rest asks a
        # new topic. A rest that follows up the topic in course goes on below.
        again, name, sure = await _read_again(self, thanked, message, tracker)
        if is_topic(name) and name != RETRIEVAL and sure and name != topic:
            return _read_as(parse, name)
    if rest:
        # « bonjour les horaires svp », « bonjour, c'est un robot ? »: DIET read the greeting;
        # the rest alone says what is asked.
        again, name, sure = await _read_again(self, rest, message, tracker)
        # A presentation is kept even when read below CONFIDENCE (above the fallback threshold):
        # its answer (« Je vous écoute ») cannot mislead.
        if (
            (sure or name == PRESENTS)
            and name not in (GREETING, NOT_UNDERSTOOD)
            and not name.startswith("urgence")
        ):
            if name == RETRIEVAL:
                parse["response_selector"] = again.get("response_selector")
            return _read_as(parse, name)
    if intent == GREETING and more_than_a_greeting(text):
        # « bonjour, j'ai reçu une amende de stationnement à Bapaume, c'est la mairie ? » : DIET
        # read the greeting (0.48); a question not understood is not answered with « Bonjour ! ».
        return _read_as(parse, NOT_UNDERSTOOD)
    if intent != topic and indices().unsaid(intent, text):
        parse = _without(parse, intent)
        intent = str(parse["intent"]["name"])
    if urgent_for_the_topic(text, intent, topic, responses):
        # « c urgent » after a passport: DIET read an emergency (0.85); nothing in the message
        # is a danger, and the topic has its answer for an urgent request.
        return _read_as(parse, FOLLOW_UP)
    question = indices().question_in(text)
    if (
        question
        and question != topic
        and intent in (YES, NO, THANKS, NOT_UNDERSTOOD)
        and len(normalize(text).split()) <= SHORT
    ):
        # « ok et le tri c quand » : DIET read the « ok » ; the question says its topic.
        return _read_as(parse, question)
    need = need_of(parse, intent)  # the ResponseSelector answers even for other intents
    if follow_up(text, intent, topic, responses, subject, need):
        return _read_as(parse, FOLLOW_UP)
    office = office_asked_where(text, intent)
    if office and office != subject:
        # « c'est où la gendarmerie la plus proche ? » after a procuration: DIET read a follow-up
        # (where to validate it); the office named is asked, the nearest one.
        return _with_subject(_read_as(parse, RETRIEVAL), office)
    going = _where_a_question_after_ok_goes(text, intent)
    if going:
        # « d'accord. je les appelle quand pour réserver ? » after the salle des fêtes: DIET read
        # the « d'accord »; the salle does not say when to call, the mairie's contact does.
        return _read_as(parse, going)
    other = the_other_need(tracker, topic) or the_need_named_aside(tracker, topic)
    if other and follow_up(text, intent, other, responses, subject, need):
        # « on peut faire l'inscription en ligne ? » after the lists and the bins asked at once:
        # the lists' follow-up (DIET read the school's enrolment).
        return _with_entity(_read_as(parse, FOLLOW_UP), FOLLOWED, other)
    if (
        other
        and intent == FOLLOW_UP
        and _answers_an_aspect(text, other, responses, subject)
        and not _answers_an_aspect(text, topic, responses, subject)
    ):
        # « et ça met combien de temps ? », read as a follow-up by DIET, after the hours asked to
        # bring a déclaration préalable: the works' delay, which the hours do not answer.
        return _with_entity(parse, FOLLOWED, other)
    asked = bool(tracker.get_slot(COMMUNE_ASKED))
    # « il doit venir ? » after a passport: DIET read a commune (0.46), and none is named.
    if (
        intent == COMMUNE_ANSWER
        and not asked
        and no_place(text)
        and follow_up(text, NOT_UNDERSTOOD, topic, responses, subject)
    ):
        return _read_as(parse, FOLLOW_UP)
    if (
        intent == COMMUNE_ANSWER
        and not asked
        and names_the_commune(text, tracker.get_slot("commune_insee"))
        and follow_up(text, NOT_UNDERSTOOD, topic, responses, subject)
    ):
        # « oui on habite Ligny » after the salle des fêtes of Ligny-Thilloy: its price for
        # residents (aspect `habitants`), not « C'est noté » with the menu.
        return _read_as(parse, FOLLOW_UP)
    if (
        intent in (COMMUNE_ANSWER, NOT_UNDERSTOOD)
        and not asked
        and asks_the_contact(text)
        and not no_place(text)
        and topic != CONTACT
    ):
        # « bon. le téléphone de Biefvillers alors » : DIET was lost, the commune classifier read
        # the name; the contact of that mairie, not the topic in course again.
        return _read_as(parse, CONTACT)
    if intent == COMMUNE_ANSWER and not asked and prevails(text, topic, responses, subject):
        # « je suis née à Bucquoy » after a birth certificate: the place of the act, not where
        # the resident lives.
        return _read_as(parse, FOLLOW_UP)
    if intent == COMMUNE_ANSWER and not asked and no_place(text) and not _names_a_place(parse):
        # « ma fille habite loin », an elderly resident's fragment: no commune was asked and none
        # is named; « Je vous écoute », not « Je ne connais pas la commune « ma fille … » ».
        return _read_as(parse, PRESENTS)
    if intent == FOLLOW_UP and prevails(text, topic, responses, subject):
        return parse  # « c'est pour le passeport » after a birth certificate: what it is for
    other = new_topic(text, intent, topic) or steps_again(text, intent, topic)
    if other:
        return _read_as(parse, other)
    if commune_given(text, intent, asked) or votes_there(text, intent, topic):
        return _read_as(parse, COMMUNE_ANSWER)
    if detail_before_commune(text, intent, asked, topic):
        return _read_as(parse, str(topic))
    if asked and topic and not is_topic(intent) and does_not_know(text):
        # « je sais pas » to « Dans quelle commune ? »: as « non », the general answer.
        return _read_as(parse, NO)
    if asks_the_document_again(text, intent, tracker):
        # « le pdf svp » after a document was sent: DIET understood nothing; as « oui le pdf »,
        # action_oui_non sends it again (oui_non.yml, `renvoyer_document_si`).
        return _read_as(parse, YES)
    if asks_the_topic_s_document(text, intent, topic, tracker):
        # « oui le pdf svp » after the salle des fêtes: its document, searched in the GED.
        return _read_as(parse, DOCUMENT)
    if (
        asks_the_one_before(text)
        and not intent.startswith("urgence")
        and _document_sent(tracker)
        and not _a_day_of_the_topic(text, topic)
    ):
        # « et le précédent » after the minutes: DIET understood nothing; the same kind, older
        # (action_chercher_document).
        return _read_as(parse, DOCUMENT)
    if another_document(text, intent, topic):
        # « les arrêtés » after a council's minutes: another document (DIET was unsure).
        return _read_as(parse, DOCUMENT)
    if (
        intent in REREAD
        and asks_another_period(text)
        and _document_sent(tracker)
        and not _a_day_of_the_topic(text, topic)
    ):
        # « et celui de la semaine prochaine » after a menu: DIET understood nothing (0.45); the
        # same kind for that period (action_chercher_document).
        return _read_as(parse, DOCUMENT)
    lost = lost_cue(text, intent, parse)
    if lost:
        # « ma fille est née le 26 à domicile » : DIET leaned to an emergency, which the urgence
        # layer set aside; the rest of its ranking knows nothing (0.11). As `modele_perdu` of
        # indices.yml, the one topic the cues name is the question.
        return _read_as(parse, lost)
    named = named_subject(text) if intent == NOT_UNDERSTOOD or unsure_topic(parse) else None
    if named:
        # « ya des jeunes qui font du rodeo en moto » : DIET was unsure (orientation 0.25); the
        # words of one outside body (territoire/orientation.yml, `mots`) name it. Also over a
        # topic DIET is unsure of: « mon fils a 18 ans il veut s inscrire a france travail »
        # read as the school's enrolment (0.55).
        return _with_subject(_read_as(parse, RETRIEVAL), named)
    if intent == NOT_UNDERSTOOD and lexique().only_names_someone(text):
        # « mon fils », a fragment of an elderly resident: « Je vous écoute », not « pas compris ».
        return _read_as(parse, PRESENTS)
    if still_telling(text, intent, tracker):
        # « c'est pour mon mari » then « il est tombé malade »: the story goes on, the question
        # is still to come; « Je vous écoute » once more, not « pas compris » with a menu.
        return _read_as(parse, PRESENTS)
    return parse


async def _read_again(
    processor: MessageProcessor,
    text: str,
    message: UserMessage,
    tracker: DialogueStateTracker,
) -> tuple[dict[str, Any], str, bool]:
    """The parse of part of a message, its intent, and whether DIET is sure of it (an orientation
    counts with its subject's confidence: a parking fine read as health is not sure)."""
    again = await _original_parse(
        processor, UserMessage(text, sender_id=message.sender_id), tracker, True
    )
    name = str((again.get("intent") or {}).get("name") or "")
    ranking = again.get("intent_ranking") or []
    return again, name, sureness(ranking, again.get("response_selector")) >= CONFIDENCE


def unsure_topic(parse: dict[str, Any]) -> bool:
    """DIET read a topic of the mairie, under the cues' threshold (indices.yml, `seuil`)."""
    intent = parse.get("intent") or {}
    name = str(intent.get("name") or "")
    if not is_topic(name) or name == RETRIEVAL:
        return False
    return float(intent.get("confidence") or 0.0) < indices().threshold


# « c'est urgent », « urgent svp » and nothing else: how pressing the request is, no danger.
URGENT_ONLY = re.compile(
    r"^(?:(?:c est|c|cest|ca|c etait|c est vraiment|c est tres|tres|assez|un peu) )?"
    r"(?:urgent|urgente|presse|pressee|pressant)"
    r"(?: (?:svp|stp|s il vous plait|merci|quand meme|pour moi|pour nous))?$"
)


def urgent_for_the_topic(
    text: str, intent: str, topic: str | None, responses: dict[str, Any]
) -> bool:
    """Only words saying it is pressing, read as an emergency, in a topic that answers
    `urgent` (utter_precision_<topic>_urgent). Without such a topic, the numbers stay."""
    if not intent.startswith("urgence") or not topic:
        return False
    return bool(URGENT_ONLY.match(normalize(text))) and f"{PREFIX}{topic}_urgent" in responses


def still_telling(text: str, intent: str, tracker: DialogueStateTracker) -> bool:
    """A short fragment not understood, right after a message read as a resident telling who
    they are or for whom they write (`se_presenter`), once: a third fragment is « pas compris »."""
    if intent != NOT_UNDERSTOOD or len(normalize(text).split()) > SHORT:
        return False
    if indices().topics_in(text):
        return False
    said = list(islice(_session_intents(tracker), 2))
    return said[:1] == [PRESENTS] and said[1:2] != [PRESENTS]


CIVIL_STATUS = "etat_civil"


@lru_cache(maxsize=64)
def _terms(text: str) -> dict[str, str | None]:
    """procedure_terms of the message once per message, for the readings that need them."""
    return procedure_terms(text, [])


def wants_the_livret(text: str, intent: str) -> bool:
    """The family booklet asked for itself (actions/procedures.py, `livret_famille`)."""
    if intent.startswith("urgence") or intent == CIVIL_STATUS:
        return False
    return _terms(text).get("projet_etat_civil") == "livret_famille"


def wants_help_with_papers(
    text: str, intent: str, topic: str | None, responses: dict[str, Any], subject: str | None
) -> bool:
    """Help asked for, and DIET read no topic of its own (or an office: the CPAM for home
    help). A help whose words win for sure (a lost cat) is taken whatever DIET read; another
    gives way to the topic in course when that topic answers the aspect named (« on a pas
    d'argent » about the funeral after a death: `frais_obseques`, not the CCAS)."""
    if intent.startswith("urgence"):
        return False
    helped = _terms(text).get("accompagnement")
    if helped is None:
        return False
    if wins_over(helped, intent):
        return True
    if is_topic(intent) and intent != RETRIEVAL:
        return False
    # DIET's own `precision` is answered by its rule; asked here as a message not understood.
    read = NOT_UNDERSTOOD if intent == FOLLOW_UP else intent
    return not follow_up(text, read, topic, responses, subject)


JUSTICE = "justice"  # the orientation subject of neighbourhood disputes
NEIGHBOUR = re.compile(r"\bvoisin\w*\b")


# Topics a neighbour's noise is never about: « un chien qui aboie toute la nuit chez mon voisin,
# c'est insupportable » was read as a street report (0.47) and opened its form; « le voisin tond
# sa pelouse le dimanche à 7 h » as the hedges.
NOT_NOISE_TOPICS = frozenset({"signaler_probleme", "haies"})


def neighbour_noise(text: str, intent: str) -> bool:
    """Noise from the neighbours, and DIET read no topic of its own: none, a delicate one whose
    words are not said (« … jusqu'à 2h du matin » read as a death at 0.51), or one a neighbour's
    noise is never about (NOT_NOISE_TOPICS)."""
    if intent.startswith("urgence"):
        return False
    if (
        is_topic(intent)
        and intent not in (RETRIEVAL, *NOT_NOISE_TOPICS)
        and not indices().unsaid(intent, text)
    ):
        return False
    words = normalize(text)
    return bool(NOISE.search(words) and NEIGHBOUR.search(words))


def the_other_need(tracker: DialogueStateTracker, topic: str | None) -> str | None:
    """The first of two needs asked in one message (« les listes électorales et les poubelles »),
    when the latest two messages are its two parts (`PARTS` of deux_besoins.py)."""
    users = []
    for event in reversed(tracker.events):
        if isinstance(event, SessionStarted) or len(users) == len(PARTS):
            break
        if isinstance(event, UserUttered) and event.message_id:  # not a replay (redirect.py)
            users.append(event)
    ids = [str(event.message_id) for event in reversed(users)]
    if len(ids) < len(PARTS) or not all(i.endswith(p) for i, p in zip(ids, PARTS, strict=True)):
        return None
    first = users[-1]
    other = followed_topic(first.entities) or first.intent_name
    return other if is_topic(other) and other != topic else None


# Where an office is: « la plus proche », « c'est où », « l'adresse ».
ASKS_WHERE = re.compile(
    r"\b(plus proche|plus pres|c est ou|c ou|ou est|ou se trouve|ou c est|adresse)\b"
)


def office_asked_where(text: str, intent: str) -> str | None:
    """The outside office a follow-up asks the place of (« la gendarmerie la plus proche »)."""
    if intent != FOLLOW_UP or not ASKS_WHERE.search(fold_plus(text)):
        return None
    return named_subject(text)


def _goes_elsewhere(text: str) -> str | None:
    """The intent (`sinon` of aspects.yml) of the first aspect named that goes elsewhere."""
    return next((a.otherwise for a in find_aspects(text) if a.otherwise), None)


def asks_the_contact(text: str) -> bool:
    """The first aspect named that goes elsewhere goes to the mairie's contact."""
    return _goes_elsewhere(text) == CONTACT


def _answers_an_aspect(
    text: str, topic: str | None, responses: dict[str, Any], subject: str | None
) -> bool:
    """`topic` has its own answer for an aspect the message names."""
    return bool(topic) and any(
        topic in a.replay_topics or topic_answer(str(topic), a, responses, subject)
        for a in find_aspects(text)
    )


def _where_a_question_after_ok_goes(text: str, intent: str) -> str | None:
    """The intent (`sinon` of aspects.yml) of the first aspect a question after « ok » names."""
    if not _a_question_after_ok(text, normalize(text).split(), intent) or "?" not in text:
        return None
    return _goes_elsewhere(text)


def the_need_named_aside(tracker: DialogueStateTracker, topic: str | None) -> str | None:
    """« … passer à la mairie pour déposer ma déclaration préalable, c'est ouvert quand ? »: the
    hours were asked, the works named on the way (one cue topic of indices.yml); « et ça met
    combien de temps ? » later asks the works' delay, which the hours do not answer."""
    for event in reversed(tracker.events):
        if isinstance(event, SessionStarted):
            return None
        if (
            isinstance(event, UserUttered)
            and (followed_topic(event.entities) or event.intent_name) == topic
        ):
            named = [t for t in indices().topics_in(event.text or "") if t != topic]
            return named[0] if len(named) == 1 and is_topic(named[0]) else None
    return None


def _with_entity(parse: dict[str, Any], name: str, value: str) -> dict[str, Any]:
    """A value the message settles, as an entity: the orientation subject (as the « Conflit avec
    un voisin » button sends it), or the topic a follow-up belongs to (`sujet_suivi`)."""
    entity = {"entity": name, "value": value, "start": 0, "end": 0}
    parse["entities"] = [*(parse.get("entities") or []), entity]
    return parse


def _with_subject(parse: dict[str, Any], subject: str) -> dict[str, Any]:
    return _with_entity(parse, "orientation_sujet", subject)


DOCUMENT = "chercher_document"


def _a_day_of_the_topic(text: str, topic: str | None) -> bool:
    """« et la semaine d'avant à Noël ? » after the bins: the collection on that day (the topic
    answers days), not the calendar sent with the answer, nor the one before it."""
    return topic in DAY_TOPICS and find_day(text, clock.now()) is not None


def _document_sent(tracker: DialogueStateTracker) -> bool:
    for event in reversed(tracker.events):
        if isinstance(event, SessionStarted):
            return False
        if isinstance(event, BotUttered) and carries_a_document(event.data.get("custom")):
            return True
    return False


def asks_the_document_again(text: str, intent: str, tracker: DialogueStateTracker) -> bool:
    """A short message naming the file (« le pdf svp », « le lien marche pas ») after a
    document was sent, and no other kind of document named."""
    if intent not in REREAD or len(normalize(text).split()) > SHORT or names_a_kind(text):
        return False
    return _says_a_document_word(text) and _document_sent(tracker)


def asks_the_topic_s_document(
    text: str, intent: str, topic: str | None, tracker: DialogueStateTracker
) -> bool:
    """« oui le pdf svp » after the salle des fêtes, no document sent: the salle's document
    (`document_du_sujet` of oui_non.yml), not « Très bien. Que voulez-vous savoir ? »."""
    if intent not in (YES, *REREAD) or len(normalize(text).split()) > SHORT:
        return False
    if topic not in topic_documents() or names_a_kind(text) or _document_sent(tracker):
        return False
    return _says_a_document_word(text)


def _says_a_document_word(text: str) -> bool:
    """« pdf », « le lien », « envoyez » (`renvoyer_document_si` of oui_non.yml)."""
    padded = words(text)
    return any(f" {w} " in padded for w in document_words())


def another_document(text: str, intent: str, topic: str | None) -> bool:
    """A short message naming a kind of document, while documents are the topic."""
    if topic != DOCUMENT or intent not in REREAD or len(normalize(text).split()) > SHORT:
        return False
    return names_a_kind(text)


def lost_cue(text: str, intent: str, parse: dict[str, Any]) -> str | None:
    """The one topic named by the cues when the model, emergencies set aside, knows nothing."""
    if intent != NOT_UNDERSTOOD:
        return None
    others = [r for r in parse.get("intent_ranking") or [] if r.get("name") != NOT_UNDERSTOOD]
    best = float(others[0].get("confidence") or 0.0) if others else 0.0
    cued = indices().topics_in(text)
    return cued[0] if len(cued) == 1 and best < indices().lost else None


def steps_again(text: str, intent: str, topic: str | None) -> str | None:
    """« qu'est-ce qu'on doit faire ? » not understood in a conversation about moving in: the
    resident asks the steps of that topic (indices.yml, « quoi_faire »). Not for an orientation,
    whose answer depends on the subject the ResponseSelector chose for the earlier message."""
    if intent != NOT_UNDERSTOOD or not topic or topic == RETRIEVAL:
        return None
    if len(normalize(text).split()) > SHORT or indices().topics_in(text):
        return None
    if not indices().asks_steps(text):
        return None
    # A help to the mairie (a found cat, home help) is chosen by the words of the message that
    # asked it (slot `accompagnement`): asked again as a follow-up, the help in course is kept;
    # asked as the topic, « qu'est-ce qu'on fait » would name none and get the plain contact.
    return FOLLOW_UP if topic == AGENT else topic


def new_topic(text: str, intent: str, topic: str | None) -> str | None:
    """« et la cantine c'est combien ? » after moving in: DIET reads a follow-up, but the message
    names another topic by its cue words (tchatche_nlu/indices.yml). That topic is the question;
    a follow-up would answer the price of the move. Only when one other topic is named.

    The same when DIET understood nothing, in a conversation: « et pour le mettre dans le caveau
    de la famille à Morval ? » after a death names the cemetery; « Je n'ai pas compris » would
    lose the thread."""
    if intent != FOLLOW_UP and not (intent == NOT_UNDERSTOOD and topic):
        return None
    named = set(indices().topics_in(text)) - {topic}
    return named.pop() if len(named) == 1 else None


def _without(parse: dict[str, Any], intent: str) -> dict[str, Any]:
    """The reading without a delicate topic the message never named (indices.yml, « exigent »):
    « qu'est-ce qu'on doit faire ? » read as a death must not bring condolences. The model's
    next intent stands if it is sure enough, as the FallbackClassifier would have decided."""
    dropped = (intent, NOT_UNDERSTOOD)
    ranking = [r for r in parse.get("intent_ranking") or [] if r.get("name") not in dropped]
    best = ranking[0] if ranking else None
    if best is None or float(best.get("confidence") or 0.0) < unsure():
        best = {"name": NOT_UNDERSTOOD, "confidence": unsure()}
        ranking = [best, *ranking]
    parse["intent"] = dict(best)
    parse["intent_ranking"] = ranking
    return parse


def _read_as(parse: dict[str, Any], intent: str) -> dict[str, Any]:
    ranking = [r for r in parse.get("intent_ranking") or [] if r.get("name") != intent]
    parse["intent"] = {"name": intent, "confidence": CONFIDENCE}
    parse["intent_ranking"] = [parse["intent"], *ranking]
    return parse


def install() -> None:
    """Called once when Rasa imports the dialogue package (config.yml names its policy)."""
    if MessageProcessor.parse_message is not parse_message:
        MessageProcessor.parse_message = parse_message  # type: ignore[method-assign]
