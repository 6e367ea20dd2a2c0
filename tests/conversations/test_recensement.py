"""The census window worked out from a birth date (actions/conversation/recensement.py)."""

from __future__ import annotations

from datetime import date

import pytest

from actions.conversation.recensement import NOW, PAST, RESPONSE, RULE, census_answer

TODAY = date(2026, 12, 21)  # the day every conversation test is written against


@pytest.mark.parametrize(
    ("text", "response", "values"),
    [
        (  # to come: the birthday, then the end of the 3rd month after it
            "il est né le 12 mars 2011",
            RESPONSE,
            {"seize_ans": "le 12 mars 2027", "date_limite": "30 juin 2027"},
        ),
        ("il est ne le 12/03/2011", RESPONSE, {"date_limite": "30 juin 2027"}),
        (  # a month alone: the next one whose window is not over
            "il aura 16 ans en mars",
            RESPONSE,
            {"seize_ans": "en mars 2027", "date_limite": "30 juin 2027"},
        ),
        (  # open now
            "elle est nee le 1er octobre 2010",
            NOW,
            {"seize_ans_depuis": "le 1er octobre 2026", "date_limite": "31 janvier 2027"},
        ),
        ("elle a eu 16 ans le 2 decembre", NOW, {"date_limite": "31 mars 2027"}),
        ("il est ne le 5 aout 2010", PAST, {"date_limite": "30 novembre 2026"}),
        ("il aura 16 ans le 3 janvier 2027", RESPONSE, {"seize_ans": "le 3 janvier 2027"}),
        ("ne le 29/02/2012", RESPONSE, {"seize_ans": "le 29 février 2028"}),
        ("ne le 29/02/2011", RESPONSE, {"seize_ans": "le 28 février 2027"}),  # no 29th in 2027
    ],
)
def test_a_birth_date_gives_the_census_dates_of_that_child(text, response, values):
    chosen, said = census_answer(text, TODAY)
    assert chosen == response
    assert values.items() <= said.items(), said


@pytest.mark.parametrize("text", ["il est ne en 2011", "ne le 45 mars 2010", "il est ne en 1990"])
def test_no_date_to_work_with_gives_the_rule(text):
    assert census_answer(text, TODAY) == (RULE, {})


def test_twenty_five_or_more_gets_the_rule_not_a_window():
    assert census_answer("je suis ne le 3 mai 1995", TODAY) == (RULE, {})
