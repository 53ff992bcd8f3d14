"""The one settings object of a motcua process, read from ``MOTCUA_*`` environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


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

    @model_validator(mode="after")
    def _safe_for_production(self) -> Settings:
        if self.environment == "production" and self.time_scale != 1.0:
            raise ValueError("MOTCUA_TIME_SCALE must be 1 in production: deadlines would be wrong")
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
