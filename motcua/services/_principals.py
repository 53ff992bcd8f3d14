"""Who calls the API: a citizen, an officer or a service (an agency's or a portal's system).

- a **citizen**, identified by their 12-digit personal ID, sees and acts on their own dossiers;
- an **officer** carries ``roles`` and ``agencies``: they see and decide only tasks of a role they
  hold at an agency in their scope;
- a **service** carries ``scopes`` (``portal``, ``population``, ``consultation``) and, for agency
  systems, ``agencies``.

Each keeps the ``jti`` of the token that named it, so what it does can be traced to that token.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from motcua.service_scopes import SERVICE_SCOPES as SERVICE_SCOPES


class Citizen(BaseModel):
    model_config = ConfigDict(frozen=True)
    kind: Literal["citizen"] = "citizen"
    personal_id: str = Field(pattern=r"^\d{12}$")
    jti: str | None = None


class Officer(BaseModel):
    model_config = ConfigDict(frozen=True)
    kind: Literal["officer"] = "officer"
    id: str = Field(min_length=1)
    roles: list[str] = Field(min_length=1)
    agencies: list[str] = Field(min_length=1)
    jti: str | None = None

    def may_see(self, agency: str) -> bool:
        return agency in self.agencies


class Service(BaseModel):
    model_config = ConfigDict(frozen=True)
    kind: Literal["service"] = "service"
    id: str = Field(min_length=1)
    scopes: list[Literal["portal", "population", "consultation"]] = Field(min_length=1)
    agencies: list[str] = Field(default_factory=list)
    jti: str | None = None

    @model_validator(mode="after")
    def _portal_names_its_agencies(self) -> Service:
        # A portal acts for the dossiers of its agencies; one naming none would see them all.
        if "portal" in self.scopes and not self.agencies:
            raise ValueError("a portal token must name its agencies (the 'agencies' claim)")
        return self


Principal = Citizen | Officer | Service
