"""The territory files a secrétaire de mairie edits: valid as shipped, clear errors when not."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from actions.territory.loader import DEFAULT_DIR, TerritoryError, load_territory


def test_shipped_territory_has_the_26_communes():
    territory = load_territory()
    assert len(territory.communes) == 26
    assert territory.communes["62181"].nom == "Bucquoy"
    assert [c.nom for c in territory.mairies_recueil_titres()] == ["Bapaume"]
    assert all(c.exemple for c in territory.communes.values()), "demo data must say it is"


@pytest.fixture
def broken(tmp_path: Path):
    """A copy of the territory where a test can break one file."""
    copy = tmp_path / "territoire"
    shutil.copytree(DEFAULT_DIR, copy)

    def edit(relative: str, old: str, new: str) -> Path:
        path = copy / relative
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return path

    return copy, edit


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_bad_hour_reports_file_and_line(broken):
    directory, edit = broken
    path = edit("communes/bucquoy.yml", '"09:00-12:00"]', '"9h-midi"]')
    with pytest.raises(TerritoryError) as error:
        load_territory(directory)
    message = str(error.value)
    assert f"{path}, ligne {_line_of(path, '9h-midi')}" in message
    assert "« 9h-midi » n'est pas une plage horaire" in message


def test_misspelt_key_suggests_the_right_one(broken):
    directory, edit = broken
    path = edit("communes/bucquoy.yml", "  telephone:", "  telephonne:")
    with pytest.raises(TerritoryError) as error:
        load_territory(directory)
    message = str(error.value)
    assert f"ligne {_line_of(path, 'telephonne')} : clé « telephonne » inconnue" in message
    assert "Vouliez-vous écrire « telephone » ?" in message
    assert "il manque la clé « telephone »" in message


def test_wrong_insee_and_yaml_syntax_are_both_reported(broken):
    directory, edit = broken
    edit("communes/bucquoy.yml", 'insee: "62181"', 'insee: "62999"')
    edit("communes/morval.yml", "elus:", "elus: [")
    with pytest.raises(TerritoryError) as error:
        load_territory(directory)
    issues = [str(i) for i in error.value.issues]
    assert any("bucquoy.yml" in i and "62999" in i for i in issues)
    assert any("morval.yml" in i and "syntaxe YAML invalide" in i for i in issues)


def test_inverted_closure_and_overlapping_hours(broken):
    directory, edit = broken
    edit("communes/bapaume.yml", '    - du: "2026-12-24"', '    - du: "2027-12-24"')
    edit("communes/bapaume.yml", '["09:00-12:00"]', '["09:00-12:00", "11:00-13:00"]')
    with pytest.raises(TerritoryError) as error:
        load_territory(directory)
    message = str(error.value)
    assert "la date « au » est avant la date « du »" in message
    assert "deux plages horaires se chevauchent" in message


def test_missing_commune_file_is_named(broken):
    directory, _ = broken
    (directory / "communes" / "morval.yml").unlink()
    with pytest.raises(TerritoryError, match=r"aucune fiche pour la commune Morval \(62593\)"):
        load_territory(directory)


def test_check_command_exits_with_errors(broken, monkeypatch, capsys):
    from actions.territory import check

    directory, edit = broken
    edit("territoire.yml", "  collecte_dechets: intercommunalite", "  collecte_dechets: mairie")
    monkeypatch.setenv("TCHATCHE_TERRITOIRE", str(directory))
    assert check.main() == 1
    assert "doit valoir « commune » ou « intercommunalite »" in capsys.readouterr().err
