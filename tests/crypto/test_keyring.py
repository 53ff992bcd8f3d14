"""The keyring and the codec: the newest key encrypts, every older key decrypts, an unknown or
altered payload fails with an error naming its key, a payload in clear passes unchanged."""

from __future__ import annotations

import base64

import pytest
from temporalio.api.common.v1 import Payload

from motcua.crypto import (
    ENCODING,
    KEY_ID,
    EncryptionCodec,
    Key,
    Keyring,
    KeyringError,
    PayloadTampered,
    UnknownKey,
    new_key,
    parse_keys,
)

CLEAR = Payload(metadata={"encoding": b"json/plain"}, data=b'{"personal_id":"001203004512"}')


async def test_a_payload_is_sealed_under_the_newest_key_and_opens_again() -> None:
    keyring = Keyring((new_key(), new_key()))
    codec = EncryptionCodec(keyring)
    [sealed] = await codec.encode([CLEAR])
    assert sealed.metadata["encoding"] == ENCODING
    assert sealed.metadata[KEY_ID] == keyring.current.id.encode()
    assert b"001203004512" not in sealed.SerializeToString()
    assert await codec.decode([sealed]) == [CLEAR]


async def test_after_rotation_old_payloads_still_open_and_new_ones_use_the_new_key() -> None:
    before = Keyring((new_key(),))
    [old] = await EncryptionCodec(before).encode([CLEAR])
    after = before.rotated()
    codec = EncryptionCodec(after)
    [new] = await codec.encode([CLEAR])
    assert new.metadata[KEY_ID] == after.current.id.encode() != old.metadata[KEY_ID]
    assert await codec.decode([old, new]) == [CLEAR, CLEAR]


async def test_a_payload_under_an_unknown_key_fails_naming_the_key() -> None:
    retired = new_key()
    [sealed] = await EncryptionCodec(Keyring((retired,))).encode([CLEAR])
    with pytest.raises(UnknownKey, match=retired.id) as failure:
        await EncryptionCodec(Keyring((new_key(),))).decode([sealed])
    assert failure.value.key_id == retired.id


async def test_an_altered_or_relabelled_payload_does_not_open() -> None:
    first, second = new_key(), new_key()
    codec = EncryptionCodec(Keyring((first, second)))
    [sealed] = await codec.encode([CLEAR])
    flipped = Payload(
        metadata=sealed.metadata, data=sealed.data[:-1] + bytes([sealed.data[-1] ^ 1])
    )
    with pytest.raises(PayloadTampered, match=second.id):
        await codec.decode([flipped])
    # The key id is authenticated: naming another key of the ring does not help either.
    relabelled = Payload(metadata={**sealed.metadata, KEY_ID: first.id.encode()}, data=sealed.data)
    with pytest.raises(PayloadTampered, match=first.id):
        await codec.decode([relabelled])


@pytest.mark.parametrize("kept", [0, 5, 27])
async def test_a_truncated_payload_does_not_open(kept: int) -> None:
    codec = EncryptionCodec(Keyring((new_key(),)))
    [sealed] = await codec.encode([CLEAR])
    cut = Payload(metadata=sealed.metadata, data=sealed.data[:kept])
    with pytest.raises(PayloadTampered, match=codec.keyring.current.id):
        await codec.decode([cut])


async def test_a_payload_in_clear_passes_unchanged() -> None:
    """Histories recorded before encryption was turned on still replay and still show."""
    assert await EncryptionCodec(Keyring((new_key(),))).decode([CLEAR]) == [CLEAR]


async def test_two_sealings_of_one_payload_differ() -> None:
    codec = EncryptionCodec(Keyring((new_key(),)))
    first, second = await codec.encode([CLEAR, CLEAR])
    assert first.data != second.data  # a fresh nonce each time: equal values do not show


def test_keys_parse_oldest_first_from_lines_or_commas() -> None:
    one, two, three = new_key(), new_key(), new_key()
    text = f"# comment\n{one.line()}\n\n{two.line()}, {three.line()}  # newest\n"
    keyring = parse_keys(text, origin="keys.txt")
    assert keyring.ids == (one.id, two.id, three.id)
    assert keyring.current == three and keyring.get(one.id) == one


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "keys.txt holds no key"),
        ("no-colon-here", "keys.txt:1: expected 'id:base64'"),
        ("k1:not base64!", "keys.txt:1: key 'k1' is not valid base64"),
        (f"k1:{base64.b64encode(b'short').decode()}", "keys.txt:1: key 'k1' has 5 bytes, not 32"),
        (f"bad id:{base64.b64encode(bytes(32)).decode()}", "keys.txt:1: key id 'bad id'"),
        (
            f"k1:{base64.b64encode(bytes(32)).decode()}\nk1:{base64.b64encode(bytes(32)).decode()}",
            "keys.txt: key id 'k1' appears twice",
        ),
    ],
)
def test_a_bad_key_list_says_where_and_why(text: str, problem: str) -> None:
    with pytest.raises(KeyringError) as failure:
        parse_keys(text, origin="keys.txt")
    assert str(failure.value).startswith(problem)


def test_a_key_never_shows_its_secret() -> None:
    key = new_key()
    assert base64.b64encode(key.secret).decode() not in repr(key)
    assert repr(Key(id="k1", secret=bytes(32))) == "Key(id='k1')"
