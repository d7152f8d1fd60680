"""README: one section per operator task, in the order an operator meets them, naming only real tasks."""

from __future__ import annotations

import re

import tasks
from tooling.pins import ROOT

ORDER = [
    "./run deploy",
    "./run status",
    "./run admin",
    "./run kubeconfig",
    "./run backend",
    "./run upgrade",
    "restore",
    "./run teardown",
]


def _operating_headings() -> list[str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Operating an instance", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^### (.+)$", section, re.M)


def test_one_section_per_task_in_the_operators_order() -> None:
    headings = _operating_headings()
    positions = [next(i for i, h in enumerate(headings) if key in h.lower() or key in h) for key in ORDER]
    assert positions == sorted(positions), headings
    assert len(headings) == len(ORDER), headings


def test_every_operator_task_has_its_section_and_exists() -> None:
    for key in ORDER:
        if key.startswith("./run "):
            name = key.split()[1]
            assert hasattr(getattr(tasks, name, None), "body"), f"tasks.py has no task {name}"


def test_the_restore_drill_walks_through_each_step() -> None:
    text = (ROOT / "README.md").read_text()
    drill = text.split("### Backup and restore", 1)[1].split("\n### ", 1)[0]
    steps = re.findall(r"^(\d)\. \*\*(.+?)\*\*", drill, re.M)
    assert [n for n, _ in steps] == ["1", "2", "3", "4", "5"]
    assert "new name" in steps[1][1].lower() and "check" in steps[2][1].lower() and "switch" in steps[3][1].lower()
    assert "postgres_restore_from" in drill and "backup_restore" in drill
