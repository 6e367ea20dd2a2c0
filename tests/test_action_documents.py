"""action_chercher_document / action_joindre_document on the real embedded GED (demo corpus)."""

from __future__ import annotations

import socket
from datetime import datetime
from urllib.parse import urlparse

import pytest

from actions.clock import PARIS
from actions.documents import config, elus, links
from actions.documents.conseil import asks_next_council
from actions.documents.mayan import MayanStore
from actions.documents.model import SearchQuery
from actions.documents.request import asks_the_one_before
from scripts.generate_corpus import generate
from tests.conftest import CORPUS_DAY, commune_entity, frozen

WEDNESDAY = (2026, 11, 25, 10, 0)
# Links and élu tokens are signed while the clock is frozen on WEDNESDAY: they are checked at
# that instant too, never at the real time (a 24-hour link signed "on Wednesday" has expired
# by the next day of the calendar, and these tests must pass on any day).
SIGNED_AT = datetime(*WEDNESDAY, tzinfo=PARIS)


@pytest.fixture(scope="module", autouse=True)
def demo_ged(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ged")
    generate(folder / "demo", today=CORPUS_DAY)  # menus around WEDNESDAY's week, on any day
    patch = pytest.MonkeyPatch()
    patch.setenv("TCHATCHE_GED", "embedded")
    patch.setenv("TCHATCHE_GED_DOSSIER", str(folder / "demo"))
    patch.setenv("TCHATCHE_GED_INDEX", str(folder / "index.sqlite"))
    patch.setenv("TCHATCHE_SECRET", "secret-de-test-des-documents")
    config.reset_store()
    yield
    patch.undo()
    config.reset_store()


def sent_documents(conversation) -> list[dict]:
    return [m["custom"]["document"] for m in conversation.messages if m.get("custom")]


def link_target(url: str, now: datetime = SIGNED_AT) -> str:
    """The document id a link was signed for (the link itself says nothing readable), checked
    with the clock the action signed it with."""
    return links.verify(urlparse(url).path.rsplit("/", 1)[1], now=now)


def elu_token(commune_insee: str, nom: str) -> str:
    """A genuine token issued on WEDNESDAY, valid while the tests' clock is frozen there."""
    return elus.issue(commune_insee, nom, now=SIGNED_AT)


def elu_metadata(commune_insee: str) -> dict:
    return {"customData": {"elu_token": elu_token(commune_insee, "Élu Exemple")}}


def test_latest_council_report_of_the_commune_is_sent(conversation):
    with frozen(*WEDNESDAY):
        replies = conversation.say(
            "le compte rendu du dernier conseil municipal de Bucquoy",
            "chercher_document",
            commune_entity("Bucquoy"),
        )
    [doc] = sent_documents(conversation)
    assert doc["titre"].startswith("Liste des délibérations du conseil municipal du")
    assert doc["type"] == "Séance du conseil municipal" and doc["format"] == "PDF"
    assert replies[0].startswith(doc["titre"])
    assert "Ko" in replies[0] and "Lien valable 24 heures : http://" in replies[0]
    store = config.get_store()
    document = store.get(link_target(doc["url"]))
    assert "62181" in document.communes, "a Bucquoy document, not another commune's"
    others = [
        d for d in store.search(SearchQuery(commune_insee="62181", doc_types=("compte_rendu",)))
    ]
    assert document.date == max(d.date for d in others), "the latest one"
    assert replies[-1] == "Voulez-vous un autre document ?"


def test_link_never_points_to_the_ged(conversation):
    with frozen(*WEDNESDAY):
        conversation.say(
            "arrêté circulation rue de Péronne", "chercher_document", commune_entity("Bapaume")
        )
    [doc] = sent_documents(conversation)
    assert doc["url"].startswith("http://127.0.0.1:8080/d/")
    assert "Péronne" in doc["titre"]
    assert ".pdf" not in doc["url"] and "ged" not in doc["url"]


def test_this_weeks_menu_never_a_stale_one(conversation):
    with frozen(*WEDNESDAY):
        conversation.say(
            "c'est quoi le menu de la cantine cette semaine",
            "menu_cantine",
            commune_entity("Bapaume"),
        )
    [doc] = sent_documents(conversation)
    menu = config.get_store().get(link_target(doc["url"]))
    assert menu.valid_from.isoformat() <= "2026-11-25" <= menu.valid_until.isoformat()


def test_next_monday_menu(conversation):
    with frozen(*WEDNESDAY):
        replies = conversation.say(
            "le menu de lundi prochain", "menu_cantine", commune_entity("Bucquoy")
        )
    [doc] = sent_documents(conversation)
    menu = config.get_store().get(link_target(doc["url"]))
    assert menu.valid_from.isoformat() == "2026-11-30"
    assert "valable du 30 novembre au 4 décembre 2026" in "\n".join(replies)


def test_menu_not_yet_published_says_so_and_gives_the_nearest(conversation):
    # Bapaume's demo menus stop on 27 November.
    with frozen(*WEDNESDAY):
        replies = conversation.say(
            "le menu de lundi prochain", "menu_cantine", commune_entity("Bapaume")
        )
    assert (
        "Je n'ai pas de menu de la cantine pour le 30 novembre 2026. Voici le plus proche."
        in replies
    )
    [doc] = sent_documents(conversation)
    assert doc["titre"] == "Menu de la cantine, semaine du 23 novembre 2026"


def test_holiday_collection_question(conversation):
    with frozen(2026, 6, 1, 10, 0):
        replies = conversation.say(
            "les poubelles passent-elles le 14 juillet ?",
            "collecte_dechets",
            commune_entity("Bucquoy"),
        )
    # The day is answered from the commune's data (actions/territory/day_answer.py).
    # Bucquoy has no round on Tuesdays: the territory's rule for that holiday is not said.
    assert replies[0].startswith(
        "Non. Le mardi 14 juillet (fête nationale) est férié. À Bucquoy, il n'y a pas de "
        "collecte ce jour-là. Les ordures ménagères sont ramassées le mercredi"
    ), replies[0]
    [doc] = sent_documents(conversation)
    assert "2026" in doc["titre"], "the calendrier valid on that day"
    with frozen(2026, 12, 1, 10, 0):
        replies = conversation.say("et le 25 décembre ?", "collecte_dechets")
    assert replies[0].startswith(
        "Le vendredi 25 décembre (Noël) est férié : pas de collecte ce jour-là. La collecte du "
        "tri sélectif de Bucquoy est reportée au samedi 26 décembre."
    )
    assert not any("pas de collecte" in r for r in replies[1:]), "said once"


def test_salle_des_fetes_answer_brings_the_form(conversation):
    with frozen(*WEDNESDAY):
        conversation.say("louer la salle des fêtes", "salle_des_fetes", commune_entity("Bapaume"))
    [doc] = sent_documents(conversation)
    assert doc["titre"] == "Formulaire de réservation de la salle des fêtes"


def test_vague_request_asks_which_document(conversation):
    with frozen(*WEDNESDAY):
        replies = conversation.say(
            "je cherche un document", "chercher_document", commune_entity("Bucquoy")
        )
    assert replies == ["Quel document cherchez-vous ?"]
    titles = [b["title"] for b in conversation.messages[0]["buttons"]]
    assert "Menu de la cantine" in titles and "Conseil municipal : délibérations" in titles


def test_several_matches_offer_a_choice_then_send_it(conversation):
    with frozen(*WEDNESDAY):
        replies = conversation.say(
            "les formulaires de la mairie", "chercher_document", commune_entity("Bapaume")
        )
        assert replies[0].startswith("J'ai trouvé")
        buttons = conversation.messages[-1]["buttons"]
        assert 2 <= len(buttons) <= 3
        chosen = buttons[1]
        doc_id = chosen["payload"].split('"document_id": "')[1].split('"')[0]
        conversation.say(
            chosen["payload"], "chercher_document", [{"entity": "document_id", "value": doc_id}]
        )
    [doc] = sent_documents(conversation)
    assert doc["titre"] == chosen["title"]


def test_nothing_found_says_so_and_offers_the_mairie(conversation):
    with frozen(*WEDNESDAY):
        replies = conversation.say(
            "l'arrêté sur les trottinettes volantes", "chercher_document", commune_entity("Morval")
        )
    assert replies[0].startswith("Je n'ai pas trouvé ce document")
    assert "03 53 01 00" in replies[0]
    assert sent_documents(conversation) == []


def test_commune_asked_then_the_request_is_answered(conversation):
    with frozen(*WEDNESDAY):
        first = conversation.say("le dernier compte rendu du conseil", "chercher_document")
        assert "commune" in first[0].lower()
        conversation.say("Bucquoy", "informer_commune", commune_entity("Bucquoy"))
    [doc] = sent_documents(conversation)
    assert doc["type"] == "Séance du conseil municipal"


ELUS_TITLE = "Projet de délibération relative au budget primitif 2027"


def test_citizen_hears_an_elus_document_is_reserved(conversation):
    with frozen(*WEDNESDAY):
        replies = conversation.say(ELUS_TITLE, "chercher_document", commune_entity("Bucquoy"))
    assert replies[0].startswith("Ce document est réservé aux élus")
    assert sent_documents(conversation) == []


def test_elu_of_the_commune_gets_it(conversation):
    with frozen(*WEDNESDAY):
        conversation.say(
            ELUS_TITLE,
            "chercher_document",
            commune_entity("Bucquoy"),
            metadata=elu_metadata("62181"),
        )
    [doc] = sent_documents(conversation)
    assert doc["titre"] == ELUS_TITLE


@pytest.mark.parametrize(
    "metadata",
    [
        {"customData": {"elu_token": "forged.token"}},
        {"customData": {"elu_token": elu_token("62080", "Élu de Bapaume")}},  # other commune
        {"elu_token": elu_token("62181", "mauvais endroit")},  # not in customData
    ],
)
def test_no_forged_or_foreign_token_gets_an_elus_document(conversation, metadata):
    with frozen(*WEDNESDAY):
        conversation.say(
            ELUS_TITLE, "chercher_document", commune_entity("Bucquoy"), metadata=metadata
        )
    assert sent_documents(conversation) == []


def test_guessed_identifier_of_an_elus_document_is_refused(conversation):
    store = config.get_store()
    [secret] = store.search(
        SearchQuery(text=ELUS_TITLE, commune_insee="62181", audiences=("elus",))
    )[:1]
    with frozen(*WEDNESDAY):
        replies = conversation.say(
            f'/chercher_document{{"document_id": "{secret.id}"}}',
            "chercher_document",
            [{"entity": "document_id", "value": secret.id}, *commune_entity("Bucquoy")],
        )
    assert replies[0].startswith("Ce document est réservé aux élus")
    assert sent_documents(conversation) == []


@pytest.fixture
def ged_down(monkeypatch):
    """A Mayan GED on a port where nothing listens: every call fails as when the GED is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    down = MayanStore(f"http://127.0.0.1:{closed_port}", "agent", "motdepasse", timeout=2.0)
    monkeypatch.setattr("actions.documents.action.get_store", lambda: down)


def test_ged_down_gives_the_mairie_contact_and_goes_on(conversation, ged_down):
    with frozen(*WEDNESDAY):
        replies = conversation.say(
            "le dernier compte rendu", "chercher_document", commune_entity("Bihucourt")
        )
        assert replies[0].startswith("Je n'arrive pas à consulter les documents de la mairie")
        assert "03 53 01 00" in replies[0]
        menu = conversation.say("le menu de la cantine", "menu_cantine", commune_entity("Bapaume"))
    assert "Je n'arrive pas à joindre les documents de la mairie pour le moment" in "\n".join(menu)
    assert menu[-1] == "Que souhaitez-vous faire maintenant ?", "the answer goes on"


def test_next_council_gives_the_date_of_the_seance_not_the_convocation(conversation):
    """The convocation is for the councillors; the date of its séance is public."""
    with frozen(*WEDNESDAY):
        replies = conversation.say(
            "c quand le prochain conseil municipal a bucquoy",
            "chercher_document",
            commune_entity("Bucquoy"),
        )
    assert replies[0].startswith(
        "Le prochain conseil municipal de Bucquoy a lieu le jeudi 3 décembre 2026."
    )
    assert "vous pouvez y assister" in replies[0] and "legifrance.gouv.fr" in replies[0]
    assert sent_documents(conversation) == [], "the convocation itself stays for the élus"
    assert replies[-1] == "Voulez-vous un autre document ?"


def test_next_council_without_convocation_gives_the_rule(conversation):
    with frozen(2026, 12, 10, 10, 0):  # Bucquoy's séance of 3 December is past
        replies = conversation.say(
            "la date du prochain conseil", "chercher_document", commune_entity("Bucquoy")
        )
    assert replies[0].startswith("Je n'ai pas encore la date du prochain conseil municipal de")
    assert "au moins une fois par trimestre" in replies[0]
    assert sent_documents(conversation) == []


def test_next_council_with_the_ged_down_still_gives_the_rule(conversation, ged_down):
    with frozen(*WEDNESDAY):
        replies = conversation.say(
            "prochaine seance du conseil ?", "chercher_document", commune_entity("Bihucourt")
        )
    assert replies[0].startswith("Je n'ai pas encore la date du prochain conseil municipal de")


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("c quand le prochain conseil municipal", True),
        ("kan est la prochaine seance du conseil", True),
        ("la date du conseil municipal svp", True),
        ("le pv du dernier conseil", False),
        ("compte rendu de la seance du 24 septembre", False),
        ("quand passe le camion poubelle", False),
    ],
)
def test_which_messages_ask_the_next_council(text, asks):
    assert asks_next_council(text) is asks


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("et celui d'avant ?", True),
        ("le précédent svp", True),
        ("l'avant-dernier", True),
        ("y en a un autre ?", True),
        ("il y en a d'autres ?", True),
        ("et le menu de la semaine d'avant les vacances de la toussaint svp merci", False),
        ("le dernier pv", False),
    ],
)
def test_which_messages_ask_the_one_before(text, asks):
    assert asks_the_one_before(text) is asks


def test_the_one_before_after_the_link_expired_says_it_cannot_tell(conversation):
    """Two days later the link sent no longer says which document it was: the resident is asked
    which one, not told that there is none older."""
    with frozen(*WEDNESDAY):
        conversation.say("le dernier compte rendu", "chercher_document", commune_entity("Bapaume"))
    sent = [m for m in conversation.messages if m.get("custom")]
    assert sent, "a document was sent"
    # The harness keeps the resident's messages only: the bot's message that carried it, too.
    conversation.user_events.append({"event": "bot", "data": {"custom": sent[0]["custom"]}})
    with frozen(2026, 11, 27, 10, 0):
        replies = conversation.say("et celui d'avant ?", "chercher_document")
    assert replies[0].startswith("Je ne retrouve plus le document envoyé"), replies
    with frozen(*WEDNESDAY):
        replies = conversation.say("et celui d'avant ?", "chercher_document")
    assert not replies[0].startswith("Je ne retrouve plus"), replies
