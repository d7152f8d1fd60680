"""The repository's own promises: CI runs the README's test command, and the README's commands exist."""

from __future__ import annotations

import re
import tomllib

import pytest

from tooling import tiers
from tooling.pins import ROOT


def _quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"## Quick start.*?```sh\n(.*?)```", readme, re.S)
    assert block, "README has no Quick start sh block"
    return [line.split("#")[0].strip() for line in block.group(1).splitlines() if line.strip()]


def test_quick_start_is_exactly_two_commands() -> None:
    assert _quick_start_commands() == ["./run deploy", "./run test"]


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert _quick_start_commands()[1] in [line.strip() for line in ci]
    assert "set -euo pipefail" in ci[2] or "set -euo pipefail" in "\n".join(ci)
    assert re.search(r"status -eq 5", "\n".join(ci)), "pytest's 'no tests' exit must count as failure"


def test_the_readme_test_command_selects_every_tier() -> None:
    """`./run test` is pytest over tests/ with no marker filter, so CI runs every tier folder, lint included."""
    options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert options["testpaths"] == ["tests"]
    assert not {"-m", "-k"} & set(options["addopts"].split()), options["addopts"]
    assert "lint" in tiers.names()


def test_invoke_tasks_named_in_readme_exist() -> None:
    import tasks

    readme = (ROOT / "README.md").read_text()
    named = set(re.findall(r"\./run (\w+)", readme)) - {"test"}
    assert named >= {"deploy", "setup", "teardown", "docs", "env"}, named
    missing = [name for name in named if not hasattr(getattr(tasks, name, None), "body")]
    assert missing == [], f"README names tasks that tasks.py lacks: {missing}"


def test_readme_hcl_snippets_come_from_the_files_they_name() -> None:
    """Every line of a README snippet marked `<!-- snippet: PATH -->` stands in PATH (README code cannot rot)."""
    checked = 0
    for readme in [ROOT / "README.md", *ROOT.glob("modules/*/README.md"), *ROOT.glob("examples/*/README.md")]:
        text = readme.read_text()
        for match in re.finditer(r"<!-- snippet: (\S+) -->\s*```hcl\n(.*?)```", text, re.S):
            source = (ROOT / match.group(1)).read_text()
            source_lines = {line.strip() for line in source.splitlines()}
            missing = [
                line for line in match.group(2).splitlines() if line.strip() and line.strip() not in source_lines
            ]
            assert missing == [], f"{readme.relative_to(ROOT)}: lines not in {match.group(1)}: {missing}"
            checked += 1
    assert checked >= 1


@pytest.mark.parametrize("example", ["minimal", "production"])
def test_examples_export_what_their_readme_sends_the_operator_to(example: str) -> None:
    """The load balancer's address (records made elsewhere point at it) and where the admin's password is."""
    from tooling import hcl

    outputs = hcl.load_module(ROOT / "examples" / example).outputs
    assert {"load_balancer_ip", "mastodon_admin_secret", "mastodon_admin_password"} <= set(outputs), sorted(outputs)
    assert outputs["mastodon_admin_password"].get("sensitive") is True
