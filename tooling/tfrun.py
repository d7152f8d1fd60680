"""Run terraform on temporary copies of the project, with the toolchain's binary and CLI config (a `Runner`)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import tftest

from tooling import mocks
from tooling.pins import ROOT

if TYPE_CHECKING:
    from tooling.toolchain import Toolchain

# What a copy needs: every Terraform source plus the local charts modules carry. Never state or caches.
_IGNORE = shutil.ignore_patterns(
    ".terraform", ".terraform.lock.hcl", "*.tfstate*", ".git", ".venv", "__pycache__", ".pytest_cache", "*.pyc"
)
COPIED = ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "modules", "examples", "tests", "scripts")


def copy_project(dest: Path, opentofu: bool = False) -> Path:
    """Copy the project's Terraform tree into `dest` (tftest's cleanup deletes files in the module dir); for
    OpenTofu, which has no mock_provider `source`, with the shared mocks written into the test files."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=_IGNORE, dirs_exist_ok=True)
        elif src.is_file():
            shutil.copy2(src, dest / name)
    for tf in ROOT.glob("*.tf"):
        shutil.copy2(tf, dest / tf.name)
    if opentofu:
        mocks.inline_tree(dest)
    return dest


def view(relative: str, dest: Path, opentofu: bool = False, root: Path = ROOT) -> Path:
    """A working directory that reads as `root/relative` without copying the project: `dest` mirrors the path
    from `root` down to that directory with real directories, and every other entry on the way is a symlink to
    the project's own (but no `.terraform` directory or lock file). Local module sources (`../../`,
    `./modules/x`) resolve as in the tree, while what terraform writes (`.terraform`, the lock file, a file a
    caller adds) lands in `dest`, never in the project. For OpenTofu, which has no mock_provider `source`, the
    directory's own test files are written with the shared mocks. Returns the directory to run terraform in."""
    parts = Path(relative).parts if relative != "." else ()
    mirror = dest
    for depth in range(len(parts) + 1):
        source = root.joinpath(*parts[:depth])
        mirror = dest.joinpath(*parts[:depth])
        mirror.mkdir(parents=True, exist_ok=True)
        inner = parts[depth] if depth < len(parts) else None
        for entry in source.iterdir():
            if entry.name != inner and entry.name not in _NOT_VIEWED:
                _link(entry, mirror / entry.name, tests=inner is None and opentofu)
    return mirror


# What terraform wrote into the tree (someone's init or deploy) and the repository: never part of a view.
_NOT_VIEWED = (".terraform", ".terraform.lock.hcl", ".git")


def _link(source: Path, target: Path, tests: bool) -> None:
    """A symlink to `source`; with `tests`, the module's test files (`*.tftest.hcl` beside it or in `tests/`)
    are written instead, with the shared mocks in place of `source` (mocks.inline_sources)."""
    if tests and source.is_file() and source.name.endswith(".tftest.hcl"):
        target.write_text(mocks.inline_sources(source.read_text(), source.parent))
    elif tests and source.is_dir() and source.name == "tests":
        target.mkdir()
        for entry in source.iterdir():
            if entry.is_file() and entry.name.endswith(".tftest.hcl"):
                target.joinpath(entry.name).write_text(mocks.inline_sources(entry.read_text(), source.parent))
            else:
                target.joinpath(entry.name).symlink_to(entry)
    else:
        target.symlink_to(source)


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@dataclass(frozen=True)
class Runner:
    """Terraform with a toolchain: the binary and the environment (CLI config, PATH, extras) every call gets, so
    callers pass a runner instead of writing the toolchain into `os.environ`."""

    binary: str
    env: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, chain: Toolchain, tests: bool = False, **extra: str) -> Runner:
        """The toolchain's terraform; `tests=True` as the test session runs it (schema doubles allowed)."""
        env = chain.env(tests=tests)
        return cls(env["TERRAFORM"], {**env, **extra})

    @property
    def opentofu(self) -> bool:
        """True when the binary is OpenTofu (`TFDOM_BINARY_KIND`, which the toolchain sets with `TERRAFORM`)."""
        return self.env.get("TFDOM_BINARY_KIND") == "tofu"

    def with_env(self, **extra: str) -> Runner:
        return Runner(self.binary, {**self.env, **extra})

    def environ(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        """The environment of one call: the process's, the runner's, then `extra`."""
        return {**os.environ, "TF_IN_AUTOMATION": "1", **self.env, **(extra or {})}

    def run(self, args: list[str], cwd: Path, env: Mapping[str, str] | None = None, timeout: float = 900) -> Result:
        proc = subprocess.run(
            [self.binary, *args],
            cwd=cwd,
            env=self.environ(env),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    def init(self, cwd: Path) -> Result:
        result = self.run(["init", "-backend=false", "-input=false", "-no-color"], cwd)
        if result.returncode != 0:
            raise RuntimeError(f"terraform init failed in {cwd}:\n{result.output}")
        return result

    def test_json(self, cwd: Path, *extra: str) -> tuple[Result, list[dict[str, object]]]:
        """`terraform test -json`: the raw result and its parsed event lines."""
        result = self.run(["test", "-no-color", "-json", *extra], cwd)
        events = [json.loads(line) for line in map(str.strip, result.stdout.splitlines()) if line.startswith("{")]
        return result, events

    def tftest(self, workdir: Path) -> tftest.TerraformTest:
        """A tftest handle on an already-copied directory, with this runner's binary and environment."""
        return tftest.TerraformTest(tfdir=str(workdir), binary=self.binary, env=dict(self.environ()))


class Workdirs:
    """Initialized private copies of the project. `get("examples/minimal")` copies the project and runs
    `terraform init` in that directory only the first time its content is seen (the root's files, with any the
    caller adds): later copies get the saved `.terraform` and lock file instead."""

    def __init__(self, runner: Runner, base: Path) -> None:
        self.runner = runner
        self.base = base
        self.inits = 0
        self._saved: dict[str, Path] = {}

    def get(self, relative: str, files: Mapping[str, str] | None = None) -> Path:
        copy = copy_project(Path(tempfile.mkdtemp(prefix="project-", dir=self.base)), self.runner.opentofu)
        root = copy / relative
        for name, text in (files or {}).items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text)
        key = digest(root)
        saved = self._saved.get(key)
        if saved is None:
            self.runner.init(root)
            self.inits += 1
            saved = self.base / "inits" / key
            shutil.copytree(root / ".terraform", saved / ".terraform", symlinks=True)
            if (root / LOCK).is_file():
                shutil.copy2(root / LOCK, saved / LOCK)
            self._saved[key] = saved
        else:
            shutil.copytree(saved / ".terraform", root / ".terraform", symlinks=True)
            if (saved / LOCK).is_file():
                shutil.copy2(saved / LOCK, root / LOCK)
        return root


LOCK = ".terraform.lock.hcl"


def digest(root: Path) -> str:
    """A hash of every file under `root` (paths and bytes), leaving out what init and runs write."""
    hasher = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = path.relative_to(root)
        if relative.parts[0] == ".terraform" or path.name == LOCK or ".tfstate" in path.name:
            continue
        hasher.update(str(relative).encode() + b"\0" + path.read_bytes() + b"\0")
    return hasher.hexdigest()[:16]
