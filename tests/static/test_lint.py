"""`./run lint`'s own logic, without running a linter: which files it checks, how validate reports a provider
it cannot have, and the pre-commit hooks that call it (the linters themselves run in tests/lint)."""

from __future__ import annotations

from pathlib import Path

import yaml

from tooling import hcl, lint, toolchain
from tooling.pins import ROOT


def test_the_shell_scripts_are_found() -> None:
    assert {ROOT / "run", ROOT / ".ci" / "run"} <= set(lint.shell_scripts())


def test_validate_reports_a_provider_it_cannot_have_in_one_line(tmp_path: Path) -> None:
    """Where the DigitalOcean provider cannot be installed, the roots that need it are skipped, not crashed on."""
    chain = toolchain.Toolchain(
        binary=toolchain.Binary(tmp_path / "terraform", "terraform", "1.11.4"),
        mode="mirror",
        cli_config=tmp_path / "terraformrc",
        bin_dir=tmp_path,
        mirror=tmp_path,
        missing={"digitalocean": "the Go module proxy cannot provide it: 403 Forbidden"},
    )
    needs_it = [p for p in lint.shipped_dirs() if "digitalocean" in hcl.load_module(p).required_providers]
    outcome = lint.validate(chain, needs_it)
    assert outcome.ok and outcome.findings == []
    assert outcome.line() == (
        f"terraform validate: ok: 0 roots valid; {len(needs_it)} skipped: provider digitalocean is unavailable here: "
        "the Go module proxy cannot provide it: 403 Forbidden"
    )


def test_pre_commit_runs_lint_with_local_hooks_only() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    entries = [hook["entry"] for repo in config["repos"] for hook in repo["hooks"]]
    assert "./run lint" in entries
