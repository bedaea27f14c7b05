"""The certificate as an Open Badges 3.0 credential (a W3C Verifiable Credential, JSON-LD).

The credential's ``id`` is the public verify address, so a wallet or an employer can
always ask the academy whether it is still valid; the holder is named, and identified by
a salted hash of their e-mail address rather than the address itself.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from academy.certificates.models import Certificate, CertificateKind
from academy.certificates.services import ACADEMY_NAME

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


def _timestamp(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat() + "Z"


def open_badge(certificate: Certificate, email: str, base_url: str, verify_url: str) -> dict:
    base_url = base_url.rstrip("/")
    course = certificate.kind == CertificateKind.COURSE
    achievement_id = f"{base_url}/achievements/" + (
        "course" if course else certificate.scope.replace(":", "/")
    )
    salt = certificate.number
    identity_hash = hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()
    hours = float(certificate.cpd_hours)
    credential = {
        "@context": CONTEXTS,
        "id": verify_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{certificate.kind_label}: {certificate.title}",
        "issuer": {
            "id": base_url + "/",
            "type": ["Profile"],
            "name": ACADEMY_NAME,
            "url": base_url + "/",
        },
        "validFrom": _timestamp(certificate.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": certificate.holder_name,
                },
                {
                    "type": "IdentityObject",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "identityHash": f"sha256${identity_hash}",
                    "salt": salt,
                },
            ],
            "creditsEarned": hours,
            "achievement": {
                "id": achievement_id,
                "type": ["Achievement"],
                "achievementType": "Certificate" if course else "Course",
                "name": certificate.title,
                "description": (
                    f"{certificate.kind_label} from the {ACADEMY_NAME} for "
                    f"{certificate.title}, awarding {hours:g} hours of continuing professional "
                    "development."
                ),
                "criteria": {
                    "narrative": (
                        "Completed every module of the course and passed the final "
                        "case-based assessment."
                        if course
                        else "Attended the module, as recorded by the academy."
                    )
                },
                "creditsAvailable": hours,
                "fieldOfStudy": "Scalp micropigmentation removal",
            },
        },
        "evidence": [
            {
                "id": verify_url,
                "type": ["Evidence"],
                "name": f"Certificate {certificate.number}",
                "description": "The academy's public verification page for this certificate.",
            }
        ],
    }
    if certificate.revoked_at is not None:
        credential["validUntil"] = _timestamp(certificate.revoked_at)
    return credential
