"""Versions side by side: which one is in force on a day, and the linter's version rule."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from motcua.definitions import load_catalog, validate_paths

from ._helpers import line_of, procedure, versioned


def _three_versions(directory: Path) -> None:
    procedure(directory, versioned(1, None), name="v1.yaml")
    procedure(directory, versioned(2, "2027-01-01"), name="v2.yaml")
    procedure(directory, versioned(3, "2027-07-01"), name="v3.yaml")


def test_the_version_in_force_is_the_last_to_take_effect(tmp_path: Path) -> None:
    _three_versions(tmp_path)
    catalog = load_catalog(tmp_path)
    assert catalog.in_force("9.000001", date(2026, 12, 31)).version == 1
    assert catalog.in_force("9.000001", date(2027, 1, 1)).version == 2
    assert catalog.in_force("9.000001", date(2027, 6, 30)).version == 2
    assert catalog.in_force("9.000001", date(2030, 1, 1)).version == 3
    assert [p.version for p in catalog.versions("9.000001")] == [1, 2, 3]
    assert validate_paths([tmp_path]) == []


def test_a_later_version_without_a_date_is_a_draft_the_linter_flags(tmp_path: Path) -> None:
    procedure(tmp_path, versioned(1, None), name="v1.yaml")
    draft = procedure(tmp_path, versioned(2, None), name="v2.yaml")
    catalog = load_catalog(tmp_path)
    assert catalog.in_force("9.000001", date(2030, 1, 1)).version == 1  # never the draft
    [problem] = validate_paths([tmp_path])
    assert (problem.file, problem.line, problem.path) == (
        str(draft),
        line_of(draft, "version: 2", occurrence=2),  # after schema_version: 2
        "version",
    )
    assert problem.message.startswith(f"version 2 follows version 1 ({tmp_path / 'v1.yaml'}:")
    assert "has no effective_from, so no dossier will take it (a draft)" in problem.message


def test_no_version_is_in_force_before_the_first_takes_effect(tmp_path: Path) -> None:
    procedure(tmp_path, versioned(1, "2027-01-01"), name="v1.yaml")
    procedure(tmp_path, versioned(2, "2027-06-01"), name="v2.yaml")
    catalog = load_catalog(tmp_path)
    with pytest.raises(KeyError):
        catalog.in_force("9.000001", date(2026, 12, 31))
    # What `show` and the analysis read meanwhile: the first version to come.
    assert catalog.current("9.000001", date(2026, 12, 31)).version == 1
    assert catalog.current("9.000001", date(2027, 6, 1)).version == 2


@pytest.mark.parametrize(
    ("second", "expected"),
    [
        ("2027-01-01", "the same day as version 1"),
        ("2026-06-01", "before version 1"),
    ],
)
def test_dates_must_increase_with_theversioned(tmp_path: Path, second: str, expected: str) -> None:
    procedure(tmp_path, versioned(1, "2027-01-01"), name="v1.yaml")
    later = procedure(tmp_path, versioned(2, second), name="v2.yaml")
    [problem] = validate_paths([tmp_path])
    assert (problem.file, problem.path) == (str(later), "effective_from")
    assert problem.line == line_of(later, "effective_from:")
    assert expected in problem.message and f"{tmp_path / 'v1.yaml'}:" in problem.message


def test_the_same_version_twice_asks_for_a_higher_number(tmp_path: Path) -> None:
    procedure(tmp_path, versioned(1, None), name="v1.yaml")
    procedure(tmp_path, versioned(1, "2027-01-01"), name="v1_again.yaml")
    [problem] = load_catalog(tmp_path, strict=False).problems
    assert problem.message.endswith("a new version needs a higher number (next free: 2)")
