"""Input hygiene shared by every route, so hostile values get a 4xx with a message, not a 500.

- ``<int:…>`` in a URL stops at the largest integer a database column holds (else 404):
  SQLite raises OverflowError for anything larger.
- NUL characters are dropped from form fields, query arguments, upload file names and
  JSON strings, and an address containing one is a 404: PostgreSQL cannot store NUL in
  text (psycopg raises DataError), and no person types one. Unpaired surrogates, which
  JSON can carry (``"\\ud800"``) but UTF-8 cannot, become U+FFFD.
- JSON bodies nested thousands deep are refused like any other bad JSON (the decoder
  would otherwise raise RecursionError, which ``get_json(silent=True)`` does not catch).
- ``whole_number`` reads a sequence number, an id or a count from a form value or a JSON
  value: ASCII digits only (``"²".isdigit()`` is true but ``int("²")`` fails) and within
  the range a BIGINT column holds.
"""

from __future__ import annotations

import re
from functools import partial

from flask import Request, abort, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.datastructures import FileStorage, ImmutableMultiDict, MultiDict
from werkzeug.routing import IntegerConverter

MAX_DB_INT = 2**63 - 1
_SURROGATE = re.compile("[\ud800-\udfff]")


# ``<int:…>`` limited to what a database integer can hold; larger numbers are a 404. (A
# partial, not a subclass, so the converter is still an IntegerConverter to whoever asks.)
BoundedIntegerConverter = partial(IntegerConverter, max=MAX_DB_INT)


def _storable_text(text: str) -> str:
    if "\x00" in text:
        text = text.replace("\x00", "")
    return _SURROGATE.sub("\ufffd", text)


def _clean(value):
    if isinstance(value, str):
        return _storable_text(value)
    if isinstance(value, FileStorage) and value.filename:
        value.filename = _storable_text(value.filename)
    return value


def _clean_json(value):
    if isinstance(value, str):
        return _storable_text(value)
    if isinstance(value, list):
        return [_clean_json(item) for item in value]
    if isinstance(value, dict):
        return {_storable_text(key): _clean_json(item) for key, item in value.items()}
    return value


class StorableMultiDict(ImmutableMultiDict):
    """Form fields and query arguments with NUL removed (see the module's notes)."""

    def __init__(self, mapping=None):
        items = MultiDict(mapping).items(multi=True)
        super().__init__([(_clean(key), _clean(value)) for key, value in items])


class AcademyRequest(Request):
    parameter_storage_class = StorableMultiDict


class SafeJSONProvider(DefaultJSONProvider):
    """Flask's JSON, but a body nested too deeply is bad JSON (ValueError), and strings come
    back storable (no NUL, no unpaired surrogate)."""

    def loads(self, s, **kwargs):
        try:
            return _clean_json(super().loads(s, **kwargs))
        except RecursionError:
            raise ValueError("The JSON is nested too deeply.") from None


def whole_number(raw, *, low: int = 0, high: int = MAX_DB_INT) -> int | None:
    """A whole number from ``low`` to ``high`` given as an int or ASCII digits, else None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str):
        text = raw.strip()
        if not text or len(text) > 19 or not (text.isascii() and text.isdigit()):
            return None
        value = int(text)
    else:
        return None
    return value if low <= value <= high else None


def _refuse_nul_in_address():
    if "\x00" in request.path:
        abort(404)


def install(app) -> None:
    """Wire all of the above into an app (before its routes are added)."""
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.request_class = AcademyRequest
    app.json = SafeJSONProvider(app)
    app.before_request(_refuse_nul_in_address)
