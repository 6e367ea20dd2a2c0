"""No time bomb: the tests pass on other days than the one they were written on.

A test that freezes the clock for one step and reads the real clock for the next (a link signed
"on Wednesday" and checked "now"), or that expects data written for one week (this week's menu),
passes on the day it is written and fails by itself later. Each run below is a pytest process
whose clock starts at another instant and keeps running (TCHATCHE_TEST_CLOCK, tests/conftest.py):
every date the code or a test reads without freezing it moves, frozen steps stay frozen.

Tests that start servers in other processes (Rasa, Mayan, PostgreSQL, Chromium) are left out:
time-machine cannot move another process's clock. They do not depend on the date (they check
what the servers compute with their own clock), see README « Les tests et les dates ».
"""

from __future__ import annotations

import calendar
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest

from actions.clock import PARIS
from actions.demandes.purge import months_before
from tests import background
from tests.background import Preparation
from tests.conftest import CORPUS_DAY, TEST_CLOCK

ROOT = Path(__file__).resolve().parents[1]
# The modules whose tests read, freeze or compute with dates and run in pytest's own process.
# A new module that does goes here (test_every_module_reading_the_clock_is_checked says so).
DATED_MODULES = (
    "tests/backoffice/test_backoffice.py",
    "tests/conversations/test_lieu_acte.py",
    "tests/backoffice/test_backoffice_rendez_vous.py",
    "tests/demandes/test_config_agents.py",
    "tests/demandes/test_demandes.py",
    "tests/demandes/test_dialogue.py",
    "tests/demandes/test_free_answers.py",
    "tests/demandes/test_photos.py",
    "tests/demandes/test_prefill.py",
    "tests/demandes/test_rendez_vous.py",
    "tests/demandes/test_rendez_vous_mail.py",
    "tests/documents/test_contract.py",
    "tests/documents/test_elus.py",
    "tests/documents/test_embedded.py",
    "tests/documents/test_links.py",
    "tests/documents/test_request.py",
    "tests/test_action_commune.py",
    "tests/test_action_documents.py",
    "tests/test_action_orientation.py",
    "tests/test_annuaire.py",
    "tests/test_closures_french.py",
    "tests/test_dates.py",
    "tests/test_day_answer.py",
    "tests/test_fallback.py",
    "tests/test_francais.py",
    "tests/test_holidays.py",
    "tests/test_purge.py",
    "tests/test_territory_loader.py",
)
# Tests that talk to servers in other processes, whose clock time-machine cannot move: they
# must not depend on the date themselves (they check what the servers compute with their clock).
OTHER_PROCESSES = (
    "tests/channels/",
    "tests/documents/test_mayan.py",
    "tests/test_action_server_down.py",
    "tests/test_e2e.py",
    "tests/test_nlu_holdout.py",
    "tests/test_rasa_cli.py",
    "tests/test_time_bombs.py",
)
# Parametrised cases on the real Mayan and PostgreSQL servers (their embedded/SQLite twins run).
OTHER_PROCESS_CASES = "not mayan and not postgresql"
# Tests that pass their own instants and never read the clock: a year of days already (28 s).
OWN_INSTANTS = ("test_le_francais_des_dates_sur_une_annee",)
SELECTED = " and ".join([OTHER_PROCESS_CASES, *(f"not {name}" for name in OWN_INSTANTS)])
# The four instants of every run; TCHATCHE_TIME_BOMBS=toutes adds the four others (each sub-run
# takes 1 to 2 minutes on 2 cores: the CI keeps the ones that caught or could catch a bug).
ALL_INSTANTS = "TCHATCHE_TIME_BOMBS"
READS_THE_CLOCK = re.compile(
    r"\bfrozen\(|actions\.clock|\bclock\.now\(|datetime\.now\(|date\.today\(|time\.time\("
)


def later(instant: datetime, months: int) -> datetime:
    """Same day `months` later, clamped to the end of shorter months (31 January + 1 month)."""
    return months_before(instant, -months)


def next_new_years_eve(now: datetime) -> datetime:
    """The coming 31 December at 23:30, Paris time (a late evening is another UTC day)."""
    eve = datetime(now.year, 12, 31, 23, 30, tzinfo=PARIS)
    return eve if eve > now else eve.replace(year=now.year + 1)


def next_leap_day(now: datetime) -> datetime:
    """The coming 29 February at 9:30, Paris time."""
    year = now.year
    while True:
        if calendar.isleap(year) and (day := datetime(year, 2, 29, 9, 30, tzinfo=PARIS)) > now:
            return day
        year += 1


def instants(now: datetime) -> dict[str, datetime]:
    """Where the clock starts: after today, the dates that break naive date arithmetic (New
    Year's Eve late evening, 29 February), and, with TCHATCHE_TIME_BOMBS=toutes, after the day
    the suite freezes on."""
    written = datetime.combine(CORPUS_DAY, time(10, 0), tzinfo=PARIS)  # WEDNESDAY of the tests
    return {
        "aujourd-hui+1jour": now + timedelta(days=1),
        "aujourd-hui+1an": later(now, 12),
        "31-decembre-23h30": next_new_years_eve(now),
        "29-fevrier": next_leap_day(now),
        "aujourd-hui+1mois": later(now, 1),
        "jour-fige+1jour": written + timedelta(days=1),
        "jour-fige+1mois": later(written, 1),
        "jour-fige+1an": later(written, 12),
    }


