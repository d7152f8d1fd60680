"""The real-deployment tier can plan the example it deploys: checked on every run, not after an hour of apply."""

from __future__ import annotations

import pytest

from tooling import e2e


def test_every_required_variable_of_the_example_has_an_input() -> None:
    """Checked on every run, not after an hour of apply: the tier can plan the example it deploys."""
    assert e2e.unsupplied() == set(), "examples/minimal gained variables the e2e tier does not supply"
    assert "dns_zone" in {s.variable for s in e2e.SOURCES}, "without a zone no record is made and HTTPS never answers"


def test_inputs_come_from_the_environment_and_name_what_is_missing() -> None:
    environ = {s.env: "x" for s in e2e.SOURCES}
    environ |= {"TFDOM_E2E_SMTP_PORT": "2525", "TFDOM_E2E_DOMAIN": "social.example.com"}
    values = e2e.inputs(environ, "e2e123456")
    assert values["name"] == "e2e123456" and values["domain"] == "social.example.com"
    assert values["smtp"] == {"server": "x", "port": 2525, "login": "x", "from_address": "x"}
    assert set(values) >= e2e.required_variables()
    with pytest.raises(e2e.MissingInputs, match="TFDOM_E2E_DNS_ZONE, TFDOM_E2E_SMTP_PASSWORD"):
        gaps = ("TFDOM_E2E_DNS_ZONE", "TFDOM_E2E_SMTP_PASSWORD")
        e2e.inputs({k: v for k, v in environ.items() if k not in gaps}, "n")
