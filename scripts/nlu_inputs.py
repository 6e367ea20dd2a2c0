"""Fingerprint of what the NLU learns from, so that `ensure_model` knows which retrain to run.

Since the domain is one file (domain.yml), its modification time no longer says whether NLU inputs
changed: a response edited for residents must not fine-tune DIET (that costs minutes), while an
edited retrieval answer (`utter_orientation/...`) is learnt by the ResponseSelector. The
fingerprint covers the NLU files of data/ and those retrieval answers only.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
RETRIEVAL_PREFIX = "utter_orientation/"


def nlu_files(root: Path = ROOT) -> list[Path]:
    """data/nlu.yml and every file under data/nlu/ (examples, synonyms, lookup tables)."""
    files = [root / "data" / "nlu.yml", *sorted((root / "data" / "nlu").rglob("*.yml"))]
    return [f for f in files if f.is_file()]


def fingerprint(root: Path = ROOT) -> str:
    digest = hashlib.sha256()
    for path in nlu_files(root):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    responses = yaml.safe_load((root / "domain.yml").read_text(encoding="utf-8"))["responses"]
    retrieval = {k: v for k, v in responses.items() if k.startswith(RETRIEVAL_PREFIX)}
    digest.update(json.dumps(retrieval, sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()


if __name__ == "__main__":
    sys.stdout.write(fingerprint() + "\n")
