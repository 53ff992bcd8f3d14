"""What ``motcua up`` prints about the read model names it without its password."""

from __future__ import annotations

import pytest

from motcua.stack import shown_url


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "postgresql+psycopg://motcua:s3cr%40t-pw@db.internal:5432/motcua",
            "postgresql+psycopg://motcua:***@db.internal:5432/motcua",
        ),
        ("postgresql://motcua@db/motcua", "postgresql://motcua@db/motcua"),
        ("sqlite:///var/motcua.db", "sqlite:///var/motcua.db"),
    ],
)
def test_the_database_url_is_shown_without_its_password(url: str, shown: str) -> None:
    assert shown_url(url) == shown
    assert "s3cr" not in shown_url(url)
