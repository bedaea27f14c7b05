"""One place to ask the time, so tests can move the clock (deadlines, expiries, throttles).

Code calls ``now()``; a test freezes or advances time with ``frozen_at`` / ``advance``
instead of patching every module that imported ``now``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

_offset = timedelta(0)
_frozen: datetime | None = None


def now() -> datetime:
    """Return the current time in UTC as a naive datetime, as every table stores it."""
    if _frozen is not None:
        return _frozen
    return datetime.now(UTC).replace(tzinfo=None) + _offset


def advance(delta: timedelta) -> None:
    """Move the clock forward (tests only)."""
    global _offset, _frozen
    if _frozen is not None:
        _frozen += delta
    else:
        _offset += delta


def reset() -> None:
    global _offset, _frozen
    _offset, _frozen = timedelta(0), None


@contextmanager
def frozen_at(moment: datetime) -> Iterator[None]:
    """Stop the clock at ``moment`` for the duration of the block (tests only)."""
    global _frozen
    previous, _frozen = _frozen, moment
    try:
        yield
    finally:
        _frozen = previous
