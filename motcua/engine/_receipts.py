"""What a submission is answered with: the dossier's code, or a bundle's members and theirs."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from motcua.dossier import BundleStatusName, MemberState, SubmissionReceipt


class MemberReceipt(BaseModel):
    """One member of a bundle: its dossier's receipt once its workflow has started."""

    model_config = ConfigDict(frozen=True)

    member_id: str
    procedure_code: str
    workflow_id: str = Field(description="The member's dossier workflow (it may not exist yet)")
    state: MemberState = Field(description="waiting: starts when the members before it finish")
    dossier: SubmissionReceipt | None = Field(
        default=None, description="None while waiting, and for a skipped member"
    )


class BundleReceipt(BaseModel):
    """An interconnected application: its own workflow and one receipt per member."""

    model_config = ConfigDict(frozen=True)

    workflow_id: str
    bundle_code: str
    status: BundleStatusName
    due_at: datetime | None
    members: list[MemberReceipt]

    @property
    def dossier_code(self) -> str | None:
        """The first started member's dossier code."""
        return next((m.dossier.dossier_code for m in self.members if m.dossier), None)


Receipt = SubmissionReceipt | BundleReceipt


class SubmissionPending(Exception):
    """The workflow has started (durably) but its answer did not come within the wait; the
    code will follow, and filing the same submission again is safe."""

    def __init__(self, workflow_id: str) -> None:
        super().__init__(f"submission {workflow_id} started; its dossier code is not known yet")
        self.workflow_id = workflow_id
