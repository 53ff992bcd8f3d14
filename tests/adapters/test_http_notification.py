"""The HTTP notifier against the notify simulator, and how backend failures reach the activity."""

from __future__ import annotations

from importlib.metadata import entry_points

import httpx
import pytest

from adapters.errors import Misconfigured, Transient
from adapters.http import HttpOptions
from adapters.http.notification import HttpNotifier, plugin
from adapters.notification import Notice
from motcua.simulators import Knobs, create_simulator, serving

NOTICE = Notice(key="HS-1:receipt_slip", audience="citizen", recipient="HS-1", template="receipt")


async def test_the_same_key_twice_returns_the_first_receipt() -> None:
    assert plugin.simulator is not None
    with serving(plugin.simulator()) as url:
        notifier = plugin.create({"base_url": url})
        try:
            first = await notifier.send(NOTICE)
            again = await notifier.send(NOTICE.model_copy(update={"facts": {"late": "yes"}}))
        finally:
            await notifier.aclose()
        sent = httpx.get(f"{url}/_sim/messages").json()

    assert again == first
    assert (first.key, first.message_id, first.channel) == (NOTICE.key, "MSG-000001", "app")
    assert len(sent) == 1


def test_the_plugin_is_registered_under_its_entry_point() -> None:
    (point,) = entry_points(group="motcua.adapters", name="notification.http")
    assert point.load() is plugin
    assert plugin.kind == "notification"


async def test_an_outage_is_transient() -> None:
    with serving(create_simulator("notify", knobs=Knobs(outage=True))) as url:
        notifier = HttpNotifier(HttpOptions(base_url=url))
        try:
            with pytest.raises(Transient, match="simulated outage"):
                await notifier.send(NOTICE)
        finally:
            await notifier.aclose()


async def test_an_answer_slower_than_the_timeout_is_transient() -> None:
    with serving(create_simulator("notify", knobs=Knobs(latency_ms=400))) as url:
        notifier = HttpNotifier(HttpOptions(base_url=url, timeout_seconds=0.1))
        try:
            with pytest.raises(Transient, match="no answer in time"):
                await notifier.send(NOTICE)
        finally:
            await notifier.aclose()


async def test_a_wrong_token_is_a_misconfiguration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTIFY_TOKEN", "not-the-token")
    with serving(create_simulator("notify", token="s3cret")) as url:
        wrong = HttpNotifier(HttpOptions(base_url=url, token_env="NOTIFY_TOKEN"))
        monkeypatch.setenv("NOTIFY_TOKEN", "s3cret")
        right = HttpNotifier(HttpOptions(base_url=url, token_env="NOTIFY_TOKEN"))
        try:
            with pytest.raises(Misconfigured, match="HTTP 401"):
                await wrong.send(NOTICE)
            assert (await right.send(NOTICE)).message_id == "MSG-000001"
        finally:
            await wrong.aclose()
            await right.aclose()


def test_an_unset_token_variable_is_a_misconfiguration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOTIFY_TOKEN", raising=False)
    with pytest.raises(Misconfigured, match="NOTIFY_TOKEN is unset"):
        HttpNotifier(HttpOptions(base_url="http://127.0.0.1:1", token_env="NOTIFY_TOKEN"))
