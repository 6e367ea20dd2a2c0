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
        env = {
            **os.environ,
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "RASA_TELEMETRY_ENABLED": "false",
            "PYTHONPATH": str(ROOT),
            **self.extra_env,
        }
        started = time.monotonic()
        actions_log = self._spawn(
            "actions",
            ["run", "actions", "--actions", "actions", "--port", str(self.actions_port)],
            env,
        )
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
        wait_http(
            f"http://127.0.0.1:{self.actions_port}/health", 90, self.processes[0], actions_log
        )
        wait_http(f"{self.url}/", 240, self.processes[1], rasa_log)
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

    def _spawn(self, name: str, args: list[str], env: dict[str, str]) -> Path:
        """Starts `rasa <args>` in the background with its output in <workdir>/<name>.log."""
        log = self.workdir / f"{name}.log"
        with log.open("w") as out:
            self.processes.append(
                subprocess.Popen(
                    [RASA, *args], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
                )
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
