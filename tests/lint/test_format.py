"""`terraform fmt` leaves every file as it is (needs only the binary, no providers): lint's own fmt check."""

from __future__ import annotations

from tooling import lint


def test_terraform_fmt_is_clean() -> None:
    outcome = lint.fmt(lint.terraform_binary(print))
    assert outcome.ok, f"run `./run fmt`: {outcome.summary}: {outcome.findings}"
