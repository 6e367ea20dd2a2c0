"""action_preparer_reponse: works out the resident's commune and the facts the answer needs.

The action sends no text itself. It sets slots; the rules in data/rules.yml then play the
responses of domain.yml, whose wording conversation designers edit. Two slots steer the rules:
`commune_manquante` (ask for the commune first) and `sujet` (which answer to give).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import clock
from actions.accompagnement import said_everywhere
from actions.conversation.condoleances import comfort_first
from actions.conversation.context import current_topic, replays_a_follow_up, topic_labels
from actions.conversation.opening import aspect_first
from actions.demandes.demande_form import demande_directe
from actions.demandes.prefill import opening_texts
from actions.demandes.rendez_vous_form import motif_annonce
from actions.orientation.facts import france_services_facts, orientation_facts
from actions.orientation.subjects import SUBJECTS
from actions.procedures import procedure_terms
from actions.sujets import DAY, GENERAL_TOPICS, NOTED, commune_topics, national_first
from actions.territory.day_answer import asked_text, date_facts, no_opening_facts
from actions.territory.effectif import head_count_facts
from actions.territory.hours import fmt_time, opening_state, upcoming_closures_text, weekly_text
from actions.territory.loader import territory
from actions.territory.matching import (
    ANSWER_FILLERS,
    ELSEWHERE,
    CommuneMatcher,
    Match,
    territory_matcher,
)
from actions.territory.model import Commune, Territory
from actions.text import at_place, fold, of_place

# Intents whose answer depends on the commune: the values of the `sujet` slot of domain.yml
# (actions/sujets.py), so that a designer adds a topic without Python. The national part of
# NATIONAL_FIRST topics (utter_<sujet>, utter_<sujet>_pieces) does not depend on the commune: it is
# given at once, and only the local part waits for the commune (rules_conversation.yml).
COMMUNE_TOPICS = commune_topics()
NATIONAL_FIRST = national_first()
MAX_MENTION = 40
MAX_NAME_WORDS = 3  # « Saint-Léger-lès-Domart » is one word; « ma fille habite loin » is no name
MIN_UNKNOWN_CONFIDENCE = 0.8
EXAMPLE_NOTE = "\n(Données d'exemple de la démonstration, à remplacer par la mairie.)"


# Words before a place name: « à Lille », « j'habite Lens », « jhabite Lens » (SMS, glued),
# « mairie de Douai », « moi c'est Lens ».
PLACE_CUES = re.compile(
    r"\b(a|au|en|de|d|du|sur|pour|vers|habite|habites|habitons|habitez|vis|commune|jhabite|"
    r"jhabites|jabite|jsuis|chui|chuis|moi c est|moi cest)$"
)
# Earlier messages looked at for the resident's commune (« on vient d'emménager à Vaulx » got a
# general answer, « et les poubelles ? » needs the commune).
LOOK_BACK = 8
# Topics whose follow-up about a day gets that day's answer alone (sujet « <topic>_jour »).
DAY_ALONE = frozenset({"collecte_dechets"})
# Topics where someone else's commune said earlier is the one asked about (the dead's cemetery).
ELSEWHERE_TOPICS = frozenset({"cimetiere"})


def _looks_like_place(
    value: str, confidence: float | None, text: str = "", start: int | None = None
) -> bool:
    """An unresolved entity worth telling the resident about ("Arras"), not NLU noise ("le").

    A word the NLU tagged after « qui », like « un lampadaire qui clignote », is not a place: a
    place is capitalised, or follows « à », « de », « j'habite »…, or is the whole message.
    """
    words = [w for w in fold(value).split() if w not in ANSWER_FILLERS]
    sure = confidence is None or confidence >= MIN_UNKNOWN_CONFIDENCE
    if not (sure and bool(words) and len(" ".join(words)) >= 3):
        return False
    if start is None or not text or fold(text) == fold(value) or value[:1].isupper():
        return True
    return bool(PLACE_CUES.search(fold(text[:start])))


def _named_in(
    text: str, entities: list[dict[str, Any]], matcher: CommuneMatcher
) -> tuple[Match, str]:
    """Commune named in one message: where the resident says they live, then an NLU entity,
    then a scan of the raw text.

    Returns the match and the unknown name when the resident named a place we do not cover.
    The NLU tags every place alike: « le site de Bucquoy » as much as « moi j'habite à Vaulx »,
    « elle habite à Lille » as much as « j'habite à Lille ». The text says whose place it is.
    """
    button = text.startswith("/")
    found = Match(None) if button else matcher.find_in_text(text)
    if found.home and found.commune:  # over the page's commune and any other one named
        return found, ""
    unknown = ""
    for entity in entities:
        if entity.get("entity") != "commune":
            continue
        value = str(entity.get("value") or "")
        start = entity.get("start")
        if isinstance(start, int) and not button and matcher.role_at(text, start) == ELSEWHERE:
            continue  # « ma fille habite à Lille », « on arrive de Lille »: not the resident's
        match = matcher.resolve(value)
        if match.commune and matcher.only_street(text, match.commune):
            continue  # « rue de Bapaume, chez nous à Favreuil »: the street, not the commune
        if match.ambiguous and found.commune in match.candidates:
            return found, ""  # « achiet » tagged, « achiet le grand » written
        if match.commune or match.ambiguous:
            return match, ""
        if _looks_like_place(value, entity.get("confidence_entity"), text, start):
            unknown = unknown or value
    if button:  # button payload without a known commune
        return Match(None), unknown
    return found, unknown or found.outside  # « Ervillers » is outside, not « Grévillers »


def place_name(name: str) -> str:
    """A place written in lower case (SMS: « jhabite achicourt ») capitalised as a name."""
    name = name.strip()
    return name if any(c.isupper() for c in name) else name.title()


def mentioned_commune(tracker: Tracker, matcher: CommuneMatcher) -> tuple[Match, str]:
    """Commune named in the latest message (see _named_in)."""
    message = tracker.latest_message or {}
    return _named_in(str(message.get("text") or ""), message.get("entities") or [], matcher)


def resident_commune(tracker: Tracker, matcher: CommuneMatcher) -> str | None:
    """The resident's commune as the answers see it: named in this message, else in an earlier
    one that got a general answer, else the `commune` slot. For what a place « à la maison »
    means (a birth, a death) without asking the commune again."""
    match, unknown = mentioned_commune(tracker, matcher)
    if match.commune is not None:
        return match.commune.nom
    if not match.ambiguous and not unknown:
        before, _ = _said_before(tracker, matcher)
        if before is not None:
            return before.nom
    return tracker.get_slot("commune")


def _said_before(
    tracker: Tracker, matcher: CommuneMatcher, elsewhere_counts: bool = False
) -> tuple[Commune | None, str]:
    """The commune an earlier message named, when no answer has taken a commune since.

    « on vient d'emménager à Vaulx-Vraucourt » gets a general answer (no commune needed, so the
    `commune` slot stays empty); « et les poubelles c quel jour ? » is then about Vaulx-Vraucourt.
    Only messages after the last time the commune was set or questioned count, most recent
    first. A commune outside the territory counts only when the resident said they live there
    (« jhabite Achicourt »), never when merely named (« l'hôpital d'Arras »). Returns the
    commune, or the unknown place to tell the resident about.

    `elsewhere_counts`: someone else's commune of ours (« il habitait Sapignies ») is the one
    asked about when nothing else is known: the cemetery of the commune where the dead lived.
    """
    elsewhere = None
    events = list(tracker.events or [])
    latest = next(
        (i for i in range(len(events) - 1, -1, -1) if events[i].get("event") == "user"), -1
    )
    seen = 0
    for event in reversed(events[: max(latest, 0)]):
        kind = event.get("event")
        if kind == "session_started":
            break
        if kind == "slot" and event.get("name") in ("commune", "commune_probleme"):
            break  # an answer took (or questioned) the commune after these messages
        if kind != "user":
            continue
        seen += 1
        if seen > LOOK_BACK:
            break
        parsed = event.get("parse_data") or {}
        match, _ = _named_in(str(event.get("text") or ""), parsed.get("entities") or [], matcher)
        if match.commune is not None:
            return match.commune, ""
        if match.home and match.outside:
            return None, match.outside
        elsewhere = elsewhere or match.elsewhere
    return (elsewhere if elsewhere_counts else None), ""


def _page_commune(tracker: Tracker, matcher: CommuneMatcher) -> Commune | None:
    """The commune of the web page the resident writes from (metadata sent by the widget)."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    custom = metadata.get("customData") if isinstance(metadata.get("customData"), dict) else {}
    value = metadata.get("commune") or custom.get("commune")
    if not isinstance(value, str):
        return None
    return matcher.resolve(value).commune


