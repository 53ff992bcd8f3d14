"""``motcua adapters``: list installed adapter plugins and run the conformance kit."""

from __future__ import annotations

import typer

__all__ = ["adapters_app"]

adapters_app = typer.Typer(help="List adapter plugins and check them.", no_args_is_help=True)
