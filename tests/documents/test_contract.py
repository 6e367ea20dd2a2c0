"""What a resident gets when asking for a document, on every GED backend.

Only the DocumentStore interface and actions.documents.request are used here, so that the Mayan
backend passes the very same cases as the embedded one (demo corpus of scripts/generate_corpus.py).
"""

from __future__ import annotations

import datetime as dt

import pytest

from actions.documents.model import DOC_TYPES, Document, DocumentStore, SearchQuery
from actions.documents.request import DocumentAnswer, find_documents, understand
from tests.conftest import CORPUS_DAY

TODAY = CORPUS_DAY  # the corpus is generated for this day: its menus and calendars surround it
BAPAUME, BUCQUOY, VAULX = "62080", "62181", "62839"
ELUS_TITLES = (
    "Convocation au conseil municipal du 3 décembre 2026",
    "Projet de délibération relative au budget primitif 2027",
    "Note de synthèse pour le conseil municipal de décembre 2026",
)


def ask(
    store: DocumentStore,
    text: str,
    commune: str | None = None,
    today: dt.date = TODAY,
    audiences: tuple = ("public",),
) -> DocumentAnswer:
    request = understand(text, today)
    return find_documents(store, request, commune_insee=commune, audiences=audiences)


def first(answer: DocumentAnswer) -> Document:
    assert answer.documents, "aucun document trouvé"
    return answer.documents[0]


def for_commune(document: Document, insee: str) -> bool:
    return document.communes == () or insee in document.communes


# --- the residents' example requests ------------------------------------------------------------


def test_latest_council_minutes_of_bucquoy(store: DocumentStore) -> None:
    answer = ask(store, "le compte rendu du dernier conseil municipal de Bucquoy")
    # Plus de compte rendu depuis juillet 2022 : la dernière séance a sa liste des délibérations.
    assert first(answer).title == "Liste des délibérations du conseil municipal du 15 octobre 2026"
    assert all(d.doc_type == "compte_rendu" and BUCQUOY in d.communes for d in answer.documents)


@pytest.mark.parametrize(
    ("commune", "other"),
    [(BUCQUOY, BAPAUME), (BAPAUME, BUCQUOY)],
)
def test_form_to_rent_the_village_hall(store: DocumentStore, commune: str, other: str) -> None:
    document = first(ask(store, "le formulaire pour louer la salle des fêtes", commune))
    assert document.title == "Formulaire de réservation de la salle des fêtes"
    assert document.communes == (commune,)


@pytest.mark.parametrize(
    "text", ["le menu de la cantine cette semaine", "le menu de la cantine cette semaine stp"]
)
def test_this_weeks_canteen_menu(store: DocumentStore, text: str) -> None:
    answer = ask(store, text, BUCQUOY)
    assert answer.covers_date
    menu = first(answer)
    assert menu.title == "Menu de la cantine, semaine du 23 novembre 2026"
    assert (menu.valid_from, menu.valid_until) == (dt.date(2026, 11, 23), dt.date(2026, 11, 27))


@pytest.mark.parametrize(
    "text", ["le calendrier des poubelles 2026", "calendrier poubelle 2026", "CALENDRIER POUBELLES"]
)
def test_waste_collection_calendar(store: DocumentStore, text: str) -> None:
    document = first(ask(store, text, VAULX))
    assert document.title == "Calendrier de collecte des déchets 2026"
    assert document.communes == ()  # the whole territory


def test_next_years_calendar(store: DocumentStore) -> None:
    document = first(ask(store, "calendrier de ramassage des ordures 2027", BUCQUOY))
    assert document.title == "Calendrier de collecte des déchets 2027"


@pytest.mark.parametrize(
    "text",
    ["l'arrêté sur la circulation rue de Péronne", "arrete circulation rue de peronne"],
)
def test_traffic_order_rue_de_peronne(store: DocumentStore, text: str) -> None:
    document = first(ask(store, text, BAPAUME))
    assert document.title == "Arrêté portant réglementation de la circulation rue de Péronne"


# --- full text, French forms --------------------------------------------------------------------


