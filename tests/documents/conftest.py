"""Fixtures of the GED tests: the same contract runs on every backend.

`store` is parametrised over the embedded backend (demo corpus generated in a temporary folder)
and the Mayan backend, whose fixture lives in mayan_fixture.py (skipped while it does not exist).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from actions.documents.embedded import EmbeddedStore
from actions.documents.model import DocumentStore
from scripts.generate_corpus import generate
from tests.conftest import CORPUS_DAY

try:
    from tests.documents.mayan_fixture import mayan_store  # noqa: F401

    HAVE_MAYAN = True
except ImportError:
    HAVE_MAYAN = False

TEST_SECRET = "secret-de-test-uniquement"


@pytest.fixture(autouse=True)
def _secret(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read nor create var/secret.key."""
    monkeypatch.setenv("TCHATCHE_SECRET", TEST_SECRET)


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("ged") / "demo"
    generate(folder, today=CORPUS_DAY)
    return folder


@pytest.fixture(scope="session")
def embedded_store(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    return EmbeddedStore(corpus_dir, tmp_path_factory.mktemp("index") / "index.sqlite")


@pytest.fixture(
    params=[
        "embedded",
        pytest.param(
            "mayan",
            marks=pytest.mark.skipif(
                not HAVE_MAYAN, reason="tests/documents/mayan_fixture.py absent"
            ),
        ),
    ]
)
def store(request: pytest.FixtureRequest) -> DocumentStore:
    return request.getfixturevalue(f"{request.param}_store")
