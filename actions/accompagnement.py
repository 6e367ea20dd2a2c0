"""How each help asked of the mairie (slot `accompagnement`, words in actions/procedures.py) is
answered, in one table.

Two readings of the same values lived apart: which DIET readings the help's words win over
(tchatche_dialogue/suivi.py) and whether its answer holds in every commune, so that it is said
before the commune is asked (actions/commune.py). A designer adding a help adds its words, its
variant of `utter_parler_a_un_agent` (domain.yml) and its line here.
"""

from __future__ import annotations

from dataclasses import dataclass

ANY = frozenset({"*"})


@dataclass(frozen=True)
class Help:
    # DIET readings the help's words win over: ANY, some intents, or none (then only where DIET
    # reads no topic of its own).
    wins_over: frozenset[str] = frozenset()
    # Its answer holds in every commune: said before « Dans quelle commune ? », the commune then
    # only gives the mairie's card.
    everywhere: bool = True


HELP: dict[str, Help] = {
    "demarches": Help(everywhere=False),  # names the France Services of the commune
    "domicile": Help(),
    "logement": Help(),
    "social": Help(),
    # A topic of its own in docs/conception.md (the guide's worked example) keeps its reading.
    "accueil": Help(),
    # « on a perdu notre chat » was read as a birth, « j'ai trouvé un chat » as the bins.
    "animal_perdu": Help(wins_over=ANY),
    "animal_trouve": Help(wins_over=ANY),
    "transport_scolaire": Help(wins_over=ANY),  # read as the school's enrolment
    "amende": Help(wins_over=ANY),  # read as the health insurance
    "vente_logement": Help(wins_over=frozenset({"emmenagement"})),  # selling is not moving in
}


def wins_over(value: str | None, intent: str) -> bool:
    """Whether the words of help `value` win over DIET's reading `intent`."""
    rule = HELP.get(value or "")
    return rule is not None and (rule.wins_over == ANY or intent in rule.wins_over)


def said_everywhere(value: str | None) -> bool:
    rule = HELP.get(value or "")
    return rule is not None and rule.everywhere