def test_hyphenated_compte_rendu_finds_the_minutes(store: DocumentStore) -> None:
    found = store.search(SearchQuery(text="compte-rendu conseil", commune_insee=BUCQUOY, limit=10))
    titles = [d.title for d in found]
    assert "Procès-verbal du conseil municipal du 12 mars 2026" in titles


def test_poubelles_finds_the_collection_calendar_by_keyword(store: DocumentStore) -> None:
    found = store.search(SearchQuery(text="poubelles"))
    assert found and found[0].doc_type == "calendrier_collecte"


def test_accents_and_case_do_not_matter(store: DocumentStore) -> None:
    plain = store.search(SearchQuery(text="REGLEMENT CIMETIERE", commune_insee=BAPAUME))
    accented = store.search(SearchQuery(text="règlement cimetière", commune_insee=BAPAUME))
    assert plain and [d.id for d in plain] == [d.id for d in accented]
    assert plain[0].title == "Règlement du cimetière communal"


def test_words_from_the_pdf_text_are_searchable(store: DocumentStore) -> None:
    found = store.search(SearchQuery(text="lampadaires", commune_insee=BUCQUOY))
    assert [d.title for d in found][:1] == [
        "Liste des délibérations du conseil municipal du 15 octobre 2026"
    ]


def test_nothing_matches_nonsense(store: DocumentStore) -> None:
    assert store.search(SearchQuery(text="xylophone zeppelin")) == []


def test_cemetery_plot_request_form(store: DocumentStore) -> None:
    document = first(ask(store, "demande de concession au cimetiere", BAPAUME))
    assert document.title == "Demande de concession au cimetière communal"


def test_plu_of_bapaume(store: DocumentStore) -> None:
    document = first(ask(store, "le PLU de Bapaume"))
    assert document.doc_type == "urbanisme" and document.communes == (BAPAUME,)


# --- filters ------------------------------------------------------------------------------------


def test_commune_filter_keeps_that_commune_and_territory_documents(store: DocumentStore) -> None:
    found = store.search(SearchQuery(commune_insee=BAPAUME, limit=100))
    assert any(d.communes == () for d in found)
    assert any(d.communes == (BAPAUME,) for d in found)
    assert all(for_commune(d, BAPAUME) for d in found)


def test_type_filter(store: DocumentStore) -> None:
    found = store.search(SearchQuery(doc_types=("arrete", "reglement"), limit=100))
    assert {d.doc_type for d in found} == {"arrete", "reglement"}


def test_empty_text_with_filters_sorts_newest_first(store: DocumentStore) -> None:
    found = store.search(SearchQuery(commune_insee=BUCQUOY, doc_types=("compte_rendu",), limit=10))
    dates = [d.date for d in found]
    assert len(dates) == 4 and dates == sorted(dates, reverse=True)


def test_date_range_on_document_date(store: DocumentStore) -> None:
    found = store.search(
        SearchQuery(
            commune_insee=BUCQUOY,
            doc_types=("compte_rendu",),
            date_from=dt.date(2026, 3, 1),
            date_to=dt.date(2026, 3, 31),
        )
    )
    assert [d.title for d in found] == ["Procès-verbal du conseil municipal du 12 mars 2026"]


def test_date_range_on_validity_period(store: DocumentStore) -> None:
    found = store.search(
        SearchQuery(
            commune_insee=BUCQUOY,
            doc_types=("menu_cantine",),
            date_from=dt.date(2026, 12, 9),
            date_to=dt.date(2026, 12, 9),
        )
    )
    assert [d.valid_from for d in found] == [dt.date(2026, 12, 7)]


def test_limit_is_respected(store: DocumentStore) -> None:
    assert len(store.search(SearchQuery(limit=3))) == 3


def test_council_minutes_of_march_and_of_2025(store: DocumentStore) -> None:
    march = first(ask(store, "compte rendu du conseil de mars", BUCQUOY))
    assert march.date == dt.date(2026, 3, 12)
    last_year = ask(store, "CR conseil 2025", BUCQUOY).documents
    assert [d.date for d in last_year] == [dt.date(2025, 12, 4)]


# --- dated documents: never stale ---------------------------------------------------------------


