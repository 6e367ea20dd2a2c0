"""The mairie's services a demande is routed to: one table for every way a service is named.

Three readings used to keep three lists that drifted apart (the form's answer to « quel
service ? », the service read in a free message, the label shown to residents and agents).
A service added here is known to all three.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Service:
    key: str
    # How residents and agents read it (lower-cased inside a sentence).
    label: str
    # Enough in a short answer to « quel service ? »: « les travaux », « technique ».
    answer_words: tuple[str, ...]
    # Strong words that name it inside any message (regex on folded text). Weak words stay
    # out: « mon permis » could be a driving licence, it does not choose a service.
    message_pattern: str | None


TABLE = (
    Service(
        "etat_civil",
        "État civil",
        ("etat civil", "naissance", "mariage", "deces", "livret"),
        r"\b(etat civil|acte de (naissance|mariage|deces)|livret de famille|pacs)\b",
    ),
    Service(
        "urbanisme",
        "Urbanisme",
        ("urbanisme", "travaux", "permis", "construire", "cadastre", "plu"),
        r"\b(urbanisme|permis de construire|permis d'amenager|permis de demolir|dossier de permis|"
        r"declaration prealable|declaration de travaux|cadastre|"
        r"plu|certificat d'urbanisme|caravane|mobil[ -]?home|abri de jardin|cloture|piscine|"
        r"veranda|extension)\b",
    ),
    Service(
        "services_techniques",
        "Services techniques",
        ("technique", "voirie", "route", "eclairage", "lampadaire", "trou"),
        r"\b(voirie|eclairage public|lampadaire|nid de poule|trottoir|caniveau|chemin communal|"
        r"inonde|inondee|inondation|egout|egouts|fosse|stationnement|elagage|elaguer|"
        r"arbre tombe|branche tombee|fils electriques|panneau|fuite d eau)\b",
    ),
    Service(
        "ecole",
        "École",
        ("ecole", "cantine", "scolaire", "periscolaire"),
        r"\b(ecole|cantine|periscolaire|garderie|inscription scolaire)\b",
    ),
    Service("autre", "Autre", ("autre", "je ne sais pas", "sais pas", "aucun"), None),
)

SERVICES = tuple(s.key for s in TABLE)
SERVICE_LABELS = {s.key: s.label for s in TABLE}
SERVICE_WORDS = tuple((s.key, s.answer_words) for s in TABLE)
SERVICE_PATTERNS = tuple((s.key, s.message_pattern) for s in TABLE if s.message_pattern)
