"""Which act, title or authorisation a resident means, in canonical slot values.

The NLU tags these words (entities type_acte, titre, autorisation), but its span boundaries are
loose ("acte de deces de"), so values are normalised here: a canonical entity value is kept,
otherwise the entity text and then the whole message are scanned for known words. Two different
values in one message give no value, and so the general answer.
"""

from __future__ import annotations

from typing import Any

from actions.text import fold

TERMS: dict[str, dict[str, tuple[str, ...]]] = {
    "type_acte": {
        "naissance": ("naissance", "naissence", "naisance", "naissances"),
        "mariage": ("mariage", "mariages"),
        "deces": ("deces", "dece", "decede", "decedee"),
    },
    "titre": {
        "carte_identite": (
            "carte d identite",
            "carte identite",
            "carte d identiter",
            "carte nationale d identite",
            "cni",
            "carte d id",
        ),
        "passeport": ("passeport", "passeports", "pasport", "passport", "passe port"),
    },
    # Why a new title is asked: a lost or stolen one changes the steps (declaration, timbre); a
    # new address needs none.
    "circonstance": {
        "perte": (
            "perdu",
            "perdue",
            "perte",
            "egare",
            "egaree",
            "plus retrouver",
            "paume",
            "paumee",
        ),
        "vol": (
            "vole",
            "volee",
            "voles",
            "volees",
            "voler",
            "vol",
            "cambriole",
            "arrache",
            "arrachee",
        ),
        # A move: the title need not be made again (only the carte grise must change).
        "adresse": (
            "encore l adresse",
            "toujours l adresse",
            "ancienne adresse",
            "nouvelle adresse",
            "changement d adresse",
            "changer d adresse",
            "changer l adresse",
            "changer mon adresse",
            "demenage",
            "demenagement",
            "demenager",
            "emmenage",
        ),
    },
    # A wedding to come, not a copy of a marriage act: the file to give the mairie, the bans;
    # or the end of a Pacs.
    "projet_etat_civil": {
        # The family booklet asked for itself (lost, a second one), not brought as a paper:
        # « faut le livret de famille ? » after the recensement stays that topic's papers.
        "livret_famille": tuple(
            f"{verb} {article} livret"
            for verb in (
                "perdu",
                "egare",
                "vole",
                "obtenir",
                "obtient",
                "avoir",
                "recuperer",
                "refaire",
                "demander",
                "remplacer",
                "retrouve plus",
                "trouve plus",
            )
            for article in ("le", "un", "notre", "mon", "son", "leur")
        )
        + (
            "nouveau livret",
            "second livret",
            "deuxieme livret",
            "2e livret",
            "duplicata",
            "livret de famille perdu",
            "livret de famille vole",
            "livret de famille egare",
        ),  # fmt: skip
        "mariage": (
            "marier",
            "se marie",
            "nous marions",
            "marions",
            "epouser",
            "bans",
            "dossier de mariage",
            "futur epoux",
            "futurs epoux",
            "celebrer le mariage",
            "celebrer notre mariage",
            "celebration du mariage",
            "temoins",
            "temoin de mariage",
        ),
        # The end of a Pacs, not its registration: a joint declaration, or a commissaire de
        # justice for one partner alone.
        "fin_pacs": (
            "depacser",
            "depacse",
            "depacses",
            "depacsee",
            "dissoudre",
            "dissolution",
            "rompre le pacs",
            "rompre notre pacs",
            "rompre mon pacs",
            "rupture du pacs",
            "rupture de pacs",
            "rupture de notre pacs",
            "fin du pacs",
            "fin de pacs",
            "fin a notre pacs",
            "fin a mon pacs",
            "fin au pacs",
            "fin a un pacs",
            "fin d un pacs",
            "annuler le pacs",
            "annuler notre pacs",
            "annuler mon pacs",
            "casser le pacs",
            "casser notre pacs",
            "arreter le pacs",
            "arreter notre pacs",
            "sortir du pacs",
            "se separer",
            "on se separe",
            "nous nous separons",
            "on s est separe",
            "on s est separes",
            "separation",
        ),
    },
    # Help to do one's papers (France Services) or to stay at home (CCAS, APA): the mairie's
    # answer for a person, with the office that helps.
    "accompagnement": {
        "demarches": (
            "aide pour mes papiers",
            "aider pour mes papiers",
            "aide pour les papiers",
            "aide pour remplir",
            "aider a remplir",
            "remplir mes papiers",
            "remplir un formulaire",
            "remplir le formulaire",
            "demarches sur internet",
            "demarches en ligne",
            "pas d ordinateur",
            "pas internet",
            "pas d internet",
            "arrive pas sur internet",
            "aide administrative",
            "papiers administratifs",
            "aide pour mes demarches",
            "aider dans mes demarches",
            "aide pour faire mes demarches",
            "ecrivain public",
            "faire des papiers",
            "faire les papiers",
            "des papiers pour lui",
            "des papiers pour elle",
            "sais pas lesquels",
            "perdu dans les papiers",
            "perdue dans les papiers",
            "perdue avec les papiers",
            "perdu avec les papiers",
        ),
        "domicile": (
            "aide a domicile",
            "aides a domicile",
            "aide menagere",
            "portage de repas",
            "portage des repas",
            "apa",
            "allocation personnalisee d autonomie",
            "maintien a domicile",
            "auxiliaire de vie",
            "teleassistance",
            "vit seule",
            "vit seul",
            "vivent seuls",
            "faire ses courses",
            "faire les courses",
            "plus autonome",
            "perte d autonomie",
            "perd son autonomie",
            "se debrouille plus",
            "peut plus se debrouiller",
            "arrive plus a se debrouiller",
            "aide pour le menage",
            "aide pour faire le menage",
            "aide au menage",
            "quelqu un pour le menage",
            "aide pour la toilette",
            "aide pour se laver",
            "aide pour ses courses",
            "aide pour les courses",
            "aide pour les repas",
        ),
        # A social housing request: online or at a registering desk, the CCAS to help.
        "logement": (
            "logement social",
            "logements sociaux",
            "hlm",
            "demande de logement",
            "cherche un logement",
            "besoin d un logement",
            "trouver un logement",
        ),
        # Receiving a foreign visitor for less than 3 months: the host asks the mairie of the
        # home in person (F2191), a mairie procedure DIET knew nothing of.
        "accueil": (
            "attestation d accueil",
            "attestations d accueil",
            "attestation accueil",
            "certificat d hebergement",
        ),
        # A lost pet (F24029) or a stray one found (F32338): the mairie knows the fourrière.
        # « j'ai trouvé un chien perdu » is found, not lost: no « chien perdu » among the lost.
        "animal_perdu": tuple(
            f"{verb} {owner} {pet}"
            for verb in ("perdu", "plus retrouve", "retrouve plus")
            for owner in ("mon", "ma", "notre")
            for pet in ("chien", "chat", "chienne", "chatte", "chiot", "chaton")
        )
        + tuple(
            f"{pet} {what}"
            for pet in ("chien", "chat", "chienne", "chatte", "chiot", "chaton")
            for what in (
                "s est perdu",
                "s est perdue",
                "est perdu",
                "est perdue",
                "a disparu",
                "s est sauve",
                "s est sauvee",
                "s est echappe",
                "s est echappee",
                "a fugue",
                "n est pas rentre",
                "n est pas rentree",
                "n est plus rentre",
            )
        ),  # fmt: skip
        "animal_trouve": tuple(
            f"{verb} {article} {pet}"
            for verb in ("trouve", "recueilli", "recupere")
            for article in ("un", "une")
            for pet in ("chien", "chat", "chienne", "chatte", "chiot", "chaton")
        )
        + tuple(
            f"{pet} {what}"
            for pet in ("chien", "chat", "chiens", "chats")
            for what in (
                "errant",
                "errants",
                "abandonne",
                "abandonnes",
                "qui traine",
                "qui divague",
            )
        ),
        # The bus to the collège or the lycée: the Région, not the school's enrolment.
        "transport_scolaire": (
            "transport scolaire",
            "transports scolaires",
            "bus scolaire",
            "car scolaire",
            "ramassage scolaire",
            "bus pour le college",
            "bus pour le lycee",
            "car pour le college",
            "car pour le lycee",
            "bus du college",
            "bus du lycee",
            "car du college",
            "car du lycee",
            "carte de bus",
            "abonnement scolaire",
        ),
        # A fine (parking, a contravention): the ANTAI, not the mairie; the health insurance
        # was DIET's reading of « amende pour stationnement ».
        "amende": (
            "amende",
            "amendes",
            "contravention",
            "contraventions",
            "avis de contravention",
            "pv de stationnement",
            "pv pour stationnement",
            "pv sur mon pare brise",
            "pv sur le pare brise",
            "proces verbal de stationnement",
            "forfait post stationnement",
            "antai",
            "exces de vitesse",
            "flashe",
            "flashee",
            "flashe par un radar",
            "radar automatique",
        ),
        # Selling one's house: the notaire asks the mairie what it needs; nothing to file.
        "vente_logement": tuple(
            f"{verb} {owner} {home}"
            for verb in ("vends", "vend", "vendre", "vendons", "mettre en vente", "vente de")
            for owner in ("ma", "mon", "notre", "la", "le")
            for home in ("maison", "appartement", "appart", "logement", "terrain", "grange")
        ),
        # Money trouble: the CCAS's social worker, the housing benefit of the CAF or the MSA.
        "social": (
            "payer mon loyer",
            "payer le loyer",
            "payer son loyer",
            "payer notre loyer",
            "loyer impaye",
            "loyers impayes",
            "retard de loyer",
            "fins de mois",
            "plus d argent",
            "pas d argent",
            "difficultes financieres",
            "difficulte financiere",
            "dans la galere",
            "aide sociale",
            "assistante sociale",
            "assistant social",
            "ccas",
            "colis alimentaire",
            "colis alimentaires",
            "banque alimentaire",
            "epicerie sociale",
            "resto du coeur",
            "restos du coeur",
            "payer mes factures",
            "payer les factures",
            "surendettement",
            "expulse",
            "expulsion",
        ),
    },
    "autorisation": {
        "permis_de_construire": ("permis de construire", "permis construire", "pc"),
        "declaration_prealable": (
            "declaration prealable",
            "declaration de travaux",
            "declaration prealable de travaux",
            "dp",
        ),
        "certificat_urbanisme": ("certificat d urbanisme", "certificat urbanisme", "cu"),
        "permis_d_amenager": ("permis d amenager", "permis amenager"),
        "permis_de_demolir": ("permis de demolir", "permis demolir"),
    },
    # The works described, for residents who do not know the authorisation's name.
    "travaux": {
        "piscine": ("piscine", "piscines", "bassin", "piscine hors sol", "piscine enterree"),
        "panneaux_solaires": (
            "panneaux solaires",
            "panneau solaire",
            "panneaux photovoltaiques",
            "panneau photovoltaique",
            "photovoltaique",
            "photovoltaiques",
            "solaire",
            "solaires",
        ),
        "abri_jardin": (
            "abri de jardin",
            "abri jardin",
            "abris de jardin",
            "cabane de jardin",
            "cabanon",
            "abri a bois",
            "abri bois",
        ),
        "cloture": ("cloture", "clotures", "cloturer", "grillage", "portail"),
        # The outside of the house changed (fiche F17578, « Portes/fenêtres/toiture »).
        "aspect_exterieur": (
            "fenetre",
            "fenetres",
            "velux",
            "volet",
            "volets",
            "toiture",
            "la toiture",
            "le toit",
            "tuiles",
            "porte d entree",
            "porte de garage",
            "facade",
            "ravalement",
        ),
    },
}


