"""The Merkle tree of a day's anchor: one leaf per dossier, its chain head at the day's end.

Leaves and inner nodes are hashed with different prefixes (0x00, 0x01, as RFC 6962 does), so a
node can never be passed off as a leaf; an odd node is carried up unpaired.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Leaf:
    """A dossier's chain head at the end of the anchored day."""

    workflow_id: str
    seq: int
    chain_hash: str

    def digest(self) -> bytes:
        text = f"{self.workflow_id}\n{self.seq}\n{self.chain_hash}"
        return hashlib.sha256(b"\x00" + text.encode("utf-8")).digest()

    def as_json(self) -> list[str | int]:
        return [self.workflow_id, self.seq, self.chain_hash]

    @classmethod
    def from_json(cls, value: Sequence[str | int]) -> Leaf:
        workflow_id, seq, chain_hash = value
        return cls(workflow_id=str(workflow_id), seq=int(seq), chain_hash=str(chain_hash))


def merkle_root(leaves: Sequence[Leaf]) -> str:
    """The root (hex) over ``leaves`` taken in sorted order; the hash of nothing when empty."""
    level = [leaf.digest() for leaf in sorted(leaves)]
    if not level:
        return hashlib.sha256(b"").hexdigest()
    while len(level) > 1:
        paired = [
            hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest()
            for i in range(0, len(level) - 1, 2)
        ]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0].hex()
