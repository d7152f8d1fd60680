"""Fixtures for the operator verbs: a recording fake terraform, a copy of an example, local HTTPS and API servers."""

from __future__ import annotations

import ipaddress
import json
import shutil
import ssl
import stat
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509

from tests.servers import (
    Routes,
    api,  # noqa: F401 - a fixture: importing it here offers it to these tests
    serve,
)
from tooling import certs
from tooling.instance import Terraform
from tooling.pins import ROOT

HERE = Path(__file__).parent
DOMAIN = "social.example.test"
TFVARS = f"""name        = "social"
domain      = "{DOMAIN}"
region      = "fra1"
dns_zone    = "example.test"
admin_email = "admin@example.test"
smtp = {{
  server       = "smtp.example.net"
  port         = 2525
  login        = "apikey"
  from_address = "notifications@{DOMAIN}"
}}
"""


@dataclass
class FakeTerraform:
    dir: Path
    binary: Path

    def scenario(self, **answers: Any) -> None:
        (self.dir / "scenario.json").write_text(json.dumps(answers))
        (self.dir / "state.json").unlink(missing_ok=True)

    def calls(self) -> list[list[str]]:
        path = self.dir / "calls.jsonl"
        return [json.loads(line)["argv"] for line in path.read_text().splitlines()] if path.is_file() else []

    def records(self) -> list[dict[str, Any]]:
        path = self.dir / "calls.jsonl"
        return [json.loads(line) for line in path.read_text().splitlines()] if path.is_file() else []

    def state(self) -> list[str]:
        path = self.dir / "state.json"
        return json.loads(path.read_text()) if path.is_file() else []

    def factory(self) -> Callable[[Path, Callable[[str], None]], Terraform]:
        return lambda directory, log: Terraform(binary=str(self.binary), cwd=directory, env=self.env(), log=log)

    def env(self) -> dict[str, str]:
        return {"FAKE_TF_DIR": str(self.dir)}


@pytest.fixture
def fake_tf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeTerraform:
    where = tmp_path / "fake-terraform"
    where.mkdir()
    binary = where / "terraform"
    binary.write_text(f"#!{sys.executable}\n" + (HERE / "fake_terraform.py").read_text())
    binary.chmod(binary.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("FAKE_TF_DIR", str(where))
    return FakeTerraform(where, binary)


@pytest.fixture
def instance_dir(tmp_path: Path) -> Path:
    """A copy of examples/minimal with a terraform.tfvars, as an operator has it."""
    target = tmp_path / "minimal"
    shutil.copytree(
        ROOT / "examples" / "minimal",
        target,
        ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*", "terraform.tfvars"),
    )
    (target / "terraform.tfvars").write_text(TFVARS)
    return target


@pytest.fixture
def secrets_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIGITALOCEAN_TOKEN", "dop_v1_test_token")
    monkeypatch.setenv("TF_VAR_smtp_password", "smtp-secret")


# --- TLS and a Mastodon that answers ----------------------------------------------------------------------


@dataclass(frozen=True)
class Cert:
    cert: Path
    key: Path


def make_cert(directory: Path, host: str = "localhost", days: int = 30) -> Cert:
    """A self-signed certificate for `host` and 127.0.0.1, its own CA (a client trusts it through SSL_CERT_FILE)."""
    issued = certs.issue(
        host,
        days,
        names=[x509.DNSName(host), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))],
        constraints=x509.BasicConstraints(ca=True, path_length=None),
    )
    directory.mkdir(parents=True, exist_ok=True)
    paths = Cert(directory / f"{host}.pem", directory / f"{host}.key")
    paths.cert.write_bytes(issued.cert_pem)
    paths.key.write_bytes(issued.key_pem)
    return paths


@pytest.fixture
def tls(tmp_path: Path) -> Cert:
    return make_cert(tmp_path / "tls")


def mastodon_routes(domain: str = DOMAIN, admin: str = "owner", healthy: bool = True, version: str = "4.6.2") -> Routes:
    account = f"acct:{admin}@{domain}"
    return Routes(
        {
            "/health": (200, "OK") if healthy else (503, "Service Unavailable"),
            "/api/v2/instance": (200, {"domain": domain, "version": version, "title": "Mastodon"}),
            f"/.well-known/webfinger?resource={account.replace('@', '%40').replace(':', '%3A')}": (
                200,
                {"subject": account},
            )
            if healthy
            else (404, ""),
        }
    )


@dataclass
class Site:
    url: str
    routes: Routes


@pytest.fixture
def mastodon_site(tls: Cert, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Site]]:
    """`mastodon_site(healthy=...)`: Mastodon's endpoints over HTTPS on localhost, its certificate trusted."""
    servers: list[ThreadingHTTPServer] = []
    monkeypatch.setenv("SSL_CERT_FILE", str(tls.cert))

    def start(**kwargs: Any) -> Site:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(tls.cert, tls.key)
        routes = mastodon_routes(**kwargs)
        server, port = serve(routes, context)
        servers.append(server)
        return Site(f"https://localhost:{port}", routes)

    yield start
    for server in servers:
        server.shutdown()


def apply_events(*addresses: str) -> list[dict[str, Any]]:
    """A `terraform apply -json` stream that creates each address in turn."""
    events: list[dict[str, Any]] = [{"type": "version", "terraform": "1.11.4"}]
    for address in addresses:
        resource_type = address.split(".")[-2]
        resource = {"addr": address, "resource_type": resource_type}
        events += [
            {
                "type": "apply_start",
                "@message": f"{address}: Creating...",
                "hook": {"resource": resource, "action": "create"},
            },
            {"type": "apply_progress", "hook": {"resource": resource, "action": "create", "elapsed_seconds": 10}},
            {"type": "apply_complete", "hook": {"resource": resource, "action": "create", "elapsed_seconds": 12}},
        ]
    events.append(
        {
            "type": "change_summary",
            "@message": f"Apply complete! Resources: {len(addresses)} added, 0 changed, 0 destroyed.",
        }
    )
    return events


INSTANCE_RESOURCES = (
    "module.mastodon.module.doks.digitalocean_vpc.this[0]",
    "module.mastodon.module.doks.digitalocean_kubernetes_cluster.this",
    "module.mastodon.module.databases.digitalocean_database_cluster.postgres",
    "module.mastodon.module.spaces.digitalocean_spaces_bucket.this",
    "module.mastodon.module.mastodon.kubernetes_namespace_v1.this",
    "module.mastodon.module.mastodon.helm_release.mastodon",
)
