"""Every status, event, step kind and slip the public pages can show has its words in both
languages (an unknown key would show itself on the page)."""

from __future__ import annotations

from typing import get_args

from motcua.console._i18n import messages
from motcua.console._track import CITIZEN_EVENTS
from motcua.definitions import Step
from motcua.dossier import DossierStatusName
from motcua.slips import SLIP_KINDS


def test_the_public_pages_have_words_for_everything_they_show() -> None:
    known = messages()
    step_kinds = {s.model_fields["kind"].annotation for s in get_args(get_args(Step)[0])}
    wanted = (
        [f"track.status.{s}" for s in get_args(DossierStatusName)]
        + [f"track.event.{e}" for e in CITIZEN_EVENTS]
        + [f"catalogue.step.{get_args(k)[0]}" for k in step_kinds]
        + [f"slip.link.{k}" for k in SLIP_KINDS]
        + [f"slip.timeliness.{t}" for t in ("early", "on_time", "late")]
    )
    assert [key for key in wanted if key not in known] == []
