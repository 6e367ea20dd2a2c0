"""Le français que lisent les habitants : chaque réponse de domain.yml et les phrases construites en
Python, vérifiées sans modèle.

Toutes les variantes sont lues (`condition:`, `channel:`), texte et titres des boutons, avec les
valeurs entre accolades remplies comme pour Bucquoy (commune_facts) ou par un exemple.

Règles :

1. Élision : « de », « le », « la », « que », « ne », « je », « me », « te », « se » ne se
   placent pas devant une voyelle ou un h muet (« d'Achiet », « l'heure », « qu'il ») ; « si »
   devant « il(s) » devient « s'il(s) ». Un pronom après un trait d'union (« apportez-le à la
   mairie ») n'est pas concerné. Exceptions : ELISION_PERMISE, chacune avec sa raison.
2. Pas de « du demain », « du aujourd'hui », « du hier ».
3. Vouvoiement : ni « tu », « toi », « ton », « ta », « tes », « te », « t' », ni « -tu ».
4. Phrases courtes : 25 mots au plus (les lignes d'une liste comptent chacune pour une phrase ;
   les liens ne comptent pas ; une heure, « 8 h 30 », compte pour un mot). Exceptions :
   PHRASES_LONGUES, chacune avec sa raison.
5. Un prix de location (phrase qui parle de location, de louer, de tarif ou de loyer et donne un
   montant en €) dit pour quelle durée : « par week-end », « pour un week-end », « par jour »…
   Une caution n'est pas un tarif : elle n'a pas d'unité de temps.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from actions.clock import PARIS
from actions.commune import commune_facts
from actions.demandes.service import PIECES_AUTRE, PIECES_TITRES
from actions.territory.loader import load_territory

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
TERRITORY = load_territory()
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=PARIS)  # un lundi matin : la mairie a des horaires

VOYELLES = "aeiouyàâäéèêëîïôöûùüœæ"
# h muet : on élide (« l'heure »). Les mots en h aspiré (haie, hauteur, haut…) n'y sont pas.
H_MUET = frozenset(
    "habitant habitants habitation habituel habituels habituelle habituelles heure heures "
    "hiver hôpital hôpitaux homme hommes histoire herbe herbes hébergement hôtel humain "
    "humaine héritier héritiers".split()
)
# (mot, mot suivant) permis malgré la règle 1, avec la raison.
ELISION_PERMISE: dict[tuple[str, str], str] = {
    ("le", "onze"): "on ne fait pas l'élision devant « onze » (« le onze novembre »)",
    ("de", "onze"): "idem (« de onze heures »)",
    ("le", "oui"): "on dit « le oui » (mot cité)",
}
# Début de phrase (30 premiers caractères) -> raison de la garder longue.
PHRASES_LONGUES: dict[str, str] = {}
ARTICLE = re.compile(r"(?<![\w'’-])(de|le|la|que|ne|je|me|te|se|si)\s+([^\s]+)", re.IGNORECASE)
DU_JOUR = re.compile(r"\bdu (demain|aujourd'hui|aujourd’hui|hier|après-demain)\b", re.IGNORECASE)
TUTOIEMENT = re.compile(
    r"(?<![\w'’-])(tu|toi|ton|ta|tes|te)(?![\w'’-])|(?<![\w'’])t['’](?=\w)|-(tu|toi)\b",
    re.IGNORECASE,
)
URL = re.compile(r"https?://\S+")
PLACEHOLDER = re.compile(r"\{([a-z_0-9]+)\}")
LOCATION = re.compile(r"\b(location|louer|loue|tarifs?|loyer)\b", re.IGNORECASE)
DUREE = re.compile(
    r"\b(par|pour une?|la|le)\s+(week-end|jour|journée|nuit|soirée|repas|heure|mois|an|année|"
    r"séance)\b",
    re.IGNORECASE,
)
HEURE = re.compile(r"\b\d{1,2} h(?: \d{2})?\b")
MOT = re.compile(r"[\wÀ-ÿœ]+(?:['’-][\wÀ-ÿœ]+)*")


def _exemple(name: str) -> str:
    facts = commune_facts(TERRITORY.by_name("Bucquoy"), TERRITORY, NOW)
    value = facts.get(name)
    if isinstance(value, str) and value:
        return value
    return {
        "organisme_nom": "Centre des finances publiques",
        "france_services_nom": "France Services de Bapaume",
        "jour_demande": "Demain, la mairie est ouverte de 9 h à 12 h.",
        "type_document": "Menu de la cantine",
        "periode": "cette semaine",
    }.get(name, "Bapaume")


def remplir(text: str) -> str:
    return PLACEHOLDER.sub(lambda m: _exemple(m.group(1)), text)


def textes_du_domaine() -> list[tuple[str, str]]:
    """(réponse, texte) pour chaque variante : texte et titres des boutons, valeurs remplies."""
    found = []
    for name, variants in DOMAIN["responses"].items():
        for variant in variants:
            if variant.get("text"):
                found.append((name, remplir(variant["text"])))
            for button in variant.get("buttons") or []:
                found.append((f"{name} (bouton)", remplir(str(button.get("title") or ""))))
    return found


def textes_python() -> list[tuple[str, str]]:
    """Phrases construites en Python pour les habitants, pour chaque commune."""
    found = [("PIECES_TITRES", PIECES_TITRES), ("PIECES_AUTRE", PIECES_AUTRE)]
    for commune in TERRITORY.communes.values():
        facts = commune_facts(commune, TERRITORY, NOW)
        for key, value in facts.items():
            if isinstance(value, str) and " " in value:
                found.append((f"commune_facts[{key}] ({commune.nom})", value))
    return found


def phrases(text: str) -> list[str]:
    result = []
    for line in URL.sub("", text).splitlines():
        line = line.strip().removeprefix("- ").strip()
        result += [p for p in re.split(r"(?<=[.!?…])\s+", line) if p.strip()]
    return result


def fautes(text: str) -> list[str]:
    """Les fautes de `text` selon les règles du module, en français."""
    found = []
    clean = URL.sub("", text)
    for match in ARTICLE.finditer(clean):
        word, following = match.group(1).lower(), match.group(2)
        nxt = following.lower().strip("«»\"'()")
        if not nxt or (word, nxt) in ELISION_PERMISE:
            continue
        if word == "si":
            if nxt in ("il", "ils"):
                found.append(f"« {match.group(0)} » : écrivez « s'{nxt} »")
            continue
        if nxt[0] in VOYELLES or nxt.split("-")[0] in H_MUET:
            found.append(f"« {match.group(0)} » : élision manquante (« {word[0]}'{following} »)")
    for match in DU_JOUR.finditer(clean):
        found.append(f"« {match.group(0)} » : écrivez « de {match.group(1)} »")
    for match in TUTOIEMENT.finditer(clean):
        found.append(f"« {match.group(0)} » : tutoiement, vouvoyez le résident")
    for sentence in phrases(text):
        words = MOT.findall(HEURE.sub("heure", sentence))  # « 8 h 30 » se lit comme un mot
        if len(words) > 25 and sentence[:30] not in PHRASES_LONGUES:
            found.append(f"phrase de {len(words)} mots (25 au plus) : « {sentence[:60]}… »")
        if "€" in sentence and LOCATION.search(sentence) and not DUREE.search(sentence):
            found.append(f"prix de location sans durée (« par week-end »…) : « {sentence} »")
    return found


def test_les_regles_trouvent_les_fautes() -> None:
    assert fautes("Demandez-le moi, je vous donne la adresse.")
    assert fautes("Le rendez-vous du demain est noté.")
    assert fautes("Tu peux venir avec ton livret.")
    assert fautes("Location : 120 € pour les habitants.")
    assert fautes("La mairie de Achiet-le-Grand, à l'heure ou de heure en heure.")
    assert fautes(" ".join(["mot"] * 26) + ".")
    assert not fautes(
        "Apportez-le à la mairie. La haie de Hénin. Location pour un week-end : 120 €."
    )
    assert not fautes("Caution : 300 €. Le 1er janvier, d'Achiet, s'il pleut.")


@pytest.mark.parametrize("source", ["domaine", "python"])
def test_le_francais_des_reponses(source: str) -> None:
    texts = textes_du_domaine() if source == "domaine" else textes_python()
    problems = [f"{name} : {faute}" for name, text in texts for faute in fautes(text)]
    assert not problems, "Français à corriger :\n" + "\n".join(problems)


# Les communes dont le nom commence par une voyelle ou par « Le » : le domaine écrit
# « la mairie {de_commune} », « {a_commune} », remplis par action_preparer_reponse
# (« d'Achiet-le-Grand », « au Sars »), jamais « de {commune} ».
@pytest.mark.parametrize(
    "nom", ["Achiet-le-Grand", "Avesnes-lès-Bapaume", "Le Sars", "Le Transloy"]
)
def test_les_noms_de_commune_a_voyelle_ou_article(nom: str) -> None:
    from actions.text import at_place, of_place

    values = {
        "{commune}": nom,
        "{de_commune}": of_place(nom),
        "{a_commune}": at_place(nom),
        "{a_commune_debut}": at_place(nom)[0].upper() + at_place(nom)[1:],
        "{rdv_mairie}": of_place(nom),
    }
    fautes_commune = []
    # « à Achiet-le-Grand » est juste ; « de Achiet-le-Grand », « de Le Sars », « à Le Sars » non.
    small = "de|à" if nom.startswith("Le ") else "de"
    pattern = re.compile(r"(?<![\w'’-])(" + small + ") (" + re.escape(nom) + r")", re.IGNORECASE)
    for name, variants in DOMAIN["responses"].items():
        for variant in variants:
            text = variant.get("text") or ""
            for slot, value in values.items():
                text = text.replace(slot, value)
            fautes_commune += [f"{name} : « {m.group(0)} »" for m in pattern.finditer(text)]
    assert not fautes_commune, "\n".join(fautes_commune)


# Sur une année entière, jour après jour (matin et juste avant minuit), pour les 26 communes :
# les phrases que calcule action_preparer_reponse (fermetures, prochaine ouverture, jour demandé)
# et les réponses du domaine qui les reçoivent. L'année part d'une date fixe : le test ne dépend
# pas du jour où il tourne.
ANNEE_DEBUT = datetime(2026, 12, 1, tzinfo=PARIS)
MOMENTS = ((10, 0), (23, 59))


def _rendre(text: str, facts: dict[str, object]) -> str | None:
    """Le texte avec les valeurs de `facts`, ou None s'il attend une valeur qu'elles n'ont pas."""
    names = PLACEHOLDER.findall(text)
    if not names or any(not isinstance(facts.get(n), str) for n in names):
        return None
    return PLACEHOLDER.sub(lambda m: str(facts[m.group(1)]), text)


