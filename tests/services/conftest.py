"""The service layer reads a migrated read model (the store tests' fixtures)."""

from tests.store.conftest import engine, session

__all__ = ["engine", "session"]
