"""The throughput benchmark's printout: per concurrency the two sides side by side, then the
ratios motcua/baseline against the targets of issue 10 (printed, never asserted)."""

from __future__ import annotations

from collections.abc import Sequence

from benchmarks._cpu import ROLES
from benchmarks._measure import RESIDENCE, Load, Measurement

# Issue 10, "Half the CPU per dossier": same run, at concurrency 10 and at 3.
RATE_TARGET = 1.5  # motcua's dossiers/s at least this multiple of the baseline's
CPU_TARGET = 0.6  # motcua's total CPU per dossier at most this multiple of the baseline's
X = "\N{MULTIPLICATION SIGN}"


def side_table(results: Sequence[Measurement], load: Load) -> str:
    """One concurrency: rates and latencies, then what one dossier cost each side."""
    lines = [
        f"== procedure {RESIDENCE}, concurrency {load.concurrency}: {load.dossiers} timed "
        f"dossiers per side after {load.warmup} warm-up, poll every "
        f"{load.poll_interval * 1000:.0f} ms, motcua inbox: {load.motcua_inbox}",
        "",
        f"{'side':<10}{'dossiers':>9}{'seconds':>9}{'dossiers/s':>12}{'p50 s':>8}{'p95 s':>8}",
    ]
    for r in results:
        lines.append(
            f"{r.name:<10}{r.dossiers:>9}{r.seconds:>9.2f}{r.rate:>12.2f}"
            f"{r.percentile(50):>8.2f}{r.percentile(95):>8.2f}"
        )
    lines += ["", f"{'per dossier':<32}" + "".join(f"{r.name:>10}" for r in results)]
    keys = list(dict.fromkeys(k for r in results for k in r.history))
    for key in keys:
        lines.append(f"{key:<32}" + "".join(f"{r.history.get(key, 0):>10.1f}" for r in results))
    rows: list[tuple[str, list[float]]] = [
        ("client calls (mean)", [r.client_calls for r in results]),
        ("log rows (mean)", [r.log_rows for r in results]),
        ("CPU ms, Python process(es)", [r.python_cpu_ms for r in results]),
        ("CPU ms, Temporal dev server", [r.server_cpu_ms for r in results]),
        ("CPU ms, all processes", [r.total_cpu_ms for r in results]),
    ]
    rows += [
        (f"  of which {role}", [r.role_ms(role) for r in results])
        for role in ROLES
        if any(r.role_ms(role) >= 0.05 for r in results)
    ]
    for label, values in rows:
        lines.append(f"{label:<32}" + "".join(f"{v:>10.1f}" for v in values))
    lines += [f"note: {n}" for r in results for n in r.notes]
    return "\n".join(lines)


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def targets(pairs: Sequence[tuple[Measurement, Measurement]]) -> str:
    """motcua/baseline at each concurrency against the targets; pairs are (motcua, baseline)."""
    lines = [
        "== motcua / baseline, same run (issue 10 targets: dossiers/s "
        f"\N{GREATER-THAN OR EQUAL TO} {RATE_TARGET:.1f}{X}, "
        f"total CPU per dossier \N{LESS-THAN OR EQUAL TO} {CPU_TARGET:.1f}{X})",
        "",
        f"{'concurrency':<12}{'dossiers/s':>16}{'ratio':>8}{'':>9}"
        f"{'CPU ms/dossier':>18}{'ratio':>8}{'':>9}",
    ]
    for motcua, baseline in pairs:
        rate = motcua.rate / baseline.rate
        cpu = motcua.total_cpu_ms / baseline.total_cpu_ms if baseline.total_cpu_ms else 0.0
        lines.append(
            f"{motcua.concurrency:<12}"
            f"{f'{motcua.rate:.2f} / {baseline.rate:.2f}':>16}{f'{rate:.2f}{X}':>8}"
            f"{_verdict(rate >= RATE_TARGET):>9}"
            f"{f'{motcua.total_cpu_ms:.0f} / {baseline.total_cpu_ms:.0f}':>18}"
            f"{f'{cpu:.2f}{X}':>8}{_verdict(cpu != 0 and cpu <= CPU_TARGET):>9}"
        )
    return "\n".join(lines)
