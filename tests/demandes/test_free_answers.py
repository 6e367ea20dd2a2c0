"""Forms that listen to free French: what residents really write to a form's question.

« pas de photo, vous pouvez me joindre au 06 12 34 56 78 » is a contact; « non pas besoin de me
tenir au courant » says no contact; « mardi 22 a 9h » is a slot, and when it is not free the
resident is told why and offered the nearest ones; a message to the mairie that says everything
goes straight to its summary. Each test asserts what the resident sees (the messages and the
summary) on the trackers the action server receives, with the dev conversations' clock: Monday
21 December 2026, 10:00 in Paris.
"""

from __future__ import annotations

import asyncio
import inspect
import json
from datetime import datetime, time
from functools import lru_cache
from typing import Any

import pytest
from rasa.shared.core.domain import Domain
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import clock
from actions.demandes import creneau, service
from actions.demandes.demande_form import ValidateDemandeForm, demande_directe
from actions.demandes.rendez_vous_form import ActionAskRdvCreneau, ValidateRendezVousForm
from actions.demandes.signalement_form import ValidateSignalementForm
from tests.conftest import ROOT, frozen

# The same throwaway SQLite database as the other dialogue tests (an autouse fixture).
from tests.demandes.test_dialogue import database  # noqa: F401

MONDAY = (2026, 12, 21, 10, 0)  # the clock of tests/conversations/dev.yml
BAPAUME = {"commune": "Bapaume", "commune_insee": "62080"}
BIHUCOURT = {"commune": "Bihucourt", "commune_insee": "62131"}
INVALID = "ne semble pas valide"


@lru_cache(maxsize=1)
def domain() -> dict[str, Any]:
    return Domain.load(str(ROOT / "domain.yml")).as_dict()


def answering(
    slot: str,
    text: str,
    slots: dict[str, Any] | None = None,
    *,
    intent: tuple[str, float] = ("aide", 0.3),
    channel: str = "rest",
    form: str = "signalement_form",
) -> Tracker:
    """The tracker of a resident who answers the question on `slot` with `text`."""
    latest = {
        "text": text,
        "intent": {"name": intent[0], "confidence": intent[1]},
        "entities": [],
        "metadata": {},
    }
    events = [
        {"event": "slot", "name": "requested_slot", "value": slot},
        {"event": "bot", "text": "(la question)"},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": text, "input_channel": channel, "parse_data": latest, **latest},
    ]
    held = {**BAPAUME, "requested_slot": slot, **(slots or {})}
    return Tracker("t", held, latest, events, False, None, {"name": form}, "action_listen")


def validate(form, slot: str, text: str, slots: dict[str, Any] | None = None, **kwargs):
    dispatcher = CollectingDispatcher()
    tracker = answering(slot, text, slots, form=form.form_name(), **kwargs)
    result = getattr(form, f"validate_{slot}")(text, dispatcher, tracker, {})
    if inspect.isawaitable(result):
        result = asyncio.run(result)
    return result, dispatcher.messages


def run_form(form, slot: str, text: str, slots: dict[str, Any], **kwargs):
    """The form's validation action as Rasa calls it after the answer (from_text candidate)."""
    tracker = answering(slot, text, slots, form=form.form_name(), **kwargs)
    tracker.slots[slot] = text
    tracker.events.append({"event": "slot", "name": slot, "value": text})
    dispatcher = CollectingDispatcher()
    events = asyncio.run(form.run(dispatcher, tracker, domain()))
    found = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    return found, dispatcher.messages


def asked_next(form: str, held: dict[str, Any], found: dict[str, Any]) -> str | None:
    """The question Rasa asks next: the validation's choice, else the first empty slot."""
    if "requested_slot" in found:
        return found["requested_slot"]
    values = {**held, **found}
    required = domain()["forms"][form]["required_slots"]
    return next((slot for slot in required if values.get(slot) is None), None)


def said(messages: list[dict]) -> str:
    return "\n".join(str(m.get("motif") or m.get("aide") or m.get("text") or "") for m in messages)


LAMPADAIRE = {
    "signalement_quoi": "Le lampadaire rue des ecoles est casse depuis une semaine",
    "signalement_lieu": "rue des ecoles",
}

# --------------------------------------------------------------------------- contact


