"""``motcua procedures``: validate, show, draw and compare procedure definitions."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from motcua.cli._common import set_up_logging

if TYPE_CHECKING:
    from motcua.definitions import Bundle, Procedure

# Each command imports the definitions package (and the engine) itself: `--help` needs neither.

__all__ = ["procedures_app"]

procedures_app = typer.Typer(
    help="Validate, show, draw and compare procedure definitions.", no_args_is_help=True
)

# Offline commands: they read definition files and log nothing, so they skip the logging set-up
# (and the observability stack, the store and Temporal's runtime it loads) to start at once. The
# others (simulate, compare: added by _reengineer.py) read the store and log as every command.
_OFFLINE = frozenset({"validate", "show", "graph", "diff"})


@procedures_app.callback()
def _set_up_logging(ctx: typer.Context) -> None:
    if ctx.invoked_subcommand not in _OFFLINE:
        set_up_logging()


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
    int | None,
    typer.Option("--version", help="Procedure version [default: the one in force today]"),
]


def _find(code: str, version: int | None, directory: Path | None) -> Procedure | Bundle:
    """Look ``code`` up in the catalog, or exit 1 with a message saying why not."""
    from motcua.definitions import load_catalog
    from motcua.engine import filing_day

    directory = directory or _default_dir()
    if not directory.is_dir():
        _err.print(f"[red]No definitions directory {directory}[/red]")
        raise typer.Exit(1)
    catalog = load_catalog(directory, strict=False)
    if catalog.problems:
        _err.print(
            f"[yellow]{len(catalog.problems)} problem(s) in {directory}; "
            f"run `motcua procedures validate {directory}`[/yellow]"
        )
    try:
        if code in {b.code for b in catalog.bundles()}:
            return catalog.bundle(code, version)
        if version is None:  # the version in force today; a draft or future one by --version
            return catalog.current(code, filing_day())
        return catalog.get(code, version)
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
    from motcua.definitions import validate_paths
    from motcua.definitions._loader import definition_files

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
    from motcua.definitions import summary

    _out.print(summary(_find(code, version, directory)), markup=False, highlight=False, end="")


@procedures_app.command()
def graph(
    code: str,
    out: Annotated[Path | None, typer.Option("--out", help="Write to FILE, not stdout")] = None,
    version: VersionOption = None,
    directory: DirOption = None,
) -> None:
    """Draw procedure (or bundle) CODE as a Mermaid flowchart."""
    from motcua.definitions import Bundle, mermaid, mermaid_bundle

    definition = _find(code, version, directory)
    text = mermaid_bundle(definition) if isinstance(definition, Bundle) else mermaid(definition)
    if out is None:
        # Plain write: Mermaid text must reach the pipe byte for byte, without rich markup.
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        _err.print(f"Wrote {out}", highlight=False)


def _side(text: str, directory: Path | None) -> tuple[Procedure, str]:
    """A ``CODE@VERSION`` from the catalog, or a definition file (a draft), and its label."""
    from motcua.definitions import (
        BadReference,
        Bundle,
        DefinitionError,
        load_catalog,
        load_definition,
        resolve_ref,
    )

    path = Path(text)
    if path.suffix in (".yaml", ".yml") or path.is_file():
        try:
            definition = load_definition(path)
        except DefinitionError as error:
            for problem in error.problems:  # file:line: path: message, as `validate` says it
                _err.print(str(problem), style="red", markup=False, highlight=False)
            raise typer.Exit(1) from None
        if isinstance(definition, Bundle):
            _err.print(f"[red]{path} is a bundle: diff compares procedures[/red]", highlight=False)
            raise typer.Exit(1)
        return definition, str(path)
    directory = directory or _default_dir()
    try:
        procedure = resolve_ref(load_catalog(directory, strict=False), text)
    except BadReference as error:
        _err.print(str(error), style="red", markup=False, highlight=False)
        raise typer.Exit(1) from None
    return procedure, f"{procedure.code}@{procedure.version}"


@procedures_app.command()
def diff(
    before: Annotated[str, typer.Argument(help="CODE@VERSION or a definition file")],
    after: Annotated[str, typer.Argument(help="CODE@VERSION or a definition file (a draft)")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of text")] = False,
    directory: DirOption = None,
) -> None:
    """The changes that matter from BEFORE to AFTER, what follows, and wording changes."""
    from motcua.definitions import diff_procedures

    (old, old_label), (new, new_label) = _side(before, directory), _side(after, directory)
    result = diff_procedures(old, new, before_label=old_label, after_label=new_label)
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        typer.echo(result.text(), nl=False)
