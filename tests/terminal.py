"""A command driven through a pseudo-terminal, as a person types in it (`rasa shell`, `rasa
interactive`): their prompts need a real terminal, so a pipe would not do."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import termios
import time
from pathlib import Path

ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]|\r")


class Terminal:
    def __init__(self, args: list[str], cwd: Path, env: dict[str, str]) -> None:
        self.master, slave = pty.openpty()
        # A real window size: Rasa's tables (rasa interactive) divide the terminal's width.
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
        os.set_blocking(self.master, False)
        self.process = subprocess.Popen(
            args,
            cwd=cwd,
            env={**env, "TERM": "xterm", "COLUMNS": "200", "LINES": "50"},
            stdin=slave,
            stdout=slave,
            stderr=slave,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.raw = ""
        self.seen = 0  # what expect() has consumed

    @property
    def text(self) -> str:
        return ANSI.sub("", self.raw)

    def _read(self, wait: float) -> None:
        ready, _, _ = select.select([self.master], [], [], wait)
        if ready:
            try:
                self.raw += os.read(self.master, 65536).decode("utf-8", "replace")
            except OSError:
                time.sleep(wait)

    def expect(self, pattern: str, timeout: float = 120) -> re.Match[str]:
        """Waits for `pattern` after what was already matched; fails with the screen's end."""
        regex = re.compile(pattern, re.S)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = regex.search(self.text, self.seen)
            if found:
                self.seen = found.end()
                return found
            if self.process.poll() is not None:
                self._read(0.2)
                found = regex.search(self.text, self.seen)
                if found:
                    self.seen = found.end()
                    return found
                break
            self._read(0.5)
        raise AssertionError(f"« {pattern} » n'est pas venu. Fin de l'écran :\n{self.text[-3000:]}")

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode("utf-8"))

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        os.close(self.master)