def test_a_phone_inside_a_sentence_is_the_contact_and_the_summary_follows():
    found, messages = run_form(
        ValidateSignalementForm(),
        "signalement_contact",
        "pas de photo, vous pouvez me joindre au 06 12 34 56 78",
        LAMPADAIRE,
    )
    assert INVALID not in said(messages)
    assert found["signalement_contact"] == "06 12 34 56 78"
    assert found["requested_slot"] == "signalement_confirmation", "next: the summary"
    assert "- Problème : Le lampadaire rue des ecoles" in found["signalement_resume"]
    assert "- Pour vous répondre : 06 12 34 56 78" in found["signalement_resume"]
    assert "Photo" not in found["signalement_resume"], "no photo question outside the web chat"


@pytest.mark.parametrize(
    "text",
    [
        "non pas besoin de me tenir au courant",
        "pas la peine",
        "non merci",
        "non",
        "Non.",
        "c'est pas la peine",
        "je ne veux pas être recontacté",
        "nan c bon pas besoin",
    ],
)
def test_no_contact_said_in_words_when_the_contact_is_optional(text):
    result, messages = validate(ValidateSignalementForm(), "signalement_contact", text)
    assert result["signalement_contact"] == "aucun" and messages == []


def test_no_contact_gives_a_summary_saying_nobody_will_call_back():
    found, messages = run_form(
        ValidateSignalementForm(),
        "signalement_contact",
        "non pas besoin de me tenir au courant",
        LAMPADAIRE,
        channel="twilio",
    )
    assert messages == []
    assert "pas de contact (vous ne serez pas recontacté)" in found["signalement_resume"]
    assert found["requested_slot"] == "signalement_confirmation"


@pytest.mark.parametrize(
    ("form", "slot"),
    [(ValidateDemandeForm(), "demande_contact"), (ValidateRendezVousForm(), "rdv_contact")],
)
def test_a_required_contact_refused_in_words_is_explained_not_called_invalid(form, slot):
    result, messages = validate(form, slot, "non merci")
    assert result[slot] is None
    assert INVALID not in said(messages)
    assert "a besoin d'une adresse e-mail ou d'un numéro" in said(messages)
    assert "laisser tomber" in said(messages)
    good, messages = validate(form, slot, "c'est marie.dupont@exemple.fr merci")
    assert good[slot] == "marie.dupont@exemple.fr" and messages == []


def test_what_is_not_a_refusal_nor_a_contact_is_still_refused_or_left():
    form = ValidateSignalementForm()
    broken, messages = validate(form, "signalement_contact", "non mon numero c 06 12 34")
    assert broken["signalement_contact"] is None and INVALID in said(messages)
    two, messages = validate(form, "signalement_contact", "06 12 34 56 78 ou 07 11 22 33 44")
    assert two["signalement_contact"] is None and "deux" in said(messages)
    stop, _ = validate(form, "signalement_contact", "non laissez tomber")
    assert stop["formulaire_abandon"] is True and stop["requested_slot"] is None
    question, messages = validate(
        form,
        "signalement_contact",
        "non, c'est quand la dechetterie ?",
        intent=("dechetterie", 0.95),
    )
    assert question["formulaire_interrompu"] is True and messages == []


def test_a_name_typed_for_the_contact_is_thanked_and_the_contact_asked_again():
    """« martin dupont » where a phone was asked: no « ne semble pas valide »."""
    form = ValidateSignalementForm()
    named, messages = validate(form, "signalement_contact", "martin dupont")
    assert named["signalement_contact"] is None
    assert INVALID not in said(messages)
    assert "Merci, Martin Dupont" in said(messages) and "téléphone" in said(messages)
    other, messages = validate(form, "signalement_contact", "demain matin")
    assert other["signalement_contact"] is None and INVALID in said(messages)


def test_a_message_written_for_the_service_question_is_the_message():
    """« c'est pour avoir le pv du conseil de novembre » to « quel service ? »: no buttons again."""
    form = ValidateDemandeForm()
    found, messages = run_form(
        form, "demande_service", "c'est pour avoir le pv du conseil de novembre", BAPAUME
    )
    assert messages == [] or "boutons" not in said(messages)
    assert found["demande_service"] == "autre"
    assert found["demande_message"] == "c'est pour avoir le pv du conseil de novembre"
    assert asked_next("demande_form", BAPAUME, found) == "demande_contact"
    short, messages = validate(form, "demande_service", "le conseil")
    assert short["demande_service"] is None and "boutons" in said(messages)


