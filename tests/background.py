"""Long preparations of the test suite, started when the session begins and run in a thread.

Pytest runs one test at a time, and most tests leave one of the two cores idle. A preparation
that takes minutes (the session's Mayan, the design guide's training) starts as soon as pytest
knows a test that needs it is selected (`pytest_collection_finish` in tests/conftest.py), runs
beside the tests before that one, and the test waits only for what is left.

Work in the thread must not time itself with the clock: tests move it with time-machine, which
moves `time.monotonic` in every thread too (a subprocess timeout fired at once).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

P = TypeVar("P", bound="Preparation")


class Preparation:
    """Work done once in a thread of its own; `wait()` re-raises what went wrong in it."""

    def __init__(self) -> None:
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._guarded, name=type(self).__name__, daemon=True)

    def work(self) -> None:
        raise NotImplementedError

    def _guarded(self) -> None:
        try:
            self.work()
        except BaseException as error:  # raised again by wait(), in the test that needs it
            self.error = error

    def join(self) -> None:
        self._thread.join()

    def remove(self) -> None:
        """Cleans up what the work left (temporary folders, models); nothing by default."""
        self.join()

    def wait(self: P) -> P:
        self.join()
        if self.error is not None:
            raise self.error
        return self


_started: dict[type[Preparation], Preparation] = {}


def start(kind: type[P]) -> P:
    """Starts the one preparation of this kind (nothing if it is already under way)."""
    if kind not in _started:
        preparation = kind()
        _started[kind] = preparation
        preparation._thread.start()
    return _started[kind]  # type: ignore[return-value]


def take(kind: type[P]) -> P | None:
    """The preparation of this kind, handed over once (None if it never started or was taken)."""
    return _started.pop(kind, None)  # type: ignore[return-value]


@contextmanager
def handed_over(kind: type[P]) -> Iterator[P]:
    """The preparation of this kind, finished (started now if it was not under way), for the
    test that needs it; removed afterwards. What every fixture of a preparation does."""
    preparation = start(kind)
    take(kind)
    try:
        yield preparation.wait()
    finally:
        preparation.remove()