BOOKING = "prendre_rendez_vous"
AGENT = "parler_a_un_agent"
# « un rendez-vous avec le maire pour parler de mon terrain »: the agenda of the mairies only
# books identity titles; a meeting with an élu is fixed by the mairie itself.
ELU = r"maire|adjointe?s?|elue?s?|conseill[eè]re?s? municipa\w*"
ELU_MEETING = re.compile(rf"\b({ELU}|secretaire de mairie)\b")
ELU_ONLY = re.compile(rf"\b({ELU})\b")  # « les élus reçoivent sur rendez-vous »: not the staff
TITLE = re.compile(r"\b(carte|identite|cni|pass?e? ?ports?)\b")


def _helped(terms: list[EventType]) -> str | None:
    return next((e.get("value") for e in terms if e.get("name") == "accompagnement"), None)


def _opening(tracker: Tracker) -> list[str]:
    """The messages that open a message to the mairie, as its form reads them (prefill.py)."""
    return [fold(text) for text in opening_texts(tracker.events, "demande_form")]


def meets_an_elu(tracker: Tracker, who: re.Pattern[str] = ELU_MEETING) -> bool:
    """The booking asked for is a meeting with an élu (or the staff), not an application for a
    title."""
    texts = _opening(tracker)
    return any(who.search(t) for t in texts) and not any(TITLE.search(t) for t in texts)


