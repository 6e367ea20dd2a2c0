"""Every commune recognised in the spellings residents use."""

from __future__ import annotations

import pytest

from actions.territory.loader import load_territory
from actions.territory.matching import CommuneMatcher

MATCHER = CommuneMatcher(load_territory())

SPELLINGS = {
    "Ablainzevelle": ["ablainzevelle", "ABLAINZEVELLE", "ablainzevel"],
    "Achiet-le-Grand": ["Achiet le grand", "achiet-le-grand", "achiet le gran", "achietlegrand"],
    "Achiet-le-Petit": ["achiet le petit", "Achiet le ptit"],
    "Avesnes-lès-Bapaume": ["avesnes les bapaume", "Avesnes", "avesnes lez bapaume"],
    "Bancourt": ["bancourt", "Bancour"],
    "Bapaume": ["bapaume", "BAPAUME", "bapeaume", "bapaum"],
    "Beaulencourt": ["beaulencourt", "beaulencour"],
    "Béhagnies": ["behagnies", "Béhagnie", "BEHAGNIES"],
    "Beugnâtre": ["beugnatre", "Beugnâtre", "beugnattre"],
    "Biefvillers-lès-Bapaume": ["biefvillers", "biefvillers les bapaume", "biefviller"],
    "Bihucourt": ["bihucourt", "bihucour"],
    "Bucquoy": ["bucquoy", "Bucquoi", "buquoy"],
    "Douchy-lès-Ayette": ["douchy les ayette", "Douchy", "douchy-les-ayettes"],
    "Favreuil": ["favreuil", "favreuille"],
    "Frémicourt": ["fremicourt", "Frémicour"],
    "Grévillers": ["grevillers", "Grévilliers"],
    "Ligny-Thilloy": ["ligny thilloy", "Ligny", "ligny tilloy"],
    "Martinpuich": ["martinpuich", "Martinpuiche"],
    "Morval": ["morval", "MORVAL"],
    "Riencourt-lès-Bapaume": ["riencourt", "Riencourt les Bapaume", "riencour"],
    "Sapignies": ["sapignies", "Sapignie"],
    "Le Sars": ["le sars", "Le Sars", "sars"],
    "Le Transloy": ["le transloy", "transloy", "Letransloy"],
    "Vaulx-Vraucourt": ["Vaulx", "vaulx vraucourt", "vaux vraucourt", "vaulx-vraucour"],
    "Villers-au-Flos": ["villers au flos", "villers au flo", "Villers-au-Flot"],
    "Warlencourt-Eaucourt": ["warlencourt", "Warlencourt Eaucourt", "eaucourt", "warlencour"],
}


@pytest.mark.parametrize(
    ("spelling", "expected"), [(s, name) for name, forms in SPELLINGS.items() for s in forms]
)
def test_spelling_resolves_to_canonical_commune(spelling, expected):
    assert MATCHER.resolve(spelling).commune.nom == expected
    assert MATCHER.find_in_text(f"bonjour j'habite à {spelling} merci").commune.nom == expected


def test_all_26_communes_covered_by_this_test():
    assert set(SPELLINGS) == {c.nom for c in MATCHER.territory.communes.values()}


def test_longest_name_wins():
    assert MATCHER.find_in_text("mairie d'avesnes les bapaume").commune.nom == "Avesnes-lès-Bapaume"


@pytest.mark.parametrize(
    "text",
    [
        "la mairie est ouverte ?",
        "je voudrais un passeport",
        "c'est normal ?",
        "Arras",
        "le numéro de la mairie",
        "les horaires svp",
        "",
    ],
)
def test_no_false_commune(text):
    match = MATCHER.find_in_text(text)
    assert match.commune is None and not match.ambiguous


def test_achiet_alone_is_ambiguous():
    match = MATCHER.resolve("Achiet")
    assert match.ambiguous
    assert {c.nom for c in match.candidates} == {"Achiet-le-Grand", "Achiet-le-Petit"}


@pytest.mark.parametrize(
    "text",
    [
        # « personne » is one letter away from Péronne, « moral » from Morval…
        "je suis une personne agee",
        "je suis une persone agee",
        "y a personne a la mairie ?",
        "les personnes agees ont droit a quoi",
        "le personnel de la mairie",
        "jai pas le moral",
        "jai pas envie de me reveiller",
        "c est une merveille",
        "mes amies viennent samedi",
        # « le gars » is not « Le Sars », « ouai » not Douai, « pays » not Pys, « tres » not Ytres.
        "le gars de la mairie m a dit",
        "ouai",
        "pays",
        "tres bien",
    ],
)
def test_common_words_are_never_a_commune(text):
    for match in (MATCHER.find_in_text(text), MATCHER.resolve_whole(text)):
        assert match.commune is None and not match.ambiguous and match.outside == "", match


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("le transloi", "Le Transloy"),
        ("jhabite a bapeaume", "Bapaume"),
        ("une personne de bucquoi", "Bucquoy"),
    ],
)
def test_typos_still_found_next_to_common_words(text, expected):
    assert MATCHER.find_in_text(text).commune.nom == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("la mairie de bapomme c ouvert quand", "Bapaume"),
        ("on habite a bucoy", "Bucquoy"),
        ("les poubelles a bapome", "Bapaume"),
    ],
)
def test_names_written_as_they_sound(text, expected):
    """Too far for a typo (« bapomme » and « bapaume »: 0.71), the same when spoken."""
    assert MATCHER.find_in_text(text).commune.nom == expected
