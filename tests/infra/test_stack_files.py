"""The production stack's files parse, fit together, and name only metrics the code exports."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import CollectorRegistry
from prometheus_client.metrics import MetricWrapperBase
from ruamel.yaml import YAML
from sqlalchemy import create_engine

from motcua.observability import ReadModelCollector, metrics

ROOT = Path(__file__).resolve().parents[2]
INFRA = ROOT / "infra"
YAML_FILES = sorted([*INFRA.rglob("*.yml"), *INFRA.rglob("*.yaml")])
JSON_FILES = sorted(INFRA.rglob("*.json"))
DASHBOARDS = sorted((INFRA / "grafana" / "dashboards").glob("*.json"))
RULES = INFRA / "prometheus" / "rules.yml"

# Series names a family exports, by its type (prometheus_client's exposition).
_SUFFIXES = {
    "counter": ("_total", "_created"),
    "histogram": ("_bucket", "_sum", "_count", "_created"),
    "gauge": ("",),
}
_PROMQL_WORDS = {"and", "or", "unless", "bool", "offset", "group_left", "group_right", "inf", "nan"}
_GROUPING = r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)"


def _load_yaml(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def _families() -> dict[str, str]:
    """Every metric family the code exports, by name: the module's metrics and the collector's."""
    registry = CollectorRegistry(auto_describe=True)
    for value in vars(metrics).values():
        if isinstance(value, MetricWrapperBase):
            registry.register(value)
    families = [*registry.collect(), *ReadModelCollector(create_engine("sqlite://")).describe()]
    return {family.name: family.type for family in families}


def _exported_series() -> set[str]:
    names = {"up"}  # Prometheus's own per-target series
    for name, kind in _families().items():
        names.update(name + suffix for suffix in _SUFFIXES[kind])
    return names


def promql_metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression selects (a small tokenizer, enough for ours)."""
    expr = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)  # label values, Grafana variables
    expr = re.sub(r"\{[^}]*\}", "", expr)  # label matchers
    expr = re.sub(r"\[[^\]]*\]", "", expr)  # ranges
    expr = re.sub(_GROUPING, "", expr)  # grouping label lists
    names = set()
    for match in re.finditer(r"(?<![\w$.:])([A-Za-z_:][\w:]*)(?![\w:])(?!\s*\()", expr):
        if match.group(1).lower() not in _PROMQL_WORDS:
            names.add(match.group(1))
    return names


