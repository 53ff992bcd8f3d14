"""The fault benchmarks' stack: a real ``motcua up`` (supervised processes) on free loopback
ports under a fresh directory, and an HTTP client acting as citizens and officers through it.

Everything goes through the product's own paths: the API for submissions, reads and decisions;
SIGKILL on the worker's pid as ``motcua up`` printed it (the supervisor restarts it).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

from motcua.api import Citizen, Officer, issue_token
from motcua.settings import Settings
from motcua.stack import free_port

ROOT = Path(__file__).resolve().parent.parent
STARTED = re.compile(r"^supervisor \| (\S+) (?:re)?started \(pid (\d+)\)")
AGENCY = "commune-police"  # permanent residence (1.004222), online, at the commune police
CITIZEN = "001090012345"
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def percentile(values: list[float], p: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def result_line(**figures: object) -> str:
    """The closing ``RESULT key=value …`` line every benchmark prints."""
    shown = (f"{v:.2f}" if isinstance(v, float) else str(v) for v in figures.values())
    return "RESULT " + " ".join(f"{k}={v}" for k, v in zip(figures, shown, strict=True))


class Stack:
    """A running ``motcua up``: its output so far, its API's address, its processes."""

    def __init__(self, process: subprocess.Popen[str], environ: dict[str, str]) -> None:
        self.process = process
        self.environ = environ
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, pattern: str, timeout: float = 300) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if found := re.search(pattern, line):
                    return found
            if self.process.poll() is not None and not self._reader.is_alive():
                break
            time.sleep(0.2)
        tail = "\n".join(self.lines[-40:])
        raise RuntimeError(f"motcua up never printed {pattern!r}:\n{tail}")

    def pids(self, role: str) -> list[int]:
        found = [STARTED.match(line) for line in list(self.lines)]
        return [int(m[2]) for m in found if m and m[1] == role]

    def kill(self, role: str) -> int:
        """SIGKILL the role's current process; its pid."""
        pid = self.pids(role)[-1]
        os.kill(pid, signal.SIGKILL)
        return pid

    @property
    def api_url(self) -> str:
        return self.wait_for(r"^console\s+(http://\S+?)/?$")[1]


@contextmanager
def running_stack(var: Path | None = None) -> Iterator[Stack]:
    """``motcua up`` under ``var`` (a temporary directory by default) until the block ends."""
    with tempfile.TemporaryDirectory(prefix="motcua-bench-") as scratch:
        var = var or Path(scratch)
        environ = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
        environ |= {
            "MOTCUA_ENVIRONMENT": "development",
            "MOTCUA_DEV_MODE": "true",
            "MOTCUA_VAR_DIR": str(var),
            "MOTCUA_DATABASE_URL": f"sqlite:///{var / 'motcua.db'}",
            "MOTCUA_TEMPORAL_ADDRESS": f"127.0.0.1:{free_port('127.0.0.1')}",
            "MOTCUA_METRICS_PORT": str(free_port("127.0.0.1")),
            "MOTCUA_SIMULATOR_BASE_PORT": "0",
            "MOTCUA_API_PORT": "0",
            "MOTCUA_RATE_LIMIT_PER_MINUTE": "0",
            "COLUMNS": "200",
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "motcua.cli", "up"],
            cwd=ROOT, env=environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True,
        )  # fmt: skip
        stack = Stack(process, environ)
        try:
            stack.wait_for(r"Serving; press Ctrl-C")
            yield stack
        finally:
            # The supervisor stops its children; gone already when it failed to start, and
            # then its own error, not this one, is what the caller must see.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


class People:
    """Citizens and officers acting through the API with development tokens."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        settings = Settings(environment="development", dev_mode=True)
        self.http = http
        self._tokens: dict[str, str] = {}
        self._settings = settings
        self._document: str | None = None

    def _auth(self, key: str, principal: Citizen | Officer) -> dict[str, str]:
        if key not in self._tokens:
            self._tokens[key] = issue_token(self._settings, principal, ttl=timedelta(hours=12))
        return {"Authorization": f"Bearer {self._tokens[key]}"}

    def citizen(self) -> dict[str, str]:
        return self._auth("citizen", Citizen(personal_id=CITIZEN))

    def officer(self, role: str, name: str = "lan") -> dict[str, str]:
        return self._auth(f"{role}/{name}", Officer(id=name, roles=[role], agencies=[AGENCY]))

    async def submit(self, key: str | None = None) -> str:
        """A permanent residence dossier filed through the portal API; its code. The same
        ``key`` again (a retry) is the same dossier."""
        if self._document is None:
            files = {"file": ("ct01.pdf", PDF, "application/pdf")}
            upload = await self.http.post("/v1/documents", headers=self.citizen(), files=files)
            upload.raise_for_status()
            self._document = upload.json()["sha256"]
        body = {
            "procedure": "1.004222",
            "applicant": {"personal_id": CITIZEN, "full_name": "Nguyễn Văn An"},
            "documents": [{"id": "ct01", "sha256": self._document}],
        }
        headers = self.citizen() | {"Idempotency-Key": key or f"bench-{uuid.uuid4().hex}"}
        filed = await self.http.post("/v1/dossiers", json=body, headers=headers)
        filed.raise_for_status()
        answer = filed.json()
        while answer["dossier"] is None:
            await asyncio.sleep(0.1)
            path = f"/v1/submissions/{answer['workflow_id']}"
            following = await self.http.get(path, headers=self.citizen())
            following.raise_for_status()
            answer = following.json()
        return str(answer["dossier"]["code"])

    async def read(self, code: str) -> dict[str, Any]:
        answer = await self.http.get(f"/v1/dossiers/{code}", headers=self.citizen())
        answer.raise_for_status()
        return dict(answer.json())

    async def tasks(self, role: str) -> list[dict[str, Any]]:
        """Every open task of ``role`` at the agency, as the inbox pages them."""
        found: list[dict[str, Any]] = []
        offset: int | None = 0
        while offset is not None:
            page = await self.http.get(
                "/v1/tasks",
                params={"limit": 200, "offset": offset, "status": "open"},
                headers=self.officer(role),
            )
            page.raise_for_status()
            found += page.json()["items"]
            offset = page.json()["next_offset"]
        return found

    async def claim(self, role: str, task_id: str, name: str) -> int:
        """Claim one task as the officer ``name``; the HTTP status."""
        path = f"/v1/tasks/{task_id}/claim"
        return (await self.http.post(path, headers=self.officer(role, name))).status_code

    async def decide(self, role: str, task_id: str, outcome: str, name: str) -> int:
        """Decide one task (claimed or not: the decision claims it); the HTTP status."""
        path, body = f"/v1/tasks/{task_id}/decision", {"outcome": outcome}
        decided = await self.http.post(path, json=body, headers=self.officer(role, name))
        return decided.status_code

    async def claim_and_decide(self, role: str, task_id: str, outcome: str, name: str) -> int:
        """Claim then decide one task; the HTTP status of the decision (the claim's if refused)."""
        claimed = await self.claim(role, task_id, name)
        if claimed != 200:
            return claimed
        return await self.decide(role, task_id, outcome, name)
