"""A real Prometheus server on loopback scrapes the worker and the API of a running
``motcua up`` and raises the SLA-breach alert when officers decide tasks past their SLA.

The run lasts seconds, not hours, so Prometheus loads a copy of ``rules.yml`` in which only the
durations are shortened (range windows to 30 s, ``for:`` to 2 s; the test checks that nothing
else differs): the expressions, thresholds and labels are the shipped ones.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.infra.running_stack import (
    motcua,
    running_up,
    submit_permanent_residence,
    up_environment,
)
from tests.infra.test_alert_rules import RULES, prometheus_binary
from tests.ports import reserve_port

_WINDOW = re.compile(r"\[\d+[smhd]\]")
_FOR = re.compile(r"^(\s*for:\s*)\S+$", re.MULTILINE)


def quick_rules(text: str) -> str:
    """``rules.yml`` for a run of seconds: range windows of 30 s, ``for:`` of 2 s."""
    return _FOR.sub(r"\g<1>2s", _WINDOW.sub("[30s]", text))


def test_the_quick_rules_differ_only_in_durations() -> None:
    shipped = RULES.read_text(encoding="utf-8")
    quick = quick_rules(shipped)
    assert quick != shipped and "[30s]" in quick and "for: 2s" in quick

    def durations_blanked(text: str) -> str:
        return _FOR.sub(r"\g<1>D", _WINDOW.sub("[D]", text))

    assert durations_blanked(quick) == durations_blanked(shipped)


def test_prometheus_raises_the_alert_of_a_planted_sla_breach(tmp_path: Path) -> None:
    binary = prometheus_binary("prometheus")
    environ = up_environment(tmp_path / "var", MOTCUA_API_METRICS_ACCESS="public")
    with running_up(environ) as stack:
        api = stack.wait_for(r"^API\s+http://(127\.0\.0\.1:\d+)/docs$")[1]
        stack.wait_for("^Serving; press Ctrl-C to stop.")
        worker = f"127.0.0.1:{environ['MOTCUA_METRICS_PORT']}"
        targets = {"motcua-engine": worker, "motcua-api": api}
        with running_prometheus(binary, tmp_path / "prometheus", targets) as prometheus:
            _until(lambda: _up_jobs(prometheus) == set(targets), "both targets scraped")
            # A clock 100,000 times faster: the 8 working hours of the desk pass in seconds.
            fast = environ | {"MOTCUA_TIME_SCALE": "100000"}
            code = submit_permanent_residence(tmp_path, fast, "planted")
            overdue = 'sum(motcua_tasks_overdue{agency="commune-police",step="receive"})'
            _until(lambda: _value(prometheus.query(overdue)) >= 1, "the receipt task overdue")
            # The step's breach counter is scraped at zero before any breach, so that the
            # first breach is an increase rate() sees: one late decision raises the alert.
            breaches = 'motcua_sla_breaches_total{agency="commune-police",step="receive"}'
            _until(lambda: prometheus.query(f"{breaches} == 0"), "the breach counter at zero")
            _decide_late(environ, code)
            firing = _until(lambda: prometheus.firing("MotcuaSlaBreachRateHigh"), "the alert")
        stack.process.send_signal(signal.SIGTERM)
        assert stack.wait() == 0, stack.output
    assert firing["labels"] == {
        "alertname": "MotcuaSlaBreachRateHigh",
        "severity": "warning",
        "agency": "commune-police",
        "step": "receive",
    }
    assert firing["annotations"]["summary"] == "commune-police/receive: over 10% of decisions late"


class Prometheus:
    """The HTTP API of a Prometheus server."""

    def __init__(self, base: str) -> None:
        self.base = base

    def _get(self, path: str) -> Any:
        with urllib.request.urlopen(self.base + path, timeout=5) as answer:
            return json.load(answer)["data"]

    def query(self, expr: str) -> list[dict[str, Any]]:
        """The instant vector of ``expr`` now."""
        found: list[dict[str, Any]] = self._get(
            "/api/v1/query?" + urllib.parse.urlencode({"query": expr})
        )["result"]
        return found

    def firing(self, alertname: str) -> dict[str, Any] | None:
        """The firing alert of that name, if any."""
        alerts: list[dict[str, Any]] = self._get("/api/v1/alerts")["alerts"]
        return next(
            (a for a in alerts if a["labels"]["alertname"] == alertname and a["state"] == "firing"),
            None,
        )


@contextmanager
def running_prometheus(binary: str, home: Path, targets: dict[str, str]) -> Iterator[Prometheus]:
    """Prometheus on a free loopback port with the quick rules, scraping ``targets`` (by job)."""
    home.mkdir()
    (home / "rules.yml").write_text(quick_rules(RULES.read_text(encoding="utf-8")))
    config = {
        "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
        "rule_files": ["rules.yml"],
        "scrape_configs": [
            {"job_name": job, "static_configs": [{"targets": [target]}]}
            for job, target in targets.items()
        ],
    }
    (home / "prometheus.yml").write_text(json.dumps(config))  # JSON is YAML
    address = f"127.0.0.1:{reserve_port()}"
    with (home / "prometheus.log").open("wb") as log:
        process = subprocess.Popen(
            [
                binary, f"--config.file={home / 'prometheus.yml'}",
                f"--storage.tsdb.path={home / 'data'}", f"--web.listen-address={address}",
            ],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        _until(lambda: _answers(f"http://{address}/-/ready"), "Prometheus ready")
        yield Prometheus(f"http://{address}")
    finally:
        process.terminate()
        process.wait(timeout=30)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except OSError:
        return False


def _up_jobs(prometheus: Prometheus) -> set[str]:
    return {s["metric"]["job"] for s in prometheus.query("up == 1")}


def _value(result: list[dict[str, Any]]) -> float:
    return float(result[0]["value"][1]) if result else 0.0


def _until(check: Any, what: str, timeout: float = 120) -> Any:
    deadline = time.monotonic() + timeout
    while not (found := check()):
        assert time.monotonic() < deadline, f"not seen in {timeout:g} s: {what}"
        time.sleep(0.5)
    return found


def _decide_late(environ: dict[str, str], code: str) -> None:
    officer = ["--officer", "lan", "--role", "one-stop-officer", "--agency", "commune-police"]
    out = motcua(environ, "decide", f"{code}/receive-1", "accept", *officer)
    assert "decided: accept" in out, out
