"""motcua adapter for a provincial court's criminal-records system (a worked example).

motcua finds the adapter through the ``plugin`` object below, registered in ``pyproject.toml``
under the ``motcua.adapters`` entry-point group as ``consultation.court-records``:

- ``kind``: the motcua protocol it implements (:mod:`adapters.consultation`);
- ``options``: the settings model ``adapters.yaml`` is validated against;
- ``build``: makes the adapter from validated options;
- ``simulator``: the sandbox the conformance kit and demos run it against.
"""

from adapters import AdapterPlugin

from motcua_court_records.adapter import CourtRecordsAdapter, CourtRecordsOptions
from motcua_court_records.sandbox import create_app

plugin = AdapterPlugin(
    kind="consultation",
    options=CourtRecordsOptions,
    build=CourtRecordsAdapter,
    simulator=create_app,
    summary="Provincial court criminal-records checks (example)",
)

__all__ = ["CourtRecordsAdapter", "CourtRecordsOptions", "create_app", "plugin"]
