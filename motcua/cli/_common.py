"""What every ``motcua`` command shares: logging, the console, a clean failure, the catalog
and the read model."""

from __future__ import annotations

import contextlib
import os
from typing import TYPE_CHECKING

import typer
from rich.console import Console

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from motcua.definitions import Catalog
    from motcua.settings import Settings

# Heavy modules (the engine, the store, the observability package) are imported by the commands
# that use them, so `motcua --help` and `motcua procedures validate` start at once.

console = Console()


def set_up_logging() -> None:
    """Logging for every command, before it runs (the app's callback): one redacting handler
    for structlog, the stdlib (the Temporal SDK) and uvicorn, as MOTCUA_LOG_FORMAT and
    MOTCUA_LOG_LEVEL say."""
    from pydantic import ValidationError

    from motcua.observability import configure_logging
    from motcua.settings import get_settings

    try:
        settings = get_settings()
    except ValidationError:
        # The command itself reports the bad setting; one that needs no settings (`motcua sim`)
        # still logs at the level asked for.
        with contextlib.suppress(ValueError):
            configure_logging(level=os.environ.get("MOTCUA_LOG_LEVEL", "INFO"))
            return
        configure_logging()
        return
    try:
        configure_logging(fmt=settings.log_format, level=settings.log_level)
    except ValueError as error:
        raise fail(f"MOTCUA_LOG_LEVEL: {error}") from None


def fail(message: str) -> typer.Exit:
    """Print ``message`` as an error; raise the result to exit with status 1."""
    console.print(f"[red]error:[/red] {message}")
    return typer.Exit(1)


def catalog_or_exit(settings: Settings) -> Catalog:
    """The procedure catalog, or every problem as ``file:line`` and exit 1."""
    from motcua.definitions import DefinitionError, load_catalog

    try:
        return load_catalog(settings.procedures_dir)
    except DefinitionError as error:
        for problem in error.problems:
            console.print(str(problem))
        raise fail("procedure definitions are invalid (see above)") from None


def read_sessions(settings: Settings) -> sessionmaker[Session]:
    """Read-only sessions on the (migrated) read model."""
    from motcua.store import make_engine, migrate, session_factory

    migrate(settings.database_url)
    return session_factory(make_engine(settings.database_url), read_only=True)
