"""Dossiers per second and CPU per dossier, end to end: motcua's ProcedureWorkflow against a
hand-written baseline.

One Temporal dev server; each side gets its own worker, task queue and SQLite file and runs the
permanent residence registration (1.004222) to completion: submit, receipt accepted, verified,
fee paid, review approved, approval signed, result issued and delivered. At each concurrency
the sides take turns in windows (motcua, baseline, baseline, motcua, …: a host that gets busier
or quieter during the run weighs on both alike), each window with C dossiers in flight after a
short warm-up; CPU is read around each window, for this process, the simulators' and the dev
server. A side's windows add up to its figures; the last table gives motcua/baseline against
the targets of issue 10.

    .venv/bin/python -m benchmarks.throughput [--concurrency C ...] [--dossiers N ...]
        [--windows K] [--side both|motcua|baseline] [--profile DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from temporalio.testing import WorkflowEnvironment

from adapters import Adapters
from benchmarks._baseline_side import run_baseline
from benchmarks._measure import Load, Measurement
from benchmarks._motcua_side import run_motcua
from benchmarks._profile import MODES
from benchmarks._report import side_table, targets
from benchmarks._simulators import simulators_apart
from motcua.binaries import start_dev_environment
from motcua.definitions import Catalog, load_catalog
from motcua.simulators import adapters_config

ROOT = Path(__file__).resolve().parent.parent
Side = Callable[[WorkflowEnvironment, Catalog, Path, Load, Adapters], Awaitable[Measurement]]
SIDES: dict[str, Side] = {"motcua": run_motcua, "baseline": run_baseline}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.throughput",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        nargs="+",
        default=[10, 3],
        help="dossiers in flight; one round per value (default: 10 3)",
    )
    parser.add_argument(
        "--dossiers",
        type=int,
        nargs="+",
        default=[150, 60],
        help="timed dossiers per side: one value for every round, or one per --concurrency "
        "(default: 150 60)",
    )
    parser.add_argument(
        "--windows",
        type=int,
        help="timed windows per side at each concurrency, the sides taking turns; the dossiers "
        "are shared among them (default: 3 for both sides, 1 for one side)",
    )
    parser.add_argument("--warmup", type=int, default=5, help="untimed dossiers per window first")
    parser.add_argument(
        "--side", choices=["both", *SIDES], default="both", help="run one side only (profiling)"
    )
    parser.add_argument(
        "--poll-interval",
        type=float,
        default=0.05,
        help="seconds between polls for an open task (both sides)",
    )
    parser.add_argument(
        "--motcua-inbox",
        choices=["read-model", "query"],
        default="read-model",
        help="how motcua's officers find their tasks: the read model's inbox, "
        "or the status query like the baseline",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="DIR",
        help="sample each timed window with py-spy into DIR/<side>-c<C>.txt "
        "(summarise with python -m benchmarks.profile_summary); CPU figures then include "
        "the sampling's own cost",
    )
    parser.add_argument(
        "--profile-mode",
        choices=list(MODES),
        default="gil",
        help="gil: only the thread holding the GIL, without pausing the process (default); "
        "busy: every busy thread, pausing the process for each sample",
    )
    args = parser.parse_args(argv)
    if len(args.dossiers) == 1:
        args.dossiers = args.dossiers * len(args.concurrency)
    if len(args.dossiers) != len(args.concurrency):
        parser.error("give one --dossiers value, or one per --concurrency value")
    if args.windows is None:
        args.windows = 3 if args.side == "both" else 1
    if min(args.dossiers) < args.windows or min(args.concurrency) < 1 or args.warmup < 0:
        parser.error(
            "--dossiers must be at least --windows, --concurrency at least 1, --warmup at least 0"
        )
    return args


def loads(args: argparse.Namespace) -> list[Load]:
    return [
        Load(
            dossiers=dossiers,
            concurrency=concurrency,
            warmup=args.warmup,
            poll_interval=args.poll_interval,
            motcua_inbox=args.motcua_inbox,
        )
        for concurrency, dossiers in zip(args.concurrency, args.dossiers, strict=True)
    ]


def order(turn: int, side: str) -> list[str]:
    """The sides of one turn in running order: who goes first alternates, so neither always
    runs on the fresher server or the quieter host."""
    names = list(SIDES) if side == "both" else [side]
    return names if turn % 2 == 0 else names[::-1]


def window_sizes(dossiers: int, windows: int) -> list[int]:
    """``dossiers`` shared among ``windows`` as evenly as whole dossiers allow."""
    return [dossiers // windows + (1 if i < dossiers % windows else 0) for i in range(windows)]


async def run_concurrency(
    env: WorkflowEnvironment,
    catalog: Catalog,
    adapters: Adapters,
    workdir: Path,
    load: Load,
    args: argparse.Namespace,
    first_turn: int,
) -> list[Measurement]:
    """Run the sides' windows at one concurrency, taking turns; returns each side's windows
    merged, motcua first."""
    windows: dict[str, list[Measurement]] = {}
    for window, dossiers in enumerate(window_sizes(load.dossiers, args.windows)):
        for name in order(first_turn + window, args.side):
            side_dir = workdir / f"{name}-c{load.concurrency}-{window}"
            side_dir.mkdir()
            side_load = dataclasses.replace(load, dossiers=dossiers)
            if args.profile:
                suffix = f"-{window + 1}" if args.windows > 1 else ""
                profile = args.profile / f"{name}-c{load.concurrency}{suffix}.txt"
                side_load = dataclasses.replace(
                    side_load, profile=profile, profile_mode=args.profile_mode
                )
            result = await SIDES[name](env, catalog, side_dir, side_load, adapters)
            windows.setdefault(name, []).append(result)
            print(
                f"concurrency {load.concurrency}, window {window + 1}/{args.windows}, {name}: "
                f"{result.rate:.2f} dossiers/s, {result.total_cpu_ms:.0f} ms CPU per dossier",
                flush=True,
            )
    return [Measurement.merged(windows[name]) for name in SIDES if name in windows]


async def main(args: argparse.Namespace) -> None:
    env = await start_dev_environment()
    catalog = load_catalog(ROOT / "procedure_defs")
    rounds: list[tuple[Load, list[Measurement]]] = []
    # Both engines call the same simulators, in a process of their own, through the same
    # HTTP adapters.
    with simulators_apart() as urls:
        adapters = adapters_config(urls).build()
        async with env:
            with tempfile.TemporaryDirectory(prefix="motcua-bench-") as tmp:
                for number, load in enumerate(loads(args)):
                    results = await run_concurrency(
                        env, catalog, adapters, Path(tmp), load, args, first_turn=number
                    )
                    rounds.append((load, results))
        await adapters.aclose()
    for load, results in rounds:
        print()
        print(side_table(results, load))
    pairs = [(results[0], results[1]) for _, results in rounds if len(results) == 2]
    if pairs:
        print()
        print(targets(pairs))


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(main(parse_args()))
