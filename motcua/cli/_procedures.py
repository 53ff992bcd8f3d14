"""``motcua procedures``: validate, show and draw procedure definitions."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from motcua.definitions import (
    Bundle,
    Catalog,
    Procedure,
    load_catalog,
    mermaid,
    mermaid_bundle,
    summary,
    validate_paths,
)
from motcua.definitions._loader import definition_files

__all__ = ["procedures_app"]

procedures_app = typer.Typer(
    help="Validate, show and draw procedure definitions.", no_args_is_help=True
)

# soft_wrap: a problem line must stay one line, so editors and grep can jump to file:line.
_out = Console(soft_wrap=True)
_err = Console(soft_wrap=True, stderr=True)


def _default_dir() -> Path:
    return Path(os.environ.get("MOTCUA_PROCEDURES_DIR", "procedure_defs"))


DirOption = Annotated[
    Path | None,
    typer.Option(
        "--dir", help="Definitions directory [default: $MOTCUA_PROCEDURES_DIR or procedure_defs]"
    ),
]
VersionOption = Annotated[
    int | None, typer.Option("--version", help="Procedure version [default: the latest]")
]


def _find(code: str, version: int | None, directory: Path | None) -> Procedure | Bundle:
    """Look ``code`` up in the catalog, or exit 1 with a message saying why not."""
    directory = directory or _default_dir()
    if not directory.is_dir():
        _err.print(f"[red]No definitions directory {directory}[/red]")
        raise typer.Exit(1)
    catalog: Catalog = load_catalog(directory, strict=False)
    if catalog.problems:
        _err.print(
            f"[yellow]{len(catalog.problems)} problem(s) in {directory}; "
            f"run `motcua procedures validate {directory}`[/yellow]"
        )
    try:
        if code in {b.code for b in catalog.bundles()}:
            return catalog.bundle(code, version)
        return catalog.latest(code) if version is None else catalog.get(code, version)
    except KeyError:
        which = code if version is None else f"{code} version {version}"
        _err.print(f"[red]Unknown procedure {which} in {directory}[/red]", highlight=False)
        _err.print(f"Known codes: {', '.join(catalog.codes()) or '(none)'}", highlight=False)
        raise typer.Exit(1) from None


@procedures_app.command()
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Definition files or directories [default: procedure_defs]"),
    ] = None,
) -> None:
    """Check definitions against the schema and the lint rules; exit 1 on any problem."""
    paths = paths or [_default_dir()]
    missing = [p for p in paths if not p.exists()]
    if missing:
        _err.print(f"[red]No such file or directory: {', '.join(map(str, missing))}[/red]")
        raise typer.Exit(1)
    problems = validate_paths(paths)
    for problem in problems:
        _out.print(str(problem), markup=False, highlight=False)
    if problems:
        _err.print(f"[red]{len(problems)} problem(s)[/red]")
        raise typer.Exit(1)
    count = len(definition_files(paths))
    _out.print(f"[green]{count} definition{'' if count == 1 else 's'} valid[/green]")


@procedures_app.command()
def show(code: str, version: VersionOption = None, directory: DirOption = None) -> None:
    """Print a human-readable summary of procedure (or bundle) CODE."""
    _out.print(summary(_find(code, version, directory)), markup=False, highlight=False, end="")


@procedures_app.command()
def graph(
    code: str,
    out: Annotated[Path | None, typer.Option("--out", help="Write to FILE, not stdout")] = None,
    version: VersionOption = None,
    directory: DirOption = None,
) -> None:
    """Draw procedure (or bundle) CODE as a Mermaid flowchart."""
    definition = _find(code, version, directory)
    text = mermaid_bundle(definition) if isinstance(definition, Bundle) else mermaid(definition)
    if out is None:
        # Plain write: Mermaid text must reach the pipe byte for byte, without rich markup.
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        _err.print(f"Wrote {out}", highlight=False)
