"""The patch register: every ``workflow.patched()`` marker in the workflow code, and why.

A change to workflow code that would change the commands a running dossier replays must go
through ``workflow.patched(id)``, and be listed here with the recorded history (under
``tests/histories/``) that exercises it and the release in which it is removed (once no dossier
started before it can still be running). The replay test fails on a marker that is missing from
this register, and on an entry whose history does not record the marker: a marker no history
exercises protects nothing.

0.x started a new history baseline (engine core v2): the register is empty.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Patch:
    id: str
    reason: str
    history: str  # file name under tests/histories/
    removed_in: str  # the release that drops the marker and its old branch


REGISTER: tuple[Patch, ...] = ()
