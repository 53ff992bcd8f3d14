"""The codec server: Temporal's codec-server protocol over HTTP, so operators can read (and
write) encrypted payloads in the Temporal UI and CLI without holding the keys themselves.

``POST /{namespace}/decode`` and ``/{namespace}/encode`` (the CLI's ``--codec-endpoint
http://host:port/{namespace}``), and ``POST /decode`` and ``/encode`` with an ``X-Namespace``
header (the UI's). The body is ``{"payloads": [...]}``, each payload in proto3 JSON (``data``
and metadata values base64); the answer has the same shape.
"""

from __future__ import annotations

from typing import Annotated, Literal

import structlog
from fastapi import FastAPI, Header, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from google.protobuf import json_format
from temporalio.api.common.v1 import Payloads
from temporalio.converter import PayloadCodec

from motcua.api._errors import ApiError, install_error_handlers
from motcua.crypto._codec import PayloadTampered
from motcua.crypto._keyring import UnknownKey
from motcua.crypto.server._access import OperatorDep
from motcua.settings import Settings

MAX_BODY_BYTES = 32 * 1024 * 1024  # a page of history: Temporal caps one payload at 2 MiB
_NAMESPACE_HEADER = "X-Namespace"

log = structlog.get_logger("motcua.codec")


def create_codec_app(settings: Settings, codec: PayloadCodec) -> FastAPI:
    """The codec server over ``codec``, admitting operator tokens only (``settings`` check
    them as the API does); CORS for ``settings.codec_cors_origin`` alone."""
    app = FastAPI(title="motcua codec server", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    install_error_handlers(app)
    if settings.codec_cors_origin:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=[settings.codec_cors_origin],
            allow_methods=["POST"],
            allow_headers=["Authorization", "Content-Type", _NAMESPACE_HEADER],
            allow_credentials=True,  # the UI sends the operator's token with the request
        )

    async def run(
        direction: Literal["decode", "encode"], namespace: str, request: Request, who: str
    ) -> JSONResponse:
        payloads = await _read_payloads(request)
        try:
            if direction == "decode":
                done = await codec.decode(payloads.payloads)
            else:
                done = await codec.encode(payloads.payloads)
        except (UnknownKey, PayloadTampered) as error:
            raise ApiError(422, "undecodable", str(error)) from None
        # Who, where and how many: never the payloads themselves.
        log.info(f"codec.{direction}d", operator=who, namespace=namespace, payloads=len(done))
        # The protocol's shape even when empty: {"payloads": []}, not {}.
        answer = {"payloads": [json_format.MessageToDict(payload) for payload in done]}
        return JSONResponse(answer)

    @app.post("/{namespace}/decode", summary="Decode payloads of a namespace")
    async def decode_in(namespace: str, request: Request, who: OperatorDep) -> JSONResponse:
        return await run("decode", namespace, request, who.id)

    @app.post("/{namespace}/encode", summary="Encode payloads for a namespace")
    async def encode_in(namespace: str, request: Request, who: OperatorDep) -> JSONResponse:
        return await run("encode", namespace, request, who.id)

    @app.post("/decode", summary="Decode payloads (namespace in X-Namespace)")
    async def decode(
        request: Request, who: OperatorDep, namespace: NamespaceHeader
    ) -> JSONResponse:
        return await run("decode", namespace, request, who.id)

    @app.post("/encode", summary="Encode payloads (namespace in X-Namespace)")
    async def encode(
        request: Request, who: OperatorDep, namespace: NamespaceHeader
    ) -> JSONResponse:
        return await run("encode", namespace, request, who.id)

    return app


NamespaceHeader = Annotated[str, Header(alias=_NAMESPACE_HEADER, min_length=1)]


async def _read_payloads(request: Request) -> Payloads:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise _too_large()
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise _too_large()
    try:
        return json_format.Parse(bytes(body), Payloads())
    except json_format.ParseError as error:
        raise ApiError(
            400,
            "bad_request",
            'the body must be {"payloads": [{"metadata": {...}, "data": "<base64>"}]} '
            f"(Temporal's codec-server protocol): {error}",
        ) from None


def _too_large() -> ApiError:
    return ApiError(413, "too_large", f"the body exceeds {MAX_BODY_BYTES} bytes")
