"""Run the contract of a plugin's kind against an adapter built from it."""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import Mapping
from contextlib import ExitStack
from typing import Any

import httpx
from pydantic import BaseModel, ValidationError

from adapters._plugins import AdapterPlugin
from adapters.errors import Misconfigured
from motcua.conformance import (
    _consultation,
    _delivery,
    _notification,
    _payment,
    _population,
    _portal,
)
from motcua.conformance._base import Check, Context, Contract, Failed, Sandbox, Skipped, describe
from motcua.conformance._faults import SLOW_EXTRA_SECONDS, FaultSetup, aclose, fault_checks
from motcua.conformance._proxy import FaultProxy, closed_port
from motcua.conformance._report import CheckResult, Report, Status
from motcua.simulators import serving

CONTRACTS: dict[str, Contract] = {
    module.contract.kind: module.contract
    for module in (_population, _payment, _delivery, _notification, _portal, _consultation)
}
DEFAULT_TIMEOUT_SECONDS = 1.0  # short, so the slow check and a whole run take a few seconds
CHECK_LIMIT_SECONDS = 20.0  # a check that hangs longer is failed, not waited for


class KitError(Exception):
    """The kit cannot run: bad options, no backend, unreachable sandbox. Not an adapter defect."""


def check(
    plugin: AdapterPlugin,
    *,
    options: Mapping[str, Any] | None = None,
    backend_url: str | None = None,
    name: str | None = None,
) -> Report:
    """Run the conformance checks of ``plugin``'s kind; see :func:`acheck`. Not from a running
    event loop (it starts its own)."""
    return asyncio.run(acheck(plugin, options=options, backend_url=backend_url, name=name))


async def acheck(
    plugin: AdapterPlugin,
    *,
    options: Mapping[str, Any] | None = None,
    backend_url: str | None = None,
    name: str | None = None,
) -> Report:
    """Run the conformance checks of ``plugin``'s kind and report every outcome.

    An HTTP adapter (its options have ``base_url``) talks to the backend through the kit's
    fault-injecting proxy; the backend is ``backend_url`` (a sandbox of the real system) or the
    plugin's simulator served on loopback. Other adapters are built from ``options`` as they
    are, and their fault checks are skipped.

    Args:
        plugin: The plugin under test.
        options: The plugin's options, without ``base_url`` (the kit sets it);
            ``timeout_seconds`` defaults to 1 s.
        backend_url: The sandbox to test against instead of the plugin's simulator.
        name: The plugin's name, for the report's title.

    Raises:
        KitError: The options are invalid, there is no backend, or the sandbox is unreachable.
    """
    if plugin.kind not in CONTRACTS:
        raise KitError(f"no contract for adapter kind {plugin.kind!r}")
    contract = CONTRACTS[plugin.kind]
    raw = dict(options or {})
    label = name or f"{plugin.kind} adapter"
    if "base_url" not in plugin.options.model_fields:
        if backend_url is not None:
            raise KitError("the plugin's options have no base_url: a backend URL cannot apply")
        adapter = _build(plugin, _validate(plugin, raw))
        report = Report(label, plugin.kind, "in-process adapter", http=False)
        return await _run(report, contract, adapter, None, None, CHECK_LIMIT_SECONDS)
    if "base_url" in raw:
        raise KitError("give the sandbox with backend_url (--backend-url), not a base_url option")
    if "timeout_seconds" in plugin.options.model_fields:
        raw.setdefault("timeout_seconds", DEFAULT_TIMEOUT_SECONDS)
    settings = _validate(plugin, {**raw, "base_url": "http://127.0.0.1:9"})
    timeout: float | None = getattr(settings, "timeout_seconds", None)
    with ExitStack() as stack:
        if backend_url is not None:
            await _reachable(backend_url)
            backend, where = backend_url.rstrip("/"), backend_url
        elif plugin.simulator is not None:
            backend = stack.enter_context(serving(_simulator(plugin)))
            where = f"its simulator ({backend})"
        else:
            raise KitError("the plugin ships no simulator: give a sandbox with --backend-url")
        proxy = FaultProxy(backend, slow_seconds=(timeout or 5.0) + SLOW_EXTRA_SECONDS)
        proxy_url = stack.enter_context(serving(proxy))
        adapter = _build(plugin, _validate(plugin, {**raw, "base_url": proxy_url}))
        unreachable = {**raw, "base_url": f"http://127.0.0.1:{stack.enter_context(closed_port())}"}
        faults = FaultSetup(proxy, timeout, lambda: plugin.create(unreachable))
        sandbox = Sandbox(backend, _auth_headers(settings))
        report = Report(label, plugin.kind, f"{where} through the kit's proxy", http=True)
        # A check makes a few calls, each allowed the adapter's timeout: a long timeout given
        # as an option must not be cut short by the kit's own limit.
        limit = max(CHECK_LIMIT_SECONDS, 4 * (timeout or 0) + 10)
        return await _run(report, contract, adapter, sandbox, faults, limit)


