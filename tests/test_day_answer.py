"""A day asked (« le 24 décembre », « à Noël », « demain ») answered from the commune's data.

Clock frozen on Monday 21 December 2026, 10 h. Example data (territoire/): Bapaume's and Bucquoy's
mairies are closed from 24 December to 2 January; Bapaume's ordures ménagères go on Fridays,
Bucquoy's on Wednesdays and its tri sélectif on Fridays of even weeks; no collection on Noël, the
jour de l'An and the 1er mai, « reportée au lendemain »; the déchetterie of Bapaume opens on
Monday afternoon, Wednesday, Friday afternoon and Saturday.
"""

from __future__ import annotations

from datetime import date

import pytest

from actions import clock
from actions.territory.day_answer import date_facts, day_sentence
from actions.territory.loader import load_territory
from tests.conftest import commune_entity, frozen

MONDAY = (2026, 12, 21, 10, 0)
TERRITORY = load_territory()
BAPAUME = TERRITORY.by_name("Bapaume")
BUCQUOY = TERRITORY.by_name("Bucquoy")


def sentence(commune, topic: str, day: date) -> str:
    with frozen(*MONDAY):
        return day_sentence(commune, TERRITORY, topic, day, clock.now())


def test_exceptional_closure_of_the_mairie_is_said_with_its_reason(conversation):
    with frozen(*MONDAY):
        replies = conversation.say(
            "la mairie de Bapaume est ouverte le 24 décembre ?",
            "horaires_mairie",
            commune_entity("Bapaume"),
        )
    assert replies[0] == (
        "Non. Le jeudi 24 décembre, la mairie de Bapaume est fermée (fermeture exceptionnelle : "
        "congés de fin d'année). Elle rouvre le lundi 4 janvier 2027 à 8 h 30."
    )
    assert "lundi : de 8 h 30 à 12 h" in replies[1], "the usual hours follow"


def test_tomorrow_gives_that_days_hours_then_no_day_gives_right_now(conversation):
    with frozen(*MONDAY):
        tomorrow = conversation.say(
            "la mairie de bapaume c ouvert demain ?", "horaires_mairie", commune_entity("bapaume")
        )
        now = conversation.say("et la mairie est ouverte ?", "horaires_mairie")
    assert tomorrow[0] == (
        "Oui. Demain, mardi 22 décembre, la mairie de Bapaume est ouverte "
        "de 8 h 30 à 12 h et de 13 h 30 à 17 h 30."
    )
    assert now[0] == "La mairie de Bapaume est ouverte en ce moment, jusqu'à 12 h."


def test_today_says_whether_it_is_open_now():
    assert sentence(BAPAUME, "horaires_mairie", date(2026, 12, 21)) == (
        "Aujourd'hui, lundi 21 décembre, la mairie de Bapaume est ouverte de 8 h 30 à 12 h et "
        "de 13 h 30 à 17 h 30. Elle est ouverte en ce moment, jusqu'à 12 h."
    )


def test_public_holiday_closes_the_mairie():
    favreuil = TERRITORY.by_name("Favreuil")
    assert sentence(favreuil, "horaires_mairie", date(2027, 5, 13)) == (
        "Le jeudi 13 mai 2027, la mairie de Favreuil est ouverte de 14 h à 17 h."
    )
    assert sentence(favreuil, "horaires_mairie", date(2027, 5, 6)) == (
        "Le jeudi 6 mai 2027 (Ascension) est férié : la mairie de Favreuil est fermée. "
        "Elle rouvre le lundi 10 mai 2027 à 10 h."
    )


def test_collection_on_noel_is_moved_to_the_next_day(conversation):
    with frozen(*MONDAY):
        replies = conversation.say(
            "les poubelles passent a noel a bapaume ?",
            "collecte_dechets",
            commune_entity("bapaume"),
        )
    assert replies[0].startswith(
        "Non. Le vendredi 25 décembre (Noël) est férié : pas de collecte ce jour-là. "
        "La collecte des ordures ménagères de Bapaume est reportée au samedi 26 décembre."
    )
    assert any("SMAV" in r for r in replies), "who to call still follows"


def test_noel_in_a_commune_collected_another_day(conversation):
    # Week 52 is even: Bucquoy's tri sélectif falls on Noël and moves; its ordures do not.
    with frozen(*MONDAY):
        replies = conversation.say(
            "les poubelles passent a noel a bucquoy ?",
            "collecte_dechets",
            commune_entity("bucquoy"),
        )
    assert replies[0].startswith(
        "Non. Le vendredi 25 décembre (Noël) est férié : pas de collecte ce jour-là. "
        "La collecte du tri sélectif de Bucquoy est reportée au samedi 26 décembre. "
        "Les ordures ménagères sont ramassées le mercredi."
    )


def test_the_next_day_carries_the_moved_collection():
    assert sentence(BAPAUME, "collecte_dechets", date(2026, 12, 26)) == (
        "Le samedi 26 décembre : la collecte des ordures ménagères de Bapaume a lieu ce jour-là, "
        "reportée du vendredi 25 décembre (Noël)."
    )


def test_holiday_with_collection_maintained():
    # 14 July 2027 is a Wednesday, Bucquoy's collection day; the territory keeps it.
    assert sentence(BUCQUOY, "collecte_dechets", date(2027, 7, 14)) == (
        "Le mercredi 14 juillet 2027 (fête nationale) est férié, mais la collecte est maintenue : "
        "la collecte des ordures ménagères de Bucquoy a lieu comme d'habitude."
    )