def test_a_story_that_names_a_service_is_the_message_and_its_service():
    """« trous » names the technical services; the story is still the message to send."""
    story = "c'est pour le chemin derriere chez moi qui est plein de trous"
    found, _ = run_form(ValidateDemandeForm(), "demande_service", story, BAPAUME)
    assert found["demande_service"] == "services_techniques"
    assert found["demande_message"] == story
    assert asked_next("demande_form", BAPAUME, found) == "demande_contact"
    short, _ = validate(ValidateDemandeForm(), "demande_service", "les services techniques")
    assert short["demande_service"] == "services_techniques"
    assert not short.get("demande_message")


# --------------------------------------------------------------------------- photo


def test_a_phone_given_for_the_photo_answers_the_photo_and_the_contact():
    found, messages = run_form(
        ValidateSignalementForm(),
        "signalement_photo",
        "non j'en ai pas, appelez moi au 06 12 34 56 78",
        LAMPADAIRE,
        channel="socketio",
    )
    assert messages == []
    assert found["signalement_photo"] == "aucune"
    assert found["signalement_contact"] == "06 12 34 56 78"
    assert asked_next("signalement_form", LAMPADAIRE, found) == "signalement_confirmation"


def test_no_photo_and_no_contact_in_one_answer():
    form = ValidateSignalementForm()
    both, _ = validate(
        form, "signalement_photo", "pas de photo et pas besoin de me rappeler", channel="socketio"
    )
    assert both == {
        "signalement_photo": "aucune",
        "signalement_contact": "aucun",
        "formulaire_erreurs": None,
        "formulaire_abandon": None,
    }
    only_photo, _ = validate(form, "signalement_photo", "non pas besoin", channel="socketio")
    assert only_photo["signalement_photo"] == "aucune"
    assert "signalement_contact" not in only_photo, "the contact question is still to come"


def test_no_photo_said_with_the_contact_on_the_web_chat_is_taken_too():
    result, _ = validate(
        ValidateSignalementForm(),
        "signalement_contact",
        "pas de photo, vous pouvez me joindre au 06 12 34 56 78",
        channel="socketio",
    )
    assert result["signalement_photo"] == "aucune"
    assert result["signalement_contact"] == "06 12 34 56 78"


def test_a_name_given_with_the_phone_answers_both():
    form = ValidateRendezVousForm()
    both, messages = validate(form, "rdv_nom", "Martine Dubois, mon tel 06 22 33 44 55")
    assert both["rdv_nom"] == "Martine Dubois" and both["rdv_contact"] == "06 22 33 44 55"
    assert messages == []
    only_phone, _ = validate(form, "rdv_nom", "06 22 33 44 55")
    assert only_phone["rdv_nom"] is None, "the name is asked again"
    assert only_phone["rdv_contact"] == "06 22 33 44 55", "not asked again"
    # DIET read another topic (0.9) in « Claire Lefebvre, 06 12 34 56 78 »: the phone's digits
    # are no words of a question, and the form goes on instead of being set aside.
    sure_elsewhere = ("parler_a_un_agent", 0.9)
    named, said_back = validate(
        form, "rdv_nom", "Claire Lefebvre, 06 12 34 56 78", intent=sure_elsewhere
    )
    assert named["rdv_nom"] == "Claire Lefebvre" and named["rdv_contact"] == "06 12 34 56 78"
    assert "rien n'a été envoyé" not in str(said_back)


def test_a_message_with_a_phone_answers_the_contact_too():
    message = "le mur du cimetiere s ecroule, rappelez moi au 06 45 12 78 90"
    result, _ = validate(ValidateDemandeForm(), "demande_message", message)
    assert result["demande_message"] == message
    assert result["demande_contact"] == "06 45 12 78 90"
    assert "- Pour vous répondre : 06 45 12 78 90" in result["demande_resume"]


# --------------------------------------------------------------------------- rendez-vous slot


@pytest.mark.parametrize(
    ("text", "days", "at", "part"),
    [
        ("mardi 22 a 9h", [22], time(9, 0), None),
        ("demain 14h30", [22], time(14, 30), None),
        ("le 23 à 10 h", [23], time(10, 0), None),
        ("le 23 a 10", [23], time(10, 0), None),
        ("jeudi matin", [24], None, "matin"),
        ("mercredi après-midi", [23], None, "apres_midi"),  # not « midi »
        ("9h", [], time(9, 0), None),
        ("a 2h de l'aprem", [], time(14, 0), None),  # nobody books at 2 in the night
        ("9:30", [], time(9, 30), None),
    ],
)
def test_a_wished_day_and_time_are_read_sms_style(text, days, at, part):
    with frozen(*MONDAY):
        wish = creneau.read_wish(text, clock.now())
    assert wish is not None
    assert [d.day for d in wish.days] == days and wish.at == at and wish.part == part


