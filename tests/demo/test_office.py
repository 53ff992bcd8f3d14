"""The office model alone, without Temporal: officers work one task at a time within the
calendar's hours, and one more officer shortens the queue."""

from __future__ import annotations

import random
import statistics
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from motcua.calendar import VIETNAM_TZ, default_calendar
from motcua.definitions import Catalog
from motcua.demo import (
    Office,
    OfficeFile,
    OfficeFileError,
    check_pools,
    load_office,
    parse_officers,
)
from motcua.demo._arrivals import Arrival, arrivals

CAL = default_calendar()
MONDAY = datetime(2026, 3, 2, tzinfo=VIETNAM_TZ)  # an ordinary working Monday


def at(hour: int, minute: int = 0) -> datetime:
    return MONDAY.replace(hour=hour, minute=minute).astimezone(UTC)


def office(**counts: int) -> Office:
    plan = load_office().with_officers({k.replace("__", "@"): v for k, v in counts.items()})
    return Office(plan, CAL)


def test_one_officer_works_one_task_at_a_time() -> None:
    desk = office(**{"one-stop-officer__commune-pc": 1})
    jobs = [
        desk.assign(role="one-stop-officer", agency="commune-pc", ready=at(8), minutes=30)
        for _ in range(3)
    ]
    assert [j.officer for j in jobs] == ["commune-pc/one-stop-officer/1"] * 3
    assert [(j.start, j.end) for j in jobs] == [
        (at(8), at(8, 30)),
        (at(8, 30), at(9)),
        (at(9), at(9, 30)),
    ]
    assert [j.waiting for j in jobs] == [0, 1800, 3600]


def test_the_lunch_break_and_the_night_are_not_working_time() -> None:
    desk = office(**{"chairman__commune-pc": 1})
    before_lunch = desk.assign(role="chairman", agency="commune-pc", ready=at(11, 15), minutes=30)
    # 15 minutes before the 11:30 break, the other 15 after it reopens at 13:00.
    assert (before_lunch.start, before_lunch.end) == (at(11, 15), at(13, 15))
    evening = desk.assign(role="chairman", agency="commune-pc", ready=at(16, 50), minutes=20)
    assert evening.start == at(16, 50)
    assert evening.end == at(7, 40) + timedelta(days=1)  # Tuesday 07:40
    during_lunch = office().assign(role="chairman", agency="commune-pc", ready=at(12), minutes=5)
    assert during_lunch.start == at(13)


def test_one_more_officer_shortens_the_queue() -> None:
    def mean_wait(officers: int) -> float:
        desk = office(**{"one-stop-officer__commune-police": officers})
        rng = random.Random(3)
        jobs = [
            desk.assign(
                role="one-stop-officer",
                agency="commune-police",
                ready=at(8) + timedelta(minutes=5 * i),
                minutes=load_office().service("receipt").draw(rng),
            )
            for i in range(20)
        ]
        return statistics.mean(j.waiting for j in jobs)

    one, two, three = mean_wait(1), mean_wait(2), mean_wait(3)
    assert one > two > three
    assert one > 2 * two  # twenty 12-minute checks every 5 minutes: one officer falls behind


def test_the_office_file_states_a_count_for_every_pool(catalog: Catalog) -> None:
    plan = load_office()
    check_pools(plan, catalog.registry)
    assert plan.officer_count("one-stop-officer", "commune-pc") == 2
    assert plan.officer_count("chairman", "commune-pc") == 1  # the default
    assert sum(plan.mix.values()) == pytest.approx(1.0)


def test_an_unknown_role_or_a_bad_count_is_one_clear_error(catalog: Catalog) -> None:
    with pytest.raises(OfficeFileError, match="write role@agency=N"):
        parse_officers(["chairman@commune-pc"])
    plan = load_office().with_officers(parse_officers(["judge@commune-pc=2"]))
    with pytest.raises(OfficeFileError, match="no judge@commune-pc in the registry"):
        check_pools(plan, catalog.registry)


def test_a_broken_office_file_names_the_field(tmp_path: Path) -> None:
    path = tmp_path / "office.yaml"
    text = load_office().model_dump_json().replace('"other"', '"others"')
    path.write_text(text, encoding="utf-8")
    with pytest.raises(OfficeFileError, match=r"service_minutes: .*'other'"):
        load_office(path)


def test_counters_take_dossiers_only_while_the_office_is_open() -> None:
    plan: OfficeFile = load_office()
    week = list(_first(arrivals(plan.arrivals, CAL, at(0), random.Random(1)), days=7))
    counter = [a.at.astimezone(VIETNAM_TZ) for a in week if a.channel == "counter"]
    assert counter and all(CAL.working_hours_between(t, t + timedelta(seconds=1)) for t in counter)
    online = [a for a in week if a.channel == "online"]
    assert len(online) / len(week) == pytest.approx(plan.arrivals.online_share, abs=0.08)
    # About the stated volume per working day, Monday busier than Friday.
    assert 5 * 86 * 0.75 < len(week) < 5 * 86 * 1.4
    again = list(_first(arrivals(plan.arrivals, CAL, at(0), random.Random(1)), days=7))
    assert again == week  # the same seed, the same arrivals


def _first(stream: Iterator[Arrival], *, days: int) -> Iterator[Arrival]:
    end = at(0) + timedelta(days=days)
    for arrival in stream:
        if arrival.at >= end:
            return
        yield arrival
