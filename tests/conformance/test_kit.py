"""The conformance kit against the reference adapters, a deliberately broken one and an
in-process one: what an integrator would read in the report."""

from __future__ import annotations

import io
import json
from collections.abc import Awaitable
from datetime import UTC, datetime
from typing import TypeVar

import pytest
from pydantic import BaseModel, ConfigDict
from rich.console import Console

from adapters import AdapterPlugin, NotFound, Transient, installed_plugins, plugin
from adapters.http._client import HttpOptions
from adapters.http.payment import HttpPayment
from adapters.notification import Notice, NoticeReceipt
from adapters.payment import (
    PaymentOrder,
    PaymentRequest,
    PaymentState,
    RefundReceipt,
    RefundRequest,
)
from motcua.conformance import KitError, Report, acheck
from motcua.simulators import create_simulator, serving

# The reference adapters, and the worked example integrators copy from (installed by make).
REFERENCE_PLUGINS = sorted(
    name
    for name in installed_plugins()
    if name.endswith(".http") or name == "consultation.court-records"
)
FAULTS = {
    "fault.503",
    "fault.401",
    "fault.no-route",
    "fault.garbage",
    "fault.wrong-shape",
    "fault.unreachable",
}
T = TypeVar("T")


def _rendered(report: Report) -> str:
    out = io.StringIO()
    report.render(Console(file=out, width=250, color_system=None))
    return out.getvalue()


def _verdicts(report: Report) -> dict[str, str]:
    return {result.id: result.status for result in report.results}


def test_every_kind_has_a_reference_plugin() -> None:
    kinds = sorted(name.partition(".")[0] for name in REFERENCE_PLUGINS if name.endswith(".http"))
    assert kinds == sorted(
        ["population", "payment", "delivery", "notification", "portal", "consultation"]
    )


@pytest.mark.parametrize("name", REFERENCE_PLUGINS)
async def test_reference_plugins_pass_every_check(name: str) -> None:
    report = await acheck(plugin(name), name=name)

    assert report.ok, _rendered(report)
    assert report.count("SKIP") == 0, _rendered(report)
    assert FAULTS | {"fault.slow"} <= set(_verdicts(report))
    assert "0 failed, 0 skipped" in _rendered(report)


async def test_a_sandbox_given_by_url_is_checked_through_the_proxy() -> None:
    with serving(create_simulator("payment")) as sandbox:
        report = await acheck(plugin("payment.http"), backend_url=sandbox, name="payment.http")

    assert report.ok, _rendered(report)
    assert _verdicts(report)["payment.refund-twice"] == "PASS"  # through the sandbox pay route
    assert sandbox in report.backend


class ForgetfulPayment:
    """A payment adapter with two classic bugs: every call makes a new order or refund, and an
    outage is reported as a missing record (so a dossier would be refused, not retried)."""

    def __init__(self, options: HttpOptions) -> None:
        self._inner = HttpPayment(options)
        self._calls = 0

    async def create_request(self, request: PaymentRequest) -> PaymentOrder:
        order = await _hide_outage(self._inner.create_request(request))
        self._calls += 1
        return order.model_copy(update={"pay_url": f"{order.pay_url}?order={self._calls}"})

    async def status(self, reference: str) -> PaymentState:
        return await _hide_outage(self._inner.status(reference))

    async def refund(self, request: RefundRequest) -> RefundReceipt:
        receipt = await _hide_outage(self._inner.refund(request))
        self._calls += 1
        return receipt.model_copy(update={"refund_id": f"RF-{self._calls}"})

    async def aclose(self) -> None:
        await self._inner.aclose()


async def _hide_outage(call: Awaitable[T]) -> T:
    try:
        return await call
    except Transient as exc:
        raise NotFound(str(exc)) from exc


async def test_a_broken_adapter_fails_exactly_the_idempotency_and_error_mapping_checks() -> None:
    reference = plugin("payment.http")
    broken = AdapterPlugin(
        kind="payment", options=HttpOptions, build=ForgetfulPayment, simulator=reference.simulator
    )

    report = await acheck(broken, name="payment.forgetful")
    text = _rendered(report)

    failed = {
        "payment.create-twice",
        "payment.refund-twice",
        "fault.503",
        "fault.unreachable",
        "fault.slow",
    }
    assert {result.id for result in report.failed} == failed, text
    assert not report.ok
    assert f"{len(report.results) - len(failed)} passed, {len(failed)} failed, 0 skipped" in text
    for line in (line for line in text.splitlines() if "FAIL" in line):
        assert any(check_id in line for check_id in failed), line
    details = {result.id: result.detail for result in report.failed}
    assert details["fault.503"].startswith("expected Transient; got NotFound")
    assert details["payment.refund-twice"].startswith("expected the same refund id twice")
    as_json = json.loads(report.to_json())
    assert as_json["summary"]["failed"] == len(failed)
    assert {c["id"] for c in as_json["checks"] if c["status"] == "FAIL"} == failed


