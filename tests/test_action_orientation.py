"""action_orienter: online route first, then the office covering the commune, per sub-intent."""

from __future__ import annotations

import pytest

from actions.orientation.annuaire import annuaire
from actions.orientation.subjects import SUBJECTS, subjects
from actions.territory.loader import territory
from tests.conftest import commune_entity, frozen

# 2026-11-24 is a Tuesday, 10:00 in Paris. Offices are the sample records of territoire/annuaire/.
NOW = (2026, 11, 24, 10, 0)
ONLINE = {
    "carte_grise": "immatriculation.ants.gouv.fr",
    "permis_conduire": "permisdeconduire.ants.gouv.fr",
    "impots": "impots.gouv.fr",
    "caf": "caf.fr",
    "sante": "ameli.fr",
    "msa": "msa.fr",
    "emploi": "francetravail.fr",
    "jeunes": "mission locale",
    "retraite": "info-retraite.fr",
    "justice": "justice.fr",
    "plainte": "17",
    "etrangers": "administration-etrangers-en-france.interieur.gouv.fr",
}
OFFICE = {
    "carte_grise": "Espace France Services de Bapaume",
    "permis_conduire": "Espace France Services de Bapaume",
    "impots": "Service des impôts des particuliers d'Arras",
    "caf": "Caisse d'allocations familiales du Pas-de-Calais",
    "sante": "CPAM de l'Artois",
    "msa": "MSA Nord-Pas de Calais",
    "emploi": "France Travail Arras",
    "jeunes": "Mission locale de l'Arrageois",
    "retraite": "Carsat Hauts-de-France",
    "justice": "Point-justice de Bapaume",
    "plainte": "Brigade de gendarmerie de Bapaume",
    "etrangers": "Préfecture du Pas-de-Calais",
}


def selector(subject: str) -> dict:
    return {
        "orientation": {"response": {"intent_response_key": f"orientation/{subject}"}},
    }


@pytest.mark.parametrize("subject", SUBJECTS)
def test_every_subject_names_online_route_then_office(conversation, subject):
    with frozen(*NOW):
        replies = conversation.say(
            "question",
            "orientation",
            commune_entity("Vaulx-Vraucourt"),
            response_selector=selector(subject),
        )
    assert replies[0].startswith("La mairie ne"), "first: the mairie does not handle this"
    assert ONLINE[subject] in replies[0]
    assert "https://www.service-public.gouv.fr/particuliers/vosdroits/" in replies[0]
    assert f"Pour Vaulx-Vraucourt, le bureau le plus proche est : {OFFICE[subject]}" in replies[1]
    assert "Téléphone : 03 53 01 90" in replies[1]
    assert "Coordonnées d'exemple" in replies[1]
    assert "Ses horaires :" in replies[2]
    helps = subjects()[subject].france_services and "France Services" not in OFFICE[subject]
    assert ("L'espace France Services vous aide" in replies[3]) is helps


def test_office_depends_on_the_commune_records(conversation):
    with frozen(*NOW):
        bucquoy = conversation.say(
            "porter plainte",
            "orientation",
            commune_entity("Bucquoy"),
            response_selector=selector("plainte"),
        )
        bapaume = conversation.say(
            "porter plainte",
            "orientation",
            commune_entity("Bapaume"),
            response_selector=selector("plainte"),
        )
    assert "Brigade de gendarmerie de Bucquoy" in bucquoy[1]
    assert "Brigade de gendarmerie de Bapaume" in bapaume[1]
    assert "En urgence, composez le 17." in bucquoy[1]


def test_france_services_of_the_commune(conversation):
    with frozen(*NOW):
        replies = conversation.say(
            "mes impots",
            "orientation",
            commune_entity("Achiet-le-Grand"),
            response_selector=selector("impots"),
        )
    assert "France Services de Bucquoy (permanence)" in replies[3]
    # Tuesday 10:00: the Bucquoy permanence is open 9 h-12 h on Tuesdays.
    assert "ouvert en ce moment, jusqu'à 12 h" in replies[3]


def test_office_hours_today_and_week(conversation):
    with frozen(2026, 11, 24, 12, 30):  # Tuesday lunch break at the SIP d'Arras
        replies = conversation.say(
            "impots", "orientation", commune_entity("Bapaume"), response_selector=selector("impots")
        )
    assert "fermé en ce moment ; prochaine ouverture : aujourd'hui à 13 h 30" in replies[2]
    assert "lundi : de 8 h 30 à 12 h et de 13 h 30 à 16 h" in replies[2]
    assert "mercredi" not in replies[2]


def test_holiday_closes_the_office(conversation):
    with frozen(2026, 12, 25, 10, 0):
        replies = conversation.say(
            "ma caf", "orientation", commune_entity("Bapaume"), response_selector=selector("caf")
        )
    assert "fermé en ce moment (Noël)" in replies[2]


def test_unknown_commune_gets_online_route_then_question(conversation):
    with frozen(*NOW):
        replies = conversation.say(
            "comment faire ma carte grise", "orientation", response_selector=selector("carte_grise")
        )
        assert "immatriculation.ants.gouv.fr" in replies[0]
        assert len(replies) == 2 and "commune" in replies[1].lower()
        answer = conversation.say("Beugnâtre", "informer_commune", commune_entity("Beugnâtre"))
    assert "Pour Beugnâtre, le bureau le plus proche est : Espace France Services" in answer[0]


def test_button_entity_names_the_subject(conversation):
    """A "Vouliez-vous dire" button carries the subject: no response selector output needed."""
    with frozen(*NOW):
        replies = conversation.say(
            '/orientation{"orientation_sujet": "retraite", "commune": "Favreuil"}',
            "orientation",
            [{"entity": "orientation_sujet", "value": "retraite"}, *commune_entity("Favreuil")],
        )
    assert "info-retraite.fr" in replies[0]
    assert "Carsat Hauts-de-France" in replies[1]


def test_commune_correction_gives_the_new_office(conversation):
    with frozen(*NOW):
        conversation.say(
            "plainte",
            "orientation",
            commune_entity("Bapaume"),
            response_selector=selector("plainte"),
        )
        replies = conversation.say(
            "non c'est pour Bucquoy", "informer_commune", commune_entity("Bucquoy")
        )
    assert "Brigade de gendarmerie de Bucquoy" in replies[0]


def test_every_commune_has_an_office_for_every_subject():
    directory = annuaire()
    for commune in territory().communes.values():
        for name, rule in subjects().items():
            assert directory.office_for(commune.insee, rule.organismes), (commune.nom, name)


def test_a_young_job_seeker_is_sent_to_the_mission_locale():
    from actions.orientation.action import for_the_young

    assert for_the_young("emploi", "ma fille de 18 ans cherche du travail") == "jeunes"
    assert for_the_young("emploi", "il a arrêté ses études, il cherche un emploi") == "jeunes"
    assert for_the_young("emploi", "j'ai 55 ans et je cherche un emploi") == "emploi"
    assert for_the_young("caf", "ma fille de 18 ans") == "caf"
