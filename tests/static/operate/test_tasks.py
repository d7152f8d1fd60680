"""The `./run` verbs as an operator meets them: prompts on a pseudo-terminal, messages without one, `--help`."""

from __future__ import annotations

import os
import subprocess
import sys
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
    child = pexpect.spawn(
        _invoke("deploy", "--example", str(instance_dir))[0],
        _invoke("deploy", "--example", str(instance_dir))[1:],
        cwd=str(ROOT),
        env=env,
        encoding="utf-8",
        timeout=30,
    )
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


def test_deploy_without_terminal_lists_what_is_missing(
    instance_dir: Path, fake_tf: FakeTerraform, tmp_path: Path
) -> None:
    (instance_dir / "terraform.tfvars").unlink()
    env = _env(fake_tf, tmp_path, DIGITALOCEAN_TOKEN="dop_v1_x", TF_VAR_smtp_password="x")
    result = subprocess.run(
        _invoke("deploy", "--example", str(instance_dir)),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("deploy: ") and "no terminal" in last and "smtp.from_address" in last
    assert not (instance_dir / "terraform.tfvars").exists()


def test_unknown_example_is_one_line_naming_the_choices(fake_tf: FakeTerraform, tmp_path: Path) -> None:
    result = subprocess.run(
        _invoke("deploy", "--example", "nope"),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_env(fake_tf, tmp_path),
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "minimal" in result.stderr and "production" in result.stderr


def test_teardown_without_yes_refuses_in_one_line(instance_dir: Path, fake_tf: FakeTerraform, tmp_path: Path) -> None:
    env = _env(fake_tf, tmp_path, DIGITALOCEAN_TOKEN="dop_v1_x")
    result = subprocess.run(
        _invoke("teardown", "--example", str(instance_dir)),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "teardown: refusing without --yes: this deletes the instance social "
        "(cluster, databases, load balancer, DNS record)"
    )
    assert fake_tf.calls() == []


def test_teardown_asks_for_the_name_on_a_terminal(instance_dir: Path, fake_tf: FakeTerraform, tmp_path: Path) -> None:
    env = _env(fake_tf, tmp_path, DIGITALOCEAN_TOKEN="dop_v1_x")
    argv = _invoke("teardown", "--example", str(instance_dir), "--yes")
    child = pexpect.spawn(argv[0], argv[1:], cwd=str(ROOT), env=env, encoding="utf-8", timeout=30)
    child.expect_exact("Type the instance name (social) to destroy it: ")
    child.sendline("mastodon")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    assert "'mastodon' is not the instance name 'social'; nothing was destroyed" in (child.before or "")
    assert fake_tf.calls() == []


def test_upgrade_with_a_malformed_version_is_one_line(
    instance_dir: Path, fake_tf: FakeTerraform, tmp_path: Path
) -> None:
    env = _env(fake_tf, tmp_path, DIGITALOCEAN_TOKEN="dop_v1_x", TF_VAR_smtp_password="x")
    result = subprocess.run(
        _invoke("upgrade", "--example", str(instance_dir), "--version", "latest"),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == "upgrade: 'latest' is not a Mastodon version such as v4.6.2"
    assert fake_tf.calls() == []


def test_kubeconfig_without_a_path_is_one_line(instance_dir: Path, fake_tf: FakeTerraform, tmp_path: Path) -> None:
    result = subprocess.run(
        _invoke("kubeconfig", "--example", str(instance_dir)),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_env(fake_tf, tmp_path, DIGITALOCEAN_TOKEN="x"),
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == "kubeconfig: say where to write it: --path ~/.kube/mastodon (never inside the repository)"
    )


@pytest.mark.parametrize("verb", ["status", "admin"])
def test_day2_verbs_without_a_token_are_one_line(
    verb: str, instance_dir: Path, fake_tf: FakeTerraform, tmp_path: Path
) -> None:
    result = subprocess.run(
        _invoke(verb, "--example", str(instance_dir)),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_env(fake_tf, tmp_path),
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert result.returncode == 1
    assert (
        result.stderr.strip().startswith(f"{verb}: DIGITALOCEAN_TOKEN is not set") and "\n" not in result.stderr.strip()
    )


def test_backend_without_a_spaces_key_is_one_line(instance_dir: Path, fake_tf: FakeTerraform, tmp_path: Path) -> None:
    env = {k: v for k, v in _env(fake_tf, tmp_path).items() if not k.startswith("AWS_")}
    result = subprocess.run(
        _invoke("backend", "--example", str(instance_dir)),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert result.returncode == 1
    assert (
        result.stderr.strip().startswith("backend: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
        and "\n" not in result.stderr.strip()
    )
    assert not (instance_dir / "spaces.s3.tfbackend").exists()
