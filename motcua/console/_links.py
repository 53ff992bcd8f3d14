"""Links from the operations page to the Temporal UI, filtered by the dossiers' search
attributes (``motcua/dossier/search_attributes.py``), and to the Grafana operations dashboard
(``infra/grafana``)."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote, urlencode

from motcua.dossier.search_attributes import AGENCY, DUE_AT, PROCEDURE
from motcua.settings import Settings

GRAFANA_DASHBOARD = "motcua-operations"  # the uid in infra/grafana/dashboards/


def temporal_ui(settings: Settings) -> str:
    """The Temporal UI's base URL: the setting, else the dev server's (its port + 1000)."""
    if settings.temporal_ui_url:
        return settings.temporal_ui_url.rstrip("/")
    host, _, port = settings.temporal_address.rpartition(":")
    return f"http://{host}:{int(port) + 1000}"


def running_workflows(
    settings: Settings,
    *,
    agency: str | None = None,
    procedure: str | None = None,
    due_before: datetime | None = None,
) -> str:
    """The Temporal UI's list of running dossier workflows, narrowed by the given attributes."""
    clauses = ['ExecutionStatus="Running"']
    if agency:
        clauses.append(f'{AGENCY.name}="{agency}"')
    if procedure:
        clauses.append(f'{PROCEDURE.name}="{procedure}"')
    if due_before is not None:
        clauses.append(f'{DUE_AT.name}<"{due_before.isoformat()}"')
    query = quote(" AND ".join(clauses), safe="")
    namespace = quote(settings.temporal_namespace, safe="")
    return f"{temporal_ui(settings)}/namespaces/{namespace}/workflows?query={query}"


def grafana(settings: Settings, *, agency: str | None = None) -> str | None:
    """The operations dashboard, for ``agency`` when given; None when Grafana is not set up."""
    if not settings.grafana_url:
        return None
    base = f"{settings.grafana_url.rstrip('/')}/d/{GRAFANA_DASHBOARD}"
    return f"{base}?{urlencode({'var-agency': agency})}" if agency else base
