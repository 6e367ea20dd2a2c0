"""Chaque lien et chaque chiffre d'une réponse vient de la table des sources (sources/sources.yml).

Règles vérifiées (sans modèle, en moins d'une seconde) :

- tout lien (http ou https) d'une réponse de domain.yml, ou des textes construits en Python pour
  les habitants (pièces à apporter d'un rendez-vous), est dans la table ;
- le sujet de la réponse est l'un des sujets de la page dans la table. Le sujet se lit dans le nom
  de la réponse : `utter_<sujet>…`, `utter_precision_<sujet>_<aspect>`, `utter_orientation/<x>`
  et `utter_precision_orientation_<x>_…` donnent « orientation/<x> » ;
- une page de thème (…/vosdroits/N…) dit pourquoi aucune fiche ne convient (`pourquoi_theme`) ;
- chaque page et chaque fait ont une date de vérification ; chaque montant en €, surface en m² ou
  échéance « 6e mercredi » d'une réponse figure dans les valeurs d'un fait ;
- chaque réponse principale d'une démarche (sections « Démarches » et « Moments de vie ») donne
  un lien, ou figure dans `sans_source` avec sa raison.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from actions.demandes.service import PIECES_TITRES
from actions.orientation.subjects import SUBJECTS

ROOT = Path(__file__).resolve().parents[1]
DOMAIN_FILE = ROOT / "domain.yml"
SOURCES_FILE = ROOT / "sources" / "sources.yml"
DOMAIN = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))
SOURCES = yaml.safe_load(SOURCES_FILE.read_text(encoding="utf-8"))

URL = re.compile(r"https?://[^\s<>»)\"]+")
# Ce qui doit venir d'un fait daté : montants, surfaces, échéances en « Ne <jour> ».
CHIFFRE = re.compile(
    r"\d[\d  ]*(?:,\d+)? ?(?:€|m²)|\d+e (?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
)
PLACEHOLDER = re.compile(r"\{[a-z_0-9]+\}")
THEME = re.compile(r"/vosdroits/N\d+$")
INTENTS = sorted(
    (i if isinstance(i, str) else next(iter(i)) for i in DOMAIN["intents"]), key=len, reverse=True
)
PYTHON_TEXTS = {"actions/demandes/service.py (PIECES_TITRES)": PIECES_TITRES}


def _clean(url: str) -> str:
    return url.rstrip(".,;:")


def _texts(variants: list[dict]) -> list[str]:
    return [v.get("text") or "" for v in variants]


def _links() -> dict[str, dict]:
    return {_clean(entry["url"]): entry for entry in SOURCES["liens"]}


def sujet(response: str) -> str | None:
    """Le sujet d'une réponse, lu dans son nom (None : aucun sujet reconnu)."""
    if response.startswith("utter_orientation/"):
        return "orientation/" + response.split("/", 1)[1]
    name = response.removeprefix("utter_").removeprefix("precision_")
    if name.startswith("document_"):
        return "chercher_document"  # utter_document_aucun, …: the answers of a document search
    if name.startswith("orientation_"):
        rest = name.removeprefix("orientation_")
        found = [s for s in SUBJECTS if rest == s or rest.startswith(s + "_")]
        return f"orientation/{found[0]}" if found else "orientation"
    for intent in INTENTS:
        if name == intent or name.startswith(intent + "_"):
            return intent
    return None


def _response_links() -> list[tuple[str, str]]:
    return [
        (name, _clean(url))
        for name, variants in DOMAIN["responses"].items()
        for text in _texts(variants)
        for url in URL.findall(text)
    ]


def test_every_link_of_a_response_is_in_the_table() -> None:
    table = _links()
    missing = sorted({f"{name} : {url}" for name, url in _response_links() if url not in table})
    assert not missing, (
        "Ces liens ne sont pas dans sources/sources.yml (ajoutez la page avec son titre, ses "
        "sujets et sa date de vérification) :\n" + "\n".join(missing)
    )


def test_links_built_in_python_are_in_the_table() -> None:
    table = _links()
    missing = [
        f"{where} : {_clean(url)}"
        for where, text in PYTHON_TEXTS.items()
        for url in URL.findall(text)
        if _clean(url) not in table
    ]
    assert not missing, "Liens absents de sources/sources.yml :\n" + "\n".join(missing)


def test_the_page_matches_the_subject_of_the_response() -> None:
    table = _links()
    wrong = []
    for name, url in _response_links():
        topic = sujet(name)
        entry = table.get(url)
        if entry is None:
            continue  # signalé par le test précédent
        if topic is None:
            wrong.append(f"{name} : sujet introuvable dans le nom de la réponse")
        elif topic not in entry["sujets"]:
            wrong.append(
                f"{name} (sujet « {topic} ») cite {url} (« {entry['titre']} »), "
                f"dont les sujets sont {entry['sujets']}"
            )
    assert not wrong, (
        "Page sans rapport avec la réponse qui la cite. Corrigez le lien, ou ajoutez le sujet à "
        "la page dans sources/sources.yml si elle le traite vraiment :\n"
        + "\n".join(sorted(set(wrong)))
    )


