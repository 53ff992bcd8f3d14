"""Personal data never in clear outside the process that needs it: the payload codec
(AES-256-GCM, key ids, rotation), the keyring and where its keys come from, and the Temporal
connection's TLS. The operators' codec server is in :mod:`motcua.crypto.server`."""

from motcua.crypto._codec import ENCODING, KEY_ID, EncryptionCodec, PayloadTampered
from motcua.crypto._configured import (
    CONNECTION_ERRORS,
    MissingEncryptionKey,
    converter_for,
    development_key_file,
    key_source,
    load_keyring,
    with_development_key,
)
from motcua.crypto._converter import data_converter
from motcua.crypto._keyfile import KeyFile
from motcua.crypto._keyring import (
    Key,
    Keyring,
    KeyringError,
    KeySource,
    KeyText,
    UnknownKey,
    new_key,
    parse_keys,
)
from motcua.crypto._transport import (
    ConnectionSettingsError,
    TemporalConnection,
    temporal_connection,
)

__all__ = [
    "CONNECTION_ERRORS",
    "ENCODING",
    "KEY_ID",
    "ConnectionSettingsError",
    "EncryptionCodec",
    "Key",
    "KeyFile",
    "KeySource",
    "KeyText",
    "Keyring",
    "KeyringError",
    "MissingEncryptionKey",
    "PayloadTampered",
    "TemporalConnection",
    "UnknownKey",
    "converter_for",
    "data_converter",
    "development_key_file",
    "key_source",
    "load_keyring",
    "new_key",
    "parse_keys",
    "temporal_connection",
    "with_development_key",
]
