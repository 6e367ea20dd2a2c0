"""Starts the real action server and Rasa server on free loopback ports (e2e tests, bench/)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
RASA = str(Path(sys.executable).parent / "rasa")
ACTION_SERVER = [sys.executable, "-m", "rasa_sdk"]  # what `rasa run actions` runs, without Rasa


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url: str, timeout: float, process: subprocess.Popen, log: Path) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: process exited\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).ok:
                return time.monotonic() - start
        except requests.RequestException:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"{url} not ready after {timeout} s\n{log.read_text()[-3000:]}")


@dataclass
class Servers:
    """Both servers of one Tchatche instance, with their own SQLite tracker store."""

    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="tchatche-")))
    rasa_port: int = field(default_factory=free_port)
    actions_port: int = field(default_factory=free_port)
    processes: list[subprocess.Popen] = field(default_factory=list)
    ready_seconds: float = 0.0
    # Channels tests: extra environment (fake API URLs, secrets) and the web app (commune pages).
    extra_env: dict[str, str] = field(default_factory=dict)
    web: bool = False
    web_port: int = field(default_factory=free_port)
    # False: Rasa starts alone, its action endpoint answers nothing (start_actions() later).
    actions: bool = True
    actions_process: subprocess.Popen | None = field(default=None, init=False, repr=False)
    _env: dict[str, str] = field(default_factory=dict, init=False, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    @property
    def database(self) -> Path:
        return self.workdir / "conversations.db"

    def start(self, model: Path = ROOT / "models" / "tchatche.tar.gz") -> Servers:
        endpoints = self.workdir / "endpoints.yml"
        endpoints.write_text(
            f'action_endpoint:\n  url: "http://127.0.0.1:{self.actions_port}/webhook"\n'
            f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{self.database}"\n',
            encoding="utf-8",
        )
        env = self._env = {
            **os.environ,
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "RASA_TELEMETRY_ENABLED": "false",
            "PYTHONPATH": str(ROOT),
            **self.extra_env,
        }
        started = time.monotonic()
        actions_log = self._spawn_actions() if self.actions else None
        rasa_log = self._spawn(
            "rasa",
            [
                "run",
                "--model",
                str(model),
                "--endpoints",
                str(endpoints),
                "--credentials",
                str(ROOT / "credentials.yml"),
                "--interface",
                "127.0.0.1",
                "--port",
                str(self.rasa_port),
            ],
            env,
        )
        rasa = self.processes[-1]
        if actions_log is not None:
            self._wait_actions(actions_log)
        wait_http(f"{self.url}/", 240, rasa, rasa_log)
        if self.web:
            web_log = self.workdir / "web.log"
            web_env = {
                **env,
                "TCHATCHE_WEB_PORT": str(self.web_port),
                "TCHATCHE_RASA_PUBLIC_URL": self.url,
            }
            with web_log.open("w") as out:
                self.processes.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "web"],
                        cwd=ROOT,
                        env=web_env,
                        stdout=out,
                        stderr=subprocess.STDOUT,
                    )
                )
            wait_http(f"{self.web_url}/", 60, self.processes[-1], web_log)
        self.ready_seconds = time.monotonic() - started
        return self

    def _spawn_actions(self) -> Path:
        log = self._spawn(
            "actions",
            # As ./run.sh starts it: rasa_sdk alone, without importing Rasa (56 MB, 1 s less).
            [*ACTION_SERVER, "--actions", "actions", "--port", str(self.actions_port)],
            self._env,
        )
        self.actions_process = self.processes[-1]
        return log

    def _wait_actions(self, log: Path) -> None:
        assert self.actions_process is not None
        wait_http(f"http://127.0.0.1:{self.actions_port}/health", 90, self.actions_process, log)

    def start_actions(self) -> None:
        """Starts the action server (again, on the same port) and waits until it answers."""
        self._wait_actions(self._spawn_actions())

    def stop_actions(self) -> None:
        """Stops only the action server: Rasa keeps running and finds nobody on its port."""
        process, self.actions_process = self.actions_process, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        self.processes.remove(process)

    def _spawn(self, name: str, args: list[str], env: dict[str, str]) -> Path:
        """Starts `rasa <args>` (or a whole command) in the background, its output in
        <workdir>/<name>.log."""
        command = args if args[0] == sys.executable else [RASA, *args]
        log = self.workdir / f"{name}.log"
        with log.open("a") as out:  # "a": a restarted action server keeps the first log
            self.processes.append(
                subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
            )
        return log

    def send(self, sender: str, text: str, metadata: dict | None = None) -> list[dict]:
        response = requests.post(
            f"{self.url}/webhooks/rest/webhook",
            json={"sender": sender, "message": text, "metadata": metadata or {}},
            timeout=60,
        )
        response.raise_for_status()
        return response.json()

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes.clear()
        shutil.rmtree(self.workdir, ignore_errors=True)
