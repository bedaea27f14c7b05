"""Small helpers that read like a user's actions: log in through the real form, post a form."""

from __future__ import annotations

import re

from academy.auth.passwords import hash_password

DEFAULT_PASSWORD = "rossendale-valley-trainee-passphrase"
# Hashing is deliberately slow (argon2id, 64 MiB): hash the shared test password once.
DEFAULT_PASSWORD_HASH = hash_password(DEFAULT_PASSWORD)

_CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def csrf_token(client) -> str:
    """The CSRF token for the client's current session, read from a page as a browser would."""
    page = client.get("/").get_data(as_text=True)
    match = _CSRF_META.search(page)
    assert match, "every page carries its CSRF token in a meta tag"
    return match.group(1)


def post_form(client, url: str, data: dict | None = None, **kwargs):
    """Post a form with a valid CSRF token, like a browser submitting the page."""
    payload = {"csrf_token": csrf_token(client), **(data or {})}
    return client.post(url, data=payload, **kwargs)


def login(client, email: str, password: str = DEFAULT_PASSWORD, remember: bool = False):
    data = {"email": email, "password": password}
    if remember:
        data["remember"] = "y"
    return post_form(client, "/auth/login", data)


def logout(client):
    return post_form(client, "/auth/logout")


def text(response) -> str:
    return response.get_data(as_text=True)


def signed_in(client) -> bool:
    """Whether the client's session is logged in, judged by the page as a person would."""
    return "Log out" in text(client.get("/"))
