"""Summarise a py-spy profile of the throughput benchmark (``--profile DIR``).

    .venv/bin/python -m benchmarks.profile_summary DIR/motcua-c10.txt [--top 15]
    .venv/bin/python -m benchmarks.profile_summary DIR/motcua-c10.txt --focus FUNCTION [--depth 4]

Prints the busy samples by thread role, by area (inclusive: a sample counts for every area on
its stack, so areas overlap), by package of the innermost frame (exclusive: sums to 100 %), and
the functions with the most self time. ``--focus`` breaks down the samples under one function
(``StoreActivities.project``, ``ReadModelInbox._read``) by the calls below it. Only threads
py-spy saw busy are sampled (idle waits are left out), and only Python threads: the SDK core's
Rust threads and the dev server are not in the profile, but in the benchmark's CPU table.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from benchmarks._cpu import role_of

_FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")
_THREAD = re.compile(r"^thread \((?P<tid>\w+)\)(?:: (?P<name>.*))?$")
# Innermost frames of a thread that waits: the event loop's select, an idle pool thread
# (``_worker`` blocked on its queue), a lock or condition. py-spy misses some waits; the
# summary leaves these samples out and says how many.
IDLE = frozenset(
    {
        "EpollSelector.select (selectors.py)",
        "_worker (concurrent/futures/thread.py)",
        "Condition.wait (threading.py)",
        "Event.wait (threading.py)",
        "Thread._wait_for_tstate_lock (threading.py)",
        "ThreadedChildWatcher._do_waitpid (asyncio/unix_events.py)",
    }
)


@dataclass(frozen=True)
class Frame:
    function: str
    file: str

    def __str__(self) -> str:
        return f"{self.function} ({self.file})"


@dataclass(frozen=True)
class Stack:
    role: str  # see benchmarks._cpu.role_of
    frames: tuple[Frame, ...]  # outermost first


def parse_frame(text: str) -> Frame:
    match = _FRAME.match(text)
    if match is None:
        return Frame(text, "")
    return Frame(match["function"], match["file"])


def read_profile(path: Path) -> Counter[Stack]:
    """Samples per distinct stack of a py-spy ``--format raw --threads`` file."""
    stacks: Counter[Stack] = Counter()
    for line in path.read_text().splitlines():
        text, _, count = line.rpartition(" ")
        if not text or not count.isdigit():
            continue
        parts = text.split(";")
        thread = _THREAD.match(parts[0])
        if thread is not None:
            parts.pop(0)
        role = role_of(thread["name"] if thread else None)
        stacks[Stack(role, tuple(parse_frame(p) for p in parts))] += int(count)
    return stacks


def _in(*prefixes: str) -> Callable[[Frame], bool]:
    return lambda f: f.file.startswith(prefixes)


def _named(*functions: str) -> Callable[[Frame], bool]:
    """A function by name, with or without its class (``DefaultDialect.do_execute``)."""
    return lambda f: f.function.rpartition(".")[2] in functions


# Areas named in issue 10's profile request, each a test on one frame.
AREAS: tuple[tuple[str, Callable[[Frame], bool]], ...] = (
    ("workflow sandbox (temporalio workflow_sandbox)", _in("temporalio/worker/workflow_sandbox")),
    ("module imports (importlib)", lambda f: "importlib" in f.file),
    ("workflow code (workflows/)", _in("workflows/")),
    ("Temporal workflow worker (_workflow*.py)", _in("temporalio/worker/_workflow")),
    ("Temporal activity worker (_activity.py)", _in("temporalio/worker/_activity")),
    ("motcua activities (activities/)", _in("activities/")),
    ("SQLAlchemy", _in("sqlalchemy/")),
    ("  SQLite statement execution (do_execute)", _named("do_execute", "do_executemany")),
    ("  SQLite commit (do_commit)", _named("do_commit")),
    ("projector (motcua/store/_projector.py)", _in("motcua/store/_projector")),
    ("read-model queries (motcua/store/_queries.py)", _in("motcua/store/_queries")),
    ("pydantic (+ core)", _in("pydantic/", "pydantic_core/")),
    ("Temporal data converter", _in("temporalio/converter", "temporalio/contrib/pydantic")),
    ("httpx + httpcore (adapters' HTTP client)", _in("httpx/", "httpcore/")),
    ("HTTP adapters (adapters/)", _in("adapters/")),
    ("notification activity", lambda f: f.file.startswith("activities/notifications")),
    (
        "deadline computation (compute_due, calendar)",
        _in("activities/deadlines", "motcua/calendar"),
    ),
    ("search attribute upserts (workflow side)", _named("upsert_search_attributes")),
    ("event-log metrics (prometheus_client)", _in("prometheus_client/")),
    ("logging (structlog, logging)", _in("structlog/", "logging/")),
    ("simulators (uvicorn, starlette, fastapi)", _in("uvicorn/", "starlette/", "fastapi/")),
    ("benchmark drivers", _in("benchmarks/_motcua_side", "benchmarks/_baseline_side")),
)


def package(frame: Frame) -> str:
    """The top-level package of a frame's file (``<frozen ...>`` files kept whole)."""
    if frame.file.startswith("<"):
        return frame.file
    head, _, rest = frame.file.partition("/")
    return head if rest else "(stdlib or top-level module)"


