"""No Secret value and no credential URL in a ConfigMap the configuration renders: `kubernetes_config_map`
resources, and Helm releases (whose charts render values into ConfigMaps, as the Mastodon chart does with its
environment). checkov leaves locals unresolved, so the check reads the resource's own text and, following
`local.NAME` references through the module's files, the text of every local it uses."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

# `scheme://user:password@`, unless the password is a Kubernetes `$(VAR)` reference resolved in the pod.
CREDENTIAL_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s/:@\"']+:(?!\$\()[^\s/@\"']+@")
# References to what holds a credential: generated secrets, credential attributes, credential-named inputs.
SECRET_SOURCE = re.compile(
    r"\b(?:random_password\.\w+|tls_private_key\.\w+"
    r"|kubernetes_secret(?:_v1)?\.\w+\.data"
    r"|[\w\]\[\"]+\.(?:password|private_key\w*|secret_key|access_key|token|api_key|uri|private_uri|kube_config)\b"
    r"|(?:var|local|module\.\w+)\.\w*(?:password|token|private_key|api_key|access_key|secret_key)\w*)"
)
# ...except names of Secrets and the like: they say where a credential is, not what it is.
NOT_A_VALUE = re.compile(r"(?:_names?|_env|_command|_commands)$|\.metadata\[0\]\.name$")
LOCAL_REF = re.compile(r"\blocal\.(\w+)")
LOCAL_DEF = re.compile(r"^  (\w+)\s*=", re.M)


def _locals(directory: Path) -> dict[str, str]:
    """Each local of a module as the text of its definition (to the next definition or the block's end)."""
    found: dict[str, str] = {}
    for tf in sorted(directory.glob("*.tf")):
        for block in re.finditer(r"^locals \{\n(.*?)^\}", tf.read_text(), re.M | re.S):
            body = block.group(1)
            starts = list(LOCAL_DEF.finditer(body))
            for match, after in zip(starts, [*starts[1:], None], strict=True):
                found[match.group(1)] = body[match.start() : after.start() if after else len(body)]
    return found


def expanded_text(text: str, directory: Path) -> str:
    """`text` followed by the definitions of every local it reaches."""
    definitions = _locals(directory)
    seen: set[str] = set()
    pending = LOCAL_REF.findall(text)
    parts = [text]
    while pending:
        name = pending.pop()
        if name in seen or name not in definitions:
            continue
        seen.add(name)
        parts.append(definitions[name])
        pending += LOCAL_REF.findall(definitions[name])
    return "\n".join(parts)


def problems(text: str) -> list[str]:
    """What in a ConfigMap's (expanded) text is a credential or points at one."""
    found = [f"credential URL {m.group(0)!r}" for m in CREDENTIAL_URL.finditer(text)]
    for match in SECRET_SOURCE.finditer(text):
        if not NOT_A_VALUE.search(match.group(0)):
            found.append(f"secret source {match.group(0)}")
    return found


class NoSecretInConfigMap(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="No Secret value and no credential URL in a ConfigMap (config maps and chart values)",
            id="CKV_TFDOM_7",
            categories=[CheckCategories.SECRETS],
            supported_resources=["kubernetes_config_map", "kubernetes_config_map_v1", "helm_release"],
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        source = Path.cwd() / self.entity_path.split(":", 1)[0].lstrip("/")
        if not source.is_file():
            return CheckResult.UNKNOWN
        lines = source.read_text().splitlines()
        text = "\n".join(lines[int(conf["__start_line__"]) - 1 : int(conf["__end_line__"])])
        found = problems(expanded_text(text, source.parent))
        self.details = found
        return CheckResult.FAILED if found else CheckResult.PASSED


check = NoSecretInConfigMap()
