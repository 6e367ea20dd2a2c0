"""Danger words and phrases, read from urgences/urgences.yml, matched deterministically.

A classifier alone cannot promise that « y a le feu » always gets the 18: recall on danger must
not depend on how DIET was trained that day. So the NLU pipeline also runs this matcher, whose
expressions the conversation designers edit in YAML (syntax explained at the top of the file).
It is pure Python and fast (regular expressions over a normalised text), and it is reloaded at
start-up, so editing the list never needs a retrain.

Run `python -m tchatche_nlu.urgence_lexique "message"` to see which kind a message gets.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from actions.text import fold

LEXIQUE = Path(__file__).resolve().parents[1] / "urgences" / "urgences.yml"
GAP = r"(?:\S+ ){0,5}"  # « ... » : up to five words of any kind
LONG_GAP = r"(?:\S+ ){0,12}"  # « .... » : up to twelve (for false friends whose context is far)
TOKEN = re.compile(r"\([^()]*\)\??|\S+")


def normalize(text: str, ecritures: dict[str, str] | None = None) -> str:
    """Lower case, no accents, no punctuation, « feuuu » → « feu », SMS spellings replaced."""
    plain = fold(text.lower().replace("œ", "oe").replace("æ", "ae"))
    plain = re.sub(r"([a-z])\1{2,}", r"\1", plain)
    words = plain.split()
    if ecritures:
        words = [_rewritten(words, i, ecritures) for i in range(len(words))]
    return " ".join(words)


def _rewritten(words: list[str], i: int, ecritures: dict[str, str]) -> str:
    """The word as written in full, unless the text already goes on with the rest of it:
    « c'est » is « c est » already, and « c » → « c est » would make it « c est est »."""
    word = words[i]
    full = ecritures.get(word, word).split()
    if len(full) > 1 and full[0] == word and words[i + 1 : i + len(full)] == full[1:]:
        return word
    return " ".join(full)


def _word(word: str) -> str:
    if word.endswith("*"):
        return re.escape(word[:-1]) + r"\S*"
    return re.escape(word)


def _sequence(expression: str) -> str:
    """Regex for a sequence of items; each item consumes its trailing space."""
    parts = []
    for token in TOKEN.findall(expression.strip()):
        optional = token.endswith("?") and len(token) > 1
        token = token[:-1] if optional else token
        if token in ("...", "...."):
            parts.append(GAP if token == "..." else LONG_GAP)
            continue
        if token.startswith("(") and token.endswith(")"):
            alternatives = [_sequence(a) for a in token[1:-1].split("|") if a.strip()]
            item = "(?:" + "|".join(alternatives) + ")"
        else:
            if "(" in token or ")" in token:
                raise ValueError(f"parenthèse sans sa paire dans « {token} »")
            words = [_word(w) for w in token.split("|") if w]
            item = "(?:" + "|".join(words) + ") "
        parts.append(f"(?:{item})?" if optional else item)
    return "".join(parts)


def compile_expression(expression: str, listes: dict[str, str] | None = None) -> re.Pattern[str]:
    """An expression of urgences.yml as a regex over « " " + normalize(text) + " " ».

    `$nom` stands for the word list `nom` of the file's « listes », as one group.
    """
    expression = re.sub(r"\$(\w+)", lambda m: _liste(m, listes or {}), expression)
    expression = normalize_expression(expression)
    return re.compile(" " + _sequence(expression))


def _liste(match: re.Match[str], listes: dict[str, str]) -> str:
    """A list's words: as a group of its own, or as more choices inside the group it stands in."""
    if match.group(1) not in listes:
        raise ValueError(f"liste inconnue : « {match.group(0)} »")
    before = match.string[: match.start()]
    inside_group = before.count("(") > before.count(")")
    words = listes[match.group(1)]
    return words if inside_group else f"({words})"


