"""(being written) ``motcua tokens issue``"""

from __future__ import annotations

import typer

tokens_app = typer.Typer(no_args_is_help=True)
