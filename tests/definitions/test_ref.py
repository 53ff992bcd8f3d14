"""``CODE@VERSION`` references, as designers type them."""

from pathlib import Path

import pytest

from motcua.definitions import BadReference, ProcedureRef, load_catalog, parse_ref, resolve_ref

DEFS = Path(__file__).parents[2] / "procedure_defs"


def test_a_reference_names_a_code_and_perhaps_a_version() -> None:
    assert parse_ref("1.001193@2") == ProcedureRef("1.001193", 2)
    assert parse_ref(" 1.001193 ") == ProcedureRef("1.001193")
    assert str(ProcedureRef("1.001193", 2)) == "1.001193@2"


@pytest.mark.parametrize("text", ["", "@2", "1.001193@", "1.001193@two", "1.001193@0"])
def test_a_malformed_reference_says_how_to_write_one(text: str) -> None:
    with pytest.raises(BadReference, match=r"e\.g\. "):
        parse_ref(text)


def test_resolving_takes_the_highest_version_unless_one_is_named() -> None:
    catalog = load_catalog(DEFS)
    assert resolve_ref(catalog, "1.001193") == catalog.latest("1.001193")
    with pytest.raises(BadReference, match="known versions: 1"):
        resolve_ref(catalog, "1.001193@9")
    with pytest.raises(BadReference, match="no procedure has this code"):
        resolve_ref(catalog, "9.999999")
