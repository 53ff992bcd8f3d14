"""The one settings object of a motcua process, read from ``MOTCUA_*`` environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """Engine settings; fails fast on a bad or unsafe value."""

    model_config = SettingsConfigDict(env_prefix="MOTCUA_", extra="ignore", frozen=True)

    environment: Literal["development", "test", "production"] = "development"
    temporal_address: str = "127.0.0.1:7233"
    temporal_namespace: str = "default"
    task_queue: str = "motcua"
    database_url: str = "sqlite:///var/motcua.db"
    procedures_dir: Path = Path("procedure_defs")
    calendar_file: Path | None = Field(
        default=None, description="Announced Tết schedules and make-up days; packaged file if unset"
    )
    metrics_port: int = Field(default=9464, ge=0, le=65535)
    metrics_host: str = "127.0.0.1"
    log_format: Literal["auto", "console", "json"] = "auto"
    log_level: str = "INFO"
    time_scale: float = Field(
        default=1.0,
        ge=1.0,
        description="Demo clock: calendar time runs this many times faster; 1 in production",
    )
    extension_working_days: float = Field(default=2, gt=0, description="Art. 19.6 single extension")
    rating_window_days: float = Field(default=30, ge=0)
    var_dir: Path = Path("var")
    adapters_file: Path = Field(
        default=Path("adapters.yaml"), description="Which adapter each agency's worker runs"
    )
    agency_queue_prefix: str = Field(
        default="agency.", description="Agency X's adapter calls go to task queue prefix + X"
    )
    separate_agencies: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Agencies running their own worker (motcua worker --agency X): the engine "
        "worker leaves their task queues alone. Comma-separated in the environment.",
    )
    api_host: str = "127.0.0.1"
    api_port: int = Field(default=8000, ge=0, le=65535, description="motcua up serves the API here")
    simulators: bool = Field(
        default=True,
        description="motcua up serves the agency-system simulators and runs its adapters "
        "against them instead of adapters_file",
    )
    simulator_base_port: int = Field(
        default=8101, ge=0, le=65529, description="The simulators' ports from here on; 0: free"
    )

    @field_validator("separate_agencies", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str) and not value.lstrip().startswith("["):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @model_validator(mode="after")
    def _safe_for_production(self) -> Settings:
        if self.environment == "production" and self.time_scale != 1.0:
            raise ValueError("MOTCUA_TIME_SCALE must be 1 in production: deadlines would be wrong")
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
