"""What the resident already said when a form opens: the form asks only what is missing.

« je voudrais un rdv pour ma carte d'identite a bapaume » already gives the rendez-vous motif;
« le lampadaire rue des Ecoles est cassé » gives what is broken and where; « je suis Mme Dupont
06 12 34 56 78, je voudrais que le maire me rappelle pour mon permis » gives a message and a
phone number. Asking again what was just written is the surest way to lose a resident.

Everything here reads the raw text of the messages that opened the form (SMS style, accents or
not) and is conservative: a value is taken only when the text names it plainly, never guessed;
when two readings are possible (carte d'identité and passeport), the form asks.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from actions.demandes.services import SERVICE_PATTERNS
from actions.text import fold

# The messages that open each form, and the ones that may come between (the commune asked, the
# "oui" to « Voulez-vous laisser un message ? »).
OPENING_INTENTS = {
    "rendez_vous_form": frozenset({"prendre_rendez_vous", "carte_identite_passeport"}),
    "signalement_form": frozenset({"signaler_probleme"}),
    # « un rendez-vous avec le maire pour parler de mon terrain » becomes a message (commune.py).
    "demande_form": frozenset({"parler_a_un_agent", "prendre_rendez_vous"}),
}
PASSING_INTENTS = frozenset({"informer_commune", "affirmer"})
# A form that ran before, or its saving action: what was said before belongs to that one.
FORM_ACTIONS = frozenset(
    {
        "demande_form",
        "signalement_form",
        "rendez_vous_form",
        "action_enregistrer_demande",
        "action_enregistrer_signalement",
        "action_reserver_rendez_vous",
    }
)
MAX_MESSAGES = 4


def opening_texts(events: Iterable[dict[str, Any]], form: str) -> list[str]:
    """Texts of the messages that opened `form`, newest first ([] when none is sure).

    Walks back from the latest message over the opening intents of the form and the passing
    ones (the commune, « oui »); stops at any other subject, at an earlier form, or after
    MAX_MESSAGES messages. Without one message of an opening intent, nothing is returned.
    """
    opening = OPENING_INTENTS.get(form, frozenset())
    texts: list[str] = []
    found = False
    seen = 0
    for event in reversed(list(events)):
        kind = event.get("event")
        # The form being activated is already in the events (after the latest message).
        if kind == "action" and event.get("name") in FORM_ACTIONS and seen:
            break
        if kind == "session_started":
            break
        if kind != "user":
            continue
        seen += 1
        if seen > MAX_MESSAGES:
            break
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent is None:
            intent = (event.get("intent") or {}).get("name")
        if intent not in opening and intent not in PASSING_INTENTS:
            break
        found = found or intent in opening
        text = str(event.get("text") or "").strip()
        if text and not text.startswith("/"):
            texts.append(text)
    return texts if found else []


# --------------------------------------------------------------------------- text helpers


def plain(text: str) -> str:
    """Lower-case without accents, one character for one: positions match the original text."""
    out = []
    for char in text.lower():
        base = unicodedata.normalize("NFD", char)[0]
        out.append(base if len(base) == 1 else char)
    return "".join(out).replace("’", "'")


def _has(pattern: str, text: str) -> bool:
    return re.search(pattern, plain(text)) is not None


# --------------------------------------------------------------------------- rendez-vous

MOTIF_PATTERNS = (
    ("carte_identite", r"\bcartes? (nationales? )?(d'? ?)?identites?\b|\bcni\b"),
    ("passeport", r"\bpass?e? ?ports?\b"),
    (
        "gestion",
        r"\b(annuler|annule|deplacer|decaler|reporter|changer|modifier) "
        r"(mon|le|un|notre|ce|son|du) (rdv|rendez[ -]vous|rendezvous)\b"
        # « on a un rdv pour la carte d'identité mais on peut pas venir »: a booking to move.
        r"|\b(j'? ?ai|j'? ?avais|on a|on avait|nous avons|nous avions|il a|elle a|mon|notre) "
        r"(un |mon |notre |son |le )?(rdv|rendez[ -]vous|rendezvous)\b.*\b("
        r"(peux|peut|pourrai|pourrais|pourra|pourrons|pourrez|pourront) (pas|plus) "
        r"(venir|y aller|etre la|etre present)"
        r"|empeche|empechee|empeches|un empechement"
        r"|pas disponible|plus disponible|pas dispo|plus dispo"
        r")\b",
    ),
    (
        "autre",
        r"\b(mariage|me marier|pacs|pacser|etat civil|urbanisme|permis de construire|"
        r"declaration prealable|reconnaissance|recensement|liste electorale|listes electorales|"
        r"legalisation|certificat|livret de famille|bapteme civil|parrainage civil)\b",
    ),
)
MOTIF_LABELS = {
    "carte_identite": "carte d'identité",
    "passeport": "passeport",
    "autre": "autre démarche",
    "gestion": "annuler ou déplacer un rendez-vous",
}


def rdv_motif(text: str) -> str | None:
    """The motif the form accepts, when the message names exactly one."""
    found = {motif for motif, pattern in MOTIF_PATTERNS if _has(pattern, text)}
    if "gestion" in found:
        # A booking to cancel or move is found by its reference, whatever its motif was.
        return "gestion"
    return found.pop() if len(found) == 1 else None


# --------------------------------------------------------------------------- contact

EMAIL_IN_TEXT = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
PHONE_IN_TEXT = re.compile(
    r"(?<![\d+])(?:(?:\+|00)\s?33\s?\(?0?\)?\s?[1-9]|0[1-9])(?:[\s.\-]?\d{2}){4}(?!\d)"
)
CALL_BACK = r"\b(rappel|appel|telephon|tel\b|joindre au|portable)"


def without_contact(text: str) -> str:
    """The text with its phone numbers and e-mail addresses blanked: « Claire Lefebvre, 06 12
    34 56 78 » is two words of name, not seven words of a question."""
    return PHONE_IN_TEXT.sub(" ", EMAIL_IN_TEXT.sub(" ", text))


def phones(text: str) -> list[str]:
    """French phone numbers of the text, written 06 12 34 56 78."""
    found = []
    for match in PHONE_IN_TEXT.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        if digits.startswith("33"):
            digits = "0" + digits[2:].lstrip("0")
        if re.fullmatch(r"0[1-9]\d{8}", digits):
            number = " ".join(digits[i : i + 2] for i in range(0, 10, 2))
            if number not in found:
                found.append(number)
    return found


def emails(text: str) -> list[str]:
    found = []
    for match in EMAIL_IN_TEXT.finditer(text):
        address = match.group(0).strip(".").lower()
        if address not in found:
            found.append(address)
    return found


def contact(text: str) -> str | None:
    """One email or phone number; with both, the phone if the resident asks to be called."""
    mails, numbers = emails(text), phones(text)
    if len(mails) > 1 or len(numbers) > 1:
        return None
    if mails and numbers:
        return numbers[0] if _has(CALL_BACK, text) else mails[0]
    return (mails or numbers or [None])[0]


NAME = re.compile(
    r"\b(je suis|je m'? ?appelle|de la part de|mon nom est|mon nom c'? ?est)\s+"
    r"((?:(?:mme|mlle|madame|mademoiselle|m\.|mr\.?|monsieur)\s+)?"
    r"[a-z][a-z'\-]+(?:\s+[a-z][a-z'\-]+)?)",
)
TITLE = r"(?:mme|mlle|madame|mademoiselle|m\.|mr\.?|monsieur)"
NOT_A_NAME = frozenset(
    fold(w)
    for w in (
        "pour", "la", "le", "les", "un", "une", "de", "du", "des", "au", "a", "en", "sur", "dans",
        "bien", "pas", "tres", "trop", "vraiment", "encore", "toujours", "desole", "nouveau",
        "nouvelle", "habitant", "habitante", "locataire", "proprietaire", "mere", "pere",
        "malade", "handicape", "handicapee", "perdu", "perdue", "inquiet", "inquiete", "urgent",
        "possible", "quoi", "moi", "ma", "mon", "mes", "votre", "vos", "que", "qui", "quand",
        "comment", "ou", "et", "mais", "donc", "car", "avec", "chez", "il", "elle", "on",
        "enceinte", "seul", "seule", "age", "agee", "retraite", "retraitee", "interesse",
        "interessee", "oblige", "obligee", "ne", "nee",
    )
)  # fmt: skip


def nom(text: str) -> str | None:
    """« je suis Mme Dupont » → "Mme Dupont"; None when the words after are not a name."""
    lowered = plain(text)
    for match in NAME.finditer(lowered):
        start, end = match.span(2)
        said_so = match.group(1) != "je suis"  # « je m'appelle » announces a name for sure
        words = text[start:end].split()
        titled = re.fullmatch(TITLE, plain(words[0])) is not None
        names = words[1:] if titled else words
        # Stop at the first word that is not a name ("je suis Marie et je voudrais…").
        kept: list[str] = []
        for word in names:
            if fold(word) in NOT_A_NAME or not fold(word):
                break
            kept.append(word)
        if not kept:
            continue
        # Without a title, a name is written with capitals (« c'est pour » is not a name), or
        # in lower case right before a phone or an e-mail (« je suis jean dupont 06 … », SMS).
        if not titled and not said_so and not all(w[0].isupper() for w in kept):
            after = text[end:].lstrip(" ,:;-")
            contact_next = PHONE_IN_TEXT.match(after) or EMAIL_IN_TEXT.match(after)
            if not (len(kept) >= 2 and kept == names and contact_next):
                continue
            return " ".join(w.title() for w in kept)
        return " ".join(words[:1] + kept if titled else kept)
    return None


# Words of an answer that is no name: « demain matin », « non merci », « pas maintenant ».
NOT_IN_A_BARE_NAME = NOT_A_NAME | frozenset(
    "oui non ok merci bonjour bonsoir svp stp demain matin soir midi apres aujourd hui lundi "
    "mardi mercredi jeudi vendredi samedi dimanche plus tard rien aucun aucune personne telephone "
    "tel mail email numero portable fixe adresse maintenant".split()
)
BARE_NAME = re.compile(r"[^\W\d_][\w'\-]*(?:\s+[^\W\d_][\w'\-]*){1,2}")


def gives_a_name(text: str) -> str | None:
    """« martin dupont » typed where a phone or an e-mail was asked: a name, not a bad contact.

    Two or three words of letters, none of them a small word (« je sais pas » is no name), or
    a name announced (« je suis Mme Dupont »).
    """
    said = nom(text)
    if said:
        return said
    cleaned = text.strip(" .!,")
    if not BARE_NAME.fullmatch(cleaned):
        return None
    if any(fold(word) in NOT_IN_A_BARE_NAME for word in cleaned.split()):
        return None
    return " ".join(w if w[:1].isupper() else w.title() for w in cleaned.split())


# What ends a name written beside a contact: « Martine Dubois, mon tel 06 … ».
BESIDE_NAME = re.compile(
    # « 9h ca me va. Martine Lefebvre, 06 … »: a sentence's end too, not « M. » nor « Mme. ».
    r"(?<!\bm)(?<!\bmr)(?<!\bmme)(?<!\bmlle)\.\s|[,;:\n(]| - |"
    r"\b(?:mon|ma|mes|tel|telephone|portable|numero|num|mail|e-?mail|courriel|"
    r"joignable|au nom de|nom de|pour|au|et|ou|c'? ?est|svp|merci)\b"
)


def nom_sans_contact(text: str) -> str | None:
    """The name written beside a contact: « Martine Dubois 06 22 33 44 55 » → Martine Dubois.

    For an answer to « À quel nom ? » that also gives the phone; None when no short name
    (one to four words, no digits) is left once the contact is taken out.
    """
    said = nom(text)
    if said:
        return said
    rest = PHONE_IN_TEXT.sub(" ", EMAIL_IN_TEXT.sub(" ", text))
    lowered = plain(rest)
    for start, end in _segments(lowered):
        words = rest[start:end].split()
        if 1 <= len(words) <= 4 and not any(c.isdigit() for c in rest[start:end]):
            return " ".join(words)
    return None


def _segments(lowered: str) -> list[tuple[int, int]]:
    """Spans of `lowered` between the words and signs that end a name."""
    spans, start = [], 0
    for match in BESIDE_NAME.finditer(lowered):
        if lowered[start : match.start()].strip():
            spans.append((start, match.start()))
        start = match.end()
    if lowered[start:].strip():
        spans.append((start, len(lowered)))
    return spans


# --------------------------------------------------------------------------- signalement

# What is broken: a word the technical services know. Only these pre-fill the report.
PROBLEM_THINGS = (
    r"lampadaires?|eclairages? public|eclairages?|reverberes?|candelabres?|luminaires?",
    r"nids? de poules?|nid-de-poule|trous?(?: \w+)? (dans|sur|au milieu de) (la|le) "
    r"(route|rue|chaussee|trottoir|voie|chemin)|chaussee (abimee|defoncee|degradee)|"
    # « un trou énorme rue de Bapaume », « un gros trou devant chez moi »
    r"(?:gros |grand |enorme )?trous? (?:(?:enormes?|profonds?|beants?|dangereux) )?"
    r"(?:rue|route|chemin|avenue|place|impasse|allee|devant|en face|au coin)",
    r"depots? sauvages?|decharges? sauvages?|dechets? (abandonnes?|sauvages?|jetes?|deposes?)|"
    r"encombrants? (abandonnes?|deposes?|laisses?)|sacs? poubelles? (abandonnes?|deposes?)",
    r"poubelles?|bacs? (a ordures|jaunes?|gris|verts?|de tri|a dechets|poubelles?)?|"
    r"conteneurs?|containers?|colonnes? a verre",
    r"panneaux?|feux? (rouges?|tricolores?)|signalisation|passages? pietons?",
    r"fuites? d'? ?eau|bouches? d'? ?egouts?|plaques? d'? ?egouts?|regards?|avaloirs?|"
    r"caniveaux?|grilles? d'? ?egouts?|canalisations?|inondations?|route inondee",
    r"arbres?|branches? (tombees?|cassees?)|haies? qui depassent?",
    r"trottoirs? (abimes?|casses?|defonces?)|bancs? (casses?|abimes?)|abribus|"
    r"aires? de jeux|jeux pour enfants|toboggan|balancoire",
    r"tags?|graffitis?|epaves?|voitures? ventouses?|vehicules? abandonnes?",
    r"chiens? errants?|animaux? morts?|cadavres?|carcasses?",
    r"(chiens?|chats?|renards?|biches?|chevreuils?|sangliers?|oiseaux?|herissons?|lapins?|"
    r"blaireaux?|animal|bete) (?:(?:a ete|est|s est fait|sont|ont ete) )?"
    r"(mort|morte|morts|mortes|creve|crevee|ecrase|ecrasee|ecrases)",
    r"verglas|plaques? de verglas|coulees? de boue|boue sur la (route|chaussee)",
    r"(cables?|fils?) (electriques?|telephoniques?)|poteaux? (penche|tombe|casse)s?",
    r"rats?|nuisibles?|voitures? mal garees?|stationnement genant",
)
PROBLEM = re.compile(r"\b(" + "|".join(PROBLEM_THINGS) + r")\b")
LEAD_IN = re.compile(
    r"^(?:(?:bonjour|bonsoir|salut|slt|bjr|bsr|coucou|hello|madame|monsieur|mme|mr)[ ,.!]*)*"
    r"(?:(?:(?:je|j ?'? ?) ?(?:voudrais|voudrai|voudrait|veux|veut|souhaite|souhaiterais|viens|"
    r"voulais|vous|aimerais|aimerai|tiens a) (?:vous )?(?:de )?)?"
    r"(?:vous )?(?:signale[rz]?|faire un signalement)(?: que| qu'| de| d'| :)?\s*)?",
)


ASKS_WHO = re.compile(
    r"^(?:(?:bonjour|bonsoir|salut)[ ,.!]*)?(?:qui |c est qui|a qui |comment |pourquoi |"
    r"est ce que la mairie|c est la mairie qui|la mairie s occupe)"
)


def signalement_quoi(text: str) -> str | None:
    """The resident's own words when they name something broken, greetings left out."""
    if not PROBLEM.search(plain(text)) or ASKS_WHO.match(plain(text)):
        return None  # « qui s'occupe de l'éclairage public ? » asks, it reports nothing yet
    lead = LEAD_IN.match(plain(text))
    rest = text[lead.end() :] if lead else text
    # The name and the contact given after the problem are theirs, not the problem's.
    found = (NAME.search(plain(rest)), PHONE_IN_TEXT.search(rest), EMAIL_IN_TEXT.search(rest))
    who = [m.start() for m in found if m]
    if who and min(who) > 0:
        rest = rest[: min(who)]
    rest = rest.strip(" ,.;:!")
    if len(rest) < 3:
        return None
    return rest[0].upper() + rest[1:]


