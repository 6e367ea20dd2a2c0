"""French text analysis shared by the embedded index and the request parser.

Residents type "compte-rendu", "Compte rendu", "poubelle" or "poubelles", with or without accents.
The index and the queries go through the very same steps (fold, drop stopwords, Snowball French
stem) so that every such form meets the same indexed term.
"""

from __future__ import annotations

from functools import lru_cache

import snowballstemmer

from actions.text import fold

# Folded (accentless) words that carry no meaning for a document search, SMS forms included.
STOPWORDS = frozenset(
    """
    a ai au aux avec avez avoir c ca ce ceci cela ces cet cette d dans de des du elle elles en est
    et etre il ils j je l la le les leur leurs lui m ma me mes moi mon n ne nos notre nous on ont ou
    par pas pour qu que quel quelle quelles quels qui quoi s sa sans se ses si son sont sur t ta te
    tes toi ton tu un une vos votre vous y est-ce svp stp slt bjr bonjour bonsoir salut merci plait
    please voudrais voulais voudrait veux veut vouloir cherche cherchais chercher trouver trouve
    peux pouvez pourriez pourrais pourrait puis avoir aurais auriez envoyer envoyez envoie
    donner donnez donne besoin faut ou svp stp sil plz pls document documents doc docs lien fichier
    pdf copie consulter voir lire telecharger obtenir recevoir mairie ville village quand comment
    combien pourquoi
    """.split()
)

# Folded word -> other ways a document says the same thing (each alternative may be a phrase).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "louer": ("location", "reservation"),
    "location": ("louer", "reservation"),
    "reserver": ("reservation", "location"),
    "cr": ("compte rendu", "proces verbal"),
    "pv": ("proces verbal", "compte rendu"),
    "poubelle": ("collecte", "dechet", "ordure"),
    "poubelles": ("collecte", "dechet", "ordure"),
    "ramassage": ("collecte",),
    "ordures": ("collecte",),
    "cantine": ("restauration scolaire",),
    "repas": ("menu",),
    "enterrement": ("cimetiere", "concession", "funeraire"),
    "tombe": ("concession", "cimetiere", "sepulture"),
}

_STEMMER = snowballstemmer.stemmer("french")


@lru_cache(maxsize=20000)
def stem(word: str) -> str:
    """Snowball French stem of one folded word ("poubelles" -> "poubel")."""
    return _STEMMER.stemWord(word)


def words(text: str) -> list[str]:
    """Folded words; hyphens and apostrophes split words ("l'arrêté" -> "l", "arrete")."""
    return fold(text).split()


def index_terms(text: str) -> str:
    """What goes into the FTS index: every word stemmed (stopwords kept, they cost nothing)."""
    return " ".join(stem(w) for w in words(text))


def query_words(text: str) -> list[str]:
    """The meaningful folded words of a query: no stopwords, no one-letter leftovers."""
    return [w for w in words(text) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]


def _phrase(text: str) -> str:
    return '"' + " ".join(stem(w) for w in words(text)) + '"'


def fts_query(text: str, mode: str = "AND") -> str:
    """An FTS5 MATCH expression: each word (or its synonyms) must match, or any of them (OR)."""
    groups = []
    for word in dict.fromkeys(query_words(text)):
        alternatives = [_phrase(word), *(_phrase(s) for s in SYNONYMS.get(word, ()))]
        unique = list(dict.fromkeys(alternatives))
        groups.append(unique[0] if len(unique) == 1 else "(" + " OR ".join(unique) + ")")
    return f" {mode} ".join(groups)