def test_menu_is_never_stale_when_a_current_one_exists(store: DocumentStore) -> None:
    answer = ask(store, "menu cantine", BUCQUOY, today=dt.date(2026, 11, 26))
    assert answer.covers_date
    assert all(d.valid_from <= dt.date(2026, 11, 26) <= d.valid_until for d in answer.documents)


def test_tomorrow_and_next_monday_menus(store: DocumentStore) -> None:
    wednesday, friday = dt.date(2026, 11, 25), dt.date(2026, 11, 27)
    assert first(ask(store, "menu de demain", BUCQUOY, today=wednesday)).valid_from == dt.date(
        2026, 11, 23
    )
    assert not ask(store, "menu de demain", BUCQUOY, today=friday).covers_date  # a Saturday
    monday = first(ask(store, "le menu de lundi prochain", BUCQUOY, today=friday))
    assert monday.valid_from == dt.date(2026, 11, 30)


def test_no_menu_for_the_date_offers_the_nearest(store: DocumentStore) -> None:
    answer = ask(store, "menu de la cantine", BUCQUOY, today=dt.date(2027, 1, 12))
    assert not answer.covers_date
    assert first(answer).valid_from == dt.date(2026, 12, 14)


def test_other_commune_menus_are_not_offered(store: DocumentStore) -> None:
    answer = ask(store, "le menu de la cantine cette semaine", BAPAUME)
    assert first(answer).communes == (BAPAUME,)
    assert all(d.communes == (BAPAUME,) for d in answer.documents)


# --- audience -----------------------------------------------------------------------------------


@pytest.mark.parametrize("title", ELUS_TITLES)
def test_public_never_gets_an_elus_document_even_by_exact_title(
    store: DocumentStore, title: str
) -> None:
    for commune in (None, BUCQUOY, BAPAUME):
        found = store.search(SearchQuery(text=title, commune_insee=commune, limit=50))
        assert all(d.audience == "public" for d in found)
        assert title not in [d.title for d in found]
        assert all(d.audience == "public" for d in ask(store, title, commune).documents)


def test_public_listing_of_everything_has_no_elus_document(store: DocumentStore) -> None:
    for doc_type in DOC_TYPES:
        found = store.search(SearchQuery(doc_types=(doc_type,), limit=100))
        assert all(d.audience == "public" for d in found)
    assert store.search(SearchQuery(doc_types=("convocation", "deliberation"))) == []


def test_no_audience_means_no_document(store: DocumentStore) -> None:
    assert store.search(SearchQuery(text="conseil municipal", audiences=())) == []


def test_elu_of_bucquoy_gets_bucquoy_papers_only(store: DocumentStore) -> None:
    audiences = ("public", "elus")
    convocation = first(ask(store, "la convocation au conseil", BUCQUOY, audiences=audiences))
    assert convocation.title == ELUS_TITLES[0] and convocation.audience == "elus"
    found = store.search(
        SearchQuery(text="note de synthèse", commune_insee=BUCQUOY, audiences=audiences, limit=50)
    )
    assert ELUS_TITLES[2] not in [d.title for d in found]  # Bapaume's note
    elus_only = store.search(SearchQuery(commune_insee=BUCQUOY, audiences=("elus",), limit=50))
    assert {d.title for d in elus_only} == set(ELUS_TITLES[:2])


# --- get / content ------------------------------------------------------------------------------


def test_get_and_content_of_a_found_document(store: DocumentStore) -> None:
    document = first(ask(store, "règlement de la salle des fêtes", BUCQUOY))
    again = store.get(document.id)
    assert (
        again is not None
        and again.title == document.title == "Règlement intérieur de la salle des fêtes"
    )
    data = store.content(document.id)
    assert data.startswith(b"%PDF")
    assert document.size in (0, len(data))
    assert "/" not in document.id and document.filename not in document.id


@pytest.mark.parametrize(
    "doc_id",
    [
        "inconnu",
        "0000000000000000",
        "../../etc/passwd",
        "",
        "bucquoy-reglement-salle-des-fetes.pdf",
    ],
)
def test_unknown_ids_are_refused(store: DocumentStore, doc_id: str) -> None:
    assert store.get(doc_id) is None
    with pytest.raises(KeyError):
        store.content(doc_id)
