"""Contract of a :class:`~adapters.notification.Notifier` adapter."""

from __future__ import annotations

from typing import Any

from adapters.notification import Notice, Notifier
from motcua.conformance._base import Context, Contract, expect, same

contract = Contract("notification")


def _adapter(ctx: Context) -> Notifier:
    adapter: Notifier = ctx.adapter
    return adapter


def _notice(key: str) -> Notice:
    return Notice(
        key=key,
        audience="citizen",
        recipient="000.00.01.H29-260115-0001",
        template="receipt_slip",
        facts={"procedure": "birth_registration"},
        channel="sms",
    )


@contract.check("send", "happy path", "send returns a receipt for the notice's key")
async def send(ctx: Context) -> str:
    notice = _notice(ctx.ref("send"))
    receipt = await _adapter(ctx).send(notice)
    expect(receipt.key == notice.key, f"key {notice.key}", receipt.key)
    expect(bool(receipt.message_id), "a message_id", "an empty one")
    return f"message {receipt.message_id} via {receipt.channel}"


@contract.check("send-twice", "idempotency", "the same key twice returns the first receipt")
async def send_twice(ctx: Context) -> str:
    notice = _notice(ctx.ref("twice"))
    first = await _adapter(ctx).send(notice)
    second = await _adapter(ctx).send(notice)
    return same(first.message_id, second.message_id, "message id")


@contract.probe
async def probe(adapter: Any, tag: str) -> object:
    return await adapter.send(_notice(f"kit-probe-{tag}"))
