"""The ``motcua`` command line."""

from motcua.cli._main import app

__all__ = ["app"]
