"""`terraform fmt` leaves every file as it is (needs only the binary, no providers)."""

from __future__ import annotations

import subprocess

import pytest

from tooling import pins, toolchain

pytestmark = pytest.mark.static


def test_terraform_fmt_is_clean() -> None:
    chosen = pins.load()
    binary = toolchain.resolve_binary(chosen.terraform_minimum, chosen.opentofu, toolchain.cache_dir(), toolchain.gobuild.build, print)
    proc = subprocess.run(
        [str(binary.path), "fmt", "-check", "-recursive", "-list=true", "."],
        cwd=pins.ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    unformatted = [line for line in proc.stdout.splitlines() if ".terraform" not in line]
    assert proc.returncode == 0 and not unformatted, f"run `terraform fmt -recursive`: {unformatted or proc.stderr}"
