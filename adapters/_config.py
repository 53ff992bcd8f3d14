"""``adapters.yaml``: which adapter each agency's worker runs, and with what settings.

::

    defaults:                      # every agency, unless it says otherwise
      population: {plugin: http, base_url: "http://127.0.0.1:8101"}
      ...
    agencies:
      provincial-court:            # the court's own worker: motcua worker --agency provincial-court
        consultation: {plugin: http, base_url: "https://court.example/api", token_env: COURT_TOKEN}

Every kind must be configured in ``defaults``; the keys besides ``plugin`` are the plugin's own
options, checked against its options model when the file is loaded.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, field_validator

from adapters._plugins import KINDS, Kind, UnknownAdapter, plugin
from adapters.consultation import Consultation
from adapters.delivery import ResultDelivery
from adapters.notification import Notifier
from adapters.payment import PaymentPlatform
from adapters.population import PopulationData
from adapters.portal import PortalSync


@dataclass
class Adapters:
    """The adapters one agency's activities call."""

    population: PopulationData
    payment: PaymentPlatform
    delivery: ResultDelivery
    notification: Notifier
    portal: PortalSync
    consultation: Consultation

    async def aclose(self) -> None:
        """Close the connections of the adapters that hold some."""
        for item in fields(self):
            close = getattr(getattr(self, item.name), "aclose", None)
            if close is not None:
                with contextlib.suppress(Exception):
                    await close()


class AdapterChoice(BaseModel):
    """``{plugin: NAME, **options}``."""

    model_config = ConfigDict(extra="allow", frozen=True)

    plugin: str

    @property
    def options(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class AdapterSet(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    population: AdapterChoice | None = None
    payment: AdapterChoice | None = None
    delivery: AdapterChoice | None = None
    notification: AdapterChoice | None = None
    portal: AdapterChoice | None = None
    consultation: AdapterChoice | None = None

    @field_validator(*KINDS)
    @classmethod
    def _known_plugin_with_valid_options(
        cls, choice: AdapterChoice | None, info: ValidationInfo
    ) -> AdapterChoice | None:
        if choice is None:
            return None
        try:
            found = plugin(f"{info.field_name}.{choice.plugin}")
        except UnknownAdapter as exc:
            raise ValueError(str(exc)) from None
        try:
            found.options.model_validate(choice.options)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'options'}: {e['msg']}"
                for e in exc.errors()
            )
            raise ValueError(f"{choice.plugin} options: {problems}") from None
        return choice


class AdaptersConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    defaults: AdapterSet
    agencies: dict[str, AdapterSet] = {}

    @field_validator("defaults")
    @classmethod
    def _every_kind_has_a_default(cls, defaults: AdapterSet) -> AdapterSet:
        missing = [kind for kind in KINDS if getattr(defaults, kind) is None]
        if missing:
            raise ValueError(f"no default adapter for: {', '.join(missing)}")
        return defaults

    def choice(self, kind: Kind, agency: str | None = None) -> AdapterChoice:
        own = self.agencies.get(agency) if agency else None
        chosen = (own and getattr(own, kind)) or getattr(self.defaults, kind)
        assert chosen is not None  # guaranteed by the validator
        return chosen

    def overriding(self, kind: Kind) -> list[str]:
        """The agencies that configure an adapter of ``kind`` of their own."""
        return sorted(name for name, own in self.agencies.items() if getattr(own, kind))

    def create(self, kind: Kind, agency: str | None = None) -> Any:
        """The adapter of ``kind`` for ``agency`` (the default when it configures none)."""
        choice = self.choice(kind, agency)
        return plugin(f"{kind}.{choice.plugin}").create(choice.options)

    def build(self, agency: str | None = None) -> Adapters:
        """The adapters of ``agency`` (the defaults where it configures none)."""
        return Adapters(**{kind: self.create(kind, agency) for kind in KINDS})


def load_adapters_config(path: Path) -> AdaptersConfig:
    """Load ``adapters.yaml``; a problem is reported as ``file:line: path: message``.

    Raises:
        motcua.definitions.DefinitionError: unreadable, not YAML, or not a valid configuration.
    """
    from motcua.definitions import load_yaml_model

    return load_yaml_model(path, AdaptersConfig)
