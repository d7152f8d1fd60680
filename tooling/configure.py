"""The few values a first deploy needs: asked on a terminal and written to terraform.tfvars, or listed when missing.

Prompts use plain `input()`: it works on any terminal (with readline editing) and in a pseudo-terminal test,
whereas prompt_toolkit-based libraries query the cursor position and redraw, which a plain pty does not answer.
Secrets (the API token, the SMTP password) are never asked for nor written: they come from the environment.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tooling.instance import TFVARS, OperateError, read_settings

Ask = Callable[[str], str]
FQDN = re.compile(r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
NAME = re.compile(r"^[a-z][a-z0-9-]{1,30}[a-z0-9]$")
BLOCKED_SMTP_PORTS = (25, 465, 587)
SECRET_ENV = {
    "DIGITALOCEAN_TOKEN": "a read/write DigitalOcean API token",
    "TF_VAR_smtp_password": "the SMTP relay's password",
}


@dataclass(frozen=True)
class Question:
    key: str  # dotted for nested values: smtp.server
    prompt: str
    default: str | None = None


QUESTIONS = (
    Question("name", "Instance name (base of every resource name)", "mastodon"),
    Question("domain", "Mastodon domain (e.g. social.example.com)"),
    Question("dns_zone", "DigitalOcean DNS zone holding it (e.g. example.com), or 'none' if DNS is elsewhere"),
    Question("region", "Region (ams3, atl1, blr1, fra1, lon1, nyc3, sfo3, sgp1, syd1, tor1)", "fra1"),
    Question("admin_email", "Admin e-mail (also the Let's Encrypt account)"),
    Question("smtp.server", "SMTP relay host"),
    Question("smtp.port", "SMTP port (DigitalOcean blocks 25, 465 and 587)", "2525"),
    Question("smtp.login", "SMTP login"),
    Question("smtp.from_address", "From address for mails (e.g. notifications@social.example.com)"),
)
REQUIRED = ("domain", "admin_email", "smtp.server", "smtp.login", "smtp.from_address")


def _get(values: dict[str, Any], key: str) -> Any:
    for part in key.split("."):
        if not isinstance(values, dict):
            return None
        values = values.get(part)  # type: ignore[assignment]
    return values


def _set(values: dict[str, Any], key: str, value: Any) -> None:
    *parents, last = key.split(".")
    for part in parents:
        values = values.setdefault(part, {})
    values[last] = value


def problems(values: dict[str, Any]) -> list[str]:
    """What is wrong with the values, one short line each (empty when they are consistent)."""
    found = [f"{key} is missing" for key in REQUIRED if not _get(values, key)]
    domain, zone = values.get("domain"), values.get("dns_zone")
    if domain and not FQDN.match(str(domain)):
        found.append(f"domain {domain!r} is not a lowercase fully qualified name")
    if zone and domain and not (domain == zone or str(domain).endswith("." + str(zone))):
        found.append(f"domain {domain} is not inside dns_zone {zone}; give the zone holding it, or none")
    if zone and not FQDN.match(str(zone)):
        found.append(f"dns_zone {zone!r} is not a lowercase domain name")
    if values.get("name") and not NAME.match(str(values["name"])):
        found.append("name must be 3-32 lowercase letters, digits and hyphens, starting with a letter")
    email = values.get("admin_email")
    if email and not EMAIL.match(str(email)):
        found.append(f"admin_email {email!r} is not an e-mail address")
    port = _get(values, "smtp.port")
    if port is not None and (not str(port).isdigit() or int(port) in BLOCKED_SMTP_PORTS):
        found.append(f"smtp.port {port} is not usable (DigitalOcean blocks 25, 465 and 587; try 2525)")
    return found


def _answer(question: Question, raw: str) -> Any:
    text = raw.strip() or (question.default or "")
    if question.key == "dns_zone":
        return None if text.lower() in ("", "none", "null", "-") else text.lower()
    if question.key == "smtp.port":
        return int(text) if text.isdigit() else text
    return text.lower() if question.key in ("domain", "name", "region") else text


def ask(ask_fn: Ask = input, say: Callable[[str], None] = print) -> dict[str, Any]:
    """Ask every question until the answers are consistent; re-asks only what is wrong."""
    values: dict[str, Any] = {}
    pending = list(QUESTIONS)
    while pending:
        for question in pending:
            suffix = f" [{question.default}]" if question.default else ""
            _set(values, question.key, _answer(question, ask_fn(f"{question.prompt}{suffix}: ")))
        wrong = problems(values)
        for line in wrong:
            say(f"  ! {line}")
        pending = [q for q in QUESTIONS if any(line.startswith(q.key) for line in wrong)]
    return values


def render(values: dict[str, Any]) -> str:
    """terraform.tfvars text (JSON values are valid HCL expressions)."""
    lines = [
        "# Written by ./run deploy. Secrets stay out of this file: export DIGITALOCEAN_TOKEN and",
        "# TF_VAR_smtp_password instead.",
    ]
    for key, value in values.items():
        if isinstance(value, dict):
            lines.append(f"{key} = {{")
            lines += [f"  {k} = {json.dumps(v)}" for k, v in value.items()]
            lines.append("}")
        else:
            lines.append(f"{key} = {'null' if value is None else json.dumps(value)}")
    return "\n".join(lines) + "\n"


def missing_secrets(needed: tuple[str, ...] = tuple(SECRET_ENV)) -> list[str]:
    return [name for name in needed if not os.environ.get(name)]


def ensure_tfvars(
    directory: Path, interactive: bool, ask_fn: Ask = input, say: Callable[[str], None] = print
) -> dict[str, Any]:
    """The instance's settings: read, or asked for and written when there are none yet."""
    path = directory / TFVARS
    if path.is_file():
        settings = read_settings(directory)
    elif interactive:
        say(f"No {path} yet: a few questions (Enter keeps the [default]).")
        settings = ask(ask_fn, say)
        path.write_text(render(settings))
        say(f"wrote {path}")
    else:
        raise OperateError(
            f"{path} is missing and there is no terminal to ask on: write it (see terraform.tfvars.example) "
            f"with {', '.join(REQUIRED)}, and dns_zone (or null), or run ./run deploy on a terminal"
        )
    wrong = problems(settings)
    if wrong:
        raise OperateError(f"{path}: " + "; ".join(wrong))
    return settings
