"""Local HTTP(S) servers that answer fixed routes: the DigitalOcean API and Mastodon the operator verbs talk to."""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest


@dataclass
class Routes:
    """path -> (status, body); bodies that are not str are sent as JSON. `hits` records each request."""

    answers: dict[str, tuple[int, Any]] = field(default_factory=dict)
    hits: list[tuple[str, str, dict[str, list[str]], bytes]] = field(default_factory=list)

    def answer(self, method: str, target: str, body: bytes) -> tuple[int, Any]:
        parts = urlsplit(target)
        self.hits.append((method, parts.path, parse_qs(parts.query), body))
        for key in (f"{method} {target}", f"{method} {parts.path}", target, parts.path):
            if key in self.answers:
                return self.answers[key]
        return 404, {"id": "not_found", "message": f"no route {parts.path}"}


def serve(routes: Routes, context: ssl.SSLContext | None = None) -> tuple[ThreadingHTTPServer, int]:
    class Handler(BaseHTTPRequestHandler):
        def _reply(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            status, body = routes.answer(self.command, self.path, self.rfile.read(length) if length else b"")
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain" if isinstance(body, str) else "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _reply

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if context is not None:
        server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


@pytest.fixture
def api() -> Iterator[Callable[[Routes], str]]:
    """`api(routes)`: a plain-HTTP server on 127.0.0.1 answering the given routes; returns its base URL."""
    servers: list[ThreadingHTTPServer] = []

    def start(routes: Routes) -> str:
        server, port = serve(routes)
        servers.append(server)
        return f"http://127.0.0.1:{port}"

    yield start
    for server in servers:
        server.shutdown()
