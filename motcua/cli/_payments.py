"""``motcua payments``: what an operator must settle with the payment platform by hand."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from motcua.cli._common import console, read_sessions

if TYPE_CHECKING:
    from motcua.dossier import FeeMismatched

# The dossier events and the store are imported by the command: `--help` needs neither.

payments_app = typer.Typer(no_args_is_help=True)


@payments_app.command()
def mismatched(
    agency: Annotated[str | None, typer.Option(help="Only this agency (registry id)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines instead of a table")] = False,
) -> None:
    """Payments parked because their amount was not the fee due: the dossier did not count them
    as paid. Settle each with the platform (refund it; the citizen pays the fee due)."""
    from motcua.dossier import FeeMismatched
    from motcua.settings import get_settings
    from motcua.store import events_of_type

    with read_sessions(get_settings())() as session:
        parked = [
            e
            for e in events_of_type(session, "fee.mismatched", agency=agency)
            if isinstance(e, FeeMismatched)
        ]
    if as_json:
        for e in parked:
            typer.echo(json.dumps(_row(e), ensure_ascii=False))
        return
    if not parked:
        console.print("No parked payments.")
        return
    table = Table(title=f"Payments parked for an operator ({len(parked)})")
    for column in ("received (UTC)", "dossier", "agency", "reference", "transaction"):
        table.add_column(column, overflow="fold")
    table.add_column("due", justify="right")
    table.add_column("paid", justify="right")
    for e in parked:
        table.add_row(
            e.occurred_at.strftime("%Y-%m-%d %H:%M"), e.dossier_code, e.agency, e.reference,
            e.transaction_id, f"{e.amount_due:,} {e.currency}", f"{e.amount_paid:,} {e.currency}",
        )  # fmt: skip
    console.print(table)


def _row(e: FeeMismatched) -> dict[str, object]:
    return {
        "occurred_at": e.occurred_at.isoformat(),
        "dossier_code": e.dossier_code,
        "agency": e.agency,
        "reference": e.reference,
        "transaction_id": e.transaction_id,
        "amount_due": e.amount_due,
        "amount_paid": e.amount_paid,
        "currency": e.currency,
    }
