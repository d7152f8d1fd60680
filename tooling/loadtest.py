"""Drive a running Mastodon instance with Locust and turn the run into figures, a CSV and a chart.

Locust runs as a subprocess (it patches the standard library with gevent on import, which must not happen in the
caller); its CSV files are then read back, summarised per endpoint, judged against a latency and an error-rate
target, and drawn as throughput and latency over time.
"""

from __future__ import annotations

import csv
import json
import math
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

LOCUSTFILE = Path(__file__).with_name("loadtest_locustfile.py")
AGGREGATED = "Aggregated"
MAX_USERS = 1000
MAX_DURATION_SECONDS = 3600


class LoadTestError(RuntimeError):
    """The run could not be started or produced nothing to report; the message says why in one line."""


@dataclass(frozen=True)
class Options:
    url: str
    users: int = 5
    duration_seconds: int = 60
    ramp_seconds: int = 10
    streaming_share: float = 0.2
    think_seconds: float = 2.0
    stream_seconds: float = 10.0
    account: str = "owner"
    tag: str = "mastodon"
    domain: str | None = None
    access_token: str | None = None
    max_p95_ms: float = 1000.0
    max_error_rate: float = 0.01
    output_dir: Path | None = None


@dataclass(frozen=True)
class EndpointFigures:
    name: str
    requests: int
    failures: int
    rps: float
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    average_ms: float
    max_ms: float

    @property
    def error_rate(self) -> float:
        return self.failures / self.requests if self.requests else 0.0


@dataclass(frozen=True)
class Verdict:
    passed: bool
    line: str
    over_target: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Result:
    output_dir: Path
    endpoints: list[EndpointFigures]
    total: EndpointFigures
    verdict: Verdict
    summary_csv: Path
    chart_png: Path


def validate(options: Options) -> None:
    parts = urlsplit(options.url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
        raise LoadTestError(
            f"--url must be the instance's base URL such as https://social.example.com, not {options.url!r}"
        )
    if not 1 <= options.users <= MAX_USERS:
        raise LoadTestError(f"--users must be from 1 to {MAX_USERS}")
    if not 5 <= options.duration_seconds <= MAX_DURATION_SECONDS:
        raise LoadTestError(f"--duration must be from 5 to {MAX_DURATION_SECONDS} seconds")
    if not 0 <= options.ramp_seconds <= options.duration_seconds:
        raise LoadTestError("--ramp must be from 0 seconds to the duration")
    if not 0 <= options.streaming_share < 1:
        raise LoadTestError("--streaming-share must be at least 0 and below 1")
    if options.think_seconds < 0 or options.stream_seconds <= 0:
        raise LoadTestError("--think-time must be >= 0 and --stream-seconds > 0")
    if options.max_p95_ms <= 0 or not 0 <= options.max_error_rate <= 1:
        raise LoadTestError("--max-p95-ms must be > 0 and --max-error-rate from 0 to 1 (0.01 = 1%)")


def streaming_users(options: Options) -> int:
    """How many of the users hold streams: the share, rounded, at least one when asked for, never all of them."""
    if options.streaming_share == 0 or options.users == 1:
        return 0
    return min(options.users - 1, max(1, round(options.users * options.streaming_share)))


def locust_command(options: Options, prefix: Path) -> tuple[list[str], dict[str, str]]:
    streaming = streaming_users(options)
    spawn_rate = options.users / options.ramp_seconds if options.ramp_seconds else options.users
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--host",
        options.url.rstrip("/"),
        "--users",
        str(options.users),
        "--spawn-rate",
        f"{spawn_rate:.3f}",
        "--run-time",
        f"{options.duration_seconds}s",
        "--csv",
        str(prefix),
        "--csv-full-history",
        "--only-summary",
        # A listener holding a stream is stopped at the end instead of being waited for.
        "--stop-timeout",
        "0",
        "--exit-code-on-error",
        "0",
        "--loglevel",
        "WARNING",
        "PublicVisitor",
        *(["StreamingListener"] if streaming else []),
    ]
    env = {
        "TFDOM_LOADTEST_ACCOUNT": options.account,
        "TFDOM_LOADTEST_DOMAIN": options.domain or (urlsplit(options.url).hostname or ""),
        "TFDOM_LOADTEST_TAG": options.tag,
        "TFDOM_LOADTEST_TOKEN": options.access_token or "",
        "TFDOM_LOADTEST_THINK_SECONDS": str(options.think_seconds),
        "TFDOM_LOADTEST_STREAM_SECONDS": str(options.stream_seconds),
        "TFDOM_LOADTEST_STREAMING_USERS": str(streaming),
    }
    return command, env


