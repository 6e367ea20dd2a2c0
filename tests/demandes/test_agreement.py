"""Participles agree with what the resident sent (issue #15): « votre demande … est bien reçue »,
« votre signalement … est bien reçu », « votre rendez-vous … est confirmé ».

The emails are built from objects in memory: no database, no SMTP server, no clock.
"""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from actions.demandes.mail import (
    KIND_NOUNS,
    resident_acknowledgement,
    resident_rendez_vous,
    retention_text,
    service_notification,
    service_rendez_vous,
)
from actions.demandes.models import KINDS, Demande, RendezVous
from actions.demandes.rendez_vous_form import slot_label
from actions.territory.loader import load_territory

BAPAUME = load_territory().by_name("Bapaume")
CREATED = datetime(2026, 11, 10, 10, 0)
OPENING = "La mairie rouvre demain à 8 h 30."


def demande(kind: str) -> Demande:
    prefix = {"demande": "DEM", "signalement": "SIG"}[kind]
    return Demande(
        reference=f"{prefix}-2026-000001",
        kind=kind,
        commune_insee=BAPAUME.insee,
        service="services_techniques",
        message="Un lampadaire ne s'allume plus.",
        lieu="rue de Péronne" if kind == "signalement" else None,
        contact_email="ana@example.org",
        created_at=CREATED,
        routed_to="technique@bapaume.example",
        transcript="",
    )


def text_of(message) -> str:
    body = message.get_body(("plain",)).get_content()
    return f"{message['Subject']}\n{body}"


# What a word says and its gender, as a French reader agrees the participles with it.
EXPECTED = {
    "demande": (
        "Votre demande DEM-2026-000001 est bien reçue",
        "Votre demande adressée à la mairie de Bapaume a bien été enregistrée sous la référence "
        "DEM-2026-000001.",
        "Demande reçue par l'assistant Tchatche.",
        "Reçue le : 10/11/2026 à 10:00",
        "puis elles sont supprimées. Elles ne servent qu'à traiter votre demande.",
    ),
    "signalement": (
        "Votre signalement SIG-2026-000001 est bien reçu",
        "Votre signalement adressé à la mairie de Bapaume a bien été enregistré sous la référence "
        "SIG-2026-000001.",
        "Signalement reçu par l'assistant Tchatche.",
        "Reçu le : 10/11/2026 à 10:00",
        "puis ils sont supprimés. Ils ne servent qu'à traiter votre signalement.",
    ),
}


def test_every_kind_has_a_gender():
    assert set(KINDS) == set(KIND_NOUNS) == set(EXPECTED)


@pytest.mark.parametrize("kind", KINDS)
def test_acknowledgement_agrees_with_the_kind(kind):
    subject, sentence, _, _, retention = EXPECTED[kind]
    message = resident_acknowledgement(demande(kind), "Bapaume", OPENING)
    assert message["Subject"] == subject
    text = text_of(message)
    assert sentence in text
    assert retention in text and retention in retention_text(kind)


@pytest.mark.parametrize("kind", KINDS)
def test_service_notification_agrees_with_the_kind(kind):
    _, _, first_line, received, _ = EXPECTED[kind]
    text = text_of(service_notification(demande(kind), "Bapaume"))
    assert first_line in text and received in text


@pytest.mark.parametrize("kind", KINDS)
def test_no_participle_disagrees(kind):
    """Nothing feminine after « signalement », nothing masculine after « demande »."""
    texts = text_of(resident_acknowledgement(demande(kind), "Bapaume", OPENING))
    texts += text_of(service_notification(demande(kind), "Bapaume"))
    wrong = (
        r"[Ss]ignalement\b[^.\n]*\b(reçue|adressée|enregistrée|envoyée)\b"
        if kind == "signalement"
        else r"[Dd]emande\b[^.\n]*\b(reçu|adressé|enregistré|envoyé)\b"
    )
    assert not re.search(wrong, texts), texts


def rendez_vous() -> RendezVous:
    return RendezVous(
        reference="RDV-2026-000001",
        mairie_insee=BAPAUME.insee,
        start=datetime(2026, 11, 26, 9, 20),
        end=datetime(2026, 11, 26, 9, 40),
        nom="Ana Dupont",
        contact_email="ana@example.org",
        motif="passeport",
    )


@pytest.mark.parametrize(
    ("event", "by_mairie", "subject", "sentence"),
    [
        ("confirmation", False, "est confirmé", "Votre rendez-vous à la mairie de Bapaume est "
         "confirmé."),
        ("deplacement", False, "est déplacé", "Votre rendez-vous à la mairie de Bapaume est bien "
         "déplacé."),
        ("annulation", False, "est annulé", "Votre rendez-vous du jeudi 26 novembre 2026 à 9 h 20 "
         "à la mairie de Bapaume est bien annulé."),
        ("annulation", True, "est annulé", "La mairie de Bapaume a annulé votre rendez-vous du "
         "jeudi 26 novembre 2026 à 9 h 20."),
    ],
)  # fmt: skip
def test_rendez_vous_is_masculine(event, by_mairie, subject, sentence):
    rdv = rendez_vous()
    message = resident_rendez_vous(rdv, BAPAUME, event, pieces="", by_mairie=by_mairie)
    assert message["Subject"] == f"Votre rendez-vous RDV-2026-000001 {subject}"
    text = text_of(message)
    assert sentence in text
    assert "puis ils sont supprimés. Ils ne servent qu'à organiser ce rendez-vous." in text
    service = text_of(service_rendez_vous(rdv, BAPAUME, event, "mairie@bapaume.example"))
    assert not re.search(r"[Rr]endez-vous\b[^.\n]*\b(annulée|déplacée|confirmée|prise)\b", service)


def test_first_of_the_month_is_1er():
    assert slot_label(datetime(2026, 12, 1, 9, 0)) == "mardi 1er décembre à 9 h"
    assert slot_label(datetime(2026, 11, 26, 9, 20)) == "jeudi 26 novembre à 9 h 20"
