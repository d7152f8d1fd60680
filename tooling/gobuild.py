"""Build a Go main package from the Go module proxy inside a throwaway wrapper module.

A wrapper module is needed because `go install pkg@version` refuses modules whose own go.mod has `replace`
directives, and because provider repositories without a `/vN` path suffix only resolve as pseudo-versions.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from tooling.pins import Double, GoBuild

_REPLACE_LINE = re.compile(r"^\s*(?:replace\s+)?(\S+)(?:\s+v\S+)?\s+=>\s+(\S+)(?:\s+(v\S+))?\s*$")
_MAJOR_SUFFIX = re.compile(r"^v[0-9]+$")


class BuildError(RuntimeError):
    """A Go download or build failed; the message is the one line that says why."""


def go_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(GOTOOLCHAIN="local", CGO_ENABLED="0", GOFLAGS="-mod=mod")
    return env


def _run(args: list[str], cwd: Path) -> str:
    proc = subprocess.run(args, cwd=cwd, env=go_env(), capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise BuildError(_why(proc.stdout + proc.stderr) or f"{' '.join(args)} exited {proc.returncode}")
    return proc.stdout


def _why(output: str) -> str:
    """The most telling line of a failed go command (a proxy refusal, else the last line)."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for line in lines:
        if "Forbidden" in line or "not available" in line or "invalid version" in line:
            return line
    return lines[-1] if lines else ""


def _download(target: GoBuild, work: Path) -> dict[str, str]:
    """`go mod download -json`; on failure its JSON `Error`, flattened to one line, is the reason."""
    args = ["go", "mod", "download", "-json", target.module_at_version]
    proc = subprocess.run(args, cwd=work, env=go_env(), capture_output=True, text=True, check=False)
    try:
        info: dict[str, str] = json.loads(proc.stdout)
    except ValueError:
        info = {"Error": _why(proc.stdout + proc.stderr) or f"go mod download exited {proc.returncode}"}
    if info.get("Error") or proc.returncode != 0:
        raise BuildError(" ".join(info.get("Error", "").split()) or _why(proc.stderr))
    return info


def versioned_replaces(go_mod_text: str) -> list[tuple[str, str]]:
    """`replace` directives of a go.mod that point at another module version (local paths are skipped)."""
    return [(old, f"{new}@{version}") for old, new, version in _replaces(go_mod_text) if version]


def local_replaces(go_mod_text: str) -> list[str]:
    """Modules a go.mod replaces by a local path (`k8s.io/api => ./staging/src/k8s.io/api`)."""
    return [old for old, new, version in _replaces(go_mod_text) if not version and new.startswith(".")]


def _replaces(go_mod_text: str) -> list[tuple[str, str, str]]:
    """(old module, new module or path, version or "") for every `replace` of a go.mod."""
    replaces: list[tuple[str, str, str]] = []
    in_block = False
    for raw in go_mod_text.splitlines():
        line = raw.split("//", 1)[0].strip()
        if line.startswith("replace ("):
            in_block = True
            continue
        if in_block and line == ")":
            in_block = False
            continue
        if in_block or line.startswith("replace "):
            match = _REPLACE_LINE.match(line)
            if match:
                old, new, version = match.groups()
                replaces.append((old, new, version or ""))
    return replaces


def executable_name(package: str) -> str:
    """What `go build -o DIR/` names a main package's executable: its last path element, or the one before a
    major-version suffix (go.etcd.io/etcd/server/v3 -> server)."""
    parts = package.rstrip("/").split("/")
    return parts[-2] if len(parts) > 1 and _MAJOR_SUFFIX.match(parts[-1]) else parts[-1]


def build(target: GoBuild, output: Path) -> Path:
    """Build `target`'s main package into `output` (an executable path) and return it."""
    built = build_many(target, output.parent, names={target.package: output.name})
    return built[target.package]


def build_many(target: GoBuild, out_dir: Path, names: dict[str, str] | None = None) -> dict[str, Path]:
    """Build every package of `target` in one `go build` (they share compiled dependencies) into `out_dir`.

    Returns package -> executable; `names` renames executables (default: the package's last path element).
    """
    if shutil.which("go") is None:
        raise BuildError("the `go` command is not on PATH (Go >= 1.24 is needed to build from the Go module proxy)")
    names = names or {}
    with tempfile.TemporaryDirectory(prefix="tfdom-gobuild-") as tmp:
        work = Path(tmp)
        _run(["go", "mod", "init", "tfdom.local/wrapper"], work)
        info = _download(target, work)
        go_mod = Path(info["GoMod"]).read_text()
        for old, new in versioned_replaces(go_mod):
            _run(["go", "mod", "edit", f"-replace={old}={new}"], work)
        if target.staging_version:
            for old in local_replaces(go_mod):
                _run(["go", "mod", "edit", f"-replace={old}={old}@{target.staging_version}"], work)
        _run(["go", "get", target.module_at_version], work)
        staging = work / "out"
        staging.mkdir()
        ldflags = " ".join(("-s", "-w", *target.ldflags))
        _run(["go", "build", "-trimpath", f"-ldflags={ldflags}", "-o", f"{staging}/", *target.packages], work)
        # Only finished binaries enter the cache or mirror: an empty version directory there would shadow others.
        out_dir.mkdir(parents=True, exist_ok=True)
        result: dict[str, Path] = {}
        for package in target.packages:
            final = out_dir / names.get(package, executable_name(package))
            shutil.move(staging / executable_name(package), final)
            result[package] = final
    return result


def double_fingerprint(double: Double, address: str) -> str:
    """What a built double depends on: its Go sources, its module files, the schema and the address it serves."""
    digest = hashlib.sha256(address.encode())
    for path in sorted(double.source_dir.iterdir()):
        if path.is_file() and (path.suffix == ".go" or path.name in ("go.mod", "go.sum")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    digest.update(double.schema.read_bytes())
    return digest.hexdigest()[:16]


def build_double(double: Double, address: str, output: Path) -> Path:
    """Build the schema double in `double.source_dir` with `double.schema` embedded, serving `address`."""
    if shutil.which("go") is None:
        raise BuildError("the `go` command is not on PATH (Go >= 1.24 is needed to build the provider double)")
    with tempfile.TemporaryDirectory(prefix="tfdom-double-") as tmp:
        work = Path(tmp) / "src"
        shutil.copytree(double.source_dir, work, ignore=shutil.ignore_patterns("*_test.go", "schema.json"))
        shutil.copy2(double.schema, work / "schema.json")
        built = Path(tmp) / output.name
        ldflags = f"-s -w -X main.address={address}"
        _run(["go", "build", "-trimpath", f"-ldflags={ldflags}", "-o", str(built), "."], work)
        output.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(built, output)
    return output
