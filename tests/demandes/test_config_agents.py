"""demandes.yml errors, password hashing and agent creation."""

from __future__ import annotations

import pytest

from actions.demandes.agents import create_agent, main
from actions.demandes.config import DemandesConfigError, load_config
from actions.demandes.models import Agent
from actions.demandes.passwords import hash_password, verify_password
from actions.territory.loader import territory


def test_config_errors_name_file_and_line(tmp_path):
    path = tmp_path / "demandes.yml"
    path.write_text(
        "boites:\n"
        "  Bapome:\n"
        "    autre: x@y.example\n"
        "  Bapaume:\n"
        "    voirie: x@y.example\n"
        "    urbanisme: pas-un-courriel\n"
        "rendez_vous:\n"
        "  Morval:\n"
        "    duree_minutes: 0\n"
        "    fermetures: ['07/12/2026']\n",
        encoding="utf-8",
    )
    with pytest.raises(DemandesConfigError) as error:
        load_config(territory(), path)
    text = str(error.value)
    assert f"{path}, ligne 2 : commune « Bapome » inconnue" in text
    assert "ligne 5 : service « voirie » inconnu" in text
    assert "ligne 6 : « pas-un-courriel » n'est pas une adresse" in text
    assert "ligne 8 : la mairie de Morval ne prend pas" in text
    assert "ligne 9 : « duree_minutes » doit être un entier positif" in text
    assert "ligne 10 : date « 07/12/2026 » invalide" in text


def test_passwords():
    stored = hash_password("correct horse battery")
    assert stored.startswith("scrypt$") and "correct" not in stored
    assert stored != hash_password("correct horse battery")  # salted
    assert verify_password("correct horse battery", stored)
    assert not verify_password("correct horse batterie", stored)
    assert not verify_password("x", "n'importe quoi")


def test_create_agent(sqlite_db, monkeypatch, capsys):
    agent = create_agent(
        sqlite_db,
        "Secretaire@Bapaume.example",
        "Sam",
        "un mot de passe long",
        "Bapaume",
        ["urbanisme"],
    )
    assert (agent.email, agent.commune_insee, agent.services) == (
        "secretaire@bapaume.example",
        "62080",
        "urbanisme",
    )
    with pytest.raises(ValueError, match="existe déjà"):
        create_agent(sqlite_db, "secretaire@bapaume.example", "Sam", "un mot de passe long")
    with pytest.raises(ValueError, match="12 caractères"):
        create_agent(sqlite_db, "b@x.fr", "B", "court")
    monkeypatch.setattr("actions.demandes.db.default_session_factory", lambda: sqlite_db)
    monkeypatch.setenv("MDP", "encore un mot de passe")
    args = ["create", "--email", "cc@sud-artois.example", "--nom", "CC"]
    assert main([*args, "--services", "services_techniques", "--mot-de-passe-env", "MDP"]) == 0
    assert "Agent créé" in capsys.readouterr().out
    with sqlite_db() as session:
        cc = session.query(Agent).filter_by(email="cc@sud-artois.example").one()
        assert cc.commune_insee is None and cc.service_list() == ["services_techniques"]
        assert verify_password("encore un mot de passe", cc.password_hash)
