"""A small stand-in for a Mastodon instance on 127.0.0.1, answering the endpoints `./run loadtest` requests.

One endpoint is slow (the tag timeline waits SLOW_SECONDS) and one always fails (account lookup answers 500), so a
load test against it must show both. The public stream needs the bearer token TOKEN, like Mastodon >= 4.2.

Run by the tests; by hand (to redraw the README's sample chart):
    python tests/loadtest/fake_instance.py 8765 &
    ./run loadtest --url http://127.0.0.1:8765 --access-token test-token ...
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

SLOW_SECONDS = 0.5
TOKEN = "test-token"
STREAM_MAX_SECONDS = 30
# 1x1 transparent PNG.
PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


class FakeInstance:
    def __init__(self, port: int = 0) -> None:
        self.hits: Counter[str] = Counter()
        self.clients: set[str] = set()
        self.stream_authorizations: list[str] = []
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeInstance:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        instance = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                return

            def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _json(self, value: object, status: int = 200) -> None:
                self._send(status, json.dumps(value).encode())

            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                with instance._lock:
                    instance.hits[path] += 1
                    instance.clients.add(self.client_address[0])
                base = instance.url
                if path == "/api/v2/instance":
                    self._json(
                        {"domain": "127.0.0.1", "thumbnail": {"url": f"{base}/system/site_uploads/thumbnail.png"}}
                    )
                elif path == "/api/v1/timelines/public":
                    self._json([{"id": "1", "media_attachments": [{"preview_url": f"{base}/system/media/1.png"}]}])
                elif path.startswith("/api/v1/timelines/tag/"):
                    time.sleep(SLOW_SECONDS)
                    self._json([])
                elif path == "/api/v1/accounts/lookup":
                    self._json({"error": "boom"}, status=500)
                elif path == "/.well-known/webfinger":
                    self._send(
                        200,
                        json.dumps({"subject": "acct:owner@127.0.0.1", "links": []}).encode(),
                        "application/jrd+json",
                    )
                elif path == "/nodeinfo/2.0":
                    self._json({"version": "2.0", "software": {"name": "mastodon", "version": "4.6.2"}})
                elif path.startswith("/system/"):
                    self._send(200, PIXEL, "image/png")
                elif path == "/api/v1/streaming/health":
                    self._send(200, b"OK", "text/plain")
                elif path == "/api/v1/streaming/public":
                    self._stream()
                else:
                    self._json({"error": "Record not found"}, status=404)

            def _stream(self) -> None:
                authorization = self.headers.get("Authorization", "")
                with instance._lock:
                    instance.stream_authorizations.append(authorization)
                if authorization != f"Bearer {TOKEN}":
                    self._json({"error": "Missing access token"}, status=401)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                deadline = time.monotonic() + STREAM_MAX_SECONDS
                try:
                    while time.monotonic() < deadline:
                        chunk = b":thump\n"
                        self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                        self.wfile.flush()
                        time.sleep(0.2)
                except OSError:
                    return  # the listener hung up
                self.close_connection = True

        return Handler


if __name__ == "__main__":
    with FakeInstance(int(sys.argv[1]) if len(sys.argv) > 1 else 0) as fake:
        print(f"serving {fake.url} (Ctrl-C stops)", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
