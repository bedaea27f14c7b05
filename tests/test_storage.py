"""The storage for uploads: kind by content, size limit, keys that cannot escape the folder."""

from __future__ import annotations

import io

import pytest

from academy.storage import IMAGES, IMAGES_AND_PDF, LocalStorage, UploadRejected

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 100
GIF = b"GIF89a" + b"\x00" * 10
WEBP = b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 10
PDF = b"%PDF-1.7\n" + b"1" * 10


@pytest.mark.parametrize(
    ("content", "content_type"),
    [(JPEG, "image/jpeg"), (GIF, "image/gif"), (WEBP, "image/webp"), (PDF, "application/pdf")],
)
def test_a_file_is_kept_with_the_type_its_content_shows(tmp_path, content, content_type):
    storage = LocalStorage(tmp_path)
    stored = storage.save(io.BytesIO(content), "whatever.txt", IMAGES_AND_PDF, 1000)
    assert stored.content_type == content_type and stored.size == len(content)
    assert len(stored.sha256) == 64 and len(stored.key) == 32
    with storage.open(stored.key) as stream:
        assert stream.read() == content
    storage.delete(stored.key)
    with pytest.raises(FileNotFoundError):
        storage.open(stored.key)


@pytest.mark.parametrize(
    "content", [b"", b"<svg onload=alert(1)>", b"MZ\x90\x00", b"GIF87", b"%PDF"[:3] + b"x" * 9]
)
def test_other_content_is_refused_whatever_its_name(tmp_path, content):
    with pytest.raises(UploadRejected):
        LocalStorage(tmp_path).save(io.BytesIO(content), "photo.png", IMAGES_AND_PDF, 1000)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_a_pdf_is_refused_where_only_images_are_allowed(tmp_path):
    with pytest.raises(UploadRejected, match="not a PNG image"):
        LocalStorage(tmp_path).save(io.BytesIO(PDF), "scan.pdf", IMAGES, 1000)


def test_the_size_limit_is_exact(tmp_path):
    storage = LocalStorage(tmp_path)
    storage.save(io.BytesIO(PDF + b"x" * (100 - len(PDF))), "a.pdf", ["pdf"], 100)
    with pytest.raises(UploadRejected, match="larger than the limit"):
        storage.save(io.BytesIO(PDF + b"x" * (101 - len(PDF))), "a.pdf", ["pdf"], 100)


@pytest.mark.parametrize("key", ["../../etc/passwd", "ab/../../x", "", "A" * 32])
def test_a_key_cannot_point_outside_the_folder(tmp_path, key):
    with pytest.raises(KeyError):
        LocalStorage(tmp_path).open(key)
    LocalStorage(tmp_path).delete(key)  # quietly does nothing
