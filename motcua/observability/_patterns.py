"""What counts as personal data in log text: the number patterns and the field names.

Decree 13/2023/NĐ-CP on personal data: a citizen's ID number, phone, name, birth date and address
must not leave the process in the clear. Log lines are read by operators, shipped to log stores
and pasted into tickets, so they are redacted at the source.
"""

from __future__ import annotations

import re

# Field names whose value is personal whatever it looks like (compared after normalising:
# lower case, camelCase and dashes to snake_case).
PERSONAL_KEYS = frozenset(
    {
        "name",
        "full_name",
        "first_name",
        "last_name",
        "middle_name",
        "given_name",
        "family_name",
        "applicant_name",
        "citizen_name",
        "payer_name",
        "holder_name",
        "father_name",
        "mother_name",
        "spouse_name",
        "child_name",
        "address",
        "birth_date",
        "date_of_birth",
        "dob",
        "birthday",
        "place_of_birth",
        "hometown",
        "phone",
        "phone_number",
        "mobile",
        "email",
        "personal_id",
        "citizen_id",
        "national_id",
        "id_number",
        "payer_id",
        "cccd",
        "cmnd",
    }
)
# Any field ending so is personal too: ``permanent_address``, ``contact_phone``, ``owner_email``.
PERSONAL_SUFFIXES = (
    "_address",
    "_phone",
    "_email",
    "_birth_date",
    "_personal_id",
    "_full_name",
)

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def is_personal_key(key: object) -> bool:
    """Whether a field of this name holds personal data (``fullName`` and ``full-name`` too)."""
    if not isinstance(key, str):
        return False
    normal = _CAMEL.sub("_", key).lower().replace("-", "_")
    return normal in PERSONAL_KEYS or normal.endswith(PERSONAL_SUFFIXES)


# A number that starts a digit group: not glued to a letter or a dot, nor to a word or an earlier
# group by a dash or dot (dossier codes like ``H29-260115-0001``, ``TX-000123456789``, versions,
# IP addresses, decimals).
# A URL's escaped space, plus, comma, colon or equals sign (``%20``, ``%2B``, ...) starts one too.
_START = r"(?:(?<=%2[0BbCc])|(?<=%3[ADad])|(?<![\w.])(?<!\w[-.]))"
# ... and that ends one: not followed by a letter, a digit, or a dot/comma that continues it
# (``1.5``, ``1,200``). A sentence's full stop or a comma before a space is fine.
_END = r"(?![\w]|[.,]\d)"

# A 12-digit personal ID (CCCD), also written in groups: ``001 203 004 512``, ``001-203-004512``.
PERSONAL_ID = re.compile(_START + r"\d(?:[ \-]?\d){11}" + _END)
# A phone number: ``0`` and 9 or 10 digits (mobile, landline), ``+84`` or ``84`` and 9, with
# spaces, dots or dashes inside.
PHONE = re.compile(_START + r"(?:\+84|84|0)(?:[ .\-]?\d){9,10}" + _END)
# A 9-digit old ID card (CMND); not an amount: a currency after it keeps it.
OLD_ID_CARD = re.compile(_START + r"\d{9}" + _END + r"(?!\s?(?:VND|VNĐ|vnđ|vnd|đ|₫|dong|đồng))")

# ``key: 'value'``, ``"key": "value"``, ``key='value'``, ``key=value`` with a personal key, as in a
# dict, JSON, a pydantic repr or logfmt inside a message.
_WORD = r"[^\s,;&?{}\[\]()=\"']+"
KEYED_VALUE = re.compile(
    r"""(?P<key>(?<![\w\-])["']?(?P<name>[A-Za-z_][\w\-]*)["']?\s*[:=]\s*)"""
    r"""(?P<value>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'"""
    # unquoted: words up to a delimiter or the next ``key=``/``key:`` (logfmt, prose)
    + r"|"
    + _WORD
    + r"(?:[ ](?![\w\-]+\s*[:=])"
    + _WORD
    + r")*)"
)
