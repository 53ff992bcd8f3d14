"""The operators' codec server (``motcua codec-server``): Temporal's codec-server protocol,
for officer tokens with the ``operator`` role only, every decode logged."""

from motcua.crypto.server._access import OPERATOR_ROLE
from motcua.crypto.server._app import MAX_BODY_BYTES, create_codec_app

__all__ = ["MAX_BODY_BYTES", "OPERATOR_ROLE", "create_codec_app"]
