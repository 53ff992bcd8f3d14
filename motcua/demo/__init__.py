"""The demo load run by ``motcua demo`` and ``make run``."""

from motcua.demo._run import DemoConfig, print_summary, run_demo

__all__ = ["DemoConfig", "print_summary", "run_demo"]
