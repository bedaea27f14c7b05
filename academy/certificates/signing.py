"""The academy's signature over a certificate's details, and its verification codes.

HMAC-SHA256 with ``CERTIFICATE_SIGNING_KEY`` over a canonical JSON of what the certificate
states, so an edited row (a name, hours, a date) no longer matches its signature. Codes
are 140 random bits in Crockford's base 32, printed in groups of four.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets

from flask import current_app

SIGNATURE_VERSION = "v1"
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O or U
CODE_LENGTH = 28  # 28 × 5 = 140 bits of randomness
_TYPO_MAP = str.maketrans({"O": "0", "I": "1", "L": "1"})
_CODE = re.compile(f"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")


def new_code() -> str:
    value = secrets.randbits(CODE_LENGTH * 5)
    chars = []
    for _ in range(CODE_LENGTH):
        value, index = divmod(value, 32)
        chars.append(CODE_ALPHABET[index])
    return "".join(chars)


def format_code(code: str) -> str:
    """Groups of four, as people copy it: K7QF-M2XD-9HTP-…"""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise_code(text: str) -> str | None:
    """A typed or scanned code as stored (no dashes or spaces, capitals, O→0, I/L→1)."""
    cleaned = re.sub(r"[\s\-–—]+", "", str(text or "")).upper().translate(_TYPO_MAP)
    return cleaned if _CODE.match(cleaned) else None


def signing_key(config=None) -> bytes:
    """The configured key; in development and tests, one derived from the secret key."""
    config = config if config is not None else current_app.config
    key = config.get("CERTIFICATE_SIGNING_KEY")
    if key:
        return key.encode()
    secret = (config.get("SECRET_KEY") or "").encode()
    return hmac.new(secret, b"academy certificate signing key", hashlib.sha256).digest()


def signed_details(certificate) -> dict:
    """Everything the certificate states, as signed."""
    return {
        "number": certificate.number,
        "code": certificate.code,
        "kind": certificate.kind,
        "scope": certificate.scope,
        "holder_id": certificate.user_id,
        "holder_name": certificate.holder_name,
        "title": certificate.title,
        "cpd_hours": f"{certificate.cpd_hours:.2f}",
        "issued_at": certificate.issued_at.replace(microsecond=0).isoformat(),
        "signer_name": certificate.signer_name,
        "signer_title": certificate.signer_title,
    }


def sign(certificate, key: bytes) -> str:
    message = json.dumps(signed_details(certificate), sort_keys=True, ensure_ascii=False)
    digest = hmac.new(key, message.encode(), hashlib.sha256).hexdigest()
    return f"{SIGNATURE_VERSION}:{digest}"


def signature_valid(certificate, key: bytes) -> bool:
    return hmac.compare_digest(sign(certificate, key), certificate.signature or "")