@pytest.mark.parametrize("text", ["Martine Dubois", "06 22 33 44 55", "oui", "1", "bof"])
def test_what_names_no_day_nor_time_is_no_wish(text):
    with frozen(*MONDAY):
        assert creneau.read_wish(text, clock.now()) is None


def offer() -> tuple[dict[str, Any], list[dict]]:
    """The first slot question of the form (after the opening message), as Rasa asks it."""
    tracker = answering(
        "rdv_motif", "je voudrais un rendez vous pour ma carte d identite", form="rendez_vous_form"
    )
    tracker.slots["requested_slot"] = "rdv_creneau"
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionAskRdvCreneau().run(dispatcher, tracker, {}))
    return {e["name"]: e["value"] for e in events}, dispatcher.messages


def ask_again(text: str, slots: dict[str, Any]) -> list[dict]:
    """ActionAskRdvCreneau after the resident answered the slot question with `text`."""
    dispatcher = CollectingDispatcher()
    tracker = answering("rdv_creneau", text, slots, form="rendez_vous_form")
    asyncio.run(ActionAskRdvCreneau().run(dispatcher, tracker, {}))
    return dispatcher.messages


def titles(messages: list[dict]) -> list[str]:
    return [b["title"] for m in messages for b in m.get("buttons", [])]


def test_a_day_and_a_time_in_words_take_that_slot():
    with frozen(*MONDAY):
        slots, messages = offer()
        assert titles(messages)[0] == "lundi 21 décembre à 14 h"
        form = ValidateRendezVousForm()
        second = json.loads(slots["rdv_propositions"])[1][1]
        for text, start, noted in [
            ("mardi 22 a 9h", "2026-12-22T09:00:00", "mardi 22 décembre à 9 h"),
            ("le 23 à 10 h", "2026-12-23T10:00:00", "mercredi 23 décembre à 10 h"),
            ("demain 15h20", "2026-12-22T15:20:00", "mardi 22 décembre à 15 h 20"),
            ("9h", "2026-12-22T09:00:00", "mardi 22 décembre à 9 h"),  # the first day 9 h is free
            ("le deuxième", second, None),  # a button's rank: nothing to say back
            ("2", second, None),
        ]:
            result, messages = validate(form, "rdv_creneau", text, slots)
            assert result["rdv_creneau"] == start, text
            # A slot read from words is said back, so that a misreading shows before the name.
            assert said(messages) == (f"C'est noté : {noted}." if noted else ""), text


def test_a_slot_that_is_not_a_rendez_vous_time_offers_the_nearest():
    with frozen(*MONDAY):
        slots, _ = offer()
        result, messages = validate(ValidateRendezVousForm(), "rdv_creneau", "demain 14h30", slots)
        assert result["rdv_creneau"] is None and messages == [], "not a wrong answer"
        assert result["formulaire_erreurs"] is None
        shown = ask_again("demain 14h30", slots)
    assert said(shown[:1]) == (
        "La mairie de Bapaume ne prend pas de rendez-vous à 14 h 30 le mardi 22 décembre."
    )
    assert titles(shown) == [
        "mardi 22 décembre à 14 h",
        "mardi 22 décembre à 14 h 20",
        "mardi 22 décembre à 14 h 40",
        "mardi 22 décembre à 15 h",
        "mardi 22 décembre à 15 h 20",
    ]


def test_a_taken_slot_is_said_taken_and_the_next_ones_are_offered():
    with frozen(*MONDAY):
        service.book("62080", datetime(2026, 12, 22, 9, 0), "A", None, "0612345678", "passeport")
        slots, _ = offer()
        result, _ = validate(ValidateRendezVousForm(), "rdv_creneau", "mardi 22 a 9h", slots)
        assert result["rdv_creneau"] is None
        shown = ask_again("mardi 22 a 9h", slots)
    assert said(shown[:1]) == "Le mardi 22 décembre à 9 h est déjà pris."
    assert titles(shown)[:2] == ["mardi 22 décembre à 9 h 20", "mardi 22 décembre à 9 h 40"]
    assert "mardi 22 décembre à 9 h" not in titles(shown)


