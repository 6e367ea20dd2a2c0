"""The sample élus of territoire/communes/*.yml: « Première adjointe » for Sandrine, « Premier
adjoint » for Pascal (issue #15).

Simplest robust check: the first names of the example files, with their gender, listed here.
A `genre` field in every file would be one more thing for a secrétaire de mairie to fill in and
keep right, while the fonction the mairie writes (« Première adjointe ») already says it. An example
file (`exemple: true`) may only use first names listed here, so a new sample name needs a line
here; a file with real élus (`exemple: false`) is checked for the names listed, the others are
the mairie's own words. Epicene first names (Dominique) agree with both forms.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from actions.territory.loader import DEFAULT_DIR

FEMININE = frozenset(
    "Agnès Brigitte Catherine Christine Corinne Hélène Isabelle Martine Mireille Nathalie "
    "Sandrine Sylvie Valérie Véronique".split()
)
MASCULINE = frozenset(
    "Alain Bernard Didier Éric Francis Gérard Jean-Pierre Laurent Olivier Pascal Patrick "
    "Philippe Thierry".split()
)
EPICENE = frozenset({"Dominique", "Claude", "Camille"})
# Words of a fonction that say its gender; « Maire » and « Adjoint au maire » say nothing more.
FEMININE_WORDS = re.compile(r"\b(première|adjointe|conseillère|municipale|déléguée)\b", re.I)
MASCULINE_WORDS = re.compile(r"\b(premier|adjoint|conseiller|municipal|délégué)\b", re.I)
COMMUNE_FILES = sorted((DEFAULT_DIR / "communes").glob("*.yml"))


def gender_of(fonction: str) -> str | None:
    """ "f", "m" or None when the fonction is the same for both (« Maire »)."""
    if FEMININE_WORDS.search(fonction):
        return "f"
    if MASCULINE_WORDS.search(fonction):
        return "m"
    return None


def test_gender_of():
    assert gender_of("Première adjointe") == "f"
    assert gender_of("Premier adjoint") == "m"
    assert gender_of("Deuxième adjointe") == "f"
    assert gender_of("Conseillère municipale déléguée") == "f"
    assert gender_of("Conseiller municipal") == "m"
    assert gender_of("Maire") is None


def test_the_lists_do_not_overlap():
    assert not (FEMININE & MASCULINE) and not (EPICENE & (FEMININE | MASCULINE))


@pytest.mark.parametrize("path", COMMUNE_FILES, ids=lambda p: p.stem)
def test_fonction_agrees_with_the_first_name(path: Path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for elu in data["elus"]:
        first = elu["nom"].split()[0]
        said = gender_of(elu["fonction"])
        if first in EPICENE or said is None:
            continue
        if first in FEMININE or first in MASCULINE:
            expected = "f" if first in FEMININE else "m"
            assert said == expected, f"{path.name} : « {elu['fonction']} » pour {elu['nom']}"
        else:
            assert not data.get(
                "exemple"
            ), f"{path.name} : prénom d'exemple inconnu « {first} », à ajouter à {__name__}"


@pytest.mark.parametrize("path", COMMUNE_FILES, ids=lambda p: p.stem)
def test_example_names_say_they_are_examples(path: Path):
    """Where the sample names are stored, the file says they are fictitious."""
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if data.get("exemple"):
        assert "DONNÉES D'EXEMPLE" in text and "noms des élus" in text, path.name
