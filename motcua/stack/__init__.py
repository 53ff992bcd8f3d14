"""The embedded stack of ``motcua up``: the Temporal dev server, the simulators, the workers,
the outbox, the API and the demo, each a supervised process of its own."""

from motcua.stack._ports import PortInUse, free_port
from motcua.stack._roles import DemoOptions
from motcua.stack._supervisor import Role, StackFailed, Stopping, Supervisor
from motcua.stack._up import run_stack, shown_url

__all__ = [
    "DemoOptions",
    "PortInUse",
    "Role",
    "StackFailed",
    "Stopping",
    "Supervisor",
    "free_port",
    "run_stack",
    "shown_url",
]