def test_holiday_without_collection_in_a_commune_not_collected_that_day():
    # Sapignies: ordures on Mondays, tri on Wednesdays. The territory's rule for moved rounds
    # (« reportée au lendemain ») is not said: nothing of Sapignies is moved to the 26th.
    sapignies = TERRITORY.by_name("Sapignies")
    assert sentence(sapignies, "collecte_dechets", date(2026, 12, 25)) == (
        "Le vendredi 25 décembre (Noël) est férié. À Sapignies, il n'y a pas de collecte ce "
        "jour-là. Les ordures ménagères sont ramassées le lundi, le tri sélectif le mercredi, "
        "semaines impaires."
    )


def test_ordinary_day_without_collection():
    assert sentence(BUCQUOY, "collecte_dechets", date(2026, 12, 22)) == (
        "Demain, mardi 22 décembre, pas de collecte à Bucquoy : les ordures ménagères sont "
        "ramassées le mercredi, le tri sélectif le vendredi, semaines paires."
    )


def test_dechetterie_on_noel_and_tomorrow(conversation):
    with frozen(*MONDAY):
        noel = conversation.say(
            "la dechetterie est ouverte a noel ?", "dechetterie", commune_entity("Favreuil")
        )
        tomorrow = conversation.say("la dechetterie est ouverte demain ?", "dechetterie")
    # A yes/no question: « Non. » and the day first, then the address and the week's hours.
    assert noel[0] == (
        "Non. Le vendredi 25 décembre (Noël) est férié : la déchetterie de Bapaume est fermée. "
        "Elle rouvre le samedi 26 décembre à 9 h."
    )
    assert not any("en ce moment" in reply for reply in noel)
    assert noel[1].startswith("La déchetterie la plus proche de Favreuil")
    assert tomorrow[0] == (
        "Non. Demain, mardi 22 décembre, la déchetterie de Bapaume est fermée : elle n'ouvre "
        "pas le mardi. Elle rouvre le mercredi 23 décembre à 9 h."
    )


def test_week_end_answers_both_days():
    with frozen(*MONDAY):
        facts = date_facts(BAPAUME, TERRITORY, "ce week-end ?", clock.now(), "dechetterie")
    assert facts["jour_demande"].split("\n") == [
        "Le samedi 26 décembre, la déchetterie de Bapaume est ouverte de 9 h à 12 h et "
        "de 14 h à 18 h.",
        "Le dimanche 27 décembre, la déchetterie de Bapaume est fermée : elle n'ouvre pas le "
        "dimanche. Elle rouvre le lundi 28 décembre à 14 h.",
    ]


def test_the_day_asked_before_the_commune_is_kept(conversation):
    with frozen(*MONDAY):
        first = conversation.say("c'est ouvert le 24/12 la mairie ?", "horaires_mairie")
        assert "Dans quelle commune habitez-vous ?" in first[0]
        second = conversation.say("bucquoy", "informer_commune", commune_entity("bucquoy"))
    assert second[0].startswith("Non. Le jeudi 24 décembre, la mairie de Bucquoy est fermée")


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("la mairie est ouverte ?", "horaires_mairie"),
        ("le 24 décembre", "contact_mairie"),  # a topic that does not depend on the day
    ],
)
def test_no_sentence_without_a_day_or_for_other_topics(text, topic):
    with frozen(*MONDAY):
        facts = date_facts(BAPAUME, TERRITORY, text, clock.now(), topic)
    assert facts == {"jour_demande": None, "jour_demande_pour": None}


@pytest.mark.parametrize(
    ("text", "day", "answer"),
    [
        # Martinpuich (example data): tri sélectif on Tuesdays, ordures ménagères on Thursdays.
        ("demain c est le tri ? je sors la poubelle jaune ce soir ?", date(2026, 12, 22), "Oui. "),
        ("demain c'est les ordures ménagères ?", date(2026, 12, 22), "Non. "),
        ("ca passe demain ?", date(2026, 12, 22), "Oui. "),
        ("c'est quel jour demain le tri ?", date(2026, 12, 22), ""),  # not a yes/no question
        ("demain le tri", date(2026, 12, 22), ""),
    ],
)
def test_a_yes_or_no_question_about_a_collection_hears_yes_or_no_first(text, day, answer):
    from actions.territory.day_answer import yes_or_no

    martinpuich = TERRITORY.by_name("Martinpuich")
    assert yes_or_no(martinpuich, TERRITORY, text, day, "collecte_dechets") == answer


def test_a_yes_or_no_question_about_the_mairie_hears_no_on_a_closure_or_a_holiday():
    from actions.territory.day_answer import yes_or_no

    ask = "je peux passer a la mairie pour deposer un papier ?"
    assert yes_or_no(BAPAUME, TERRITORY, ask, date(2026, 12, 24), "horaires_mairie") == "Non. "
    assert yes_or_no(BAPAUME, TERRITORY, ask, date(2026, 12, 22), "horaires_mairie") == "Oui. "
    assert yes_or_no(BAPAUME, TERRITORY, ask, date(2027, 5, 1), "horaires_mairie") == "Non. "
