"""The project's docs stand on their own: every document cited exists here, and each example's README names
the inputs it cannot apply without."""

from __future__ import annotations

import re
import subprocess

import pytest

from tooling import e2e
from tooling.pins import ROOT

CITING = (".tf", ".py", ".md", ".yaml", ".hcl", ".toml", ".sh")


def _tracked() -> list[str]:
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    return [name for name in listed.stdout.splitlines() if (ROOT / name).is_file()]


def test_every_cited_document_is_in_the_repository() -> None:
    files = _tracked()
    documents = {name for name in files if name.endswith(".md")}
    names = {name.rsplit("/", 1)[-1] for name in documents}
    dangling = []
    for name in files:
        if not name.endswith(CITING):
            continue
        for cited in re.findall(r"[A-Za-z0-9_./-]*[A-Za-z0-9_-]\.md\b", (ROOT / name).read_text()):
            base = cited.rsplit("/", 1)[-1]
            if base not in names:
                dangling.append(f"{name}: {cited}")
    assert dangling == [], "documents cited but not in the repository"
    assert "docs/architecture.md" in documents


@pytest.mark.parametrize("example", ["minimal", "production"])
def test_example_readme_names_every_required_input(example: str) -> None:
    readme = (ROOT / "examples" / example / "README.md").read_text().split("<!-- BEGIN_TF_DOCS -->")[0]
    required = e2e.required_variables(ROOT / "examples" / example)
    unnamed = sorted(name for name in required if f"`{name}`" not in readme)
    assert unnamed == [], f"examples/{example}/README.md does not say what to set: {unnamed}"
    assert "added to the root module separately" not in readme


def test_no_readme_promises_an_aaaa_record() -> None:
    """DigitalOcean's Service load balancers are IPv4-only: the module makes an A record only."""
    readmes = [name for name in _tracked() if name.endswith("README.md")]
    assert [name for name in readmes if "A/AAAA" in (ROOT / name).read_text()] == []
