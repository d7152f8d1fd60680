"""scripts/wait-for-spaces-key.sh, run against a stand-in curl that answers like a Spaces key being activated."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tooling.pins import ROOT

SCRIPT = ROOT / "scripts" / "wait-for-spaces-key.sh"

# Answers the status codes listed in $FAKE_ANSWERS one per call (the last repeats), records each call's
# arguments and standard input, and advertises --aws-sigv4 in its help like curl >= 7.75.
FAKE_CURL = """#!/bin/sh
if [ "$1" = --help ]; then echo ' --aws-sigv4 <provider1[:prov2[:reg[:srv]]]> V4 signature auth'; exit 0; fi
n=$(cat "$STATE/n" 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" > "$STATE/n"
echo "$*" >> "$STATE/args"; cat >> "$STATE/stdin"
set -- $FAKE_ANSWERS; shift $(( n > $# ? $# - 1 : n - 1 )); printf '%s' "$1"
"""


def _run(tmp_path: Path, answers: str, timeout: int) -> subprocess.CompletedProcess[str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "curl").write_text(FAKE_CURL)
    (bin_dir / "curl").chmod(0o755)
    env = {
        "PATH": f"{bin_dir}:{os.environ['PATH']}", "STATE": str(tmp_path), "FAKE_ANSWERS": answers,
        "SPACES_ENDPOINT": "https://fra1.digitaloceanspaces.com", "SPACES_REGION": "fra1",
        "SPACES_ACCESS_KEY_ID": "DO00NEWKEY", "SPACES_SECRET_KEY": "new-secret", "TIMEOUT_SECONDS": str(timeout),
        "INTERVAL_SECONDS": "0",
    }
    return subprocess.run(["/bin/sh", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60, check=False)


def test_waits_until_the_key_is_accepted(tmp_path: Path) -> None:
    result = _run(tmp_path, "403 403 403 200", timeout=60)
    assert result.returncode == 0, result.stderr
    assert "accepted by https://fra1.digitaloceanspaces.com after 4 attempt(s)" in result.stdout
    calls = (tmp_path / "args").read_text().splitlines()
    assert len(calls) == 4
    assert all("--aws-sigv4 aws:amz:fra1:s3" in c and c.endswith("https://fra1.digitaloceanspaces.com/") for c in calls)
    # The secret goes through standard input, never the command line.
    assert all("new-secret" not in c for c in calls)
    assert (tmp_path / "stdin").read_text().splitlines()[0] == 'user = "DO00NEWKEY:new-secret"'


def test_gives_up_after_the_timeout_with_a_clear_error(tmp_path: Path) -> None:
    result = _run(tmp_path, "403", timeout=1)
    assert result.returncode == 1
    expected = "the new Spaces key DO00NEWKEY was not accepted by https://fra1.digitaloceanspaces.com within 1 s"
    assert expected in result.stderr
    assert "last answer: 403" in result.stderr and "spaces.key_wait_seconds" in result.stderr
    assert "new-secret" not in result.stderr + result.stdout
