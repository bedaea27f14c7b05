"""Uploaded files: checked by their content, kept outside the web root, read back by key.

One small interface (``save``, ``open``, ``delete``) so that a shared volume or an object
store can replace the local folder without touching the domains that store files (CPD
evidence, assessment attachments). A file's kind is decided by its first bytes, never by
its name or the type the browser claims; anything else is refused before it is kept.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

CHUNK = 64 * 1024
MEGABYTE = 1024 * 1024
DEFAULT_MAX_BYTES = 10 * MEGABYTE
_KEY = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class Kind:
    name: str
    content_type: str
    extension: str
    label: str

    def matches(self, head: bytes) -> bool:
        return _SNIFFERS[self.name](head)


KINDS = {
    "pdf": Kind("pdf", "application/pdf", "pdf", "PDF"),
    "png": Kind("png", "image/png", "png", "PNG image"),
    "jpeg": Kind("jpeg", "image/jpeg", "jpg", "JPEG image"),
    "gif": Kind("gif", "image/gif", "gif", "GIF image"),
    "webp": Kind("webp", "image/webp", "webp", "WebP image"),
}
IMAGES = ("png", "jpeg", "gif", "webp")
IMAGES_AND_PDF = (*IMAGES, "pdf")

_SNIFFERS = {
    "pdf": lambda head: head.startswith(b"%PDF-"),
    "png": lambda head: head.startswith(b"\x89PNG\r\n\x1a\n"),
    "jpeg": lambda head: head.startswith(b"\xff\xd8\xff"),
    "gif": lambda head: head[:6] in (b"GIF87a", b"GIF89a"),
    "webp": lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP",
}


class UploadRejected(ValueError):
    """A file refused before it was kept, with a message to show the person who sent it."""


@dataclass(frozen=True)
class StoredFile:
    key: str
    content_type: str
    size: int
    sha256: str


def detect_kind(head: bytes, allowed_kinds: Iterable[str]) -> Kind | None:
    """The first allowed kind whose signature the bytes carry, or None."""
    return next((KINDS[k] for k in allowed_kinds if KINDS[k].matches(head)), None)


def describe(allowed_kinds: Iterable[str]) -> str:
    labels = [KINDS[k].label for k in allowed_kinds]
    return ", ".join(labels[:-1]) + f" or {labels[-1]}" if len(labels) > 1 else labels[0]


def safe_download_name(original_name: str, kind_extension: str) -> str:
    """A file name safe to send in a header: letters, digits, dots, dashes; our extension."""
    stem = Path(original_name or "file").stem
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip(".-")[:80] or "file"
    return f"{stem}.{kind_extension}"


class Storage(Protocol):
    def save(
        self,
        stream: BinaryIO,
        original_name: str,
        allowed_kinds: Iterable[str],
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> StoredFile: ...

    def open(self, key: str) -> BinaryIO: ...

    def delete(self, key: str) -> None: ...


class LocalStorage:
    """Files in a folder (the instance folder by default), named by random keys."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        if not _KEY.match(key or ""):
            raise KeyError(key)
        return self.root / key[:2] / key

    def save(
        self,
        stream: BinaryIO,
        original_name: str,
        allowed_kinds: Iterable[str],
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> StoredFile:
        """Check and keep the file; UploadRejected if it is empty, too big or of another kind."""
        allowed = tuple(allowed_kinds)
        unknown = [k for k in allowed if k not in KINDS]
        if unknown or not allowed:
            raise ValueError(f"unknown file kinds: {unknown or 'none given'}")
        key = secrets.token_hex(16)
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        digest, size, kind = hashlib.sha256(), 0, None
        try:
            with open(partial, "wb") as out:
                while chunk := stream.read(CHUNK):
                    if kind is None:
                        kind = detect_kind(chunk, allowed)
                        if kind is None:
                            raise UploadRejected(
                                f"“{original_name}” is not a {describe(allowed)} file "
                                "(checked by its content, not its name)."
                            )
                    size += len(chunk)
                    if size > max_bytes:
                        raise UploadRejected(
                            f"“{original_name}” is larger than the limit of "
                            f"{max_bytes / MEGABYTE:g} MB."
                        )
                    digest.update(chunk)
                    out.write(chunk)
            if size == 0 or kind is None:
                raise UploadRejected(f"“{original_name}” is empty.")
            os.replace(partial, path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return StoredFile(key, kind.content_type, size, digest.hexdigest())

    def open(self, key: str) -> BinaryIO:
        return open(self._path(key), "rb")  # noqa: SIM115 (the caller closes it)

    def delete(self, key: str) -> None:
        try:
            self._path(key).unlink(missing_ok=True)
        except KeyError:
            return


def storage_for(config, instance_path: str) -> LocalStorage:
    """The storage an app is configured with (``ACADEMY_UPLOADS_DIR``, else instance/uploads)."""
    return LocalStorage(config.get("UPLOADS_DIR") or Path(instance_path) / "uploads")