def share_table(title: str, counts: Iterable[tuple[str, int]], total: int) -> list[str]:
    lines = [title]
    for label, n in counts:
        lines.append(f"  {label:<58}{n:>8}{100 * n / total:>7.1f} %")
    return lines


def summarise(stacks: Counter[Stack], top: int) -> str:
    idle = sum(n for s, n in stacks.items() if s.frames and str(s.frames[-1]) in IDLE)
    stacks = Counter(
        {s: n for s, n in stacks.items() if s.frames and str(s.frames[-1]) not in IDLE}
    )
    total = sum(stacks.values()) or 1
    by_role: Counter[str] = Counter()
    areas: Counter[str] = Counter()
    packages: Counter[str] = Counter()
    selfs: Counter[str] = Counter()
    for stack, n in stacks.items():
        by_role[stack.role] += n
        for label, test in AREAS:
            if any(test(f) for f in stack.frames):
                areas[label] += n
        if stack.frames:
            leaf = stack.frames[-1]
            packages[package(leaf)] += n
            selfs[str(leaf)] += n
    lines = [f"{total} busy samples ({idle} samples of waiting threads left out)", ""]
    lines += share_table("by thread role (exclusive)", by_role.most_common(), total)
    lines += [""]
    lines += share_table(
        "by area (inclusive, overlapping)", ((a, areas[a]) for a, _ in AREAS), total
    )
    lines += [""]
    lines += share_table(
        "self time by package of the innermost frame (exclusive)", packages.most_common(12), total
    )
    lines += [""]
    lines += share_table(f"top {top} functions by self time", selfs.most_common(top), total)
    return "\n".join(lines)


def focus(stacks: Counter[Stack], function: str, depth: int) -> str:
    """Where the samples under ``function`` go: each frame up to ``depth`` calls below it,
    inclusive (a frame counts once per sample), and self time, over those samples only."""
    inside: Counter[str] = Counter()
    selfs: Counter[str] = Counter()
    total = 0
    for stack, n in stacks.items():
        names = [f.function for f in stack.frames]
        if function not in names or str(stack.frames[-1]) in IDLE:
            continue
        total += n
        below = stack.frames[names.index(function) :]
        for frame in {str(f) for f in below[: depth + 1]}:
            inside[frame] += n
        selfs[str(below[-1])] += n
    lines = [f"{total} busy samples under {function}", ""]
    title = f"inclusive, up to {depth} calls below"
    lines += share_table(title, inside.most_common(40), total or 1)
    lines += [""]
    lines += share_table("self time", selfs.most_common(25), total or 1)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile_summary")
    parser.add_argument("profile", type=Path, help="a py-spy raw file from --profile")
    parser.add_argument("--top", type=int, default=15, help="how many self-time functions")
    parser.add_argument(
        "--focus",
        metavar="FUNCTION",
        help="break down the samples under one function instead, e.g. StoreActivities.project",
    )
    parser.add_argument("--depth", type=int, default=4, help="calls below --focus to list")
    args = parser.parse_args(argv)
    stacks = read_profile(args.profile)
    if args.focus:
        print(focus(stacks, args.focus, args.depth))
    else:
        print(summarise(stacks, args.top))


if __name__ == "__main__":
    main()