DEFAULT_INSTANTS = ("aujourd-hui+1jour", "aujourd-hui+1an", "31-decembre-23h30", "29-fevrier")
INSTANTS = instants(datetime.now(tz=PARIS))


def run_at(instant: datetime) -> subprocess.CompletedProcess[str]:
    """pytest over the dated modules, its clock starting at `instant`, at the lowest CPU priority.

    No timeout: it runs beside tests that move the clock with time-machine, which would set off
    subprocess's timeout at once (tests/background.py)."""
    env = {**os.environ, TEST_CLOCK: instant.isoformat(), "PYTHONPATH": str(ROOT)}
    command = ["nice", "-n", "19", sys.executable, "-m", "pytest", "-q", "-rfE", "--no-header",
               "-p", "no:cacheprovider", "-k", SELECTED, *DATED_MODULES]  # fmt: skip
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)


def selected_instants(items: list[pytest.Item]) -> tuple[str, ...]:
    return tuple(
        item.callspec.params["name"]
        for item in items
        if getattr(item, "originalname", "") == "test_suite_passes_at_another_date"
        and wanted(item.callspec.params["name"])
    )


class TimeBombRuns(Preparation):
    """The selected runs, two at a time, started when the session begins (tests/background.py).

    Each sub-run is a pytest process on one core (30 to 40 s here, 2 minutes on a slow machine),
    and the suite leaves the other core idle half of the time: at the lowest CPU priority they
    run beside the other tests, and the tests below wait for what is left."""

    names: tuple[str, ...] = ()  # set by start_early, before the thread starts

    def __init__(self) -> None:
        super().__init__()
        self.results: dict[str, subprocess.CompletedProcess[str]] = {}

    def work(self) -> None:
        with ThreadPoolExecutor(max_workers=max(2, min(4, (os.cpu_count() or 2)))) as pool:
            done = pool.map(lambda name: run_at(INSTANTS[name]), self.names)
            self.results = dict(zip(self.names, done, strict=True))


def start_early(items: list[pytest.Item]) -> None:
    """Starts the selected runs now (idempotent), unless this session is already a sub-run."""
    if os.environ.get(TEST_CLOCK):
        return
    TimeBombRuns.names = selected_instants(items)
    background.start(TimeBombRuns)


@pytest.fixture(scope="module")
def runs(request: pytest.FixtureRequest) -> dict[str, subprocess.CompletedProcess[str]]:
    """The selected runs' results (under way since the session began)."""
    if os.environ.get(TEST_CLOCK):
        pytest.skip("cette session est déjà à une autre date")
    start_early(request.session.items)
    with background.handed_over(TimeBombRuns) as prepared:
        return prepared.results


def test_every_module_reading_the_clock_is_checked():
    """A test module that freezes or reads the clock is run at the other dates below."""
    missing = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "tests").rglob("test_*.py"))
        if READS_THE_CLOCK.search(path.read_text(encoding="utf-8"))
        and not str(path.relative_to(ROOT)).startswith((*DATED_MODULES, *OTHER_PROCESSES))
    ]
    assert not missing, f"à ajouter à DATED_MODULES de {Path(__file__).name} : {missing}"
    assert all((ROOT / m).is_file() for m in DATED_MODULES)


def wanted(name: str) -> bool:
    return name in DEFAULT_INSTANTS or os.environ.get(ALL_INSTANTS) == "toutes"


def test_instants_cover_the_awkward_days():
    now = datetime(2027, 1, 31, 12, 0, tzinfo=PARIS)
    moved = instants(now)
    assert moved["aujourd-hui+1mois"].date().isoformat() == "2027-02-28"
    assert moved["jour-fige+1an"].date().isoformat() == "2027-11-25"
    assert moved["31-decembre-23h30"].isoformat() == "2027-12-31T23:30:00+01:00"
    assert moved["29-fevrier"].date().isoformat() == "2028-02-29"
    assert next_leap_day(datetime(2028, 3, 1, tzinfo=PARIS)).year == 2032
    assert next_new_years_eve(datetime(2027, 12, 31, 23, 45, tzinfo=PARIS)).year == 2028
    assert later(datetime(2028, 2, 29, 9, 30), 12).date().isoformat() == "2029-02-28"
    assert set(DEFAULT_INSTANTS) < set(moved)


@pytest.mark.parametrize("name", list(INSTANTS))
def test_suite_passes_at_another_date(runs, name):
    if not wanted(name):
        pytest.skip(f"{ALL_INSTANTS}=toutes pour cette date aussi")
    done = runs[name]
    failed = re.findall(r"^(?:FAILED|ERROR) .*$", done.stdout, re.MULTILINE)
    summary = done.stdout.strip().splitlines()[-1:] or ["(aucune sortie)"]
    assert done.returncode == 0, (
        f"horloge à {INSTANTS[name].isoformat()} ({TEST_CLOCK}) : {summary[0]}\n"
        + "\n".join(failed or [done.stdout[-3000:], done.stderr[-3000:]])
    )
