"""Export the read model's event log for process-mining tools (pm4py, ProM, Celonis).

`export_log` streams the events out of the read model in SQL order and writes them as XES
(`write_xes`, one trace per dossier) or OCEL 2.0 JSON (`write_ocel`), so a log of millions of
events never has to fit in memory. The writers are our own: pm4py is AGPL and only the tests use
it, to check that what we write loads.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from motcua.analysis._ocel import write_ocel
from motcua.analysis._xes import write_xes
from motcua.log_formats import ExportFormat
from motcua.store import iter_events


def export_log(
    source: Session | Engine,
    out_path: Path | str,
    format: ExportFormat = "xes",
    *,
    procedure: str | None = None,
    since: datetime | None = None,
) -> int:
    """Write the read model's event log to a file and return the number of events written.

    Args:
        source: A session or an engine of the read model.
        out_path: The file to write (parent directories are created).
        format: ``"xes"`` (IEEE 1849, one trace per dossier) or ``"ocel"`` (OCEL 2.0 JSON).
        procedure: Only this procedure's dossiers.
        since: Only dossiers submitted at or after this instant.

    Raises:
        ValueError: For an unknown format.
    """
    path = Path(out_path)
    if format == "xes":
        events = iter_events(source, order="dossier", procedure_code=procedure, since=since)
        return write_xes(events, path)
    if format == "ocel":
        events = iter_events(source, order="time", procedure_code=procedure, since=since)
        return write_ocel(events, path)
    raise ValueError(f"unknown export format {format!r}: expected 'xes' or 'ocel'")
