"""The `./run` verbs as an operator meets them: prompts on a pseudo-terminal, messages without one, `--help`."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pexpect
import pytest

from tests.static.operate.conftest import FakeTerraform
from tooling.pins import ROOT

TASKS = ("deploy", "teardown", "status", "admin", "kubeconfig", "upgrade", "backend")


def _env(fake_tf: FakeTerraform, tmp_path: Path, **extra: str) -> dict[str, str]:
    """The task runs the fake terraform through the real toolchain code, with a cache of its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_VAR_", "DIGITALOCEAN"))}
    env.update(
        TERRAFORM=str(fake_tf.binary),
        TFDOM_CACHE_DIR=str(tmp_path / "cache"),
        TFDOM_PROVIDERS="registry",
        FAKE_TF_DIR=str(fake_tf.dir),
        **extra,
    )
    return env


def _invoke(*args: str) -> list[str]:
    return [sys.executable, "-m", "invoke", "-r", str(ROOT), *args]


def _run(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """A task without a terminal, as a script or CI calls it."""
    return subprocess.run(
        argv, capture_output=True, text=True, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, check=False
    )


def _spawn(argv: list[str], env: dict[str, str]) -> pexpect.spawn:
    """A task on a pseudo-terminal, as an operator types at it."""
    return pexpect.spawn(argv[0], argv[1:], cwd=str(ROOT), env=env, encoding="utf-8", timeout=30)


@pytest.mark.parametrize("name", TASKS)
def test_every_task_has_help(name: str) -> None:
    result = subprocess.run(_invoke("--help", name), capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 0, result.stderr
    assert "Docstring:" in result.stdout and "--example" in result.stdout


def test_deploy_asks_on_a_terminal_writes_tfvars_without_secrets(
    instance_dir: Path, fake_tf: FakeTerraform, tmp_path: Path
) -> None:
    (instance_dir / "terraform.tfvars").unlink()
    fake_tf.scenario()
    env = _env(fake_tf, tmp_path, DIGITALOCEAN_TOKEN="dop_v1_pty", TF_VAR_smtp_password="pty-smtp-secret")
    child = _spawn(_invoke("deploy", "--example", str(instance_dir)), env)
    answers = [
        ("Instance name", ""),
        ("Mastodon domain", "social.other.test"),
        ("DNS zone", "example.test"),
        ("Region", ""),
        ("Admin e-mail", "admin@example.test"),
        ("SMTP relay host", "smtp.example.net"),
        ("SMTP port", "587"),
        ("SMTP login", "apikey"),
        ("From address", "notifications@social.example.test"),
        # Re-asked: the domain outside the zone, and the blocked port.
        ("not inside dns_zone example.test", ""),
        ("smtp.port 587 is not usable", ""),
        ("Mastodon domain", "social.example.test"),
        ("SMTP port", ""),
    ]
    for prompt, answer in answers:
        child.expect_exact(prompt)
        child.sendline(answer)
    child.expect_exact("Apply this plan? [y/N]")
    child.sendline("n")
    child.expect(pexpect.EOF)
    child.close()
    transcript = child.before or ""
    assert child.exitstatus == 1, transcript
    assert "not applied" in transcript
    text = (instance_dir / "terraform.tfvars").read_text()
    assert 'domain = "social.example.test"' in text and 'dns_zone = "example.test"' in text
    assert 'name = "mastodon"' in text and "port = 2525" in text and 'region = "fra1"' in text
    assert "pty-smtp-secret" not in text and "dop_v1_pty" not in text
    assert [c[0] for c in fake_tf.calls() if c[0] != "version"] == ["init", "plan"]


def test_teardown_asks_for_the_name_on_a_terminal(instance_dir: Path, fake_tf: FakeTerraform, tmp_path: Path) -> None:
    env = _env(fake_tf, tmp_path, DIGITALOCEAN_TOKEN="dop_v1_x")
    child = _spawn(_invoke("teardown", "--example", str(instance_dir), "--yes"), env)
    child.expect_exact("Type the instance name (social) to destroy it: ")
    child.sendline("mastodon")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    assert "'mastodon' is not the instance name 'social'; nothing was destroyed" in (child.before or "")
    assert fake_tf.calls() == []


@dataclass(frozen=True)
class Refusal:
    """A verb that stops before terraform runs at all: exit 1 and one line that says why (and what to do)."""

    args: tuple[str, ...]  # after `invoke`; "{instance}" stands for the operator's instance directory
    env: Mapping[str, str] = field(default_factory=dict)  # on top of the fake toolchain's environment
    exact: str | None = None  # the line, to the letter
    starts: str = ""  # or how it begins
    contains: tuple[str, ...] = ()  # and what it names
    missing: str | None = None  # a file the instance lacks, which the refusal must not write either
    drop_env: str | None = None  # a prefix of environment variables the caller has not set


REFUSALS = {
    "deploy-without-terminal-lists-what-is-missing": Refusal(
        ("deploy", "--example", "{instance}"),
        {"DIGITALOCEAN_TOKEN": "dop_v1_x", "TF_VAR_smtp_password": "x"},
        starts="deploy: ",
        contains=("no terminal", "smtp.from_address"),
        missing="terraform.tfvars",
    ),
    "unknown-example-names-the-choices": Refusal(("deploy", "--example", "nope"), contains=("minimal", "production")),
    "teardown-without-yes": Refusal(
        ("teardown", "--example", "{instance}"),
        {"DIGITALOCEAN_TOKEN": "dop_v1_x"},
        exact="teardown: refusing without --yes: this deletes the instance social "
        "(cluster, databases, load balancer, DNS record)",
    ),
    "upgrade-with-a-malformed-version": Refusal(
        ("upgrade", "--example", "{instance}", "--version", "latest"),
        {"DIGITALOCEAN_TOKEN": "dop_v1_x", "TF_VAR_smtp_password": "x"},
        exact="upgrade: 'latest' is not a Mastodon version such as v4.6.2",
    ),
    "kubeconfig-without-a-path": Refusal(
        ("kubeconfig", "--example", "{instance}"),
        {"DIGITALOCEAN_TOKEN": "x"},
        exact="kubeconfig: say where to write it: --path ~/.kube/mastodon (never inside the repository)",
    ),
    "status-without-a-token": Refusal(
        ("status", "--example", "{instance}"), starts="status: DIGITALOCEAN_TOKEN is not set"
    ),
    "admin-without-a-token": Refusal(
        ("admin", "--example", "{instance}"), starts="admin: DIGITALOCEAN_TOKEN is not set"
    ),
    "backend-without-a-spaces-key": Refusal(
        ("backend", "--example", "{instance}"),
        starts="backend: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
        missing="spaces.s3.tfbackend",
        drop_env="AWS_",
    ),
}


@pytest.mark.parametrize("case", REFUSALS.values(), ids=REFUSALS.keys())
def test_refusal_is_one_line(case: Refusal, instance_dir: Path, fake_tf: FakeTerraform, tmp_path: Path) -> None:
    if case.missing:
        (instance_dir / case.missing).unlink(missing_ok=True)
    env = _env(fake_tf, tmp_path, **case.env)
    if case.drop_env:
        env = {k: v for k, v in env.items() if not k.startswith(case.drop_env)}
    result = _run(_invoke(*(arg.replace("{instance}", str(instance_dir)) for arg in case.args)), env)
    assert result.returncode == 1, result.stderr
    line = result.stderr.strip()
    assert "\n" not in line, line
    if case.exact is not None:
        assert line == case.exact
    assert line.startswith(case.starts) and all(word in line for word in case.contains), line
    assert fake_tf.calls() == []  # refused before terraform ran at all
    if case.missing:
        assert not (instance_dir / case.missing).exists()