@pytest.mark.parametrize("entry", SOURCES["liens"], ids=lambda e: e["url"])
def test_each_page_has_title_subjects_and_date(entry: dict) -> None:
    url = entry["url"]
    assert str(entry.get("titre") or "").strip(), f"{url} : il manque le titre de la page."
    assert entry.get("sujets"), f"{url} : il manque ses sujets (liste)."
    assert isinstance(
        entry.get("verifie_le"), dt.date
    ), f"{url} : « verifie_le » doit être la date de la dernière vérification (AAAA-MM-JJ)."
    if THEME.search(url):
        assert str(entry.get("pourquoi_theme") or "").strip(), (
            f"{url} est une page de thème : citez la fiche de la démarche, ou dites dans "
            "« pourquoi_theme » pourquoi aucune fiche ne convient."
        )


def test_each_page_is_listed_once() -> None:
    """A page listed twice may get two dates or two lists of subjects: which one is true?"""
    urls = [_clean(entry["url"]) for entry in SOURCES["liens"]]
    twice = sorted({u for u in urls if urls.count(u) > 1})
    assert not twice, "Pages listées deux fois dans sources/sources.yml :\n" + "\n".join(twice)


def test_each_page_is_used() -> None:
    used = {url for _, url in _response_links()} | {
        _clean(u) for text in PYTHON_TEXTS.values() for u in URL.findall(text)
    }
    unused = sorted(set(_links()) - used)
    assert not unused, (
        "Pages de sources/sources.yml qu'aucune réponse ne cite plus (retirez-les) :\n"
        + "\n".join(unused)
    )


@pytest.mark.parametrize("fact", SOURCES["faits"], ids=lambda f: f["fait"][:40])
def test_each_fact_is_dated_and_referenced(fact: dict) -> None:
    assert isinstance(
        fact.get("verifie_le"), dt.date
    ), f"« {fact['fait']} » : « verifie_le » doit être la date de vérification (AAAA-MM-JJ)."
    assert str(fact.get("reference") or "").strip(), f"« {fact['fait']} » : référence manquante."
    assert fact.get("sujets") and fact.get("valeurs"), f"« {fact['fait']} » : sujets et valeurs."


def test_every_amount_and_deadline_comes_from_a_dated_fact() -> None:
    known = {str(v) for fact in SOURCES["faits"] for v in fact["valeurs"]}
    missing = sorted(
        {
            f"{name} : « {found.strip()} »"
            for name, variants in DOMAIN["responses"].items()
            for text in _texts(variants)
            for found in CHIFFRE.findall(PLACEHOLDER.sub("", text))
            if found.strip() not in known
        }
    )
    assert not missing, (
        "Montant, surface ou échéance sans fait daté dans sources/sources.yml (section faits) :\n"
        + "\n".join(missing)
    )


def _procedure_responses() -> list[str]:
    """Réponses principales (utter_<intention>) des sections « Démarches » et « Moments de vie »."""
    text = DOMAIN_FILE.read_text(encoding="utf-8")
    start = text.index("  # ── Démarches")
    end = text.index("  # ── Orientation", start)
    names = re.findall(r"^  (utter_[\w/]+):", text[start:end], flags=re.MULTILINE)
    return [n for n in names if n.removeprefix("utter_") in INTENTS]


def test_each_procedure_answer_links_its_page_or_says_why_not() -> None:
    without = {entry["reponse"]: entry for entry in SOURCES["sans_source"]}
    for entry in without.values():
        assert str(entry.get("pourquoi") or "").strip(), f"{entry['reponse']} : dites pourquoi."
    missing = [
        name
        for name in _procedure_responses()
        if not any(URL.search(t) for t in _texts(DOMAIN["responses"][name])) and name not in without
    ]
    assert not missing, (
        "Ces réponses de démarche ne donnent pas de page officielle. Ajoutez la ligne « Source "
        "officielle : … », ou inscrivez-les dans « sans_source » avec la raison :\n"
        + "\n".join(missing)
    )


def test_subject_is_read_from_the_response_name() -> None:
    assert sujet("utter_precision_listes_electorales_delai") == "listes_electorales"
    assert sujet("utter_carte_identite_passeport_pieces") == "carte_identite_passeport"
    assert sujet("utter_orientation/caf") == "orientation/caf"
    assert sujet("utter_precision_orientation_impots_qui_decide") == "orientation/impots"
    assert sujet("utter_precision_deces_lieu") == "deces"
