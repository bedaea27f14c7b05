"""Hostile values for property-based tests: what a careless client or an attacker might send.

Forms carry text only, so "wrong types" there are text that parses badly (numbers where
words belong, words where numbers belong); JSON bodies get real wrong types as well.
"""

from __future__ import annotations

import json

from hypothesis import strategies as st

SCRIPT = "<script>alert(1)</script>"

NASTY = [
    "",
    " ",
    "\t\r\n",
    SCRIPT,
    f'"><{SCRIPT[1:]}',
    "<img src=x onerror=alert(1)>",
    "\x00",
    "a\x00b",
    "\u202eevil.exe\u202c",  # right-to-left override
    "\u200f\u05e9\u05dc\u05d5\u05dd \u05e2\u05d5\u05dc\u05dd",  # RTL mark, Hebrew
    "\u0645\u0631\u062d\u0628\u0627",  # Arabic
    "\ufeff\u200b\u200d",  # BOM, zero-width space and joiner
    "Z\u0334\u0322a\u0336\u0328l\u0337g\u0338o\u0335",  # combining marks
    "\U0001f600" * 20,
    "\uffff\ufffe",
    "-1",
    "-0",
    "0",
    "1.5",
    "-99999",
    "1e309",
    "-1e309",
    "1e-400",
    "NaN",
    "nan",
    "sNaN",
    "-NaN",
    "inf",
    "Infinity",
    "-Infinity",
    "9" * 30,
    "9" * 5000,
    "\u00b2",  # superscript two: str.isdigit() says yes, int() says no
    "\u0663",  # Arabic-Indic three
    "\uff11\uff12",  # full-width digits
    "\u2167",  # Roman numeral eight
    "0x1F",
    "1_000",
    "  7  ",
    "true",
    "null",
    "[]",
    "{}",
    "' OR '1'='1' --",
    "../../../etc/passwd",
    "%00",
    "%s%s%n",
    "{{7*7}}",
    "${7*7}",
    "x" * 300,
    "y" * 20_000,
    "z" * 200_000,
    "a@b",
    "@@",
    "9999-12-31",
    "0001-01-01",
    "2024-02-30",
    "-5-01-01",
]

# Text that the HTTP layer can carry (UTF-8, so no lone surrogates).
any_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=80)
numbers_as_text = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)
hostile_text = st.one_of(st.sampled_from(NASTY), any_text, numbers_as_text)

field_names = st.one_of(
    st.sampled_from(["id", "user_id", "role", "state", "__proto__", "0", ""]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=12),
)


# Characters that survive a form's "is it filled in" checks and then trouble what comes after
# (PostgreSQL refuses NUL in text; RTL overrides and markup must come back harmless).
SPICE = ["\x00", "\x00", "\u202e", "\u200f", SCRIPT, "\U0001f600", "\ufeff", " ", "\u0663"]


def spiced(good: st.SearchStrategy) -> st.SearchStrategy:
    """A good value with a troublesome character put before, inside or after it."""

    def mix(value, spice, where):
        text = str(value)
        cut = where % (len(text) + 1)
        return text[:cut] + spice + text[cut:]

    return st.builds(mix, good, st.sampled_from(SPICE), st.integers(min_value=0, max_value=40))


def maybe(valid, hostile=hostile_text, valid_weight: int = 1):
    """A field's value: often a good one (so the other fields' checks are reached), a good
    one with a troublesome character in it, or something hostile. ``form`` reads the
    ``goods`` and ``bad`` halves to build bodies that are good but for one field."""
    goods = valid if isinstance(valid, st.SearchStrategy) else st.sampled_from(list(valid))
    strategy = st.one_of(*([goods] * valid_weight), spiced(goods), hostile)
    strategy.goods, strategy.bad = goods, st.one_of(spiced(goods), hostile)
    return strategy


_MISSING = object()


def _present(drawn: dict) -> dict:
    return {k: v for k, v in drawn.items() if v is not _MISSING}


def _good_but_one(fields: dict):
    """Every field good except one, which is hostile or missing: each check on its own."""
    goods = {name: getattr(value, "goods", value) for name, value in fields.items()}

    def body(spoilt: str):
        bad = getattr(fields[spoilt], "bad", fields[spoilt])
        return st.fixed_dictionaries({**goods, spoilt: st.one_of(bad, bad, st.just(_MISSING))}).map(
            _present
        )

    return st.sampled_from(sorted(fields)).flatmap(body), st.fixed_dictionaries(goods)


def form(fields: dict, extra: bool = True):
    """A form body: all good, good but for one field, or anything (each field usually there
    but sometimes missing); plus unexpected extra fields."""
    anything = st.fixed_dictionaries(
        {name: st.one_of(value, value, value, st.just(_MISSING)) for name, value in fields.items()}
    ).map(_present)
    if fields:
        one_bad, all_good = _good_but_one(fields)
        body = st.one_of(anything, one_bad, one_bad, all_good)
    else:
        body = anything
    if not extra:
        return body
    return st.tuples(body, st.dictionaries(field_names, hostile_text, max_size=3)).map(
        lambda pair: {**pair[1], **pair[0]}
    )


# --- JSON -------------------------------------------------------------------------------

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.sampled_from([0, -1, 1, 2**31, 2**63 - 1, 2**63, 2**64, -(2**63) - 1, 10**400]),
    st.floats(allow_nan=True, allow_infinity=True),
    hostile_text,
    st.text(max_size=30),  # may include lone surrogates, which JSON can carry
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(max_size=10), children, max_size=4),
    ),
    max_leaves=12,
)


def encode_json(value) -> bytes:
    """JSON as a careless client writes it: NaN and Infinity allowed, non-ASCII as UTF-8
    (escaped only where UTF-8 cannot carry it, such as a lone surrogate)."""
    try:
        return json.dumps(value, allow_nan=True, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        return json.dumps(value, allow_nan=True).encode()


raw_bodies = st.one_of(
    st.binary(max_size=200),
    st.sampled_from(
        [
            b"",
            b"{",
            b"[1,2",
            b"null",
            b'"text"',
            b'{"a": 1, "a": 2}',
            b"\xff\xfe{}",
            b'{"fluence_j_cm2": 1' + b"0" * 5000 + b"}",
            b"[" * 5000 + b"]" * 5000,
            b'{"x": "\\ud800"}',
        ]
    ),
)