class ExpiryEchoingPayment(HttpPayment):
    """A payment adapter that tells the engine the expiry it asked for instead of the one the
    platform holds: a retried request would make the dossier wait past the real expiry."""

    async def create_request(self, request: PaymentRequest) -> PaymentOrder:
        order = await super().create_request(request)
        return order.model_copy(update={"expires_at": request.expires_at})


async def test_an_adapter_that_does_not_report_the_platforms_expiry_fails_create_twice() -> None:
    reference = plugin("payment.http")
    echoing = AdapterPlugin(
        kind="payment",
        options=HttpOptions,
        build=ExpiryEchoingPayment,
        simulator=reference.simulator,
    )

    report = await acheck(echoing, name="payment.echoing")

    assert {result.id for result in report.failed} == {"payment.create-twice"}, _rendered(report)
    detail = next(result.detail for result in report.failed)
    assert detail.startswith("expected the same order twice; got expires_at"), detail
    assert _verdicts(report)["payment.create"] == "PASS"


class NoOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MemoryNotifier:
    """An in-process notifier (no HTTP): one receipt per key."""

    def __init__(self, options: NoOptions) -> None:
        self.receipts: dict[str, NoticeReceipt] = {}

    async def send(self, notice: Notice) -> NoticeReceipt:
        if notice.key not in self.receipts:
            self.receipts[notice.key] = NoticeReceipt(
                key=notice.key,
                message_id=f"MEM-{len(self.receipts) + 1}",
                channel=notice.channel,
                accepted_at=datetime.now(UTC),
            )
        return self.receipts[notice.key]


async def test_an_in_process_adapter_has_its_fault_checks_skipped() -> None:
    memory = AdapterPlugin(kind="notification", options=NoOptions, build=MemoryNotifier)

    report = await acheck(memory, name="notification.memory")

    verdicts = _verdicts(report)
    assert report.ok, _rendered(report)
    assert verdicts["notification.send"] == verdicts["notification.send-twice"] == "PASS"
    skipped = {r.id: r.detail for r in report.results if r.status == "SKIP"}
    assert set(skipped) == FAULTS | {"fault.slow"}
    assert set(skipped.values()) == {"not an HTTP adapter"}
    assert report.backend == "in-process adapter"


class ExplodingNotifier(MemoryNotifier):
    async def send(self, notice: Notice) -> NoticeReceipt:
        raise RuntimeError("forgot to configure the SMS gateway")


async def test_an_unexpected_exception_is_a_failed_check_not_a_crash() -> None:
    exploding = AdapterPlugin(kind="notification", options=NoOptions, build=ExplodingNotifier)

    report = await acheck(exploding)

    send = next(r for r in report.results if r.id == "notification.send")
    assert (send.status, send.detail) == (
        "FAIL",
        "unexpected RuntimeError: forgot to configure the SMS gateway",
    )


async def test_a_plugin_that_cannot_build_fails_the_setup_check() -> None:
    def build(options: NoOptions) -> MemoryNotifier:
        raise ValueError("no such gateway")

    report = await acheck(AdapterPlugin(kind="notification", options=NoOptions, build=build))

    assert [(r.id, r.status) for r in report.results] == [("setup.build", "FAIL")]
    assert "ValueError: no such gateway" in report.results[0].detail


async def test_an_http_plugin_without_simulator_needs_a_backend_url() -> None:
    bare = AdapterPlugin(kind="portal", options=HttpOptions, build=HttpPayment)

    with pytest.raises(KitError, match="--backend-url"):
        await acheck(bare)


async def test_invalid_options_and_a_base_url_option_are_refused() -> None:
    with pytest.raises(KitError, match="timeout_seconds"):
        await acheck(plugin("portal.http"), options={"timeout_seconds": -1})
    with pytest.raises(KitError, match="not a base_url option"):
        await acheck(plugin("portal.http"), options={"base_url": "http://example.org"})