STREET = (
    r"rue|avenue|av\.?|boulevard|bd|chemin|route|place|impasse|allee|chaussee|sentier|ruelle|"
    r"square|quai|cite|residence|lotissement|rond[ -]point|parking|carrefour|hameau|"
    r"lieu[ -]dit|faubourg|grand'? ?rue|grande rue"
)
NEAR = (
    r"devant|derriere|pres de|pres du|pres des|a cote de|a cote du|a cote des|en face de|"
    r"en face du|en face des|au bout de|au bout du|au coin de|au coin du|a l'angle de|"
    r"a l'angle du|au niveau de|au niveau du|a l'entree de|a l'entree du|a la sortie de|"
    r"a la sortie du|le long de|le long du|sur le parking de|sur le parking du|"
    r"sur la place|sur le trottoir de|sur le trottoir du"
)
# Words that end a place: verbs and links of the sentence around it.
PLACE_END = frozenset(
    fold(w)
    for w in (
        "est", "sont", "a", "à", "ya", "il", "elle", "qui", "depuis", "et", "mais", "car",
        "pour", "svp", "merci", "ne", "n", "pas", "ca", "c", "y", "on", "ou", "où", "hier",
        "ce", "cette", "aujourd", "cassé", "casse", "cassee", "éteint", "eteint", "reste",
        "fait", "commune", "ville", "village", "depuis", "encore", "toujours", "plus",
        "bouche", "bouché", "tombe", "tombé", "abime", "abîmé", "renverse", "renversé",
        "clignote", "marche", "fonctionne", "s", "se", "me", "nous", "vous", "si", "quand",
        "dans", "sur", "j", "je", "jai", "on", "avec", "sans", "par", "mon", "ma", "mes",
        "personne", "rien", "tout", "la-bas", "juste", "vers", "environ", "chez",
        "devant", "derriere", "pres",  # « la route devant chez moi rue de l'Église »
    )
)  # fmt: skip
PARTICLE = frozenset({"de", "du", "des", "la", "le", "les", "l", "d", "saint", "sainte", "st"})
VAGUE_PLACES = frozenset({"chez moi", "moi", "ma maison", "la maison", "chez nous", "ici"})
MAX_PLACE_WORDS = 7