WRITE = re.compile(
    r"\b(laisser|ecrire|envoyer|transmettre|deposer|faire passer)\b.{0,25}"
    r"\b(message|mot|courrier|mail|demande)\b"
    r"|\becrire (au|a la|a) (maire|mairie|secretaire|secretariat)\b"
)


def wants_to_write(tracker: Tracker) -> bool:
    """« je voudrais laisser un message à la mairie »: no need to ask whether they want to."""
    return any(WRITE.search(t) for t in _opening(tracker))


def _choose_topic(tracker: Tracker, intent: str, changed: bool) -> str:
    topic = _topic(tracker, intent, changed)
    if topic == BOOKING and meets_an_elu(tracker):
        return AGENT  # the message to the mairie, which fixes the meeting (rendez_vous_elu)
    return topic


def _topic(tracker: Tracker, intent: str, changed: bool) -> str:
    if intent in COMMUNE_TOPICS or intent in GENERAL_TOPICS:
        return intent
    pending = tracker.get_slot("sujet_en_attente")
    if pending in COMMUNE_TOPICS:
        return pending
    previous = tracker.get_slot("dernier_sujet")
    if changed and previous in COMMUNE_TOPICS:
        return previous  # "non, c'est pour Bucquoy": same question, new commune
    return NOTED


