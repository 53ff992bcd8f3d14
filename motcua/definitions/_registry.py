"""The registry of agencies, adapters and data sources that definitions may name.

Definitions refer to agencies, roles, adapters and data sources by slug; the registry
(``procedure_defs/registry.yaml``) says which exist, so the linter can catch a typo before a
dossier is stuck waiting for a role nobody holds.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from motcua.definitions._models import Level, LocalizedName, Slug, SourceName


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Agency(_Strict):
    """An agency that receives, processes or is consulted on dossiers."""

    code: str = Field(
        pattern=r"^[0-9A-Z]+(\.[0-9A-Z]+)*$",
        description="Agency code, the dossier-code prefix, e.g. 000.00.01.H29",
    )
    name: LocalizedName
    level: Level
    roles: list[Slug] = Field(min_length=1)


class Registry(_Strict):
    """Agencies by slug, and the adapters and data sources known to the engine."""

    agencies: dict[Slug, Agency]
    adapters: dict[Slug, str] = Field(description="Adapter slug → what it connects to")
    data_sources: dict[SourceName, str] = Field(
        description="Data source slug (a document's replaced_by) → what it is"
    )

    def agency(self, agency_id: str) -> Agency:
        """Return the agency with this slug.

        Raises:
            KeyError: No such agency.
        """
        return self.agencies[agency_id]
