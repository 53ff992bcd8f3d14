"""What a bundle's workflow takes and answers: its input, and the combined status its clients
query (the engine files bundles and reads their members from it)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from motcua.definitions import Bundle
from motcua.dossier._inputs import DossierInput


def member_workflow_id(bundle_id: str, member_id: str) -> str:
    """The workflow id of a bundle's member dossier: its bundle's, dot, the member's id."""
    return f"{bundle_id}.{member_id}"


def bundle_of(workflow_id: str) -> str | None:
    """The bundle a member dossier's workflow belongs to (see `member_workflow_id`); None for
    a dossier filed on its own."""
    bundle, dot, member = workflow_id.rpartition(".")
    return bundle if dot and bundle and member else None


MemberState = Literal["waiting", "running", "completed", "ended", "skipped"]
BundleStatusName = Literal["processing", "completed", "partially_completed", "failed"]


class BundleInput(BaseModel):
    model_config = ConfigDict(frozen=True)

    submission_id: str
    bundle: Bundle
    members: dict[str, DossierInput]  # by member id, each with its procedure pinned


class MemberStatus(BaseModel):
    member_id: str
    procedure_code: str
    state: MemberState  # "waiting" until its child workflow has started
    workflow_id: str  # the member's dossier workflow; it exists once the state leaves "waiting"
    dossier_code: str | None = None
    outcome: str | None = None
    chain_head: str | None = None  # the member dossier's own hash chain, once it has ended


class BundleStatus(BaseModel):
    bundle_code: str
    status: BundleStatusName
    due_at: datetime | None
    members: list[MemberStatus]