def test_a_day_when_the_mairie_takes_no_rendez_vous_is_said_plainly():
    with frozen(*MONDAY):
        shown = ask_again("jeudi matin", {})
    assert (
        said(shown[:1]) == "La mairie de Bapaume ne prend pas de rendez-vous le jeudi 24 décembre."
    )
    assert titles(shown)[0] == "lundi 4 janvier à 9 h", "the mairie reopens after the holidays"


def test_a_day_alone_offers_that_days_free_slots():
    with frozen(*MONDAY):
        slots, _ = offer()
        result, messages = validate(ValidateRendezVousForm(), "rdv_creneau", "mardi", slots)
        assert result["rdv_creneau"] is None and messages == []
        shown = ask_again("mardi", slots)
        afternoon = ask_again("demain aprem", slots)
    assert said(shown[:1]) == "", "no refusal: these are the slots asked for"
    assert titles(shown)[0] == "mardi 22 décembre à 9 h"
    assert all(t.startswith("mardi 22 décembre") for t in titles(shown))
    assert titles(afternoon)[0] == "mardi 22 décembre à 14 h"


def test_too_soon_and_past_are_explained():
    with frozen(*MONDAY):
        soon = ask_again("aujourd'hui 11h", {})
        past = ask_again("lundi 21 a 9h", {})
    assert said(soon[:1]) == (
        "Le lundi 21 décembre à 11 h, c'est trop proche : il faut réserver au moins 2 h à "
        "l'avance."
    )
    assert said(past[:1]) == "Le lundi 21 décembre à 9 h est déjà passé."
    assert titles(past)[0] == "lundi 21 décembre à 14 h"


def test_words_that_are_no_slot_are_refused_with_an_example():
    with frozen(*MONDAY):
        slots, _ = offer()
        result, messages = validate(ValidateRendezVousForm(), "rdv_creneau", "bof", slots)
    assert result["rdv_creneau"] is None and result["formulaire_erreurs"] == 1.0
    assert "écrivez un jour et une heure" in said(messages)


