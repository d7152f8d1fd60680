"""The secret generation of modules/mastodon-helm applied for real (random + tls run offline)."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tooling import tfrun

FIXTURE = "tests/apply/fixtures/secrets"
URLSAFE_PADDED = re.compile(r"^[A-Za-z0-9_-]+={0,2}$")


def _apply(terraform: tfrun.Runner, workdir: Path, *args: str) -> None:
    result = terraform.run(["apply", "-auto-approve", "-input=false", "-no-color", *args], workdir)
    assert result.returncode == 0, result.output


def _values(terraform: tfrun.Runner, workdir: Path) -> dict[str, str]:
    result = terraform.run(["output", "-json", "values"], workdir)
    assert result.returncode == 0, result.output
    values: dict[str, str] = json.loads(result.stdout)
    return values


@pytest.fixture(scope="module")
def applied(terraform: tfrun.Runner, workdirs: tfrun.Workdirs) -> Any:
    workdir = workdirs.get(FIXTURE)
    _apply(terraform, workdir)
    yield workdir
    result = terraform.run(["destroy", "-auto-approve", "-input=false", "-no-color"], workdir)
    assert result.returncode == 0, result.output


@pytest.mark.providers("random", "tls")
def test_vapid_public_key_is_the_point_of_the_private_key(applied: Path, terraform: tfrun.Runner) -> None:
    values = _values(terraform, applied)
    private, public = values["vapid_private_key"], values["vapid_public_key"]
    # Ruby's Base64.urlsafe_encode64 (what mastodon:webpush:generate_vapid_key prints) pads with "=".
    assert URLSAFE_PADDED.match(private) and len(private) == 44 and private.endswith("="), private
    assert URLSAFE_PADDED.match(public) and len(public) == 88 and public.endswith("="), public
    scalar = base64.urlsafe_b64decode(private)
    point = base64.urlsafe_b64decode(public)
    assert len(scalar) == 32
    assert len(point) == 65 and point[0] == 0x04
    key = ec.derive_private_key(int.from_bytes(scalar, "big"), ec.SECP256R1())
    expected = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    assert point == expected
    # And the point loads as a valid P-256 public key on its own.
    ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)


@pytest.mark.providers("random", "tls")
def test_other_secrets_have_mastodons_lengths_and_alphabets(applied: Path, terraform: tfrun.Runner) -> None:
    values = _values(terraform, applied)
    assert re.fullmatch(r"[0-9a-f]{128}", values["secret_key_base"]), values["secret_key_base"]
    for key in ("are_primary_key", "are_deterministic_key", "are_derivation_salt"):
        assert re.fullmatch(r"[A-Za-z0-9]{32}", values[key]), (key, values[key])
    assert len({values["are_primary_key"], values["are_deterministic_key"], values["are_derivation_salt"]}) == 3


@pytest.mark.providers("random", "tls")
def test_secrets_are_stable_across_plans_and_unrelated_inputs(applied: Path, terraform: tfrun.Runner) -> None:
    before = _values(terraform, applied)
    plan = terraform.run(["plan", "-detailed-exitcode", "-input=false", "-no-color"], applied)
    assert plan.returncode == 0, plan.output  # 0 = no changes, 2 = changes
    # Bringing only an OTP secret (unrelated to the six values) must rotate nothing.
    _apply(terraform, applied, "-var", f'existing={{otp_secret="{"0123456789abcdef" * 8}"}}')
    assert _values(terraform, applied) == before
    _apply(terraform, applied)
    assert _values(terraform, applied) == before


@pytest.mark.providers("random", "tls")
def test_brought_values_win_over_generated_ones(applied: Path, terraform: tfrun.Runner) -> None:
    plan = terraform.run(
        ["plan", "-input=false", "-no-color", "-var", 'existing={vapid_private_key="only-one"}'], applied
    )
    assert plan.returncode != 0
    # Terraform wraps long messages: compare with the line breaks folded.
    assert "come as a pair" in " ".join(plan.output.split())
    brought = (
        'are_primary_key="abcdefghijklmnopqrstuvwxyz012345",are_deterministic_key="bcdefghijklmnopqrstuvwxyz0123456"'
    )
    half = terraform.run(["plan", "-input=false", "-no-color", "-var", f"existing={{{brought}}}"], applied)
    assert half.returncode != 0
    assert "go together" in " ".join(half.output.split())
    _apply(terraform, applied, "-var", f'existing={{{brought},are_derivation_salt="cdefghijklmnopqrstuvwxyz01234567"}}')
    assert _values(terraform, applied)["are_primary_key"] == "abcdefghijklmnopqrstuvwxyz012345"
    _apply(terraform, applied)
    assert _values(terraform, applied)["are_primary_key"] != "abcdefghijklmnopqrstuvwxyz012345"
