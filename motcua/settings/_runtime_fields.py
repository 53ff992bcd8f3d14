"""Where a motcua process runs and what it keeps: its environment, Temporal queue, store,
logs, demo clock, API address and development keys, uploads and outbox, evidence and audit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import NoDecode


class RuntimeFields(BaseModel):
    """The settings of the process itself (part of :class:`motcua.settings.Settings`)."""

    # No default: a process that does not say where it runs must not assume development (fail
    # closed). `make run` and the tests set it; `motcua up` is development by nature.
    environment: Literal["development", "test", "production"] | None = Field(
        default=None, description="development, test or production; required"
    )
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
    workflow_sandbox: bool = Field(
        default=False,
        description="Run workflows in Temporal's sandbox, which checks them for non-deterministic "
        "calls at run time; off in production (it costs about a third of the worker's "
        "workflow CPU), on in the test suite",
    )
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

    dev_mode: bool = Field(
        default=False,
        description="Development only: the API signs and accepts tokens with a well-known key "
        "and payment callbacks with a well-known secret. Refused in production.",
    )
    jwt_secret: SecretStr | None = Field(
        default=None, description="HS256 key of the API's bearer tokens (32 bytes or more)"
    )
    jwt_issuer: str = "motcua"
    jwt_audience: str = "motcua-api"
    payment_callback_secret: SecretStr | None = Field(
        default=None, description="HMAC key the payment platform signs its callbacks with"
    )
    callback_tolerance_seconds: int = Field(
        default=300, gt=0, description="A signed callback older or newer than this is refused"
    )
    upload_max_bytes: int = Field(default=10 * 1024 * 1024, gt=0)
    submit_wait_seconds: float = Field(
        default=10, ge=0, description="How long a submission waits for its dossier code"
    )
    outbox_poll_seconds: float = Field(default=0.5, gt=0)
    outbox_max_attempts: int = Field(
        default=12, ge=1, description="Webhook delivery attempts before the line is parked"
    )
    # Data minimisation (issue 11): the pepper of evidence and result hashes (HMAC-SHA256), held
    # by workers only (activities hash; workflows never see it). See docs/security/.
    evidence_pepper: SecretStr | None = Field(
        default=None,
        description="HMAC key of the query, response and document hashes kept as evidence "
        "(32 characters or more); the public development pepper only in dev mode",
    )

    # Audit trail: hash chains and daily anchors (docs/security/audit.md)
    audit_tsa_url: str | None = Field(
        default=None,
        description="The timestamping authority that signs each day's anchor (its /v1/stamps "
        "and /v1/key); unset: anchors are kept unstamped",
    )
    audit_tsa_token_env: str | None = Field(
        default=None, description="Environment variable holding the authority's bearer token"
    )
    audit_query_timeout_seconds: float = Field(
        default=10, gt=0, description="How long `audit verify` waits for a workflow's answer"
    )

    # Analysis periods (issue 15): calendar days are the agency's, not UTC's.
    agency_timezone: str = Field(
        default="Asia/Ho_Chi_Minh",
        description="IANA zone whose calendar days bound KPI, bottleneck and export periods",
    )
