"""motcua's one data converter: pydantic payloads, encrypted when a keyring is given."""

from __future__ import annotations

import dataclasses

from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import DataConverter, DefaultFailureConverterWithEncodedAttributes

from motcua.crypto._codec import EncryptionCodec
from motcua.crypto._keyring import Keyring


def data_converter(keyring: Keyring | None) -> DataConverter:
    """The converter of every client, worker and replayer: pydantic models as JSON and, with
    a ``keyring``, each payload encrypted by :class:`EncryptionCodec`.

    With a keyring, failure messages and stack traces move into an encrypted payload too
    (``encode_common_attributes``): a validation error may quote an applicant's data.
    """
    if keyring is None:
        return pydantic_data_converter
    return dataclasses.replace(
        pydantic_data_converter,
        payload_codec=EncryptionCodec(keyring),
        failure_converter_class=DefaultFailureConverterWithEncodedAttributes,
    )
