"""`./run backend` against a local S3 (moto) on 127.0.0.1: the bucket, the files, and real terraform using them.

The terraform runs are real (init with the written backend configuration, migration of a local state, apply),
on a configuration of one `terraform_data` resource, which needs no provider. What the task refuses before any
S3 call is checked in tests/static/operate/test_backend.py.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest

from tooling import statebackend, tfrun
from tooling.instance import BACKEND_CONFIG, MIGRATED_STATE, Terraform


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(url, timeout=1)
            break
        except httpx.HTTPError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("moto server did not start", pytrace=False)
            time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def spaces(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(statebackend.ENDPOINT_ENV, s3_endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "DO00TESTKEY")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
    return s3_endpoint


def _s3(endpoint: str) -> Any:
    return boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y"
    )


def test_the_state_bucket_is_created_once_versioned_and_the_files_written(spaces: str, tmp_path: Path) -> None:
    _, created = statebackend.setup(tmp_path, "social-tfstate", "fra1", "social/terraform.tfstate")
    assert created
    _, again = statebackend.setup(tmp_path, "social-tfstate", "fra1", "social/terraform.tfstate")
    assert again is False, "a second run reuses the bucket"
    assert _s3(spaces).get_bucket_versioning(Bucket="social-tfstate")["Status"] == "Enabled"
    text = (tmp_path / BACKEND_CONFIG).read_text()
    assert (
        'bucket = "social-tfstate"' in text
        and f's3 = "{spaces}"' in text
        and "skip_credentials_validation = true" in text
    )
    assert "DO00TESTKEY" not in text and "test-secret" not in text
    assert 'backend "s3" {}' in (tmp_path / statebackend.BACKEND_FILE).read_text()


def test_terraform_moves_a_local_state_into_the_bucket_and_keeps_using_it(
    spaces: str, tmp_path: Path, terraform: tfrun.Runner
) -> None:
    work = tmp_path / "instance"
    work.mkdir()
    (work / "main.tf").write_text(
        'variable "word" {\n  type = string\n}\n\nresource "terraform_data" "x" {\n  input = var.word\n}\n'
    )
    tf = Terraform(binary=terraform.binary, cwd=work, env=dict(terraform.env), log=lambda _: None)
    tf.init()
    assert tf.run(["apply", "-input=false", "-auto-approve", "-var=word=hello"], capture=True).returncode == 0
    assert (work / "terraform.tfstate").stat().st_mode & 0o777 == 0o600

    statebackend.setup(work, "social-tfstate-2", "fra1", "social/terraform.tfstate")
    tf.init()
    assert not (work / "terraform.tfstate").exists()
    assert (work / MIGRATED_STATE).stat().st_mode & 0o777 == 0o600
    applied = tf.run(["apply", "-input=false", "-auto-approve", "-var=word=world"], capture=True)
    assert applied.returncode == 0, applied.stderr

    body = _s3(spaces).get_object(Bucket="social-tfstate-2", Key="social/terraform.tfstate")["Body"].read()
    state = json.loads(body)
    (resource,) = [r for r in state["resources"] if r["type"] == "terraform_data"]
    assert resource["instances"][0]["attributes"]["input"] == {"value": "world", "type": "string"}
    assert state["serial"] >= 2, "the remote state continues the migrated one"
    versions = _s3(spaces).list_object_versions(Bucket="social-tfstate-2", Prefix="social/")["Versions"]
    assert len(versions) >= 2, "earlier states stay recoverable"
    tf.init()  # a later init neither migrates again nor fails
    assert not (work / "terraform.tfstate").exists()
