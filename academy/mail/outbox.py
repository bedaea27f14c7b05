"""Sending mail: every message goes into the outbox table, then out by SMTP when configured.

In development the message (and so any link in it) is printed to the console, so a
password-reset link can be followed without a mail server.
"""

from __future__ import annotations

import smtplib
import sys
from email.message import EmailMessage

from flask import current_app

from academy.clock import now
from academy.extensions import db
from academy.mail.models import OutboxMessage


def send_mail(recipient: str, subject: str, body: str) -> OutboxMessage:
    message = OutboxMessage(recipient=recipient, subject=subject, body=body)
    db.session.add(message)
    config = current_app.config
    if config.get("MAIL_SMTP_HOST"):
        try:
            _send_smtp(config, recipient, subject, body)
            message.sent_at = now()
        except (OSError, smtplib.SMTPException) as exc:  # kept in the outbox to retry
            message.error = f"{type(exc).__name__}: {exc}"
            current_app.logger.warning("Mail to outbox only, SMTP failed: %s", message.error)
    if config.get("MAIL_PRINT_OUTBOX"):
        print(f"\n--- mail to {recipient}: {subject}\n{body}\n---", file=sys.stderr, flush=True)
    db.session.flush()
    return message


def _send_smtp(config, recipient: str, subject: str, body: str) -> None:
    email = EmailMessage()
    email["From"] = config["MAIL_SENDER"]
    email["To"] = recipient
    email["Subject"] = subject
    email.set_content(body)
    with smtplib.SMTP(config["MAIL_SMTP_HOST"], config["MAIL_SMTP_PORT"], timeout=10) as smtp:
        if config.get("MAIL_SMTP_STARTTLS"):
            smtp.starttls()
        if config.get("MAIL_SMTP_USERNAME"):
            smtp.login(config["MAIL_SMTP_USERNAME"], config["MAIL_SMTP_PASSWORD"] or "")
        smtp.send_message(email)