PLACE_START = re.compile(
    r"(?:(?<=\s)|^)((?:\d{1,4} ?(?:bis|ter)?,? )?(?:" + STREET + r")|(?:" + NEAR + r"))(?=[\s'])"
)


def _words_after(text: str, start: int) -> list[tuple[int, int]]:
    words = re.finditer(r"[^\s,.;:!?()]+", text[start:])
    return [(m.start() + start, m.end() + start) for m in words]


def signalement_lieu(text: str) -> str | None:
    """« rue des Écoles », « devant l'église », « route de Bapaume »: a named place only."""
    lowered = plain(text)
    for match in PLACE_START.finditer(lowered):
        head_end = match.end(1)
        after = lowered[head_end:]
        stop = re.search(r"[,.;:!?()\n]", after)
        segment_end = head_end + (stop.start() if stop else len(after))
        kept: list[tuple[int, int]] = []
        capitals = None  # a name written with a capital goes on with capitals only
        for start, end in _words_after(lowered[:segment_end], head_end):
            word = fold(lowered[start:end])
            if not word:
                break
            first_part = word.split()[-1] if "'" in lowered[start:end] else word.split()[0]
            between = first_part == "et" and any(
                fold(lowered[s:e]) == "entre" for s, e in kept
            )  # « route entre Bancourt et Frémicourt »
            if first_part in PLACE_END and not (kept and first_part in PARTICLE) and not between:
                break
            if word not in PARTICLE and not word.isdigit():
                initial = text[start:end].lstrip("'")[:1]
                if capitals is None:
                    capitals = initial.isupper()
                elif capitals and not initial.isupper():
                    break
            kept.append((start, end))
            if len(kept) >= MAX_PLACE_WORDS:
                break
        while kept and fold(lowered[kept[-1][0] : kept[-1][1]]) in PARTICLE:
            kept.pop()
        # A street needs its name: « la route » or « ma rue » are not places.
        names = [
            fold(lowered[s:e])
            for s, e in kept
            if fold(lowered[s:e]) not in PARTICLE and fold(lowered[s:e]).replace(" ", "") != ""
        ]
        if not names:
            continue
        rest = " ".join(fold(lowered[s:e]) for s, e in kept)
        if rest in VAGUE_PLACES or names[0] in {"moi", "nous", "vous", "chez"}:
            continue
        if re.fullmatch(STREET, names[0]) and len(kept) > 1:
            continue  # « dans la route rue du Moulin »: the street named next is the place
        place = text[match.start(1) : kept[-1][1]].strip()
        # « Rue des Écoles » at the start of a sentence reads « rue des Écoles » in a summary.
        return place[0].lower() + place[1:] if place[:1].isupper() else place
    return None