def normalize_expression(expression: str) -> str:
    """Designers may write accents and apostrophes: the expression is normalised like a message."""
    decomposed = unicodedata.normalize("NFKD", expression.lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = re.sub(r"[^a-z0-9*|()?. ]+", " ", plain)
    return " ".join(plain.split())


@dataclass(frozen=True)
class Kind:
    name: str
    intent: str
    patterns: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class Lexique:
    kinds: tuple[Kind, ...]
    faux_amis: tuple[re.Pattern[str], ...]
    ecritures: dict[str, str]
    numeros: dict[str, dict[str, Any]]
    annulent: frozenset[str] = frozenset()
    # « personnes_seules »: the words of a message that only names someone (« mon fils »).
    proches: frozenset[str] = frozenset()
    liaisons: frozenset[str] = frozenset()

    def only_names_someone(self, text: str) -> bool:
        """« mon fils », « c'est pour mon mari »: a person named, nothing said to happen.

        DIET read such fragments of an elderly resident as a missing child (0.88) or a violent
        husband (0.89). Not an emergency unless a word of the list says a danger."""
        words = normalize(text, self.ecritures).split()
        return (
            bool(words)
            and any(w in self.proches for w in words)
            and all(w in self.proches or w in self.liaisons for w in words)
        )

    def _padded(self, text: str) -> str:
        return " " + normalize(text, self.ecritures) + " "

    def _joking(self, padded: str) -> bool:
        return bool(self.annulent & set(padded.split()))

    def _masked(self, padded: str) -> str:
        """Every false friend blanked out, each one looked for in the whole message: one false
        friend blanked first must not hide the words of another (« feu de cheminée autorisé ?
        et brûler les feuilles » holds two, sharing « autorisé »)."""
        spans = sorted(m.span() for pattern in self.faux_amis for m in pattern.finditer(padded))
        if not spans:
            return padded
        kept, end = [], 0
        for start, stop in spans:
            if start >= end:
                kept.append(padded[end:start] + " ~ ")
            end = max(end, stop)
        return "".join(kept) + padded[end:]

    def prepared(self, text: str) -> str:
        """The text as the patterns see it, false friends blanked out."""
        return self._masked(self._padded(text))

    def kinds_in(self, text: str) -> list[Kind]:
        """Every kind whose expressions occur in `text`, most urgent first.

        « au secours les impôts mdr » : a laugh marker means no emergency.
        """
        padded = self._padded(text)
        if self._joking(padded):
            return []
        masked = self._masked(padded)
        return [k for k in self.kinds if any(p.search(masked) for p in k.patterns)]

    def has_false_friend(self, text: str) -> bool:
        padded = self._padded(text)
        return self._joking(padded) or any(p.search(padded) for p in self.faux_amis)

    def intents(self) -> list[str]:
        return list(dict.fromkeys(k.intent for k in self.kinds))


def load(path: Path = LEXIQUE) -> Lexique:
    """Reads and compiles urgences.yml; errors name the line to fix, in French."""
    content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    rewrites = {**(content.get("ecritures") or {}), **(content.get("fautes") or {})}
    ecritures = {normalize(str(k)): normalize(str(v)) for k, v in rewrites.items()}
    ecritures = {k: v for k, v in ecritures.items() if k != v}
    listes = {str(k): str(v) for k, v in (content.get("listes") or {}).items()}
    kinds = []
    for entry in content.get("types") or []:
        patterns = []
        for expression in entry.get("expressions") or []:
            try:
                patterns.append(compile_expression(expression, listes))
            except (re.error, ValueError) as error:
                raise ValueError(
                    f"{path} : type « {entry.get('type')} », l'expression « {expression} » "
                    f"est mal écrite ({error})."
                ) from error
        kinds.append(Kind(entry["type"], entry["intention"], tuple(patterns)))
    faux_amis = tuple(compile_expression(e, listes) for e in content.get("faux_amis") or [])
    numeros = {str(k): v for k, v in (content.get("numeros") or {}).items()}
    annulent = frozenset(normalize(str(w)) for w in content.get("annulent") or [])
    seules = content.get("personnes_seules") or {}
    proches = frozenset(normalize(str(w)) for w in seules.get("proches") or [])
    liaisons = frozenset(normalize(str(w)) for w in seules.get("liaisons") or [])
    return Lexique(tuple(kinds), faux_amis, ecritures, numeros, annulent, proches, liaisons)


@lru_cache(maxsize=1)
def lexique() -> Lexique:
    return load()


if __name__ == "__main__":
    lex = lexique()
    for message in sys.argv[1:] or [line.strip() for line in sys.stdin if line.strip()]:
        found = lex.kinds_in(message)
        names = ", ".join(k.name for k in found) or "aucune urgence"
        print(f"{names}\t{message}\t[{lex.prepared(message).strip()}]")