def _dashboard_queries(node: Any) -> Iterator[str]:
    """Every PromQL expression of a dashboard: panel targets and variable queries."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "expr" and isinstance(value, str):
                yield value
            elif key == "query" and isinstance(value, str):
                # label_values(metric, label): only the first argument is a metric.
                found = re.match(r"\s*label_values\(\s*([^,)]+)", value)
                yield found.group(1) if found else value
            else:
                yield from _dashboard_queries(value)
    elif isinstance(node, list):
        for item in node:
            yield from _dashboard_queries(item)


def _rule_queries() -> Iterator[str]:
    for group in _load_yaml(RULES)["groups"]:
        for rule in group["rules"]:
            yield rule["expr"]


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(INFRA)))
def test_every_yaml_file_parses(path: Path) -> None:
    assert _load_yaml(path) is not None


@pytest.mark.parametrize("path", JSON_FILES, ids=lambda p: str(p.relative_to(INFRA)))
def test_every_json_file_parses(path: Path) -> None:
    assert isinstance(json.loads(path.read_text(encoding="utf-8")), dict)


def test_the_stack_has_its_files() -> None:
    names = {p.relative_to(INFRA).as_posix() for p in INFRA.rglob("*") if p.is_file()}
    assert {
        "Dockerfile",
        "docker-compose.yml",
        "adapters.compose.yaml",
        "prometheus/prometheus.yml",
        "prometheus/rules.yml",
        "grafana/provisioning/datasources/prometheus.yml",
        "grafana/provisioning/dashboards/dashboards.yml",
        "grafana/dashboards/motcua-operations.json",
        "grafana/dashboards/motcua-adapters.json",
    } <= names


def test_compose_services_reference_files_that_exist() -> None:
    compose = _load_yaml(INFRA / "docker-compose.yml")
    services = compose["services"]
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (INFRA / source).exists(), f"{name}: mounts missing {source}"
        if "build" in service:
            context = INFRA / service["build"]["context"]
            assert (context / service["build"]["dockerfile"]).is_file(), name
        for dependency in service.get("depends_on", []):
            assert dependency in services, f"{name} depends on unknown {dependency}"
    adapters_file = services["engine-worker"]["environment"]["MOTCUA_ADAPTERS_FILE"]
    assert any(v.endswith(f":{adapters_file}:ro") for v in services["engine-worker"]["volumes"]), (
        "the engine worker's adapters file is not mounted"
    )


def test_the_compose_workers_and_simulators_are_the_ones_asked_for() -> None:
    services = _load_yaml(INFRA / "docker-compose.yml")["services"]
    assert services["engine-worker"]["command"] == ["worker"]
    assert services["engine-worker"]["environment"]["MOTCUA_SEPARATE_AGENCIES"] == (
        "provincial-court"
    )
    assert services["agency-worker-court"]["command"] == ["worker", "--agency", "provincial-court"]
    assert services["api"]["command"] == ["api", "--metrics-port", "9464"]
    assert services["simulators"]["command"] == ["sim", "all", "--host", "0.0.0.0"]
    assert services["temporal"]["image"].startswith("temporalio/auto-setup:")
    assert services["temporal-init"]["image"].startswith("temporalio/admin-tools:")


def test_temporal_init_registers_every_search_attribute_of_the_workflows() -> None:
    from motcua.dossier import search_attributes as _search

    script = (INFRA / "temporal" / "register-search-attributes.sh").read_text()
    kinds = {"KEYWORD": "Keyword", "DATETIME": "Datetime"}
    for key in _search.ALL:
        assert f"{key.name}:{kinds[key.indexed_value_type.name]}" in script


def test_prometheus_scrapes_the_workers_and_the_api_and_loads_the_rules() -> None:
    config = _load_yaml(INFRA / "prometheus" / "prometheus.yml")
    targets = {
        target
        for job in config["scrape_configs"]
        for static in job["static_configs"]
        for target in static["targets"]
    }
    assert {"engine-worker:9464", "agency-worker-court:9464", "outbox:9464", "api:9464"} <= targets
    assert config["rule_files"] == ["/etc/prometheus/rules.yml"]


def test_the_dockerfile_runs_motcua_as_a_non_root_user() -> None:
    lines = [line.split() for line in (INFRA / "Dockerfile").read_text().splitlines() if line]
    instructions = {words[0]: words[1:] for words in lines if words[0].isupper()}
    assert instructions["FROM"] == ["python:3.11-slim"]
    assert instructions["USER"] not in (["root"], ["0"])
    assert instructions["ENTRYPOINT"] == ['["motcua"]']


def test_the_alert_rules_cover_breaches_stuck_tasks_adapters_and_workers() -> None:
    expressions = " ".join(_rule_queries())
    for needed in ("motcua_sla_breaches_total", "motcua_tasks_overdue", "up{"):
        assert needed in expressions
    assert "motcua_adapter_calls_total" in expressions
    assert "motcua_http_requests_total" in expressions  # the API's server errors


def test_the_promql_tokenizer_finds_metric_names_only() -> None:
    expr = (
        'histogram_quantile(0.95, sum by (le, adapter) (rate(foo_bucket{a=~"x|y"}[5m])))'
        " / on (agency) group_left bar_total > 0.1 and up == 0 offset 5m"
    )
    assert promql_metric_names(expr) == {"foo_bucket", "bar_total", "up"}


def test_every_metric_in_dashboards_and_rules_is_exported() -> None:
    exported = _exported_series()
    used: dict[str, set[str]] = {}
    for path in DASHBOARDS:
        for expr in _dashboard_queries(json.loads(path.read_text(encoding="utf-8"))):
            used.setdefault(path.name, set()).update(promql_metric_names(expr))
    used[RULES.name] = set().union(*(promql_metric_names(e) for e in _rule_queries()))
    for source, names in used.items():
        assert names, f"{source}: no metric found (tokenizer broken?)"
        assert names <= exported, f"{source} names unexported metrics: {sorted(names - exported)}"
    assert {"motcua_tasks_open", "motcua_adapter_call_seconds_bucket"} <= set().union(
        *used.values()
    )


def test_the_metrics_documentation_names_every_exported_metric() -> None:
    text = (ROOT / "docs" / "metrics.md").read_text(encoding="utf-8")
    for name, kind in _families().items():
        shown = name + "_total" if kind == "counter" else name
        assert f"`{shown}`" in text, f"docs/metrics.md does not document {shown}"