def _number(value: str) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def read_stats(path: Path) -> tuple[list[EndpointFigures], EndpointFigures]:
    endpoints: list[EndpointFigures] = []
    total: EndpointFigures | None = None
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            figures = EndpointFigures(
                name=row["Name"],
                requests=int(row["Request Count"]),
                failures=int(row["Failure Count"]),
                rps=_number(row["Requests/s"]) or 0.0,
                p50_ms=_number(row["50%"]),
                p95_ms=_number(row["95%"]),
                p99_ms=_number(row["99%"]),
                average_ms=_number(row["Average Response Time"]) or 0.0,
                max_ms=_number(row["Max Response Time"]) or 0.0,
            )
            if row["Name"] == AGGREGATED:
                total = figures
            else:
                endpoints.append(figures)
    if total is None or total.requests == 0:
        raise LoadTestError(f"the run made no request ({path}); is the URL reachable?")
    return sorted(endpoints, key=lambda e: e.name), total


def judge(
    endpoints: list[EndpointFigures], total: EndpointFigures, max_p95_ms: float, max_error_rate: float
) -> Verdict:
    """Pass when the whole run's p95 and error rate are within the targets; name the endpoints that are not."""
    p95 = total.p95_ms or 0.0
    passed = p95 <= max_p95_ms and total.error_rate <= max_error_rate
    over = [f"{e.name} (p95 {e.p95_ms:.0f} ms)" for e in endpoints if (e.p95_ms or 0) > max_p95_ms]
    over += [f"{e.name} (errors {e.error_rate:.1%})" for e in endpoints if e.error_rate > max_error_rate]
    line = (
        f"loadtest: {'PASS' if passed else 'FAIL'}: p95 {p95:.0f} ms (target <= {max_p95_ms:.0f} ms), "
        f"error rate {total.error_rate:.2%} (target <= {max_error_rate:.2%}) over {total.requests} requests"
    )
    if over:
        line += "; over target: " + ", ".join(over)
    return Verdict(passed, line, over)


def write_summary(path: Path, endpoints: list[EndpointFigures], total: EndpointFigures) -> None:
    columns = [
        "endpoint",
        "requests",
        "failures",
        "error_rate",
        "rps",
        "p50_ms",
        "p95_ms",
        "p99_ms",
        "average_ms",
        "max_ms",
    ]
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for e in [*endpoints, total]:
            writer.writerow(
                [
                    "all" if e is total else e.name,
                    e.requests,
                    e.failures,
                    f"{e.error_rate:.4f}",
                    f"{e.rps:.2f}",
                    *("" if v is None else f"{v:.0f}" for v in (e.p50_ms, e.p95_ms, e.p99_ms)),
                    f"{e.average_ms:.0f}",
                    f"{e.max_ms:.0f}",
                ]
            )


@dataclass(frozen=True)
class Series:
    """What the chart draws: seconds since start, and per-second values from Locust's history."""

    seconds: list[float]
    users: list[float]
    rps: list[float]
    failures_per_second: list[float]
    p50_ms: list[float | None]
    p95_ms: list[float | None]
    endpoint_p95_ms: dict[str, list[tuple[float, float]]]


def read_history(path: Path) -> Series:
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    if not rows:
        raise LoadTestError(f"no history in {path}")
    start = min(int(r["Timestamp"]) for r in rows)
    aggregated = [r for r in rows if r["Name"] == AGGREGATED]
    endpoint_p95: dict[str, list[tuple[float, float]]] = {}
    for row in rows:
        value = _number(row["95%"])
        if row["Name"] != AGGREGATED and value is not None:
            endpoint_p95.setdefault(row["Name"], []).append((int(row["Timestamp"]) - start, value))
    return Series(
        seconds=[float(int(r["Timestamp"]) - start) for r in aggregated],
        users=[_number(r["User Count"]) or 0.0 for r in aggregated],
        rps=[_number(r["Requests/s"]) or 0.0 for r in aggregated],
        failures_per_second=[_number(r["Failures/s"]) or 0.0 for r in aggregated],
        p50_ms=[_number(r["50%"]) for r in aggregated],
        p95_ms=[_number(r["95%"]) for r in aggregated],
        endpoint_p95_ms=dict(sorted(endpoint_p95.items())),
    )


