"""Sample this process with py-spy over a timed window (``--profile``).

py-spy is not a project dependency: ``.venv/bin/pip install py-spy``. It writes collapsed
stacks (``-f raw``: one line per distinct stack, outermost frame first, the thread id and name
as the first frame); `benchmarks.profile_summary` reads them.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

RATE = 100  # samples per second
# "gil": sample only the thread holding the GIL (what the Python code costs; C code that
# releases it, such as sqlite3 statements, is not seen) without pausing the process.
# "busy": every thread py-spy thinks busy, pausing the process for each sample.
MODES = {"gil": ["--gil", "--nonblocking"], "busy": []}


def py_spy() -> str:
    beside = Path(sys.executable).parent / "py-spy"
    found = str(beside) if beside.exists() else shutil.which("py-spy")
    if found is None:
        raise FileNotFoundError("--profile needs py-spy: .venv/bin/pip install py-spy")
    return found


@asynccontextmanager
async def sampling(output: Path, mode: str = "gil") -> AsyncIterator[None]:
    """Sample this process while the block runs; ``mode`` is a key of `MODES`."""
    output.parent.mkdir(parents=True, exist_ok=True)
    process = await asyncio.create_subprocess_exec(
        py_spy(),
        "record",
        "--pid",
        str(os.getpid()),
        "--rate",
        str(RATE),
        "--format",
        "raw",
        "--threads",
        *MODES[mode],
        "--output",
        str(output),
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    # "py-spy> Sampling process ..." once it is attached.
    await asyncio.wait_for(process.stdout.readline(), timeout=30)
    try:
        yield
    finally:
        process.send_signal(signal.SIGINT)  # py-spy writes its file on Ctrl-C
        await process.communicate()