def slots_after_opening(opening: str) -> tuple[list[dict], dict[str, Any]]:
    """The slots the booking offers right after the message that opened it (Monday 10 h): the
    messages sent, and the slots set (`rdv_propositions`)."""
    tracker = answering("rdv_motif", opening, form="rendez_vous_form")
    tracker.slots["requested_slot"] = "rdv_creneau"
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionAskRdvCreneau().run(dispatcher, tracker, {}))
    return dispatcher.messages, {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def test_the_opening_message_is_not_read_as_a_wished_day():
    """« ma carte expire le 15 janvier » says when the card ends, not when to come."""
    with frozen(*MONDAY):
        messages, _ = slots_after_opening("ma carte expire le 15 janvier, je voudrais un rdv")
    assert titles(messages)[0] == "lundi 21 décembre à 14 h"
    assert len(messages) == 1, "no « not free » sentence"


WEDNESDAY_MORNING = "je voudrais un rdv pour refaire mon passeport, mercredi matin si possible"


def test_a_weekday_wished_in_the_opening_message_is_offered():
    """« … mercredi matin si possible » in the message that opens the booking: Wednesday
    morning's slots, not Monday's first free ones."""
    with frozen(*MONDAY):
        messages, _ = slots_after_opening(WEDNESDAY_MORNING)
    offered = titles(messages)
    assert offered and all(t.startswith("mercredi 23 décembre à") for t in offered), offered


def test_a_time_alone_is_read_among_the_slots_offered():
    """« 10h ça m'irait » after Wednesday's slots: Wednesday at 10 h, said back; not the first
    day 10 h is free (Tuesday)."""
    with frozen(*MONDAY):
        _, offers = slots_after_opening(WEDNESDAY_MORNING)
        form = ValidateRendezVousForm()
        result, messages = validate(form, "rdv_creneau", "10h ça m'irait", offers)
    assert result["rdv_creneau"] == "2026-12-23T10:00:00"
    assert said(messages) == "C'est noté : mercredi 23 décembre à 10 h."


# --------------------------------------------------------------------------- message to the mairie

TOUT_EN_UN = (
    "bonjour je suis Monique Lefebvre 06 45 12 78 90, je voudrais que le maire me rappelle au "
    "sujet du mur du cimetiere qui s ecroule"
)


def asking_the_mairie(text: str, slots: dict[str, Any] | None = None) -> Tracker:
    """The tracker action_preparer_reponse gets for a message of intent parler_a_un_agent."""
    latest = {"text": text, "intent": {"name": "parler_a_un_agent", "confidence": 0.9}}
    events = [{"event": "user", "text": text, "parse_data": latest, **latest}]
    held = {**BIHUCOURT, **(slots or {})}
    return Tracker("t", held, latest, events, False, None, {}, "action_listen")


def prepared(sujet: str = "parler_a_un_agent", manquante: bool = False) -> list[dict]:
    return [
        {"event": "slot", "name": "commune_manquante", "value": manquante},
        {"event": "slot", "name": "sujet", "value": sujet},
    ]


def test_a_message_with_subject_and_phone_starts_the_form_at_once():
    events = demande_directe(asking_the_mairie(TOUT_EN_UN), prepared())
    assert events == [{"event": "followup", "timestamp": None, "name": "demande_form"}]


@pytest.mark.parametrize(
    ("text", "events"),
    [
        ("je voudrais parler a quelqu'un de la mairie", prepared()),
        ("je voudrais que le maire me rappelle au sujet du mur du cimetiere", prepared()),
        ("je voudrais que le maire me rappelle au 06 45 12 78 90", prepared()),
        (TOUT_EN_UN, prepared(sujet=None, manquante=True)),  # the commune is asked first
    ],
)
def test_without_a_subject_a_contact_or_a_commune_the_card_comes_first(text, events):
    assert demande_directe(asking_the_mairie(text), events) == []


def test_the_form_started_at_once_shows_the_summary_then_sends_on_oui():
    latest = {"text": TOUT_EN_UN, "intent": {"name": "parler_a_un_agent", "confidence": 0.9}}
    events = [
        {"event": "user", "text": TOUT_EN_UN, "parse_data": latest, **latest},
        {"event": "action", "name": "action_preparer_reponse"},
        {"event": "active_loop", "name": "demande_form"},
        {"event": "action", "name": "demande_form"},
    ]
    tracker = Tracker(
        "t",
        {**BIHUCOURT, "requested_slot": None},
        latest,
        events,
        False,
        None,
        {"name": "demande_form"},
        "action_listen",
    )
    dispatcher = CollectingDispatcher()
    result = asyncio.run(ValidateDemandeForm().run(dispatcher, tracker, domain()))
    found = {e["name"]: e["value"] for e in result if e.get("event") == "slot"}
    assert asked_next("demande_form", {}, found) == "demande_confirmation", "the summary"
    assert dispatcher.messages[0]["deja"] == (
        "votre message, de la part de Monique Lefebvre, pour vous répondre, 06 45 12 78 90"
    )
    summary = found["demande_resume"]
    assert "- Service : Autre" in summary
    assert "mur du cimetiere qui s ecroule" in summary and "Lefebvre" in summary
    assert "- Pour vous répondre : 06 45 12 78 90" in summary
    sent, _ = validate(ValidateDemandeForm(), "demande_confirmation", "oui c bon")
    assert sent["demande_confirmation"] == "oui"


def test_the_new_sentences_follow_the_french_rules():
    """Vouvoiement, elisions, short sentences (tests/test_francais.py) for what this adds."""
    from tests.test_francais import fautes

    today = datetime(2026, 12, 21).date()
    start = datetime(2026, 12, 22, 9, 0)
    sentences = [
        creneau.why_sentence(reason, "62080", start, today) for reason in service.NOT_FREE_REASONS
    ]
    with frozen(*MONDAY):
        for text in ("mercredi après-midi", "jeudi matin", "lundi 21 matin", "le 15 février"):
            sentences += [said(ask_again(text, {})[:1])]
        sentences += [said(validate(ValidateRendezVousForm(), "rdv_creneau", "bof")[1])]
    sentences += [
        said(validate(ValidateDemandeForm(), "demande_contact", "non")[1]),
        said(
            validate(
                ValidateSignalementForm(), "signalement_contact", "06 11 22 33 44 ou 07 11 22 33 44"
            )[1]
        ),
    ]
    assert all(sentences)
    problems = [f"{s} : {f}" for s in sentences for f in fautes(s)]
    assert not problems, "\n".join(problems)
