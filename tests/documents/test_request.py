"""How a French request is read: types, period (relative to a frozen today), free words."""

from __future__ import annotations

import datetime as dt

import pytest

from actions.clock import now
from actions.documents.request import understand
from tests.conftest import frozen


def today() -> dt.date:
    return now().date()


@pytest.mark.parametrize(
    ("text", "types"),
    [
        ("le compte rendu du dernier conseil municipal de Bucquoy", ("compte_rendu",)),
        ("le CR du conseil", ("compte_rendu",)),
        ("pv de la seance", ("compte_rendu",)),
        ("la liste des délibérations du conseil", ("compte_rendu",)),
        ("le procès-verbal de la dernière séance", ("compte_rendu",)),
        ("le formulaire pour louer la salle des fêtes", ("formulaire",)),
        ("imprimé pour une concession", ("formulaire",)),
        ("inscription cantine", ("formulaire",)),
        ("le menu de la cantine cette semaine", ("menu_cantine",)),
        ("on mange quoi a la cantine", ("menu_cantine",)),
        ("calendrier poubelle 2026", ("calendrier_collecte",)),
        ("ramassage des ordures", ("calendrier_collecte",)),
        ("l'arrêté sur la circulation rue de Péronne", ("arrete",)),
        ("le bulletin municipal", ("bulletin",)),
        ("reglement de la salle", ("reglement",)),
        ("le PLU", ("urbanisme",)),
        ("la convocation au conseil municipal", ("convocation",)),
        ("projet de délibération budget", ("deliberation",)),
        ("rue de Péronne travaux", ()),
    ],
)
def test_document_types(text: str, types: tuple[str, ...]) -> None:
    assert understand(text, dt.date(2026, 11, 25)).doc_types == types


def test_free_words_drop_stopwords_types_period_and_commune() -> None:
    request = understand(
        "l'arrêté sur la circulation rue de Péronne à Bapaume svp", dt.date(2026, 11, 25)
    )
    assert request.text == "circulation rue peronne"
    assert request.commune_insee == "62080"
    sms = understand("le menu de la cantine cette semaine stp", dt.date(2026, 11, 25))
    assert sms.text == "" and sms.doc_types == ("menu_cantine",)
    assert understand("formulaire pour louer la salle des fetes", dt.date(2026, 11, 25)).text == (
        "louer salle fetes"
    )


def test_cette_semaine_is_monday_to_sunday() -> None:
    with frozen(2026, 11, 25, 10, 0):  # a Wednesday
        request = understand("menu cantine cette semaine", today())
    assert (request.date_from, request.date_to) == (dt.date(2026, 11, 23), dt.date(2026, 11, 29))


def test_la_semaine_prochaine() -> None:
    with frozen(2026, 11, 25, 10, 0):
        request = understand("le menu de la semaine prochaine", today())
    assert (request.date_from, request.date_to) == (dt.date(2026, 11, 30), dt.date(2026, 12, 6))


def test_demain_and_aujourdhui() -> None:
    with frozen(2026, 12, 31, 23, 30):  # New Year's Eve, late evening: tomorrow is next year
        tomorrow = understand("menu de demain", today())
        now_ = understand("menu d'aujourd'hui", today())
    assert tomorrow.date_from == tomorrow.date_to == tomorrow.day == dt.date(2027, 1, 1)
    assert now_.date_from == now_.date_to == dt.date(2026, 12, 31)


def test_lundi_prochain_is_the_next_monday() -> None:
    with frozen(2026, 11, 27, 9, 0):  # a Friday
        request = understand("menu lundi prochain", today())
    assert request.day == dt.date(2026, 11, 30)
    with frozen(2026, 11, 30, 9, 0):  # a Monday: "lundi prochain" is a week later
        assert understand("menu lundi prochain", today()).day == dt.date(2026, 12, 7)


def test_de_mars_is_the_last_march() -> None:
    with frozen(2026, 11, 25, 10, 0):
        request = understand("compte rendu du conseil de mars", today())
    assert (request.date_from, request.date_to) == (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    with frozen(2026, 2, 10, 10, 0):  # March has not come yet this year: last year's
        request = understand("compte rendu du conseil de mars", today())
    assert request.date_from == dt.date(2025, 3, 1)


def test_month_with_year_and_year_alone() -> None:
    with frozen(2026, 11, 25, 10, 0):
        march = understand("CR mars 2025", today())
        year = understand("les comptes rendus 2025", today())
    assert (march.date_from, march.date_to) == (dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    assert (year.date_from, year.date_to) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert year.text == ""


def test_ce_mois_ci() -> None:
    with frozen(2026, 2, 10, 10, 0):
        request = understand("les arrêtés de ce mois-ci", today())
    assert (request.date_from, request.date_to) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))


def test_le_14_juillet_is_a_day() -> None:
    with frozen(2026, 11, 25, 10, 0):
        collecte = understand("la collecte est-elle maintenue le 14 juillet", today())
        arrete = understand("l'arrêté du 14 juillet", today())
    assert collecte.day == dt.date(2027, 7, 14)  # asked ahead: the coming one
    assert arrete.day == dt.date(2026, 7, 14)  # an order already signed: the last one
    assert understand("arrete du 1er mai 2026", dt.date(2026, 11, 25)).day == dt.date(2026, 5, 1)


def test_dernier_means_latest_without_a_period() -> None:
    with frozen(2026, 11, 25, 10, 0):
        request = understand("le dernier compte rendu", today())
        recent = understand("le bulletin le plus récent", today())
    assert request.latest and request.date_from is None and request.date_to is None
    assert recent.latest and recent.doc_types == ("bulletin",)
    assert not understand("la semaine dernière", dt.date(2026, 11, 25)).latest


def test_dated_types_default_to_today_and_weekend_to_next_school_week() -> None:
    with frozen(2026, 11, 25, 10, 0):
        assert understand("menu cantine", today()).date_from == dt.date(2026, 11, 25)
        calendar = understand("calendrier poubelles", today())
        assert calendar.date_from == calendar.date_to == dt.date(2026, 11, 25)
    with frozen(2026, 11, 28, 10, 0):  # Saturday
        weekend = understand("menu cantine", today())
    assert (weekend.date_from, weekend.date_to) == (dt.date(2026, 11, 30), dt.date(2026, 12, 4))


def test_undated_types_keep_no_period() -> None:
    request = understand("le formulaire salle des fêtes", dt.date(2026, 11, 25))
    assert request.date_from is None and request.date_to is None and not request.latest


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("PV du 15/10/2026", dt.date(2026, 10, 15)),
        ("arrêté du 14.07.26", dt.date(2026, 7, 14)),
        ("menu du 1/12", dt.date(2026, 12, 1)),
        ("menu du 1er décembre", dt.date(2026, 12, 1)),
    ],
)
def test_dates_typed_in_figures_or_words(text: str, day: dt.date) -> None:
    request = understand(text, dt.date(2026, 11, 25))
    assert request.date_from == request.date_to == day
    assert request.text == ""


def test_quand_passe_la_poubelle_leaves_no_free_words() -> None:
    request = understand("quand passe la poubelle le 14 juillet", dt.date(2026, 11, 25))
    assert request.doc_types == ("calendrier_collecte",) and request.text == ""
