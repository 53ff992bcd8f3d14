"""``motcua codec-server``: decode encrypted payloads for the Temporal UI and CLI, for
operators only."""

from __future__ import annotations

from typing import Annotated

import typer

from motcua.cli._common import console, fail


def codec_server_command(
    host: Annotated[str | None, typer.Option(help="Listen here [MOTCUA_CODEC_HOST]")] = None,
    port: Annotated[int | None, typer.Option(help="Listen here [MOTCUA_CODEC_PORT]")] = None,
) -> None:
    """Serve Temporal's codec-server protocol with the configured payload keys, to officers
    whose token carries the operator role; every decode is logged (who, namespace, count).

    temporal workflow show --workflow-id ID \\
      --codec-endpoint 'http://127.0.0.1:8089/{namespace}' --codec-auth "Bearer $TOKEN"
    """
    import uvicorn

    from motcua.crypto import EncryptionCodec, KeyringError, load_keyring
    from motcua.crypto.server import create_codec_app
    from motcua.observability import configure_logging
    from motcua.settings import MissingSecret, get_settings

    settings = get_settings()
    configure_logging(fmt=settings.log_format, level=settings.log_level)
    try:
        settings.token_key()  # operator tokens are checked as the API checks them
        keyring = load_keyring(settings)
    except (MissingSecret, KeyringError) as error:
        raise fail(str(error)) from None
    if keyring is None:
        raise fail(
            "no payload keys are configured (MOTCUA_ENCRYPTION_KEY_FILE or "
            "MOTCUA_ENCRYPTION_KEYS): there is nothing to decode"
        )
    host, port = host or settings.codec_host, port if port is not None else settings.codec_port
    app = create_codec_app(settings, EncryptionCodec(keyring))
    console.print(f"codec server on http://{host}:{port}/{{namespace}}  (keys: {keyring.ids})")
    uvicorn.run(app, host=host, port=port, log_level="warning")
