"""A generated log of permanent residence (1.004222) under two versions, with a planted change:
version 2 drops the police chief's signature (``sign``). 600 dossiers each, version 2 taking
over from the first working day after version 1's arrivals end (or earlier, to make dossiers
straddle the change)."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from motcua.analysis import EventLog, VersionBatch, generate_versions, sample_procedure, versions_of
from motcua.definitions import Procedure
from motcua.dossier import Event
from motcua.store import make_engine, migrate, project, session_factory

ROOT = Path(__file__).resolve().parents[2]
_SIGN = """  - id: sign
    kind: approval
    role: police-chief
    sla: {working_days: 1}
    four_eyes_with: [review]
"""
DRAFT = (
    (ROOT / "procedure_defs" / "permanent_residence.yaml")
    .read_text(encoding="utf-8")
    .replace("version: 1\n", "version: 2\n")
    .replace(_SIGN, "")
)
"""The planted change as a designer writes it: version 2's YAML, without ``sign``."""
DOSSIERS = 600
V1_START = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)
V2_START = datetime(2026, 5, 4, 1, 0, tzinfo=UTC)  # after v1's 60 working days (Tết in between)


def version_1() -> Procedure:
    return sample_procedure("1.004222")


def without_sign(version: int = 2) -> Procedure:
    """The planted change: the signature step removed."""
    v1 = version_1()
    steps = [s for s in v1.steps if s.id != "sign"]
    return v1.model_copy(update={"version": version, "steps": steps})


def reworded(version: int = 2) -> Procedure:
    """Same behaviour, other wording: only the names change."""
    v1 = version_1()
    name = v1.name.model_copy(update={"en": "Registration of permanent residence"})
    return v1.model_copy(update={"version": version, "name": name})


def two_versions_events(second: str = "without_sign", dossiers: int = DOSSIERS) -> list[Event]:
    """The events of both versions (``second``: "without_sign" or "reworded")."""
    v2 = without_sign() if second == "without_sign" else reworded()
    return generate_versions(
        [
            VersionBatch(version_1(), dossiers, V1_START, 60, seed=11),
            VersionBatch(v2, dossiers, V2_START, 60, seed=12),
        ]
    )


@cache
def two_versions(second: str = "without_sign") -> tuple[EventLog, dict[str, int]]:
    """The log of both versions and each dossier's version."""
    events = two_versions_events(second)
    return EventLog.from_events(events), versions_of(events)


def of_version(log: EventLog, versions: dict[str, int], version: int) -> EventLog:
    return log.select(dossiers={code for code, v in versions.items() if v == version})


def versioned_workspace(directory: Path, dossiers: int = 150) -> tuple[Path, str]:
    """A definitions directory where the draft is live as version 2, and a read model (SQLite
    URL) holding ``dossiers`` dossiers of each version: what ``make run`` gives a designer
    after putting the draft live and more demo load."""
    defs = directory / "defs"
    shutil.copytree(ROOT / "procedure_defs", defs)
    (defs / "permanent_residence_v2.yaml").write_text(DRAFT, encoding="utf-8")
    url = f"sqlite:///{directory / 'motcua.db'}"
    migrate(url)
    engine = make_engine(url)
    with session_factory(engine)() as session:
        project(session, events=two_versions_events(dossiers=dossiers))
        session.commit()
    engine.dispose()
    return defs, url
