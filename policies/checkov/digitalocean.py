"""The project's DigitalOcean policies for checkov, on one resource each (checkov loads them with
`--external-checks-dir`). A value checkov cannot resolve statically (a variable of a module) passes: the
plan-time validations of the variables guard those; a literal that breaks the rule fails."""

from __future__ import annotations

import ipaddress
from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

# Firewall sources that name one DigitalOcean resource (a cluster, a Droplet, a tag, an App Platform app).
NAMED_TYPES = {"k8s", "droplet", "tag", "app", "ip_addr"}
# The widest address range a rule may admit: one office or NAT network, never a whole provider or the Internet.
MIN_PREFIX = {4: 24, 6: 48}


def _first(conf: dict[str, Any], key: str) -> Any:
    value = conf.get(key)
    return value[0] if isinstance(value, list) and value else value


def _literal(value: Any) -> bool:
    """False for what checkov left as an expression (`var.x`, `local.y`, `${...}`)."""
    if not isinstance(value, str):
        return value is not None
    return not (value.startswith(("var.", "local.", "module.", "each.", "rule.", "${")) or "(" in value)


class DatabaseFirewallNamedSources(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="A DigitalOcean database firewall admits only named sources (resources, or a host or small network)",
            id="CKV_TFDOM_2",
            categories=[CheckCategories.NETWORKING],
            supported_resources=["digitalocean_database_firewall"],
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        rules = conf.get("rule") or []
        if not rules:
            return CheckResult.FAILED
        for rule in rules:
            kind, value = _first(rule, "type"), _first(rule, "value")
            if _literal(kind) and kind not in NAMED_TYPES:
                return CheckResult.FAILED
            if kind == "ip_addr" and _literal(value):
                try:
                    network = ipaddress.ip_network(str(value), strict=False)
                except ValueError:
                    return CheckResult.FAILED
                if network.prefixlen < MIN_PREFIX[network.version]:
                    return CheckResult.FAILED
        return CheckResult.PASSED


class PrivateNetwork(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="DigitalOcean database and Kubernetes clusters sit in a VPC",
            id="CKV_TFDOM_3",
            categories=[CheckCategories.NETWORKING],
            supported_resources=["digitalocean_database_cluster", "digitalocean_kubernetes_cluster"],
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        key = "vpc_uuid" if "node_pool" in conf else "private_network_uuid"
        value = _first(conf, key)
        return CheckResult.PASSED if value not in (None, "", [], "null") else CheckResult.FAILED


class PrivateBucket(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="A Spaces bucket says `acl = \"private\"` (objects are made public one by one, never the listing)",
            id="CKV_TFDOM_4",
            categories=[CheckCategories.GENERAL_SECURITY],
            supported_resources=["digitalocean_spaces_bucket"],
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        acl = _first(conf, "acl")
        return CheckResult.PASSED if acl == "private" or (acl is not None and not _literal(acl)) else CheckResult.FAILED


class ClusterUpgrades(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="A DOKS cluster upgrades its patch releases automatically in a set maintenance window",
            id="CKV_TFDOM_5",
            categories=[CheckCategories.GENERAL_SECURITY],
            supported_resources=["digitalocean_kubernetes_cluster"],
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        upgrade = _first(conf, "auto_upgrade")
        if upgrade is None or (_literal(upgrade) and upgrade not in (True, "true")):
            return CheckResult.FAILED
        window = _first(conf, "maintenance_policy")
        if not isinstance(window, dict) or not all(_first(window, key) for key in ("day", "start_time")):
            return CheckResult.FAILED
        return CheckResult.PASSED


class NoAdminDatabaseUser(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="No database user or connection pool of the configuration is DigitalOcean's doadmin",
            id="CKV_TFDOM_6",
            categories=[CheckCategories.IAM],
            supported_resources=["digitalocean_database_user", "digitalocean_database_connection_pool"],
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        user = _first(conf, "name" if "mode" not in conf else "user")
        return CheckResult.FAILED if str(user).strip().lower() == "doadmin" else CheckResult.PASSED


check_firewall = DatabaseFirewallNamedSources()
check_network = PrivateNetwork()
check_bucket = PrivateBucket()
check_upgrades = ClusterUpgrades()
check_admin = NoAdminDatabaseUser()
