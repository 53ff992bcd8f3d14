"""The error-mapping checks: the kit switches its proxy into a failure mode and makes the
contract's probe call, which must raise the error the taxonomy prescribes."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from adapters.errors import AdapterError, Misconfigured, Transient
from motcua.conformance._base import (
    Check,
    CheckFn,
    Context,
    Failed,
    Probe,
    Skipped,
    expect_error,
)
from motcua.conformance._proxy import FaultProxy, Mode

GRACE_SECONDS = 1.0  # how much longer than timeout_seconds a slow backend may hold the adapter
SLOW_EXTRA_SECONDS = 2.0  # the slow proxy's delay beyond the timeout: longer than the grace


@dataclass(frozen=True)
class FaultSetup:
    """How the kit injects faults into one HTTP adapter.

    Attributes:
        proxy: The proxy the adapter under test talks to.
        timeout: The adapter's ``timeout_seconds``, when its options have one.
        build_unreachable: Builds the same adapter pointed at a closed port.
    """

    proxy: FaultProxy
    timeout: float | None
    build_unreachable: Callable[[], Any]


_MODES: tuple[tuple[str, Mode, str, type[AdapterError]], ...] = (
    ("503", "failing", "a 503 answer raises Transient", Transient),
    ("401", "unauthorised", "a 401 answer raises Misconfigured", Misconfigured),
    (
        "no-route",
        "no-route",
        "a 404 without the protocol's error body (a wrong URL) raises Misconfigured",
        Misconfigured,
    ),
    ("garbage", "garbage", "a 200 answer that is not JSON raises Misconfigured", Misconfigured),
    (
        "wrong-shape",
        "wrong-shape",
        "a 200 JSON answer of another shape: Misconfigured",
        Misconfigured,
    ),
)


def fault_checks(setup: FaultSetup | None, probe: Probe) -> list[Check]:
    """The error-mapping checks; all skipped when ``setup`` is None (not an HTTP adapter)."""
    checks = [
        Check(f"fault.{name}", "error mapping", text, _mode_check(setup, probe, mode, error))
        for name, mode, text, error in _MODES
    ]
    checks.append(
        Check(
            "fault.unreachable",
            "error mapping",
            "an unreachable backend (closed port) raises Transient",
            _unreachable_check(setup, probe),
        )
    )
    checks.append(
        Check(
            "fault.slow",
            "error mapping",
            f"a backend slower than timeout_seconds raises Transient within timeout + "
            f"{GRACE_SECONDS:g} s",
            _slow_check(setup, probe),
        )
    )
    return checks


def _needs(setup: FaultSetup | None) -> FaultSetup:
    if setup is None:
        raise Skipped("not an HTTP adapter")
    return setup


def _mode_check(
    setup: FaultSetup | None, probe: Probe, mode: Mode, error: type[AdapterError]
) -> CheckFn:
    async def run(ctx: Context) -> str:
        proxy = _needs(setup).proxy
        proxy.mode = mode
        try:
            return await expect_error(probe(ctx.adapter, f"{ctx.run_id}-{mode}"), error)
        finally:
            proxy.mode = "pass"

    return run


def _unreachable_check(setup: FaultSetup | None, probe: Probe) -> CheckFn:
    async def run(ctx: Context) -> str:
        adapter = _needs(setup).build_unreachable()
        try:
            return await expect_error(probe(adapter, f"{ctx.run_id}-unreachable"), Transient)
        finally:
            await aclose(adapter)

    return run


def _slow_check(setup: FaultSetup | None, probe: Probe) -> CheckFn:
    async def run(ctx: Context) -> str:
        fault = _needs(setup)
        if fault.timeout is None:
            raise Skipped("the options have no timeout_seconds: no limit to hold the adapter to")
        limit = fault.timeout + GRACE_SECONDS
        fault.proxy.mode = "slow"
        started = time.monotonic()
        try:
            # Capped past the proxy's delay, so an adapter without any timeout cannot hang the kit;
            # expect_error turns the adapter's own exceptions into Failed, so a TimeoutError here
            # can only be the cap.
            async with asyncio.timeout(fault.timeout + SLOW_EXTRA_SECONDS + 1):
                await expect_error(probe(ctx.adapter, f"{ctx.run_id}-slow"), Transient)
        except TimeoutError:
            raise Failed(
                f"expected Transient; no answer after {time.monotonic() - started:.1f} s"
            ) from None
        except Failed as failed:
            raise Failed(f"{failed} after {time.monotonic() - started:.2f} s") from None
        finally:
            fault.proxy.mode = "pass"
        elapsed = time.monotonic() - started
        if elapsed > limit:
            raise Failed(f"expected Transient within {limit:g} s; got it after {elapsed:.2f} s")
        return f"Transient after {elapsed:.2f} s (timeout {fault.timeout:g} s, limit {limit:g} s)"

    return run


async def aclose(adapter: Any) -> None:
    """Close ``adapter`` if it holds connections; a failing close is not the kit's concern."""
    close = getattr(adapter, "aclose", None)
    if close is not None:
        with contextlib.suppress(Exception):
            await close()
