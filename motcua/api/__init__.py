"""The HTTP API (FastAPI, versioned under ``/v1``): for now the Decision 766 KPIs and the
Prometheus metrics; portals, officers and agency events join it (issue 3)."""

from motcua.api._app import create_app

__all__ = ["create_app"]
