"""Loader of the offices directory, on files shaped like the real Annuaire export."""

from __future__ import annotations

import json
from datetime import time

import pytest

from actions.orientation.annuaire import AnnuaireError, load_annuaire, main

# One record as the real bulk export gives it: nested fields are JSON strings.
EXPORT_RECORD = {
    "nom": "Agence France Travail de Test",
    "pivot": json.dumps(
        [{"type_service_local": "pole_emploi", "code_insee_commune": ["62080", "62181"]}]
    ),
    "code_insee_commune": "62080",
    "adresse": json.dumps(
        [
            {
                "type_adresse": "Adresse",
                "numero_voie": "1 rue de l'Exemple",
                "complement1": "",
                "code_postal": "62450",
                "nom_commune": "Bapaume",
            }
        ]
    ),
    "telephone": json.dumps([{"valeur": "3949", "description": ""}]),
    "adresse_courriel": "",
    "site_internet": json.dumps([{"libelle": "", "valeur": "https://www.francetravail.fr"}]),
    "plage_ouverture": json.dumps(
        [
            {
                "nom_jour_debut": "Lundi",
                "nom_jour_fin": "Mercredi",
                "valeur_heure_debut_1": "08:30:00",
                "valeur_heure_fin_1": "12:30:00",
                "valeur_heure_debut_2": "13:30:00",
                "valeur_heure_fin_2": "16:00:00",
                "commentaire": "",
            },
            {
                "nom_jour_debut": "Vendredi",
                "nom_jour_fin": "Vendredi",
                "valeur_heure_debut_1": "08:30:00",
                "valeur_heure_fin_1": "12:00:00",
                "valeur_heure_debut_2": "",
                "valeur_heure_fin_2": "",
                "commentaire": "",
            },
        ]
    ),
    "url_service_public": "https://lannuaire.service-public.gouv.fr/test",
    "date_modification": "01/10/2026 09:00:00",
}


def write(tmp_path, content: str):
    path = tmp_path / "export.json"
    path.write_text(content, encoding="utf-8")
    return path


def test_real_export_shape_is_read(tmp_path):
    directory = load_annuaire(write(tmp_path, json.dumps([EXPORT_RECORD])))
    office = directory.office_for("62181", ["france_travail"])
    assert office is not None, "old type name pole_emploi is read as france_travail"
    assert office.adresse == "1 rue de l'Exemple, 62450 Bapaume"
    assert office.telephone == "3949"
    assert office.site == "https://www.francetravail.fr"
    assert not office.exemple, "official records are not flagged as examples"
    weekly = office.horaires.weekly
    assert [r.start for r in weekly[2]] == [time(8, 30), time(13, 30)]  # Wednesday
    assert 3 not in weekly  # Thursday closed
    assert weekly[4][0].end == time(12, 0)
    assert directory.office_for("62002", ["france_travail"]) is None, "coverage comes from pivot"


def test_opendatasoft_api_shapes_are_read(tmp_path):
    results = load_annuaire(write(tmp_path, json.dumps({"results": [EXPORT_RECORD]})))
    records = load_annuaire(write(tmp_path, json.dumps({"records": [{"fields": EXPORT_RECORD}]})))
    lines = load_annuaire(write(tmp_path, json.dumps(EXPORT_RECORD) + "\n"))
    for directory in (results, records, lines):
        assert directory.offices[0].nom == "Agence France Travail de Test"


def test_errors_say_what_to_fix(tmp_path):
    broken = dict(EXPORT_RECORD, plage_ouverture=json.dumps([{"nom_jour_debut": "Lun"}]))
    with pytest.raises(AnnuaireError, match="fiche 1.*jour inconnu"):
        load_annuaire(write(tmp_path, json.dumps([broken])))
    with pytest.raises(AnnuaireError, match="pivot"):
        load_annuaire(write(tmp_path, json.dumps([dict(EXPORT_RECORD, pivot="[]")])))
    with pytest.raises(AnnuaireError, match="ligne 1"):
        load_annuaire(write(tmp_path, "{pas du json"))


def test_shipped_directory_covers_every_subject_and_commune(capsys):
    assert main() == 0
    assert "14 bureaux lus, 12 sujets" in capsys.readouterr().out