def test_le_francais_des_dates_sur_une_annee() -> None:
    from datetime import timedelta

    from actions.territory.day_answer import DAY_TOPICS, date_facts

    templates = [
        (name, variant["text"])
        for name, variants in DOMAIN["responses"].items()
        for variant in variants
        if "{" in (variant.get("text") or "")
    ]
    checked: set[str] = set()
    problems: dict[str, str] = {}
    for day in range(366):
        for hour, minute in MOMENTS:
            now = (ANNEE_DEBUT + timedelta(days=day)).replace(hour=hour, minute=minute)
            for commune in TERRITORY.communes.values():
                facts = commune_facts(commune, TERRITORY, now)
                texts = [(f"commune_facts[{k}]", v) for k, v in facts.items() if isinstance(v, str)]
                if hour == 10:  # « et demain ? », asked each morning, for each topic with days
                    for topic in DAY_TOPICS:
                        asked = date_facts(commune, TERRITORY, "et demain ?", now, topic)
                        if asked["jour_demande"]:
                            texts.append((f"jour_demande[{topic}]", asked["jour_demande"]))
                texts += [(n, r) for n, t in templates if (r := _rendre(t, facts)) is not None]
                for name, text in texts:
                    if text in checked:
                        continue
                    checked.add(text)
                    for faute in fautes(text):
                        problems.setdefault(
                            f"{name} : {faute}", f"{commune.nom}, {now:%d/%m/%Y %H:%M}"
                        )
    assert len(checked) > 1000  # the year really produced sentences to read
    assert not problems, "Français à corriger :\n" + "\n".join(
        f"{p} ({quand})" for p, quand in problems.items()
    )
