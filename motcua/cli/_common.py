"""What every ``motcua`` command shares: the console, a clean failure, the catalog and the
read model."""

from __future__ import annotations

import typer
from rich.console import Console
from sqlalchemy.orm import Session, sessionmaker

from motcua.definitions import Catalog, DefinitionError, load_catalog
from motcua.settings import Settings
from motcua.store import make_engine, migrate, session_factory

console = Console()


def fail(message: str) -> typer.Exit:
    """Print ``message`` as an error; raise the result to exit with status 1."""
    console.print(f"[red]error:[/red] {message}")
    return typer.Exit(1)


def catalog_or_exit(settings: Settings) -> Catalog:
    """The procedure catalog, or every problem as ``file:line`` and exit 1."""
    try:
        return load_catalog(settings.procedures_dir)
    except DefinitionError as error:
        for problem in error.problems:
            console.print(str(problem))
        raise fail("procedure definitions are invalid (see above)") from None


def read_sessions(settings: Settings) -> sessionmaker[Session]:
    """Read-only sessions on the (migrated) read model."""
    migrate(settings.database_url)
    return session_factory(make_engine(settings.database_url), read_only=True)
