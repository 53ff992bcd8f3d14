"""(being written) ``motcua outbox``"""

from __future__ import annotations

import typer

outbox_app = typer.Typer(no_args_is_help=True)
