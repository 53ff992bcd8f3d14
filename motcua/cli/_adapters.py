"""``motcua adapters``: list installed adapter plugins and run the conformance kit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from motcua.cli._sim import parse_options

if TYPE_CHECKING:
    from adapters import AdapterPlugin

# The adapters and the conformance kit are imported by the commands: `--help` needs neither.

__all__ = ["adapters_app"]

adapters_app = typer.Typer(help="List adapter plugins and check them.", no_args_is_help=True)

_out = Console()
_err = Console(stderr=True)

EXIT_FAILED = 1  # a check failed
EXIT_USAGE = 2  # the kit could not run: unknown plugin, bad option, no backend


def _installed() -> dict[str, AdapterPlugin]:
    from adapters import installed_plugins

    try:
        return installed_plugins()
    except Exception as exc:  # a broken third-party package must not hide behind a traceback
        _err.print(f"[red]error:[/red] cannot load the adapter plugins: {exc}", highlight=False)
        raise typer.Exit(EXIT_FAILED) from None


@adapters_app.command("list")
def list_command() -> None:
    """The installed adapter plugins (entry-point group ``motcua.adapters``)."""
    plugins = _installed()
    table = Table(title=f"Adapter plugins ({len(plugins)})", title_justify="left")
    for column in ("name", "kind", "simulator", "summary"):
        table.add_column(column, no_wrap=column != "summary")
    for name, found in sorted(plugins.items()):
        simulator = "yes" if found.simulator is not None else "no"
        table.add_row(name, found.kind, simulator, found.summary)
    _out.print(table)


@adapters_app.command("check")
def check_command(
    name: Annotated[str, typer.Argument(help="Plugin name, <kind>.<plugin>, e.g. payment.http")],
    backend_url: Annotated[
        str | None,
        typer.Option(
            "--backend-url", help="A sandbox of the real system [default: the plugin's simulator]"
        ),
    ] = None,
    option: Annotated[
        list[str] | None,
        typer.Option("--option", "-o", help="Adapter option KEY=VALUE (repeat); not base_url"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON")] = False,
) -> None:
    """Run the conformance kit against an adapter plugin.

    Exit code 0 when no check failed, 1 when one did, 2 when the kit could not run.
    """
    from adapters import UnknownAdapter, plugin
    from motcua.conformance import KitError, check

    options = parse_options(option or [])
    _installed()  # a broken plugin package is reported as such, not as an unknown name
    try:
        chosen = plugin(name)
    except UnknownAdapter as exc:
        _err.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(EXIT_USAGE) from None
    if not as_json:
        _err.print(f"checking {name} ({chosen.kind} adapter)…", highlight=False)
    try:
        report = check(chosen, options=options, backend_url=backend_url, name=name)
    except KitError as exc:
        _err.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(EXIT_USAGE) from None
    if as_json:
        typer.echo(report.to_json())  # plain echo: rich would wrap and colour the JSON
    else:
        report.render(_out)
    if not report.ok:
        raise typer.Exit(EXIT_FAILED)
