"""Security events as one JSON object per line, with every user-supplied value escaped.

JSON encoding escapes control characters and newlines, so a crafted e-mail address cannot
forge extra log lines.
"""

from __future__ import annotations

import json
import logging

from flask import has_request_context, request
from flask_login import current_user

from academy.clock import now

logger = logging.getLogger("academy.security")


class JsonLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = getattr(record, "event", {"message": record.getMessage()})
        return json.dumps(payload, ensure_ascii=True, default=str, sort_keys=True)


def configure_security_log() -> None:
    """Send security events to stderr as JSON lines unless the host configured handlers."""
    if logger.handlers:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(JsonLineFormatter())
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


def security_event(event: str, **fields) -> dict:
    """Record a security event (log-in, failure, throttle, role change, denied access)."""
    record = {"event": event, "at": now().isoformat(timespec="seconds"), **fields}
    if has_request_context():
        record.setdefault("ip", request.remote_addr)
        if current_user and current_user.is_authenticated:
            record.setdefault("user_id", current_user.id)
    logger.info(event, extra={"event": record})
    return record
