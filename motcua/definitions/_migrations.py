"""Upgrades of older procedure documents to the current schema version.

Each migration is a small named function taking a plain document of version N and returning one
of version N + 1; its docstring says what changed. The loader runs :func:`upgrade` before
validation, so designers can keep old files while the schema moves on.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

from motcua.definitions._models import CURRENT_SCHEMA_VERSION

__all__ = ["CURRENT_SCHEMA_VERSION", "RENAMED_KEYS", "upgrade"]

Document = dict[str, Any]

RENAMED_KEYS: Mapping[str, str] = {"deadline": "deadline_days"}
"""Top-level keys renamed by migrations (new name → old name), so the loader can still point
problems in an upgraded document at the line of the key the designer actually wrote."""


def v1_deadline_days_to_deadline(document: Document) -> Document:
    """Version 1 wrote ``deadline_days: N``; version 2 writes ``deadline: {working_days: N}``.

    Version 2 also allows working hours and same-day deadlines, which a bare number could not say.
    """
    if "deadline_days" in document:
        days = document.pop("deadline_days")
        document["deadline"] = {"working_days": days}
    return document


def v1_single_fee_to_channels(document: Document) -> Document:
    """Version 1 wrote ``fee: N`` (one amount); version 2 gives ``fee: {online, counter}``.

    Online and counter rates may differ (e.g. Circular 75/2022/TT-BTC), so the single amount
    becomes both rates.
    """
    fee = document.get("fee")
    if isinstance(fee, int) and not isinstance(fee, bool):
        document["fee"] = {"online": fee, "counter": fee}
    return document


def v1_four_eyes_scalar_to_list(document: Document) -> Document:
    """Version 1 allowed ``four_eyes_with: review``; version 2 always takes a list of step ids."""
    steps = document.get("steps")
    if isinstance(steps, list):
        for step in steps:
            if isinstance(step, dict) and isinstance(step.get("four_eyes_with"), str):
                step["four_eyes_with"] = [step["four_eyes_with"]]
    return document


# Migrations from version N to N + 1, applied in order.
_MIGRATIONS: dict[int, tuple[Callable[[Document], Document], ...]] = {
    1: (v1_deadline_days_to_deadline, v1_single_fee_to_channels, v1_four_eyes_scalar_to_list),
}


def upgrade(document: Mapping[str, Any]) -> Document:
    """Upgrade a plain procedure or bundle document to :data:`CURRENT_SCHEMA_VERSION`.

    Args:
        document: The parsed YAML document (not modified).

    Returns:
        A new document at the current schema version.

    Raises:
        ValueError: ``schema_version`` is missing, not an integer, unknown or newer than this
            version of motcua supports.
    """
    version = document.get("schema_version")
    if version is None:
        raise ValueError(f"schema_version is required (current: {CURRENT_SCHEMA_VERSION})")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ValueError(f"schema_version must be an integer, got {version!r}")
    if version > CURRENT_SCHEMA_VERSION:
        raise ValueError(
            f"schema_version {version} is newer than this motcua supports "
            f"({CURRENT_SCHEMA_VERSION}); upgrade motcua"
        )
    if version < min(_MIGRATIONS, default=CURRENT_SCHEMA_VERSION):
        raise ValueError(f"unknown schema_version {version}")
    upgraded: Document = copy.deepcopy(dict(document))
    while version < CURRENT_SCHEMA_VERSION:
        for migration in _MIGRATIONS[version]:
            upgraded = migration(upgraded)
        version += 1
        upgraded["schema_version"] = version
    return upgraded
