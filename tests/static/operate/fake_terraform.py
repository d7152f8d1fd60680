"""A stand-in terraform binary for the operator verbs' tests: records every call, answers from a scenario.

Installed by the `fake_tf` fixture as an executable named `terraform`. Environment:
  FAKE_TF_DIR   directory holding scenario.json (answers), calls.jsonl (the record) and state.json (addresses)
Scenario keys: outputs {name: value}, apply_events [event objects], apply_rc [exit codes, one per apply call,
the last repeats], destroy_rc [likewise], plan_rc, show {"state": {...}, "plan": {...}} for `show -json`.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

HERE = Path(os.environ["FAKE_TF_DIR"])


def _load(name: str, default: object) -> object:
    path = HERE / name
    return json.loads(path.read_text()) if path.is_file() else default


def _count(kind: str) -> int:
    calls = [json.loads(line) for line in (HERE / "calls.jsonl").read_text().splitlines()]
    return sum(1 for call in calls if call["argv"][:1] == [kind])


def _write_state_file(cwd: Path) -> None:
    # Created the way terraform creates it (0666 before the umask): the runner's umask and chmod must protect it.
    fd = os.open(cwd / "terraform.tfstate", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    os.write(fd, b'{"version": 4, "secrets": "would be here"}')
    os.close(fd)


def main(argv: list[str]) -> int:
    scenario: dict[str, Any] = _load("scenario.json", {})  # type: ignore[assignment]
    state: list[str] = _load("state.json", scenario.get("state", []))  # type: ignore[assignment]
    cwd = Path.cwd()
    with (HERE / "calls.jsonl").open("a") as record:
        record.write(json.dumps({"argv": argv, "cwd": str(cwd), "umask": _umask()}) + "\n")
    verb = argv[0] if argv else ""
    flags = [a for a in argv[1:] if a.startswith("-")]
    targets = [a.split("=", 1)[1] for a in flags if a.startswith("-target=")]

    if verb == "version":
        print(json.dumps({"terraform_version": scenario.get("version", "1.11.4")}))
        return 0
    if verb == "init":
        return int(scenario.get("init_rc", 0))
    if verb == "plan":
        fd = os.open(cwd / "tfplan", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        os.write(fd, b"plan")
        os.close(fd)
        print("Plan: 3 to add, 0 to change, 0 to destroy.")
        return int(scenario.get("plan_rc", 0))
    if verb == "apply":
        if "-json" in argv:
            for event in scenario.get("apply_events", []):
                print(json.dumps(event), flush=True)
        _write_state_file(cwd)
        codes = scenario.get("apply_rc", [0])
        return int(codes[min(_count("apply") - 1, len(codes) - 1)])
    if verb == "destroy":
        codes = scenario.get("destroy_rc", [0])
        code = int(codes[min(_count("destroy") - 1, len(codes) - 1)])
        if code == 0:
            kept = [
                a
                for a in state
                if targets and not any(a == t or a.startswith(t + ".") or a.startswith(t + "[") for t in targets)
            ]
            (HERE / "state.json").write_text(json.dumps(kept))
        return code
    if verb == "state" and argv[1:2] == ["list"]:
        print("\n".join(state))
        return 0
    if verb == "state" and argv[1:2] == ["rm"]:
        gone = [a for a in argv[2:] if not a.startswith("-")]
        (HERE / "state.json").write_text(json.dumps([a for a in state if a not in gone]))
        return 0
    if verb == "output":
        outputs = scenario.get("outputs", {}) if state or not scenario.get("state") else {}
        print(json.dumps({k: {"value": v, "sensitive": False, "type": "string"} for k, v in outputs.items()}))
        return 0
    if verb == "show":
        which = "plan" if any(not a.startswith("-") for a in argv[1:]) else "state"
        print(json.dumps(scenario.get("show", {}).get(which, {})))
        return 0
    print(f"fake terraform: unhandled {argv}", file=sys.stderr)
    return 2


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