# --------------------------------------------------------------------------- demande


def demande_service(text: str) -> str | None:
    found = {service for service, pattern in SERVICE_PATTERNS if _has(pattern, text)}
    return found.pop() if len(found) == 1 else None


# What says only « I want someone of the mairie »: left out before looking for a subject.
WISH_TO_TALK = re.compile(
    r"\b(?:je |j'? ?)?(?:voudrais|veux|veut|souhaite|souhaiterais|aimerais|prefere|prefererais)?"
    r"\s*(?:que |qu'? ?)?(?:le maire|la maire|monsieur le maire|madame la maire|la mairie|"
    r"quelqu'? ?un|qqn|une personne|un agent|la secretaire|le secretariat|on|vous)?"
    r"\s*(?:me |m'? ?)(?:rappelle|rappeler|rappeliez|recontacte|recontacter|contacte|contacter|"
    r"appelle|appeler|joigne|joindre)\b"
    r"|\b(?:parler|m'? ?entretenir|echanger|discuter) (?:a|avec|au) [a-z' ]{0,30}?"
    r"(?:quelqu'? ?un|qqn|personne|agent|humain|maire|secretaire|secretariat|mairie|elu)\b"
    r"|\b(?:rappelez[ -]moi|appelez[ -]moi|contactez[ -]moi)\b"
)
SUBJECT_MARKER = re.compile(
    r"\b(?:pour|concernant|au sujet|a propos|car|parce|sujet|question|probleme|demande)\b"
)
FILLER = frozenset(
    fold(w)
    for w in (
        "bonjour", "bonsoir", "merci", "svp", "stp", "plait", "je", "j", "suis", "voudrais",
        "veux", "souhaite", "aimerais", "que", "qu", "le", "la", "les", "l", "un", "une", "de",
        "du", "des", "d", "mon", "ma", "mes", "me", "m", "a", "au", "aux", "et", "est", "c",
        "ce", "cela", "ca", "pour", "concernant", "sujet", "propos", "car", "parce", "en", "y",
        "il", "elle", "on", "vous", "nous", "mairie", "maire", "madame", "monsieur", "mme",
        "mr", "m", "mlle", "numero", "tel", "telephone", "portable", "mail", "email", "mel",
        "courriel", "adresse", "au", "sur", "avec", "possible", "rapidement", "vite", "appelle",
        "appelez", "rappeler", "rappelle", "habite", "j'habite", "ici", "cest", "s", "se",
        "question", "demande", "probleme", "besoin", "svp", "plus", "tot",
    )
)  # fmt: skip
MIN_SUBJECT_WORDS = 3


