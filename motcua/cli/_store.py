"""``motcua store``: maintain the read model."""

from __future__ import annotations

import typer
from rich.table import Table

from motcua.cli._common import console

store_app = typer.Typer(no_args_is_help=True)


@store_app.command()
def rebuild(
    batch: int = typer.Option(200, min=1, help="Workflows whose events are folded together"),
) -> None:
    """Drop every projection (dossiers, tasks, payments, evidence, results) and fold it again
    from the event log alone, in one transaction. The log, the dossier-code allocations, the
    outbox and the API's own tables are kept. Projection waits meanwhile (PostgreSQL) or is
    retried (SQLite)."""
    from motcua.settings import get_settings
    from motcua.store import make_engine, migrate, rebuild_projections, session_factory

    settings = get_settings()
    migrate(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        with session_factory(engine).begin() as session:
            report = rebuild_projections(session, workflows_per_batch=batch)
    finally:
        engine.dispose()
    table = Table(title="Projections rebuilt from the event log")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, rows in report.rows.items():
        table.add_row(name, str(rows))
    console.print(table)
    console.print(f"from {report.events} events of {report.workflows} workflows")
