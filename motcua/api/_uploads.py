"""Reading one uploaded file from a ``multipart/form-data`` body, bounded in size.

The body is parsed as it streams in and reading stops as soon as the file passes the limit, so
an oversized or endless upload costs neither memory nor disk (FastAPI's ``UploadFile`` would
spool all of it first). The file's type is decided by its first bytes, not by what the client
declares: a declared type that disagrees is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from motcua.api._errors import ApiError

MAGIC = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}
GENERIC_TYPES = {"", "application/octet-stream"}
ALIASES = {
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
    "application/x-pdf": "application/pdf",
}
_FORM_OVERHEAD = 64 * 1024  # part headers, boundaries and small fields around the file


@dataclass
class Uploaded:
    data: bytes
    media_type: str
    file_name: str | None


@dataclass
class _Part:
    headers: dict[bytes, bytes] = field(default_factory=dict)
    name: str | None = None
    file_name: str | None = None
    data: bytearray = field(default_factory=bytearray)


def too_large(limit: int) -> ApiError:
    return ApiError(413, "too_large", f"the file is larger than {limit} bytes", {"limit": limit})


class _Collector:
    """Callbacks of the streaming parser: keep the ``file`` part, stop past ``limit``."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.part = _Part()
        self.file: _Part | None = None
        self._header = (b"", b"")

    def on_part_begin(self) -> None:
        self.part = _Part()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header = (self._header[0] + data[start:end], self._header[1])

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header = (self._header[0], self._header[1] + data[start:end])

    def on_header_end(self) -> None:
        self.part.headers[self._header[0].lower()] = self._header[1]
        self._header = (b"", b"")

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self.part.headers.get(b"content-disposition", b""))
        name, file_name = options.get(b"name"), options.get(b"filename")
        self.part.name = name.decode("utf-8", "replace") if name else None
        self.part.file_name = file_name.decode("utf-8", "replace") if file_name else None

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self.part.name != "file":
            return  # other fields are ignored
        if len(self.part.data) + (end - start) > self.limit:
            raise too_large(self.limit)
        self.part.data += data[start:end]

    def on_part_end(self) -> None:
        if self.part.name == "file" and self.file is None:
            self.file = self.part


async def read_upload(request: Request, limit: int) -> Uploaded:
    """The ``file`` part of the request; 413 past ``limit`` bytes, 415 for other types."""
    content_type, params = parse_options_header(request.headers.get("content-type", ""))
    boundary = params.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        raise ApiError(
            415, "unsupported_media_type", "send the file as multipart/form-data, field 'file'"
        )
    declared_length = request.headers.get("content-length", "")
    if declared_length.isdigit() and int(declared_length) > limit + _FORM_OVERHEAD:
        raise too_large(limit)
    collector = _Collector(limit)
    parser = MultipartParser(boundary, _callbacks(collector))  # type: ignore[arg-type]
    received = 0
    try:
        async for chunk in request.stream():
            received += len(chunk)
            if received > limit + _FORM_OVERHEAD:
                raise too_large(limit)
            parser.write(chunk)
        parser.finalize()
    except ApiError:
        raise
    except Exception as exc:  # the multipart library's parse errors
        raise ApiError(400, "bad_request", f"the multipart body is not valid: {exc}") from None
    if collector.file is None:
        raise ApiError(422, "invalid_request", "the form has no 'file' part")
    return _typed(collector.file)


def _callbacks(collector: _Collector) -> dict[str, object]:
    names = (
        "on_part_begin",
        "on_part_data",
        "on_part_end",
        "on_header_field",
        "on_header_value",
        "on_header_end",
        "on_headers_finished",
    )
    return {name: getattr(collector, name) for name in names}


def _typed(part: _Part) -> Uploaded:
    data = bytes(part.data)
    sniffed = next((t for magic, t in MAGIC.items() if data.startswith(magic)), None)
    if sniffed is None:
        raise ApiError(
            415,
            "unsupported_media_type",
            "only PDF, JPEG and PNG files are accepted",
            {"accepted": sorted(set(MAGIC.values()))},
        )
    declared = part.headers.get(b"content-type", b"").decode("latin-1").split(";")[0].strip()
    declared = ALIASES.get(declared.lower(), declared.lower())
    if declared not in GENERIC_TYPES and declared != sniffed:
        raise ApiError(
            415,
            "unsupported_media_type",
            f"the file is declared as {declared} but its content is {sniffed}",
            {"declared": declared, "content": sniffed},
        )
    return Uploaded(data=data, media_type=sniffed, file_name=_safe_name(part.file_name))


def _safe_name(name: str | None) -> str | None:
    """The base name only, bounded: it is echoed back and used in Content-Disposition."""
    if not name:
        return None
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    cleaned = "".join(c for c in base if c.isprintable() and c not in '"')[:255]
    return cleaned or None