def commune_facts(commune: Commune, terr: Territory, now: datetime) -> dict[str, Any]:
    """Slot values describing a commune's mairie and services at this instant."""
    mairie = commune.mairie
    state = opening_state(mairie.horaires, now)
    closures = upcoming_closures_text(mairie.horaires, now)
    elus = commune.elus
    maire = next((e for e in elus if e.fonction.lower().startswith("maire")), elus[0])
    equipped = terr.mairies_recueil_titres()
    salle = commune.salle_des_fetes
    site = terr.dechetteries.get(commune.collecte.dechetterie)
    site_state = opening_state(site.horaires, now) if site else None
    return {
        "commune": commune.nom,
        # « la mairie d'Achiet-le-Grand », « au Sars », « Au Transloy, … »: the domain writes
        # {de_commune} and {a_commune}, never « de {commune} » (wrong before a vowel or « Le »).
        "de_commune": of_place(commune.nom),
        "a_commune": at_place(commune.nom),
        "a_commune_debut": at_place(commune.nom)[0].upper() + at_place(commune.nom)[1:],
        "commune_insee": commune.insee,
        "mairie_adresse": mairie.adresse,
        "mairie_telephone": mairie.telephone,
        "mairie_courriel": mairie.courriel,
        "mairie_horaires": weekly_text(mairie.horaires),
        "mairie_etat": state.status,
        "mairie_ferme_a": fmt_time(state.closes_at) if state.closes_at else None,
        "prochaine_ouverture": state.describe_next(now),
        "raison_fermeture": state.reason_closed,
        "mairie_fermetures": f"\nÀ noter : {closures}." if closures else "",
        "elus_liste": "\n".join(f"- {e.fonction} : {e.nom}" for e in elus),
        "maire": maire.nom,
        "mairie_equipee": mairie.recueil_titres,
        "mairies_equipees": ", ".join(f"{c.nom} ({c.mairie.telephone})" for c in equipped)
        or "la mairie équipée la plus proche",
        # « c'est ouvert le samedi ? » after a passport: the hours of the mairie that takes it.
        "mairies_equipees_horaires": "\n".join(
            f"{c.nom} :\n{weekly_text(c.mairie.horaires)}" for c in equipped
        )
        or None,
        "salle_existe": salle is not None,
        "salle_nom": salle.nom if salle else None,
        "salle_capacite": str(salle.capacite) if salle else None,
        "salle_tarifs": (
            f"Location pour un week-end : {salle.tarif_habitants} € pour les habitants, "
            f"{salle.tarif_exterieurs} € pour les autres. Caution : {salle.caution} €."
            if salle
            else None
        ),
        "salle_caution": str(salle.caution) if salle else None,
        "ecole_existe": commune.ecole is not None,
        "ecole_nom": commune.ecole.nom if commune.ecole else None,
        "collecte_om": commune.collecte.ordures_menageres,
        "collecte_tri": commune.collecte.tri_selectif,
        "dechetterie_nom": site.nom if site else None,
        "dechetterie_adresse": site.adresse if site else None,
        "dechetterie_horaires": weekly_text(site.horaires) if site else None,
        "dechetterie_etat": site_state.status if site_state else None,
        "dechetterie_prochaine_ouverture": site_state.describe_next(now) if site_state else None,
        "dechets_gestionnaire": terr.dechets.nom,
        "dechets_telephone": terr.dechets.telephone,
        "mention_exemple": EXAMPLE_NOTE if commune.exemple else "",
    }