# Values that give way to another one found in the same message.
WEAKER = frozenset({"aspect_exterieur"})


def _scan(text: str, choices: dict[str, tuple[str, ...]]) -> set[str]:
    padded = f" {fold(text)} "
    return {value for value, words in choices.items() if any(f" {w} " in padded for w in words)}


def procedure_terms(text: str, entities: list[dict[str, Any]]) -> dict[str, str | None]:
    """Slot values for type_acte, titre and autorisation found in one message."""
    found: dict[str, str | None] = {}
    for entity, choices in TERMS.items():
        values: set[str] = set()
        for item in entities:
            if item.get("entity") != entity:
                continue
            value = str(item.get("value") or "")
            values |= {value} if value in choices else _scan(value, choices)
        if not values:
            values = _scan(text, choices)
        if len(values) > 1:
            values -= WEAKER  # « des panneaux solaires sur le toit »: the panels, not the roof
        found[entity] = values.pop() if len(values) == 1 else None
    # Rasa picks at random among the variants whose conditions hold (domain.yml): one slot only
    # may choose. The works described say which authorisation; a move needs no new title at all.
    if found["travaux"]:
        found["autorisation"] = None
    if found["projet_etat_civil"]:
        found["type_acte"] = None
    if found["circonstance"] == "adresse":
        found["titre"] = None
    return found
