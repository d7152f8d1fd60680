"""Progress of a long `terraform apply -json`: the phase, elapsed time, and what it waits for.

Phases follow the module's layers: infrastructure (VPC, cluster, databases, bucket), cluster ready (the DOKS
cluster answers), application (Secrets, ingress, cert-manager, the chart, Jobs); the certificate phase comes
after the apply, while the health check waits for a valid certificate.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from tooling.instance import APP_LAYER

INFRASTRUCTURE, CLUSTER_READY, APPLICATION, CERTIFICATE = (
    "infrastructure",
    "cluster ready",
    "application",
    "certificate",
)
CLUSTER_TYPE = "digitalocean_kubernetes_cluster"
REPORT_EVERY_SECONDS = 30.0


def phase_of(address: str) -> str:
    return APPLICATION if address.startswith(APP_LAYER + ".") or address.startswith(APP_LAYER + "[") else INFRASTRUCTURE


def _minutes(seconds: float) -> str:
    return f"{int(seconds) // 60:02d}:{int(seconds) % 60:02d}"


@dataclass
class Progress:
    log: Callable[[str], None]
    clock: Callable[[], float] = time.monotonic
    started: float = field(default=0.0)
    phase: str | None = None
    phases_seen: list[str] = field(default_factory=list)
    in_flight: dict[str, float] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    summary: str = ""
    _last_report: float = 0.0

    def __post_init__(self) -> None:
        self.started = self.clock()
        self._last_report = self.started

    def elapsed(self) -> str:
        return _minutes(self.clock() - self.started)

    def enter(self, phase: str) -> None:
        if phase != self.phase:
            self.phase = phase
            self.phases_seen.append(phase)
            self.log(f"[{self.elapsed()}] == {phase}")

    def feed(self, line: str) -> None:
        try:
            event = json.loads(line)
        except ValueError:
            if line.strip():
                self.log(line.rstrip())
            return
        kind = event.get("type")
        hook = event.get("hook") or {}
        address = (hook.get("resource") or {}).get("addr", "")
        if kind == "apply_start":
            if not (self.phase == CLUSTER_READY and phase_of(address) == INFRASTRUCTURE):
                self.enter(phase_of(address))
            self.in_flight[address] = self.clock()
            self.log(f"[{self.elapsed()}] {self.phase}: {hook.get('action', 'apply')} {address}")
        elif kind == "apply_progress":
            self._report_waiting()
        elif kind == "apply_complete":
            self.in_flight.pop(address, None)
            if (hook.get("resource") or {}).get("resource_type") == CLUSTER_TYPE or address.endswith(
                f"{CLUSTER_TYPE}.this"
            ):
                self.enter(CLUSTER_READY)
        elif kind == "apply_errored":
            self.in_flight.pop(address, None)
            self.errors.append(f"{address}: {event.get('@message', 'failed')}")
        elif kind == "diagnostic" and (event.get("diagnostic") or {}).get("severity") == "error":
            diag = event["diagnostic"]
            where = diag.get("address") or ""
            self.errors.append(" ".join(x for x in (where, diag.get("summary", ""), diag.get("detail", "")) if x))
            self.log(f"[{self.elapsed()}] error: {self.errors[-1]}")
        elif kind == "change_summary":
            self.summary = str(event.get("@message", ""))
            self.log(f"[{self.elapsed()}] {self.summary}")

    def _report_waiting(self) -> None:
        now = self.clock()
        if now - self._last_report < REPORT_EVERY_SECONDS or not self.in_flight:
            return
        self._last_report = now
        waits = ", ".join(f"{a} ({_minutes(now - t)})" for a, t in sorted(self.in_flight.items(), key=lambda x: x[1]))
        self.log(f"[{self.elapsed()}] {self.phase}: waiting for {waits}")