def prepare_events(
    tracker: Tracker, intent: str | None = None, subject: str | None = None
) -> list[EventType]:
    """Slots for the answer to `intent` (default: the latest one), or the question for the commune.

    Shared by every action that needs the resident's commune (orientation, fallback), so the
    commune is resolved the same way everywhere. `subject` is the orientation subject found in
    this very turn (the slot still holds the previous one).
    """
    terr = territory()
    matcher = territory_matcher()
    message = tracker.latest_message or {}
    if intent is None:
        intent = (message.get("intent") or {}).get("name") or ""
    previous = terr.by_name(tracker.get_slot("commune") or "")
    match, unknown = mentioned_commune(tracker, matcher)
    commune = match.commune
    problem = None
    if commune is None and not match.ambiguous and not unknown and intent != "informer_commune":
        # Said in an earlier message that got a general answer: newer than the slot.
        commune, unknown = _said_before(tracker, matcher, intent in ELSEWHERE_TOPICS)
    if commune is None:
        if match.ambiguous:
            problem = "ambigue"
        elif intent == "informer_commune" and not unknown and match.elsewhere is not None:
            # « on habitait Warlencourt » after a death, as the answer: a commune of ours.
            commune = match.elsewhere
        elif unknown or intent == "informer_commune":
            # « beugny »: a real commune, not one of ours, is said to be outside, not unknown.
            outside = match.outside or (matcher.find_in_text(unknown).outside if unknown else "")
            text = str(message.get("text") or "")
            if outside or unknown or len(text.split()) <= MAX_NAME_WORDS:
                problem = "hors_secteur" if outside else "inconnue"
                unknown = place_name(outside) if outside else unknown or text
            # else « ma fille habite loin »: no name to quote; the question is asked again.
        else:
            # « mon père vit à Bancourt »: someone else's town, only when nothing else is known.
            commune = previous or _page_commune(tracker, matcher) or match.elsewhere
    changed = commune is not None and previous is not None and commune.insee != previous.insee
    topic = _choose_topic(tracker, intent, changed)
    # A commune name alone says nothing of the act or title asked for: those of the question stay.
    terms = [
        SlotSet(name, value)
        for name, value in procedure_terms(
            str(message.get("text") or ""), message.get("entities") or []
        ).items()
        if intent != "informer_commune"
        # « et si on met un abri dessus ? » after the pool: the works already described stay.
        and not (name == "travaux" and value is None and topic == current_topic(tracker))
        # « qu'est-ce qu'on fait ? » after a found cat: the help asked stays that one.
        and not (name == "accompagnement" and value is None and replays_a_follow_up(tracker))
    ]
    if commune is None and topic not in GENERAL_TOPICS:
        pending = topic if topic != NOTED else tracker.get_slot("sujet_en_attente")
        if problem is None and asked_already(tracker, pending):
            problem = "absente"  # « pour le 12 juin » answered: the question comes with an example
        # Said now only when this very message asks the topic (not on a second try).
        # A help to the mairie has a national part only when its answer holds everywhere.
        national = topic in NATIONAL_FIRST and (topic != AGENT or said_everywhere(_helped(terms)))
        said_before = topic == NOTED and bool(tracker.get_slot("partie_nationale_dite"))
        return [
            *terms,
            SlotSet("partie_nationale_dite", national or said_before),
            SlotSet("commune_manquante", True),
            SlotSet("commune_probleme", problem),
            SlotSet("commune_mentionnee", unknown[:MAX_MENTION] if unknown else None),
            SlotSet(
                "communes_possibles",
                " ou ".join(c.nom for c in match.candidates) if match.ambiguous else None,
            ),
            SlotSet("sujet", f"{topic}_national" if national else None),
            SlotSet("sujet_en_attente", pending),
        ]
    # The national part was given while the commune was asked: now only the local part.
    national_said = bool(tracker.get_slot("partie_nationale_dite")) and topic in NATIONAL_FIRST
    if intent == topic and intent != "informer_commune":
        national_said = False  # asked again in full: answer in full
    events: list[EventType] = [
        *terms,
        SlotSet("partie_nationale_dite", national_said),
        SlotSet("commune_manquante", False),
        SlotSet("commune_probleme", None),
        SlotSet("commune_mentionnee", None),
        SlotSet("communes_possibles", None),
        SlotSet("sujet", f"{topic}_local" if national_said else topic),
    ]
    if topic == AGENT or tracker.get_slot("rendez_vous_elu") or tracker.get_slot("message_voulu"):
        events += [
            # « je veux écrire au maire » is a message, not a meeting with an élu.
            SlotSet(
                "rendez_vous_elu",
                topic == AGENT and meets_an_elu(tracker, ELU_ONLY) and not wants_to_write(tracker),
            ),
            SlotSet("message_voulu", topic == AGENT and wants_to_write(tracker)),
        ]
    if commune is None:  # a general topic: answered without a commune
        return events
    events += [
        SlotSet(name, value) for name, value in commune_facts(commune, terr, clock.now()).items()
    ]
    said_count = head_count_facts(topic, commune, str(message.get("text") or ""))
    events += [SlotSet(name, value) for name, value in said_count.items()]  # « on sera 120 »
    day = date_facts(commune, terr, asked_text(tracker, topic), clock.now(), topic)
    if day["jour_demande"] is None:  # « Aucune ouverture n'est prévue… » instead of « rouvre »
        day = no_opening_facts(commune, terr, clock.now(), topic) or day
    events += [SlotSet(name, value) for name, value in day.items()]  # « le 24 décembre ? »
    if day["jour_demande_pour"] in DAY_ALONE and replays_a_follow_up(tracker):
        # « et le 25 ? » after the bins: that day's collection, not the whole answer again.
        events.append(SlotSet("sujet", f"{topic}{DAY}"))
    events.append(SlotSet("sujet_en_attente", None))
    said = {e["name"]: e.get("value") for e in terms}
    helped = said.get("accompagnement", tracker.get_slot("accompagnement"))
    if topic == AGENT and helped == "demarches":  # also on the answer to « quelle commune ? »
        facts = france_services_facts(commune.insee, clock.now())
        events += [SlotSet(name, value) for name, value in facts.items()]
    if topic == "orientation":
        subject = subject or tracker.get_slot("orientation_sujet")
        if subject in SUBJECTS:
            facts = orientation_facts(subject, commune.insee, clock.now())
            events += [SlotSet(name, value) for name, value in facts.items()]
    if topic != NOTED:
        events.append(SlotSet("dernier_sujet", topic))
    else:
        # « on habite à Achiet-le-Grand » after the recensement answer: say whom to see for it.
        asked = current_topic(tracker)
        label = topic_labels().get(asked or "") if asked not in COMMUNE_TOPICS else None
        events.append(SlotSet("sujet_libelle", label))
    return events


