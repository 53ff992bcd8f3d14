"""``motcua sim NAME``: serve one agency-system simulator over HTTP."""

from __future__ import annotations

import typer

__all__ = ["sim_app"]

sim_app = typer.Typer(help="Serve a simulator of an agency system.", no_args_is_help=True)
