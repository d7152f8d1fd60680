"""`./run loadtest` against a fake instance on 127.0.0.1 with one slow and one failing endpoint.

Only loopback traffic: the fake instance binds 127.0.0.1 and every URL it hands out (thumbnail, media) points back
at itself.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fake_instance import SLOW_SECONDS, TOKEN, FakeInstance
from PIL import Image

from tooling import loadtest
from tooling.pins import ROOT

SLOW = "/api/v1/timelines/tag/:tag"
FAILING = "/api/v1/accounts/lookup"
STREAM = "/api/v1/streaming/public (SSE)"
FAST = ["/api/v2/instance", "/api/v1/timelines/public", "/.well-known/webfinger", "/nodeinfo/2.0", "media"]


def _invoke(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "invoke", "loadtest", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("loadtest")
    with FakeInstance() as fake:
        proc = _invoke(
            "--url",
            fake.url,
            "--users",
            "6",
            "--duration",
            "8",
            "--ramp",
            "1",
            "--think-time",
            "0.05",
            "--streaming-share",
            "0.34",
            "--stream-seconds",
            "2",
            "--access-token",
            TOKEN,
            "--max-p95-ms",
            "300",
            "--max-error-rate",
            "0.05",
            "--output",
            str(out),
        )
        hits, clients, authorizations = dict(fake.hits), set(fake.clients), list(fake.stream_authorizations)
    rows = (
        {row["endpoint"]: row for row in csv.DictReader((out / "summary.csv").open())}
        if (out / "summary.csv").exists()
        else {}
    )
    return {"proc": proc, "out": out, "rows": rows, "hits": hits, "clients": clients, "authorizations": authorizations}


def test_only_loopback_was_loaded_and_every_endpoint_was_hit(run: dict[str, Any]) -> None:
    assert run["clients"] == {"127.0.0.1"}
    for path in [
        "/api/v2/instance",
        "/api/v1/timelines/public",
        "/api/v1/timelines/tag/mastodon",
        "/api/v1/accounts/lookup",
        "/.well-known/webfinger",
        "/nodeinfo/2.0",
        "/api/v1/streaming/public",
    ]:
        assert run["hits"].get(path, 0) > 0, (path, run["hits"])
    assert run["hits"].get("/system/site_uploads/thumbnail.png", 0) + run["hits"].get("/system/media/1.png", 0) > 0
    assert set(run["authorizations"]) == {f"Bearer {TOKEN}"}


def test_figures_show_the_slow_and_the_failing_endpoint(run: dict[str, Any]) -> None:
    proc, rows = run["proc"], run["rows"]
    assert set(rows) == {SLOW, FAILING, STREAM, *FAST, "all"}, proc.stdout + proc.stderr
    assert float(rows[SLOW]["p50_ms"]) >= SLOW_SECONDS * 1000
    assert float(rows[SLOW]["error_rate"]) == 0
    assert (
        float(rows[FAILING]["error_rate"]) == 1.0
        and int(rows[FAILING]["failures"]) == int(rows[FAILING]["requests"]) > 0
    )
    for name in [*FAST, STREAM]:
        assert float(rows[name]["error_rate"]) == 0, name
        assert float(rows[name]["p50_ms"]) < SLOW_SECONDS * 1000, name
    total = rows["all"]
    assert int(total["requests"]) == sum(int(r["requests"]) for name, r in rows.items() if name != "all")
    assert float(total["rps"]) > 0
    for name in [SLOW, FAILING, "all"]:
        assert name in proc.stdout, name
    assert float(rows[SLOW]["p99_ms"]) >= float(rows[SLOW]["p95_ms"]) >= float(rows[SLOW]["p50_ms"])


def test_summary_fails_the_targets_and_names_the_culprits(run: dict[str, Any]) -> None:
    proc = run["proc"]
    assert proc.returncode == 1, proc.stdout + proc.stderr
    verdict = proc.stdout.strip().splitlines()[-1]
    assert verdict.startswith("loadtest: FAIL: p95 "), verdict
    assert "(target <= 300 ms)" in verdict and "(target <= 5.00%)" in verdict
    assert f"{SLOW} (p95 " in verdict and f"{FAILING} (errors 100.0%)" in verdict
    assert "/api/v2/instance" not in verdict


def test_the_same_run_passes_lenient_targets(run: dict[str, Any]) -> None:
    endpoints, total = loadtest.read_stats(run["out"] / "locust_stats.csv")
    lenient = loadtest.judge(endpoints, total, max_p95_ms=60_000, max_error_rate=1.0)
    assert lenient.passed and lenient.line.startswith("loadtest: PASS: ") and lenient.over_target == []
    # A run can pass overall while one endpoint fails throughout: the line still names it.
    overall = loadtest.judge(endpoints, total, max_p95_ms=60_000, max_error_rate=0.5)
    assert overall.passed and overall.over_target == [f"{FAILING} (errors 100.0%)"]
    strict_latency = loadtest.judge(endpoints, total, max_p95_ms=60_000, max_error_rate=0.01)
    assert not strict_latency.passed and strict_latency.over_target == [f"{FAILING} (errors 100.0%)"]


def test_csv_and_chart_are_saved_and_reflect_the_run(run: dict[str, Any]) -> None:
    out = run["out"]
    assert f"saved: {out / 'summary.csv'}, {out / 'chart.png'}" in run["proc"].stdout
    with Image.open(out / "chart.png") as image:
        assert image.format == "PNG" and image.size == (800, 560)
        described = json.loads(image.info["Description"])
        # The chart must not be blank: many distinct colours are drawn.
        assert len(image.convert("RGB").getcolors(maxcolors=100_000) or []) > 20
    assert described["verdict"].startswith("loadtest: FAIL")
    assert described["endpoints"][FAILING]["error_rate"] == 1.0
    assert described["endpoints"][SLOW]["p50_ms"] >= SLOW_SECONDS * 1000
    series = loadtest.read_history(out / "locust_stats_history.csv")
    assert max(v for _, v in series.endpoint_p95_ms[SLOW]) >= SLOW_SECONDS * 1000
    assert max(v for _, v in series.endpoint_p95_ms["/api/v2/instance"]) < SLOW_SECONDS * 1000
    assert max(series.failures_per_second) > 0 and max(series.rps) > max(series.failures_per_second)
    assert max(series.users) == 6


def test_url_is_required_and_must_be_a_base_url(tmp_path: Path) -> None:
    proc = _invoke()
    assert proc.returncode == 1 and proc.stderr.strip().splitlines() == [
        "loadtest: --url is required (the instance to load, e.g. https://social.example.com)"
    ]
    proc = _invoke("--url", "social.example.com")
    assert proc.returncode == 1 and proc.stderr.strip().splitlines()[-1].startswith(
        "loadtest: --url must be the instance's base URL"
    )
    assert "Traceback" not in proc.stderr
    for bad in ["social.example.com", "ftp://social.example.com", "https://social.example.com/about"]:
        with pytest.raises(loadtest.LoadTestError, match="base URL"):
            loadtest.validate(loadtest.Options(url=bad))
    with pytest.raises(loadtest.LoadTestError, match="--users"):
        loadtest.validate(loadtest.Options(url="https://social.example.com", users=0))
    with pytest.raises(loadtest.LoadTestError, match="--duration"):
        loadtest.validate(loadtest.Options(url="https://social.example.com", duration_seconds=7200))


def test_defaults_are_gentle_and_the_streaming_share_rounds_sensibly() -> None:
    options = loadtest.Options(url="https://social.example.com")
    assert (options.users, options.duration_seconds, options.ramp_seconds) == (5, 60, 10)
    assert loadtest.streaming_users(options) == 1
    assert loadtest.streaming_users(loadtest.Options(url="https://x.example", users=1)) == 0
    assert loadtest.streaming_users(loadtest.Options(url="https://x.example", users=10, streaming_share=0.95)) == 9
    assert loadtest.streaming_users(loadtest.Options(url="https://x.example", users=10, streaming_share=0)) == 0
    command, env = loadtest.locust_command(options, Path("/tmp/x"))
    assert command[command.index("--run-time") + 1] == "60s" and command[command.index("--spawn-rate") + 1] == "0.500"
    assert env["TFDOM_LOADTEST_DOMAIN"] == "social.example.com" and env["TFDOM_LOADTEST_STREAMING_USERS"] == "1"
