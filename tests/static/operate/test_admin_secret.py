"""The module keeps a password that `./run admin --reset` wrote into the admin Secret."""

from __future__ import annotations

from tooling import hcl
from tooling.pins import ROOT


def test_an_apply_keeps_a_password_reset_by_admin_reset() -> None:
    """`./run admin --reset` writes the Secret; the module must not revert it (data.password is ignored)."""

    blocks = hcl.load_file(ROOT / "modules" / "mastodon-helm" / "secrets.tf")["resource"]
    (secret,) = [
        b["kubernetes_secret_v1"]["admin_credentials"]
        for b in blocks
        if "admin_credentials" in b.get("kubernetes_secret_v1", {})
    ]
    lifecycle = secret["lifecycle"][0] if isinstance(secret["lifecycle"], list) else secret["lifecycle"]
    assert [str(x) for x in lifecycle["ignore_changes"]] in (['${data["password"]}'], ['data["password"]'])