async def _run(
    report: Report,
    contract: Contract,
    adapter: Any,
    sandbox: Sandbox | None,
    faults: FaultSetup | None,
    limit: float,
) -> Report:
    if isinstance(adapter, BaseException):
        report.results.append(
            CheckResult("setup.build", "setup", "the plugin builds an adapter from its options",
                        "FAIL", f"build raised {describe(adapter)}")
        )  # fmt: skip
        return report
    ctx = Context(adapter=adapter, run_id=uuid.uuid4().hex[:8], sandbox=sandbox)
    try:
        for item in [*contract.checks, *fault_checks(faults, contract.fault_probe)]:
            report.results.append(await _run_one(item, ctx, limit))
    finally:
        await aclose(adapter)
    return report


async def _run_one(item: Check, ctx: Context, limit_seconds: float) -> CheckResult:
    """Run one check; whatever it raises becomes its verdict, never the kit's crash."""
    started = time.monotonic()
    status: Status
    try:
        async with asyncio.timeout(limit_seconds) as limit:
            detail, status = await item.run(ctx), "PASS"
    except Failed as failed:
        detail, status = str(failed), "FAIL"
    except Skipped as skipped:
        detail, status = str(skipped), "SKIP"
    except Exception as exc:
        status = "FAIL"
        if isinstance(exc, TimeoutError) and limit.expired():
            detail = f"no outcome after {limit_seconds:g} s"
        else:
            detail = f"unexpected {describe(exc)}"
    elapsed = round(time.monotonic() - started, 3)
    return CheckResult(item.id, item.category, item.description, status, detail, elapsed)


def _validate(plugin: AdapterPlugin, raw: dict[str, Any]) -> BaseModel:
    try:
        return plugin.options.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'options'}: {e['msg']}" for e in exc.errors()
        )
        raise KitError(f"invalid adapter options: {problems}") from None


def _build(plugin: AdapterPlugin, settings: BaseModel) -> Any:
    """The adapter, or the exception its build raised (reported as a failed setup check)."""
    try:
        return plugin.build(settings)
    except Misconfigured as exc:
        raise KitError(f"cannot build the adapter: {exc}") from None  # e.g. a token env unset
    except Exception as exc:
        return exc


def _simulator(plugin: AdapterPlugin) -> Any:
    assert plugin.simulator is not None  # checked by the caller
    try:
        return plugin.simulator()
    except Exception as exc:
        raise KitError(f"the plugin's simulator cannot be created: {describe(exc)}") from None


def _auth_headers(settings: BaseModel) -> dict[str, str]:
    """The adapter's bearer token, for the sandbox routes the kit calls directly."""
    token_env = getattr(settings, "token_env", None)
    token = os.environ.get(token_env) if token_env else None
    return {"Authorization": f"Bearer {token}"} if token else {}


async def _reachable(url: str) -> None:
    try:
        async with httpx.AsyncClient(timeout=5) as http:
            await http.get(url)
    except httpx.HTTPError as exc:
        raise KitError(f"the backend {url} is unreachable: {describe(exc)}") from None
