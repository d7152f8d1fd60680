"""Locust users for `./run loadtest`: anonymous visitors of a Mastodon instance and streaming listeners.

Loaded only by the Locust process that tooling.loadtest starts (Locust patches the standard library with gevent
when imported, so nothing else imports this module). Settings arrive as TFDOM_LOADTEST_* environment variables.
"""

from __future__ import annotations

import os
import random
from typing import Any

import gevent  # type: ignore[import-untyped]
from locust import HttpUser, between, task

ACCOUNT = os.environ.get("TFDOM_LOADTEST_ACCOUNT", "owner")
DOMAIN = os.environ.get("TFDOM_LOADTEST_DOMAIN", "")
TAG = os.environ.get("TFDOM_LOADTEST_TAG", "mastodon")
TOKEN = os.environ.get("TFDOM_LOADTEST_TOKEN", "")
THINK = float(os.environ.get("TFDOM_LOADTEST_THINK_SECONDS", "2"))
STREAM_SECONDS = float(os.environ.get("TFDOM_LOADTEST_STREAM_SECONDS", "10"))
STREAMING_USERS = int(os.environ.get("TFDOM_LOADTEST_STREAMING_USERS", "0"))
MEDIA_URLS_KEPT = 20


def _json(response: Any) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


class PublicVisitor(HttpUser):
    """What a logged-out visitor, a search engine and a remote server read: all public, cacheable pages."""

    wait_time = between(THINK * 0.5, THINK * 1.5)

    def on_start(self) -> None:
        self.media_urls: list[str] = []
        self.instance()

    def _remember_media(self, statuses: Any) -> None:
        if not isinstance(statuses, list):
            return
        for status in statuses:
            for attachment in (status or {}).get("media_attachments") or []:
                url = attachment.get("preview_url") or attachment.get("url")
                if url:
                    self.media_urls.append(url)
        del self.media_urls[:-MEDIA_URLS_KEPT]

    @task(3)
    def instance(self) -> None:
        response = self.client.get("/api/v2/instance", name="/api/v2/instance")
        body = _json(response)
        thumbnail = (body or {}).get("thumbnail", {}).get("url") if isinstance(body, dict) else None
        if thumbnail and thumbnail not in self.media_urls:
            self.media_urls.append(thumbnail)

    @task(4)
    def public_timeline(self) -> None:
        response = self.client.get("/api/v1/timelines/public?local=true&limit=20", name="/api/v1/timelines/public")
        self._remember_media(_json(response))

    @task(2)
    def tag_timeline(self) -> None:
        response = self.client.get(f"/api/v1/timelines/tag/{TAG}?limit=20", name="/api/v1/timelines/tag/:tag")
        self._remember_media(_json(response))

    @task(2)
    def account_lookup(self) -> None:
        self.client.get(f"/api/v1/accounts/lookup?acct={ACCOUNT}", name="/api/v1/accounts/lookup")

    @task(2)
    def webfinger(self) -> None:
        self.client.get(
            f"/.well-known/webfinger?resource=acct:{ACCOUNT}@{DOMAIN}", name="/.well-known/webfinger",
            headers={"Accept": "application/jrd+json"},
        )

    @task(1)
    def nodeinfo(self) -> None:
        self.client.get("/nodeinfo/2.0", name="/nodeinfo/2.0")

    @task(2)
    def media(self) -> None:
        if self.media_urls:
            # Which cached file to fetch, not a secret: the standard generator is the right tool.
            self.client.get(random.choice(self.media_urls), name="media")  # noqa: S311


class StreamingListener(HttpUser):
    """Holds a server-sent-events connection to the public timeline for a while, as open web clients do.

    Since Mastodon 4.2 the public stream needs a user token; without one the listener only asks the streaming
    server's health endpoint, which still exercises the streaming pods and their route.
    """

    wait_time = between(0.5, 1.5)
    # An exact number of listeners (the share of --users); every other user is a PublicVisitor.
    fixed_count = STREAMING_USERS

    @task
    def listen(self) -> None:
        if not TOKEN:
            self.client.get("/api/v1/streaming/health", name="/api/v1/streaming/health")
            return
        headers = {"Accept": "text/event-stream", "Authorization": f"Bearer {TOKEN}"}
        # The request is recorded when the context closes: right after the headers, so its time is the time to
        # open the stream, not how long it was held.
        with self.client.get(
            "/api/v1/streaming/public", name="/api/v1/streaming/public (SSE)", headers=headers, stream=True,
            catch_response=True, timeout=(10, STREAM_SECONDS + 30),
        ) as response:
            ok = response.status_code == 200 and "text/event-stream" in response.headers.get("Content-Type", "")
            if ok:
                response.success()
            else:
                response.failure(f"HTTP {response.status_code} {response.headers.get('Content-Type', '')}".strip())
        if not ok:
            return
        try:
            with gevent.Timeout(STREAM_SECONDS, False):
                for _line in response.iter_lines():
                    pass
        finally:
            response.close()
