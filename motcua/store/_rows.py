"""Rows of one table that a batch of events touches: read once, changed in memory, written once.

The projector used to load and flush ORM objects one event at a time; a batch now costs one
SELECT per table, one executemany INSERT of the new rows and one executemany UPDATE of the
changed ones. Statements take their rows as parameters (never ``.values([...])``), so each is
compiled once and cached: compiling a multi-row VALUES clause cost more than running it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import ColumnElement, Connection, Select, Table, bindparam, select, update
from sqlalchemy import Row as SQLRow

from motcua.store._base import Base
from motcua.store._db import prepared

Row = dict[str, Any]
_T = TypeVar("_T")

if TYPE_CHECKING:
    _AnyRow = SQLRow[*tuple[Any, ...]]

CHUNK = 500
"""Keys per IN list: keeps a rebuild's batches under SQLite's bound-parameter limit."""


def table_of(model: type[Base]) -> Table:
    """The Core table of a mapped class (its statements skip the ORM's per-row work)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


def chunks(items: Sequence[_T], size: int = CHUNK) -> Iterator[Sequence[_T]]:
    """``items`` in slices of at most ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


class KeyLookup:
    """A SELECT of rows by their keys, built once per dialect (`prepared`).

    One key, the usual batch, is matched with ``= :key``. More go in chunks through an
    expanding ``IN``, which SQLAlchemy renders into the SQL string again at every execution:
    that rendering cost as much as running the lookup."""

    def __init__(self, key: ColumnElement[Any], query: Callable[[], Select[Any]]) -> None:
        self._key = key
        self._query = query

    def rows(self, connection: Connection, keys: Sequence[str]) -> Iterator[_AnyRow]:
        """The rows whose key is one of ``keys`` (any number, none included)."""
        if len(keys) == 1:
            yield from connection.execute(prepared(connection, self._one), {"key": keys[0]})
            return
        for part in chunks(keys):
            yield from connection.execute(prepared(connection, self._many), {"keys": list(part)})

    def _one(self, _: Any) -> Any:
        return self._query().where(self._key == bindparam("key"))

    def _many(self, _: Any) -> Any:
        return self._query().where(self._key.in_(bindparam("keys", expanding=True)))


class BatchRows:
    """The rows of one single-key table a batch reads and writes, as plain dicts."""

    def __init__(self, table: Table) -> None:
        self.table = table
        (self._key,) = table.primary_key.columns
        self._statements = _statements_of(table)
        self._rows: dict[str, Row] = {}
        self._new: set[str] = set()
        self._changed: set[str] = set()

    def load(self, connection: Connection, keys: Iterable[str]) -> None:
        """Read the rows with these keys (those not read yet)."""
        missing = sorted(set(keys) - self._rows.keys())
        for row in self._statements.by_keys.rows(connection, missing):
            values = row._asdict()
            self._rows.setdefault(values[self._key.name], values)

    def load_where(self, connection: Connection, condition: ColumnElement[bool]) -> None:
        """Read the rows that match ``condition``; rows already read are kept as they are."""
        for row in connection.execute(select(self.table).where(condition)):
            values = row._asdict()
            self._rows.setdefault(values[self._key.name], values)

    def get(self, key: str) -> Row | None:
        """The row with this key as read or changed so far, or None."""
        return self._rows.get(key)

    def where(self, **values: Any) -> list[Row]:
        """The rows read so far whose columns have these values."""
        return [r for r in self._rows.values() if all(r[k] == v for k, v in values.items())]

    def add(self, row: Row) -> Row:
        """A new row, inserted by :meth:`write`; returns it."""
        key = row[self._key.name]
        self._rows[key] = row
        self._new.add(key)
        return row

    def update(self, row: Row, **values: Any) -> None:
        """Change columns of a row this batch holds; :meth:`write` updates it."""
        row.update(values)
        key = row[self._key.name]
        if key not in self._new:
            self._changed.add(key)

    def write(self, connection: Connection) -> None:
        """Insert the new rows, then update the changed ones (by key)."""
        if self._new:
            new = [self._rows[k] for k in sorted(self._new)]
            connection.execute(prepared(connection, self._statements.insert), new)
        if self._changed:
            params = [self._params(self._rows[k]) for k in sorted(self._changed)]
            connection.execute(prepared(connection, self._statements.update), params)
        self._new.clear()
        self._changed.clear()

    def _params(self, row: Row) -> Row:
        params = {k: v for k, v in row.items() if k != self._key.name}
        params["pk_"] = row[self._key.name]
        return params


class _Statements:
    """A table's batch statements, built once (`prepared`): the same builders every call."""

    def __init__(self, table: Table) -> None:
        (self._key,) = table.primary_key.columns
        self._table = table
        self.by_keys = KeyLookup(self._key, lambda: select(table))

    def insert(self, insert: Any) -> Any:
        return insert(self._table)

    def update(self, _: Any) -> Any:
        # executemany: the SET clause is every non-key column, the key is matched by "pk_".
        return update(self._table).where(self._key == bindparam("pk_"))


_STATEMENTS: dict[str, _Statements] = {}


def _statements_of(table: Table) -> _Statements:
    # One per table, so that `prepared` sees the same bound methods and builds each once.
    return _STATEMENTS.setdefault(table.name, _Statements(table))
