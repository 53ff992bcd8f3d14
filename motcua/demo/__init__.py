"""The demo run by ``motcua demo`` and ``make run``: a model of a one-stop office (officers with
hours and capacity, citizens of the population simulator) on a virtual clock that slows down
rather than let the machine's lag pass for the office's."""

from motcua.demo._clock import DemoClock, LagGovernor
from motcua.demo._office import Assignment, Office
from motcua.demo._office_file import (
    DEFAULT_OFFICE,
    OfficeFile,
    OfficeFileError,
    check_pools,
    load_office,
    parse_officers,
)
from motcua.demo._run import DemoConfig, first_morning, run_demo
from motcua.demo._summary import DemoReport, print_summary, where_to_look

__all__ = [
    "DEFAULT_OFFICE",
    "Assignment",
    "DemoClock",
    "DemoConfig",
    "DemoReport",
    "LagGovernor",
    "Office",
    "OfficeFile",
    "OfficeFileError",
    "check_pools",
    "first_morning",
    "load_office",
    "parse_officers",
    "print_summary",
    "run_demo",
    "where_to_look",
]