def only_changes(tracker: Tracker, events: list[EventType]) -> list[EventType]:
    """Drops the SlotSet events that would not change the slot (issue #13).

    Each one would be stored, sent back to the action server with the whole tracker at every
    later call, and replayed by the policies at every prediction: about 20 per answer otherwise.
    Rules see slot values, not events, so the dialogue is the same.
    """
    slots = tracker.slots
    return [
        e
        for e in events
        if not (e.get("event") == "slot" and e["name"] in slots and slots[e["name"]] == e["value"])
    ]


def asked_already(tracker: Tracker, pending: str | None) -> bool:
    """The commune was asked for this same topic at the previous turn, and is still missing."""
    return bool(tracker.get_slot("commune_manquante")) and pending == tracker.get_slot(
        "sujet_en_attente"
    )


class ActionPreparerReponse(Action):
    def name(self) -> str:
        return "action_preparer_reponse"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        events = prepare_events(tracker)
        # « ma mère est décédée hier, … l'acte de décès ? »: the loss is heard before the answer.
        slots = {e["name"]: e.get("value") for e in events if e.get("event") == "slot"}
        comfort_first(dispatcher, tracker, territory_matcher(), slots)
        # « c'est combien le repas à la cantine ? »: the price before the menu.
        aspect_first(dispatcher, tracker, slots, domain)
        changes = only_changes(tracker, events)
        # « je suis …, 06 …, rappelez-moi au sujet de … »: straight to the message's summary.
        return [*changes, *demande_directe(tracker, changes), *motif_annonce(tracker, changes)]
