"""A local stand-in for the Graph API or Twilio's REST API, recording every request it receives.

`mode` switches its behaviour while Rasa keeps the same base URL: "ok" answers 200, "error"
answers 500, "down" closes the connection without answering (what an unreachable API looks like
to the client).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"null")

    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode("utf-8")).items()}


@dataclass
class FakeApi:
    requests: list[Recorded] = field(default_factory=list)
    mode: str = "ok"
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> FakeApi:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _record(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                parts = urlsplit(self.path)
                fake.requests.append(
                    Recorded(
                        self.command,
                        parts.path,
                        parse_qs(parts.query),
                        dict(self.headers.items()),
                        self.rfile.read(length),
                    )
                )
                if fake.mode == "down":
                    self.close_connection = True
                    return
                status = 500 if fake.mode == "error" else 200
                body = json.dumps({"ok": status == 200, "sid": "SM0", "message_id": "m0"}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _record  # noqa: N815

            def log_message(self, *args: Any) -> None:  # keep pytest output clean
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def wait_for(self, predicate, timeout: float = 60.0) -> list[Recorded]:
        """Requests matching `predicate`, waiting until there is at least one."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [r for r in list(self.requests) if predicate(r)]
            if found:
                return found
            time.sleep(0.2)
        raise AssertionError(f"no matching request after {timeout} s: {self.requests[-5:]}")