def demande_message(text: str, communes: Iterable[str] = ()) -> str | None:
    """The whole message, when it says what it is about besides « call me back »."""
    rest = plain(text)
    for address in EMAIL_IN_TEXT.findall(rest):
        rest = rest.replace(address.lower(), " ")
    rest = PHONE_IN_TEXT.sub(" ", rest)
    name = nom(text)
    if name:
        rest = rest.replace(plain(name), " ")
    rest = WISH_TO_TALK.sub(" ", rest)
    folded = f" {fold(rest)} "
    for commune in communes:
        folded = folded.replace(f" {fold(commune)} ", " ")
    words = [w for w in folded.split() if w not in FILLER and len(w) > 1]
    has_marker = SUBJECT_MARKER.search(plain(text)) is not None
    if (has_marker and words) or len(words) >= MIN_SUBJECT_WORDS:
        return text.strip()
    return None


def demande(text: str, communes: Iterable[str] = ()) -> dict[str, str | None]:
    """Service, message and contact of a message to the mairie ({} without a subject).

    When the message also gives a way to answer, only the service could still be asked: it is
    then « autre » unless named (the mairie reads every message; the summary lets the resident
    change it), so that the form goes straight to the summary.
    """
    message = demande_message(text, communes)
    if not message:
        return {}
    reach = contact(text)
    service = demande_service(text) or ("autre" if reach else None)
    return {"demande_service": service, "demande_message": message, "demande_contact": reach}
