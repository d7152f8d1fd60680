"""Provider schema fixtures for the schema doubles: `terraform providers schema -json` of the real provider at
the pinned version, reduced to structure (descriptions removed, keys sorted) and stamped with that version."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from tooling import pins, tfrun
from tooling import toolchain as tc

DESCRIPTION_KEYS = ("description", "description_kind")


class SchemaError(RuntimeError):
    """The fixture cannot be regenerated; the message says why in one line."""


def reduce(value: Any) -> Any:
    """Drop description text everywhere, keeping anything merely *named* description (an attribute called
    `description` is a mapping, a description is a string, and an object type's attributes are left alone)."""
    if isinstance(value, dict):
        return {
            # A cty type (a string or a list; a mapping under "type" is an attribute named type) is data, where
            # "description" may be one of an object type's attribute names: kept as it is.
            key: item if key == "type" and not isinstance(item, dict) else reduce(item)
            for key, item in sorted(value.items())
            if not (key in DESCRIPTION_KEYS and isinstance(item, str))
        }
    if isinstance(value, list):
        return [reduce(item) for item in value]
    return value


def fixture_text(dump: dict[str, Any], address: str, version: str) -> str:
    schemas = dump.get("provider_schemas", {})
    if address not in schemas:
        raise SchemaError(f"the schema dump has no provider {address} (has: {', '.join(sorted(schemas)) or 'none'})")
    reduced = {
        "format_version": dump.get("format_version"),
        "provider_schemas": {address: reduce(schemas[address])},
        "provider_versions": {address: version},
    }
    return json.dumps(reduced, indent=1, sort_keys=True) + "\n"


def from_installed(chain: tc.Toolchain, name: str, pinned: pins.Pins | None = None) -> str:
    """The fixture text for provider `name` as the real provider installed here reports its schema."""
    pinned = pinned or pins.load()
    pin = pinned.providers[name]
    if name in chain.missing:
        raise SchemaError(
            f"the real {name} provider is not installed here ({chain.missing[name]}); "
            "make it available (registry or TFDOM_PROVIDER_MIRROR) and run again"
        )
    with tempfile.TemporaryDirectory(prefix="tfdom-schemas-") as tmp:
        work = Path(tmp)
        (work / "versions.tf").write_text(
            "terraform {\n  required_providers {\n"
            f'    {name} = {{ source = "{pin.source}", version = "{pin.version}" }}\n  }}\n}}\n'
        )
        terraform = tfrun.Runner.of(chain)  # never the test session's config: a double must not describe itself
        init = terraform.run(["init", "-backend=false", "-input=false", "-no-color"], work)
        if init.returncode != 0:
            raise SchemaError(
                f"terraform init for {pin.source} {pin.version} failed: {init.output.strip().splitlines()[-1]}"
            )
        shown = terraform.run(["providers", "schema", "-json"], work)
        if shown.returncode != 0:
            raise SchemaError(f"terraform providers schema failed: {shown.output.strip().splitlines()[-1]}")
        return fixture_text(json.loads(shown.stdout), pin.address, pin.version)


def regenerate(chain: tc.Toolchain, pinned: pins.Pins | None = None) -> list[Path]:
    """Rewrite every double's schema fixture from the real provider installed here (never from a double)."""
    pinned = pinned or pins.load()
    written = []
    for name, double in pinned.doubles.items():
        text = from_installed(chain, name, pinned)
        double.schema.parent.mkdir(parents=True, exist_ok=True)
        double.schema.write_text(text)
        written.append(double.schema)
    return written
