"""The CLI fixture the audit tests share."""

from tests.audit.test_verify import cli_env

__all__ = ["cli_env"]
