"""``simulate`` and ``compare`` on the read model: what the CLI and the API both call.

They read one procedure's events with one SELECT (``load_log``) and which version each dossier
ran from its ``dossier.submitted`` event, check a draft against the schema and the linter, and
measure open dossiers up to now (never before the log's last event: demo dossiers run on a
fast clock ahead of the wall clock).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.analysis._compare import Comparison, compare
from motcua.analysis._log import EventLog, load_log
from motcua.analysis._simulate import Simulation, simulate
from motcua.analysis._simulate_traces import observe
from motcua.calendar import WorkCalendar
from motcua.definitions import Catalog, DefinitionError, Problem, Procedure, lint
from motcua.store import EventRow


class NoDossiers(LookupError):
    """The read model holds no dossier of the version asked for."""


def dossier_versions(session: Session, procedure: str) -> dict[str, int]:
    """Each dossier of ``procedure`` and the version it was submitted under."""
    query = select(EventRow.dossier_code, EventRow.procedure_version).where(
        EventRow.type == "dossier.submitted", EventRow.procedure_code == procedure
    )
    return {code: version for code, version in session.execute(query)}


def check_draft(path: Path, catalog: Catalog) -> Procedure:
    """The draft at ``path``, valid against the schema and the linter with ``catalog``'s
    registry (on its own: the catalog's versions are not its context).

    Raises:
        DefinitionError: The draft's problems, located in its file.
    """
    drafts = Catalog(catalog.registry, catalog.registry_file)
    drafts.load([path])
    problems = sorted({*drafts.problems, *lint(drafts)})
    if problems:
        raise DefinitionError(problems)
    draft = next(drafts.procedures(), None)
    if draft is None:
        raise DefinitionError(
            [Problem(str(path), 1, "(document)", "a draft is one procedure, not a bundle")]
        )
    return draft


def version_before(catalog: Catalog, draft: Procedure) -> Procedure:
    """The version a draft replaces: the highest of its code below the draft's own (the draft
    may already sit in the catalog as the next version).

    Raises:
        NoDossiers: The catalog has no earlier version of the code.
    """
    earlier = [
        p for p in catalog.procedures() if p.code == draft.code and p.version < draft.version
    ]
    if not earlier:
        raise NoDossiers(
            f"the catalog has no version of {draft.code} before {draft.version} to replay: "
            "name one with --against CODE@V (the API: ?against=CODE@V)"
        )
    return max(earlier, key=lambda p: p.version)


def _now(log: EventLog) -> datetime:
    return max(datetime.now(UTC), datetime.fromtimestamp(float(log.at.max()), UTC))


def simulate_draft(
    session: Session,
    draft: Procedure,
    observed: Procedure,
    *,
    calendar: WorkCalendar,
    since: datetime | None = None,
) -> Simulation:
    """Replay the dossiers observed under ``observed`` (submitted since ``since``) through
    ``draft``.

    Raises:
        NoDossiers: None of them is in the read model.
    """
    versions = dossier_versions(session, observed.code)
    mine = {code for code, version in versions.items() if version == observed.version}
    log = load_log(session, procedure=observed.code, since=since).select(dossiers=mine)
    if len(log) == 0:
        raise NoDossiers(
            f"no dossier of {observed.code}@{observed.version} in the read model"
            + (f" since {since.isoformat()}" if since else "")
            + ": run more load, or name the version they ran with --against CODE@V"
        )
    traces = observe(log, observed, calendar=calendar, now=_now(log))
    if not len(traces):
        raise NoDossiers(
            f"no dossier of {observed.code}@{observed.version} was accepted yet: nothing to replay"
        )
    return simulate(traces, observed, draft)


def compare_versions(
    session: Session,
    a: Procedure,
    b: Procedure,
    *,
    calendar: WorkCalendar,
    start: datetime | None = None,
    end: datetime | None = None,
) -> Comparison:
    """Compare ``a`` and ``b`` on the dossiers each ran, submitted in ``[start, end)``.

    Raises:
        NoDossiers: The read model holds no dossier of this procedure.
    """
    log = load_log(session, procedure=a.code)
    if len(log) == 0:
        raise NoDossiers(f"no dossier of {a.code} in the read model")
    versions = dossier_versions(session, a.code)
    return compare(log, versions, a, b, calendar=calendar, now=_now(log), start=start, end=end)
