"""`./run backend` refuses bad input before any S3 call: a missing Spaces key, a bad bucket name (the S3 and
terraform side runs in tests/apply/test_backend.py, against a local S3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tooling import statebackend
from tooling.instance import BACKEND_CONFIG, OperateError


@pytest.mark.parametrize("env", [{}, {"AWS_ACCESS_KEY_ID": "k"}])
def test_without_a_spaces_key_it_says_which_variables(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID", raising=False)
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(OperateError, match="set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"):
        statebackend.setup(tmp_path, "social-tfstate", "fra1", "k")
    assert not (tmp_path / BACKEND_CONFIG).exists()


def test_a_bad_bucket_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OperateError, match="lowercase letters, digits and hyphens"):
        statebackend.setup(tmp_path, "Social_State", "fra1", "k")
