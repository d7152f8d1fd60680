"""Inputs of the real-deployment tier: each variable of examples/minimal that has no default, from the
environment variable that names it, so the tier runs as documented without a tfvars file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from tooling import hcl
from tooling.pins import ROOT

EXAMPLE = ROOT / "examples" / "minimal"


@dataclass(frozen=True)
class Source:
    """Where an example variable comes from: a top-level variable, or one attribute of an object variable."""

    variable: str
    env: str
    attribute: str | None = None
    number: bool = False


# dns_zone is required here although the example defaults it to null: without a record in a DigitalOcean zone
# the HTTPS check can never succeed.
SOURCES = (
    Source("domain", "TFDOM_E2E_DOMAIN"),
    Source("dns_zone", "TFDOM_E2E_DNS_ZONE"),
    Source("admin_email", "TFDOM_E2E_ADMIN_EMAIL"),
    Source("smtp", "TFDOM_E2E_SMTP_SERVER", "server"),
    Source("smtp", "TFDOM_E2E_SMTP_PORT", "port", number=True),
    Source("smtp", "TFDOM_E2E_SMTP_LOGIN", "login"),
    Source("smtp", "TFDOM_E2E_SMTP_FROM", "from_address"),
    Source("smtp_password", "TFDOM_E2E_SMTP_PASSWORD"),
)
OPTIONAL_ENV = {"TFDOM_E2E_SMTP_PORT"}


class MissingInputs(ValueError):
    """Some environment variables the tier needs are not set; the message names them."""


def required_variables(example: Path = EXAMPLE) -> set[str]:
    """Variables of the example without a default: a plan needs a value for each."""
    return {name for name, body in hcl.load_module(example).variables.items() if "default" not in body}


def unsupplied(example: Path = EXAMPLE) -> set[str]:
    """Required variables of the example that no entry of SOURCES supplies (must be empty)."""
    return required_variables(example) - {s.variable for s in SOURCES}


def env_names() -> list[str]:
    return [s.env for s in SOURCES]


def inputs(environ: Mapping[str, str], name: str) -> dict[str, object]:
    """The tfvars for one run: `name` plus every variable from the environment; MissingInputs names the gaps."""
    missing = [s.env for s in SOURCES if not environ.get(s.env) and s.env not in OPTIONAL_ENV]
    if missing:
        raise MissingInputs(f"set {', '.join(missing)} (the inputs of examples/minimal the e2e tier needs)")
    values: dict[str, object] = {"name": name}
    for source in SOURCES:
        raw = environ.get(source.env)
        if not raw:
            continue
        value: object = int(raw) if source.number else raw
        if source.attribute is None:
            values[source.variable] = value
        else:
            target = values.setdefault(source.variable, {})
            if isinstance(target, dict):
                target[source.attribute] = value
    return values