def draw(series: Series, verdict: Verdict, title: str, path: Path, description: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    figure, (top, bottom) = plt.subplots(2, 1, figsize=(10, 7), sharex=True, constrained_layout=True)
    top.plot(series.seconds, series.rps, label="requests/s", color="tab:blue")
    top.plot(series.seconds, series.failures_per_second, label="failures/s", color="tab:red")
    top.set_ylabel("per second")
    users = top.twinx()
    users.plot(series.seconds, series.users, label="users", color="tab:gray", linestyle=":")
    users.set_ylabel("users")
    lines = top.get_legend_handles_labels()[0] + users.get_legend_handles_labels()[0]
    top.legend(lines, [str(line.get_label()) for line in lines], loc="upper left", fontsize="small")
    top.set_title(f"{title}\n{verdict.line.removeprefix('loadtest: ').split('; over target')[0]}", fontsize="medium")

    for name, points in series.endpoint_p95_ms.items():
        bottom.plot([p[0] for p in points], [p[1] for p in points], label=f"p95 {name}", linewidth=1)
    bottom.plot(
        series.seconds,
        [v if v is not None else math.nan for v in series.p50_ms],
        label="p50 all",
        color="black",
        linestyle="--",
    )
    bottom.set_ylabel("latency (ms)")
    bottom.set_xlabel("seconds since start")
    bottom.legend(loc="upper left", fontsize="x-small", ncol=2)
    # Metadata makes the PNG self-describing: the figures it was drawn from travel with it.
    figure.savefig(path, dpi=80, metadata={"Title": title, "Description": description})
    plt.close(figure)


def report_table(endpoints: list[EndpointFigures], total: EndpointFigures) -> str:
    width = max(len(e.name) for e in [*endpoints, total]) + 2

    def ms(value: float | None) -> str:
        return "-" if value is None else f"{value:.0f}"

    lines = [f"{'endpoint':<{width}}{'requests':>9}{'rps':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'errors':>9}"]
    for e in [*endpoints, total]:
        name = "all" if e is total else e.name
        lines.append(
            f"{name:<{width}}{e.requests:>9}{e.rps:>8.2f}{ms(e.p50_ms):>8}{ms(e.p95_ms):>8}{ms(e.p99_ms):>8}{e.error_rate:>9.1%}"
        )
    return "\n".join(lines)


def default_output_dir(base: Path) -> Path:
    return base / "loadtest-results" / datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def summarize(output_dir: Path, options: Options) -> Result:
    """Read a finished run's Locust CSVs in `output_dir`, judge it and write summary.csv and chart.png."""
    endpoints, total = read_stats(output_dir / "locust_stats.csv")
    verdict = judge(endpoints, total, options.max_p95_ms, options.max_error_rate)
    summary_csv = output_dir / "summary.csv"
    write_summary(summary_csv, endpoints, total)
    chart_png = output_dir / "chart.png"
    description = json.dumps(
        {
            "verdict": verdict.line,
            "endpoints": {e.name: {**asdict(e), "error_rate": e.error_rate} for e in endpoints},
        }
    )
    title = f"{options.url} - {options.users} users, {options.duration_seconds} s"
    draw(read_history(output_dir / "locust_stats_history.csv"), verdict, title, chart_png, description)
    return Result(output_dir, endpoints, total, verdict, summary_csv, chart_png)


def run(options: Options, log: Callable[[str], None] = print) -> Result:
    validate(options)
    output_dir = options.output_dir or default_output_dir(Path.cwd())
    output_dir.mkdir(parents=True, exist_ok=True)
    command, env = locust_command(options, output_dir / "locust")
    log(f"loadtest: {options.users} users against {options.url} for {options.duration_seconds} s ...")
    try:
        proc = subprocess.run(
            command,
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            check=False,
            timeout=options.duration_seconds + options.stream_seconds + 120,
        )
    except subprocess.TimeoutExpired as exc:
        raise LoadTestError(f"Locust did not stop within {exc.timeout:.0f} s") from exc
    (output_dir / "locust.log").write_text(proc.stdout + proc.stderr)
    if proc.returncode != 0 or not (output_dir / "locust_stats.csv").exists():
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
        raise LoadTestError(f"Locust failed (exit {proc.returncode}): {tail[0]} (log: {output_dir / 'locust.log'})")
    return summarize(output_dir, options)
