"""What the conformance kit found: one :class:`CheckResult` per check, rendered for a terminal
(rich) or as JSON for CI."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from rich.console import Console
from rich.table import Table
from rich.text import Text

Status = Literal["PASS", "FAIL", "SKIP"]
Category = Literal["setup", "happy path", "not found", "idempotency", "rejection", "error mapping"]
CATEGORIES: tuple[Category, ...] = (
    "setup",
    "happy path",
    "not found",
    "idempotency",
    "rejection",
    "error mapping",
)
_STYLE: dict[Status, str] = {"PASS": "bold green", "FAIL": "bold red", "SKIP": "yellow"}


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check.

    Attributes:
        id: Stable identifier, e.g. ``payment.create-twice`` or ``fault.503``.
        category: The group it is reported under.
        description: What the adapter must do.
        status: ``PASS``, ``FAIL`` or ``SKIP``.
        detail: One line: what was expected and what happened.
        seconds: How long the check took.
    """

    id: str
    category: Category
    description: str
    status: Status
    detail: str
    seconds: float = 0.0


@dataclass
class Report:
    """Every check run against one adapter plugin."""

    plugin: str
    kind: str
    backend: str
    http: bool
    results: list[CheckResult] = field(default_factory=list)

    def count(self, status: Status) -> int:
        """How many checks ended with ``status``."""
        return sum(1 for result in self.results if result.status == status)

    @property
    def ok(self) -> bool:
        """True when no check failed (skipped checks do not count against the adapter)."""
        return self.count("FAIL") == 0

    @property
    def failed(self) -> list[CheckResult]:
        """The failed checks, in the order they ran."""
        return [result for result in self.results if result.status == "FAIL"]

    def summary(self) -> str:
        """``N passed, M failed, K skipped``."""
        return (
            f"{self.count('PASS')} passed, {self.count('FAIL')} failed, "
            f"{self.count('SKIP')} skipped"
        )

    def to_dict(self) -> dict[str, Any]:
        """The report as plain data (what :meth:`to_json` serialises)."""
        return {
            "plugin": self.plugin,
            "kind": self.kind,
            "backend": self.backend,
            "http": self.http,
            "ok": self.ok,
            "summary": {
                "passed": self.count("PASS"),
                "failed": self.count("FAIL"),
                "skipped": self.count("SKIP"),
            },
            "checks": [asdict(result) for result in self.results],
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """The report as a JSON document."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def render(self, console: Console) -> None:
        """Print a table grouped by category, then the summary line."""
        table = Table(
            title=f"{self.plugin} ({self.kind} adapter) against {self.backend}",
            title_justify="left",
        )
        table.add_column("check", overflow="fold")
        table.add_column("result", no_wrap=True)
        table.add_column("detail", overflow="fold")  # fold, not "…": a cut message misleads
        for category in CATEGORIES:
            group = [result for result in self.results if result.category == category]
            if not group:
                continue
            # A heading row instead of a category column leaves the width to the details.
            table.add_row(Text(category.upper(), style="bold cyan"), "", "")
            for index, result in enumerate(group):
                table.add_row(
                    Text.assemble((result.id, "bold"), "\n", (result.description, "dim")),
                    Text(result.status, style=_STYLE[result.status]),
                    # Text, not markup: details quote adapter messages that may contain [brackets]
                    Text(result.detail),
                    end_section=index == len(group) - 1,
                )
        console.print(table)
        style = "bold green" if self.ok else "bold red"
        console.print(Text(self.summary(), style=style))
