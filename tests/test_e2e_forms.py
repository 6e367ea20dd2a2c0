"""Forms that listen, through both real servers: what the first message said is not asked again.

Rasa and the action server are started on loopback with a SQLite tracker store, a SQLite
demandes database and an SMTP server (tests/demandes/conftest.py); the clock of both is pinned
(TCHATCHE_NOW) so that the mairie's next opening is the same whatever day the tests run.
"""

from __future__ import annotations

import re
import sqlite3
import uuid

import pytest

from tests.demandes.conftest import start_smtp
from tests.servers import Servers

NOW = "2026-12-01T10:00:00+01:00"  # a Tuesday morning


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    folder = tmp_path_factory.mktemp("forms")
    controller, inbox = start_smtp()
    instance = Servers()
    instance.inbox = inbox
    instance.demandes = folder / "demandes.db"
    instance.extra_env.update(
        TCHATCHE_SMTP_HOST="127.0.0.1",
        TCHATCHE_SMTP_PORT=str(inbox.port),
        TCHATCHE_DEMANDES_DB=f"sqlite:///{instance.demandes}",
        TCHATCHE_NOW=NOW,
    )
    instance.start()
    yield instance
    instance.stop()
    controller.stop()


def texts(replies: list[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def buttons(replies: list[dict]) -> list[dict]:
    return [b for r in replies for b in r.get("buttons", [])]


def new_sender() -> str:
    return f"forms-{uuid.uuid4().hex[:10]}"


def stored(servers, sql: str, *args) -> list[tuple]:
    with sqlite3.connect(servers.demandes) as db:
        return db.execute(sql, args).fetchall()


def test_rendez_vous_motif_comes_from_the_first_message(servers):
    sender = new_sender()
    first = servers.send(sender, "je voudrais un rdv pour ma carte d'identite a bapaume")
    said = texts(first)
    assert "C'est noté : carte d'identité." in said
    assert "C'est pour quoi ?" not in said, "the motif is not asked again"
    assert "Les prochains créneaux à la mairie de Bapaume" in said
    slot = buttons(first)[0]
    assert "À quel nom" in texts(servers.send(sender, slot["payload"]))
    servers.send(sender, "Marie Exemple")
    summary = servers.send(sender, "marie.exemple@exemple.fr")
    shown = texts(summary)
    assert "- Pour : carte d'identité" in shown
    assert f"- Quand : {slot['title']}, à la mairie de Bapaume" in shown
    assert "Je le réserve ?" in shown
    assert [b["title"] for b in buttons(summary)] == ["Réserver", "Modifier", "Annuler"]
    done = texts(servers.send(sender, "oui, réserver"))
    assert "Votre rendez-vous est confirmé : " + slot["title"] in done
    reference = re.search(r"RDV-\d{4}-\d{6}", done).group(0)
    assert stored(servers, "select motif from rendez_vous where reference = ?", reference) == [
        ("carte_identite",)
    ]


def test_signalement_what_and_where_come_from_the_first_message(servers):
    sender = new_sender()
    first = texts(servers.send(sender, "le lampadaire rue des Ecoles est cassé à Bucquoy"))
    assert "C'est noté" in first and "rue des Ecoles" in first
    assert "Quel est le problème ?" not in first and "Où est-ce ?" not in first
    assert "Voulez-vous être tenu au courant ?" in first, "only the contact is missing"
    summary = texts(servers.send(sender, "06 12 34 56 78"))
    assert "- Problème : Le lampadaire rue des Ecoles est cassé à Bucquoy" in summary
    assert "- Lieu : rue des Ecoles" in summary
    assert "- Pour vous répondre : 06 12 34 56 78" in summary
    assert "Je l'envoie à la mairie de Bucquoy ?" in summary
    # « Modifier », then which answer: only that one is asked again.
    which = servers.send(sender, "modifier")
    assert "Que voulez-vous modifier ?" in texts(which)
    assert "Le lieu" in [b["title"] for b in buttons(which)]
    assert "Où est-ce ?" in texts(servers.send(sender, "modifier le lieu"))
    again = texts(servers.send(sender, "rue des Écoles, devant le numéro 12"))
    assert "- Lieu : rue des Écoles, devant le numéro 12" in again
    done = texts(servers.send(sender, "oui, envoyer"))
    reference = re.search(r"Son numéro de suivi : (SIG-\d{4}-\d{6})", done).group(1)
    assert stored(
        servers,
        "select commune_insee, lieu, message, contact_telephone from demandes where reference = ?",
        reference,
    ) == [
        (
            "62181",
            "rue des Écoles, devant le numéro 12",
            "Le lampadaire rue des Ecoles est cassé à Bucquoy",
            "06 12 34 56 78",
        )
    ]


def test_a_cancelled_signalement_sends_nothing_and_says_how_to_reach_the_mairie(servers):
    sender = new_sender()
    before = stored(servers, "select count(*) from demandes")[0][0]
    mails = len(servers.inbox.messages)
    first = texts(servers.send(sender, "un nid de poule rue de la Gare a Bucquoy"))
    assert "rue de la Gare" in first and "Voulez-vous être tenu au courant ?" in first
    assert "Je l'envoie" in texts(servers.send(sender, "non"))
    stopped = texts(servers.send(sender, "annuler"))
    assert "Rien n'a été envoyé." in stopped
    assert "Pour joindre la mairie de Bucquoy : 03 53 01 00 21." in stopped
    assert "La mairie rouvre aujourd'hui à 14 h." in stopped, "Bucquoy: Tuesday 14 h-18 h"
    assert stored(servers, "select count(*) from demandes")[0][0] == before
    assert len(servers.inbox.messages) == mails, "no email either"
    after = texts(servers.send(sender, "quels sont les horaires de la mairie ?"))
    assert "La mairie de Bucquoy est" in after, "the conversation goes on"


def test_a_rendez_vous_dropped_before_choosing_a_time_books_nothing(servers):
    sender = new_sender()
    first = texts(servers.send(sender, "je veux prendre rdv pour un passeport a bapaume"))
    assert "C'est noté : passeport." in first
    before = stored(servers, "select count(*) from rendez_vous")[0][0]
    stopped = texts(servers.send(sender, "finalement laissez tomber"))
    assert "Rien n'a été envoyé." in stopped
    assert "indisponible" not in stopped
    assert stored(servers, "select count(*) from rendez_vous")[0][0] == before


def test_one_message_with_name_phone_and_subject_reaches_the_mairie(servers):
    sender = new_sender()
    message = (
        "je suis Mme Dupont 06 12 34 56 78, je voudrais que le maire me rappelle pour mon permis"
    )
    asked = texts(servers.send(sender, message, {"commune": "Bapaume"}))
    assert "Vouliez-vous dire" not in asked and "pas bien compris" not in asked
    # Everything was said: no card and no « Voulez-vous laisser un message ? » first.
    assert "Voulez-vous laisser un message écrit" not in asked
    assert (
        "C'est noté : votre message, de la part de Mme Dupont, pour vous répondre, "
        "06 12 34 56 78." in asked
    )
    # Nothing is missing: the summary at once, the unclear service « autre » (« mon permis »).
    assert "quel service" not in asked and "- Service : Autre" in asked
    assert f"- Message : {message}" in asked and "Je l'envoie à la mairie ?" in asked
    assert "Écrivez votre message" not in asked and "Comment la mairie" not in asked
    assert "quel service" in texts(servers.send(sender, "modifier le service"))
    summary = texts(servers.send(sender, "Urbanisme"))
    assert "- Service : Urbanisme" in summary and "Je l'envoie à la mairie ?" in summary
    done = texts(servers.send(sender, "oui, envoyer"))
    reference = re.search(r"Son numéro de suivi : (DEM-\d{4}-\d{6})", done).group(1)
    [mail] = [m for m in servers.inbox.messages if reference in str(m.message["Subject"])]
    body = mail.message.get_body(("plain",)).get_content()
    assert "me rappelle pour mon permis" in body and "06 12 34 56 78" in body


def test_a_rendez_vous_day_and_time_written_in_words(servers):
    """« jeudi 12h30 »: not a rendez-vous time, said so, with the nearest slots of that day."""
    sender = new_sender()
    servers.send(sender, "je voudrais un rdv pour mon passeport a bapaume")
    refused = servers.send(sender, "jeudi 12h30")
    assert (
        "La mairie de Bapaume ne prend pas de rendez-vous à 12 h 30 le jeudi 3 décembre."
        in texts(refused)
    )
    assert "Choisissez un des créneaux" not in texts(refused), "not a wrong answer"
    offered = [b["title"] for b in buttons(refused)]
    assert offered == [
        "jeudi 3 décembre à 10 h 40",
        "jeudi 3 décembre à 11 h",
        "jeudi 3 décembre à 11 h 20",
        "jeudi 3 décembre à 11 h 40",
        "jeudi 3 décembre à 14 h",
    ]
    assert "À quel nom" in texts(servers.send(sender, "jeudi 3 a 11h40"))
    servers.send(sender, "Paul Exemple")
    needed = texts(servers.send(sender, "non"))
    assert "La mairie a besoin d'une adresse e-mail ou d'un numéro" in needed
    assert "ne semble pas valide" not in needed
    summary = texts(servers.send(sender, "vous pouvez me joindre au 06 11 22 33 44"))
    assert "- Quand : jeudi 3 décembre à 11 h 40, à la mairie de Bapaume" in summary
    assert "- Pour vous joindre : 06 11 22 33 44" in summary
    done = texts(servers.send(sender, "oui"))
    assert re.search(r"RDV-\d{4}-\d{6}", done) and "jeudi 3 décembre à 11 h 40" in done


def test_a_signalement_contact_said_in_a_sentence_or_refused_in_words(servers):
    sender = new_sender()
    servers.send(sender, "le lampadaire rue des Ecoles est cassé à Bucquoy")
    summary = texts(servers.send(sender, "pas de photo, vous pouvez me joindre au 06 12 34 56 78"))
    assert "ne semble pas valide" not in summary
    assert "- Pour vous répondre : 06 12 34 56 78" in summary
    assert "Rien n'a été envoyé." in texts(servers.send(sender, "annuler"))
    other = new_sender()
    servers.send(other, "un nid de poule rue de la Gare a Bucquoy")
    refused = texts(servers.send(other, "non pas besoin de me tenir au courant"))
    assert "- Pour vous répondre : pas de contact (vous ne serez pas recontacté)" in refused


def test_an_emergency_inside_a_prefilled_form_comes_first_and_the_next_form_starts_afresh(
    servers,
):
    sender = new_sender()
    servers.send(sender, "le lampadaire rue des Ecoles est cassé à Bucquoy")
    emergency = servers.send(sender, "ya le feu dans la grange du voisin")
    assert re.search(r"\b18\b", emergency[0]["text"]), emergency
    fresh = texts(servers.send(sender, "je veux signaler un problème"))
    assert "Quel est le problème ?" in fresh, "nothing kept from the form left by the emergency"
