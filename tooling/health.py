"""Does the instance answer? Its certificate, /health, /api/v2/instance and the admin's WebFinger.

Certificates are verified as httpx does (its CA bundle, or `SSL_CERT_FILE` / `SSL_CERT_DIR` when set), so the
check never needs a switch to turn verification off.
"""

from __future__ import annotations

import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx

Clock = Callable[[], float]
Sleep = Callable[[float], None]


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    hint: str = ""  # the command that looks closer, when not ok


@dataclass
class Report:
    url: str
    checks: list[Check] = field(default_factory=list)
    certificate_expires: datetime | None = None
    version: str | None = None

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks)

    def failed(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    def lines(self) -> list[str]:
        out = []
        for check in self.checks:
            out.append(f"  {'ok  ' if check.ok else 'FAIL'} {check.name}: {check.detail}")
            if not check.ok and check.hint:
                out.append(f"       look closer: {check.hint}")
        return out


def certificate(host: str, port: int, timeout: float) -> tuple[Check, datetime | None]:
    context = httpx.create_ssl_context()
    try:
        with socket.create_connection((host, port), timeout=timeout) as raw:
            with context.wrap_socket(raw, server_hostname=host) as tls:
                peer = tls.getpeercert()
    except ssl.SSLCertVerificationError as exc:
        return Check(
            "certificate",
            False,
            f"not valid: {exc.verify_message}",
            "./run status (cert-manager's Certificate and its events)",
        ), None
    except (OSError, ssl.SSLError) as exc:
        return Check(
            "certificate", False, f"no TLS answer on {host}:{port}: {exc}", "./run status (ingress pods, load balancer)"
        ), None
    if not peer:
        return Check("certificate", False, f"{host}:{port} sent no certificate", "./run status (ingress pods)"), None
    expires = datetime.fromtimestamp(ssl.cert_time_to_seconds(str(peer["notAfter"])), tz=UTC)
    days = (expires - datetime.now(tz=UTC)).days
    return Check("certificate", True, f"valid for {host} until {expires:%Y-%m-%d} ({days} days)"), expires


def _get_json(client: httpx.Client, path: str, **params: str) -> tuple[int, object]:
    response = client.get(path, params=params or None)
    try:
        return response.status_code, response.json()
    except ValueError:
        return response.status_code, response.text[:200]


def check(url: str, domain: str, admin_username: str | None, timeout: float = 10.0) -> Report:
    """One pass over every check; never raises for an unhealthy instance."""
    parts = urlsplit(url)
    host, port = parts.hostname or domain, parts.port or 443
    report = Report(url=url)
    cert, report.certificate_expires = certificate(host, port, timeout)
    report.checks.append(cert)
    logs = "./run status, then kubectl -n mastodon logs deploy/<web deployment> (./run kubeconfig first)"
    with httpx.Client(base_url=url, timeout=timeout, follow_redirects=False) as client:
        try:
            health = client.get("/health")
            ok = health.status_code == 200 and health.text.strip() == "OK"
            report.checks.append(Check("/health", ok, f"HTTP {health.status_code} {health.text.strip()[:60]!r}", logs))

            status, body = _get_json(client, "/api/v2/instance")
            if status == 200 and isinstance(body, dict) and body.get("domain") == domain:
                report.version = str(body.get("version"))
                report.checks.append(Check("/api/v2/instance", True, f"domain {domain}, Mastodon {report.version}"))
            else:
                seen = body.get("domain") if isinstance(body, dict) else body
                report.checks.append(
                    Check("/api/v2/instance", False, f"HTTP {status}, domain {seen!r} (want {domain})", logs)
                )

            if admin_username:
                account = f"acct:{admin_username}@{domain}"
                status, body = _get_json(client, "/.well-known/webfinger", resource=account)
                ok = status == 200 and isinstance(body, dict) and body.get("subject") == account
                hint = "./run admin (was the admin created?) and the create-admin Job's log"
                report.checks.append(Check("webfinger", ok, f"{account}: HTTP {status}", hint))
        except httpx.HTTPError as exc:
            report.checks.append(Check("http", False, f"{type(exc).__name__}: {exc}", logs))
    return report


def wait_healthy(
    url: str,
    domain: str,
    admin_username: str | None,
    deadline_seconds: float,
    interval_seconds: float = 15.0,
    log: Callable[[str], None] = print,
    clock: Clock = time.monotonic,
    sleep: Sleep = time.sleep,
) -> Report:
    """Check until every check passes or the deadline passes (the certificate can take minutes)."""
    end = clock() + deadline_seconds
    while True:
        report = check(url, domain, admin_username)
        if report.ok or clock() >= end:
            return report
        waiting = ", ".join(c.name for c in report.failed())
        log(f"  waiting for {waiting} ({max(0, int(end - clock()))} s left)")
        sleep(interval_seconds)
