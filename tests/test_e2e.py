"""End to end: both real servers started, French messages through the REST webhook."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import uuid

import pytest
import requests

from scripts.generate_corpus import generate
from tests.demandes.conftest import start_smtp
from tests.servers import Servers


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """Rasa, the action server and the web server (signed document links) on the demo GED."""
    ged = tmp_path_factory.mktemp("ged")
    generate(ged / "demo")
    controller, inbox = start_smtp()
    instance = Servers(web=True)
    instance.inbox = inbox
    instance.extra_env.update(
        TCHATCHE_SMTP_HOST="127.0.0.1",
        TCHATCHE_SMTP_PORT=str(inbox.port),
        TCHATCHE_DEMANDES_DB=f"sqlite:///{ged / 'demandes.db'}",
        TCHATCHE_GED="embedded",
        TCHATCHE_GED_DOSSIER=str(ged / "demo"),
        TCHATCHE_GED_INDEX=str(ged / "index.sqlite"),
        TCHATCHE_SECRET="secret-des-tests-de-bout-en-bout",
        TCHATCHE_PUBLIC_URL=instance.web_url,
    )
    instance.start()
    yield instance
    instance.stop()
    controller.stop()


def texts(replies: list[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def new_sender() -> str:
    return f"e2e-{uuid.uuid4().hex[:10]}"


def test_greeting_offers_themes(servers):
    replies = servers.send(new_sender(), "Bonjour")
    assert "assistant automatique" in texts(replies)
    assert any(r.get("buttons") for r in replies)


def test_hours_ask_commune_then_answer_then_correction(servers):
    sender = new_sender()
    first = texts(servers.send(sender, "la mairie est ouverte quand ?"))
    assert "Dans quelle commune habitez-vous ?" in first
    second = texts(servers.send(sender, "bucquoy"))
    assert "La mairie de Bucquoy est" in second
    assert "lundi : de 9 h à 12 h" in second
    third = texts(servers.send(sender, "non, c'est pour Bapaume"))
    assert "La mairie de Bapaume est" in third
    fourth = texts(servers.send(sender, "et le numéro de téléphone ?"))
    assert "Mairie de Bapaume" in fourth


def test_identity_card_in_a_commune_without_equipment(servers):
    reply = texts(
        servers.send(new_sender(), "je dois refaire ma carte d'identité, j'habite Favreuil")
    )
    assert "service-public.gouv.fr" in reply
    assert "La mairie de Favreuil ne prend pas ces demandes" in reply
    assert "Bapaume" in reply


def test_orientation_is_not_the_mairie(servers):
    reply = texts(
        servers.send(new_sender(), "comment je fais ma carte grise pour ma nouvelle voiture")
    )
    assert "ANTS" in reply or "ants.gouv.fr" in reply


def test_assistant_says_it_is_not_a_person(servers):
    reply = texts(servers.send(new_sender(), "est-ce que tu es un vrai humain ?"))
    assert "Je ne suis pas une personne" in reply


def test_off_topic_stays_polite(servers):
    reply = texts(servers.send(new_sender(), "il va faire beau demain ?"))
    assert "je ne sais pas répondre à cela" in reply


def test_gibberish_gets_themes(servers):
    replies = servers.send(new_sender(), "xqzw plorf")
    assert replies, "an answer is always given"
    assert any(r.get("buttons") for r in replies)


def test_page_metadata_gives_the_commune(servers):
    reply = texts(servers.send(new_sender(), "c'est ouvert ?", {"commune": "Morval"}))
    assert "La mairie de Morval est" in reply


def test_conversation_is_stored_in_sqlite(servers):
    sender = new_sender()
    servers.send(sender, "merci beaucoup")
    with sqlite3.connect(servers.database) as db:
        rows = db.execute("select count(*) from events where sender_id = ?", (sender,)).fetchone()
    assert rows[0] >= 3


def test_death_certificate_answer_is_specific(servers):
    reply = texts(servers.send(new_sender(), "comment avoir l'acte de décès de mon père"))
    assert "acte de décès" in reply
    assert "https://www.service-public.gouv.fr/particuliers/vosdroits/F1444" in reply


@pytest.mark.parametrize("text", ["", "😀😀😀", "<script>alert('x')</script>", "a" * 10_000])
def test_bad_input_gets_a_clear_french_answer(servers, text):
    sender = new_sender()
    reply = texts(servers.send(sender, text))
    assert "Je n'ai pas bien compris votre message." in reply or (
        "Je ne suis pas sûr d'avoir compris." in reply
    )
    follow_up = texts(servers.send(sender, "horaires de la mairie de Bapaume"))
    assert "La mairie de Bapaume est" in follow_up, "the conversation goes on"


def test_orientation_names_the_office_of_the_commune(servers):
    sender = new_sender()
    first = texts(servers.send(sender, "j'ai perdu ma carte vitale"))
    assert "ameli.fr" in first, "the online route comes at once"
    assert "dans quelle commune habitez-vous ?" in first.lower(), "asked before naming an office"
    second = texts(servers.send(sender, "Bucquoy"))
    assert "Pour Bucquoy, le bureau le plus proche est : CPAM de l'Artois" in second
    assert "Ses horaires :" in second
    assert "France Services de Bucquoy" in second


def test_weather_is_never_sent_to_the_prefecture(servers):
    reply = texts(servers.send(new_sender(), "quel temps fera-t-il ce week-end ?"))
    assert "Préfecture" not in reply and "bureau" not in reply


def test_document_request_gives_a_working_signed_link(servers):
    replies = servers.send(new_sender(), "le compte rendu du dernier conseil municipal de Bucquoy")
    [document] = [r["custom"]["document"] for r in replies if r.get("custom")]
    assert document["url"].startswith(f"{servers.web_url}/d/")
    assert "du conseil municipal du" in texts(replies)
    pdf = requests.get(document["url"], timeout=10)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["Content-Type"] == "application/pdf"
    forged = document["url"][:-3] + ("AAA" if not document["url"].endswith("AAA") else "BBB")
    refused = requests.get(forged, timeout=10)
    assert refused.status_code == 403 and b"%PDF" not in refused.content


def test_elus_document_reserved_to_elus(servers):
    title = "Projet de délibération relative au budget primitif 2027"
    citizen = servers.send(new_sender(), f"{title} de Bucquoy")
    assert "réservé aux élus" in texts(citizen)
    assert not any(r.get("custom") for r in citizen)
    token = (
        subprocess.run(
            [
                sys.executable,
                "-m",
                "actions.documents.elus",
                "--commune",
                "Bucquoy",
                "--nom",
                "Élue",
            ],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "TCHATCHE_SECRET": servers.extra_env["TCHATCHE_SECRET"]},
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    elu = servers.send(new_sender(), f"{title} de Bucquoy", {"customData": {"elu_token": token}})
    [document] = [r["custom"]["document"] for r in elu if r.get("custom")]
    assert document["titre"] == title


def test_resident_leaves_a_message_that_reaches_the_mairie(servers):
    sender = new_sender()
    offer = texts(servers.send(sender, "je voudrais parler à quelqu'un de la mairie de Bapaume"))
    assert "Voulez-vous laisser un message écrit à la mairie ?" in offer
    assert "quel service" in texts(servers.send(sender, "/affirmer"))
    assert "Écrivez votre message" in texts(servers.send(sender, "Urbanisme"))
    asked = texts(servers.send(sender, "Ma haie dépasse sur le trottoir, que dois-je faire ?"))
    assert "effacés 12 mois après" in asked, "the resident is told what is kept"
    refused = texts(servers.send(sender, "mon mail"))
    assert "ne semble pas valide" in refused
    summary = texts(servers.send(sender, "marie.exemple@exemple.fr"))
    assert "Ma haie dépasse" in summary and "Je l'envoie à la mairie ?" in summary
    done = texts(servers.send(sender, "oui, envoyer"))
    assert re.search(
        r"Son numéro de suivi : DEM-\d{4}-\d{6}", done
    ), "numbered in the server's year"
    reference = done.split("Son numéro de suivi : ")[1].split(".")[0]
    mails = [m for m in servers.inbox.messages if reference in str(m.message)]
    recipients = {r for m in mails for r in m.recipients}
    assert "marie.exemple@exemple.fr" in recipients, "acknowledgement to the resident"
    assert len(recipients) == 2, "and the notification to the service"


def test_quitting_a_form_mid_way(servers):
    sender = new_sender()
    servers.send(sender, "je voudrais parler à un agent de la mairie de Bucquoy")
    servers.send(sender, "/affirmer")
    stopped = texts(servers.send(sender, "laisser tomber"))
    assert "Rien n'a été envoyé." in stopped
    after = texts(servers.send(sender, "horaires de la mairie"))
    assert "La mairie de Bucquoy est" in after, "the conversation goes on"


def test_booking_a_passport_appointment(servers):
    sender = new_sender()
    first = servers.send(sender, "je voudrais prendre rendez-vous à la mairie, j'habite Favreuil")
    assert "C'est pour quoi ?" in texts(first)
    offer = servers.send(sender, "Passeport")
    buttons = [b for r in offer for b in r.get("buttons", [])]
    assert "Les prochains créneaux à la mairie de Bapaume" in texts(offer) and buttons
    assert "À quel nom" in texts(servers.send(sender, buttons[0]["payload"]))
    servers.send(sender, "Marie Exemple")
    summary = texts(servers.send(sender, "06 12 34 56 78"))
    assert "- Pour : passeport" in summary and "Je le réserve ?" in summary
    done = texts(servers.send(sender, "oui, réserver"))
    assert "Votre rendez-vous est confirmé : " + buttons[0]["title"] in done
    assert "RDV-" in done and "ants.gouv.fr" in done


def test_a_question_mid_form_is_answered_and_the_form_left(servers):
    sender = new_sender()
    asked = texts(servers.send(sender, "je voudrais prendre rendez-vous, j'habite Bucquoy"))
    assert "C'est pour quoi ?" in asked
    answer = texts(servers.send(sender, "et le numéro de téléphone de la mairie ?"))
    assert "rien n'a été envoyé" in answer
    assert "Bucquoy" in answer and "03 53 01" in answer, "the question is answered"
    after = texts(servers.send(sender, "quels sont les horaires de la mairie ?"))
    assert "La mairie de Bucquoy est" in after, "the next message is not taken as a form answer"


def test_reporting_a_problem_reaches_the_technical_services(servers):
    sender = new_sender()
    asked = texts(
        servers.send(sender, "je veux signaler un problème dans la rue à Achiet-le-Grand")
    )
    assert "Quel est le problème ?" in asked
    assert "Où est-ce ?" in texts(servers.send(sender, "Un lampadaire ne s'allume plus"))
    contact = texts(servers.send(sender, "devant l'église, rue principale"))
    assert "photo" not in contact.lower(), "no photo question outside the web chat"
    summary = texts(servers.send(sender, "non"))
    assert "- Lieu : devant l'église, rue principale" in summary
    done = texts(servers.send(sender, "oui, envoyer"))
    assert "Son numéro de suivi : SIG-" in done
    reference = done.split("Son numéro de suivi : ")[1].split(".")[0]
    mails = [m for m in servers.inbox.messages if reference in str(m.message["Subject"])]
    bodies = [m.message.get_body(("plain",)).get_content() for m in mails]
    assert any("lampadaire ne s'allume plus" in body for body in bodies)
