"""Contract of a :class:`~adapters.delivery.ResultDelivery` adapter."""

from __future__ import annotations

from typing import Any, get_args

from adapters.delivery import DeliveryReceipt, DeliveryRequest, ResultDelivery
from adapters.errors import Rejected
from motcua.conformance._base import Context, Contract, expect, expect_error, same

# The e-data store's channel, read from the protocol so a renamed literal needs no kit change.
EDATA: str = next(
    c
    for c in get_args(DeliveryRequest.model_fields["channel"].annotation)
    if c not in ("post", "counter")
)
OWNER_ID = "001099012345"
ADDRESS = "12 Lý Thường Kiệt, phường Hoàn Kiếm, Hà Nội"

contract = Contract("delivery")


def _adapter(ctx: Context) -> ResultDelivery:
    adapter: ResultDelivery = ctx.adapter
    return adapter


def _request(result_id: str, channel: str, **extra: Any) -> DeliveryRequest:
    return DeliveryRequest.model_validate(
        {
            "result_id": result_id,
            "result_code": "KQ-" + result_id[-8:],
            "channel": channel,
            "document_hash": "sha256:" + "0" * 64,
            **extra,
        }
    )


def _receipt_ok(receipt: DeliveryReceipt, request: DeliveryRequest) -> str:
    got = f"{receipt.result_id} {receipt.channel} {receipt.tracking!r}"
    expect(receipt.result_id == request.result_id, f"result_id {request.result_id}", got)
    expect(receipt.channel == request.channel, f"channel {request.channel}", got)
    expect(bool(receipt.tracking), "a tracking number", got)
    return f"receipt {got}"


@contract.check("edata", "happy path", "delivery to the e-data store returns a receipt")
async def edata(ctx: Context) -> str:
    request = _request(ctx.ref("edata"), EDATA, personal_id=OWNER_ID)
    return _receipt_ok(await _adapter(ctx).deliver(request), request)


@contract.check("post", "happy path", "delivery by post returns a receipt")
async def post(ctx: Context) -> str:
    request = _request(ctx.ref("post"), "post", address=ADDRESS)
    return _receipt_ok(await _adapter(ctx).deliver(request), request)


@contract.check("counter", "happy path", "a counter hand-over returns a receipt")
async def counter(ctx: Context) -> str:
    request = _request(ctx.ref("counter"), "counter")
    return _receipt_ok(await _adapter(ctx).deliver(request), request)


@contract.check("deliver-twice", "idempotency", "the same delivery twice returns the first receipt")
async def deliver_twice(ctx: Context) -> str:
    request = _request(ctx.ref("twice"), EDATA, personal_id=OWNER_ID)
    first = await _adapter(ctx).deliver(request)
    second = await _adapter(ctx).deliver(request)
    return same(first.tracking, second.tracking, "tracking")


@contract.check("post-without-address", "rejection", "post without an address: Rejected")
async def post_without_address(ctx: Context) -> str:
    request = _request(ctx.ref("no-address"), "post")
    return await expect_error(_adapter(ctx).deliver(request), Rejected)


@contract.check("edata-without-owner", "rejection", "e-data store without personal_id: Rejected")
async def edata_without_owner(ctx: Context) -> str:
    request = _request(ctx.ref("no-owner"), EDATA)
    return await expect_error(_adapter(ctx).deliver(request), Rejected)


@contract.probe
async def probe(adapter: Any, tag: str) -> object:
    return await adapter.deliver(_request(f"kit-probe-{tag}", EDATA, personal_id=OWNER_ID))
