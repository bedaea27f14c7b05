"""Attachments: images or PDF only, judged by content; stored outside the web root; private."""

from __future__ import annotations

import io

import pytest

from academy.auth.models import Role
from tests.helpers import csrf_token, login, text

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n% a tiny pdf\n"


def upload(client, name: str, content: bytes):
    return client.post(
        "/cases/dense-carbon/attachments",
        content_type="multipart/form-data",
        data={"csrf_token": csrf_token(client), "file": (io.BytesIO(content), name)},
    )


@pytest.fixture
def draft(case, cohort, trainee_client):
    from tests.helpers import post_form

    post_form(trainee_client, "/cases/dense-carbon/start")
    return trainee_client


def test_an_image_and_a_pdf_are_attached_and_downloadable(app, draft):
    assert upload(draft, "zones.png", PNG).status_code == 302
    upload(draft, "consent.pdf", PDF)
    page = text(draft.get("/cases/dense-carbon"))
    assert "zones.png" in page and "consent.pdf" in page
    link = page.split('href="/attachments/')[1].split('"')[0]
    response = draft.get(f"/attachments/{link}")
    assert response.data == PNG and response.mimetype == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response.headers["Content-Disposition"]
    response.close()


def test_a_file_whose_content_does_not_match_its_name_is_refused(app, draft):
    response = upload(draft, "photo.png", b"<html><script>alert(1)</script></html>")
    page = text(draft.get(response.headers["Location"]))
    assert "File: “photo.png” is not a PNG image" in page
    assert "photo.png</a>" not in page


def test_an_empty_file_and_too_many_files_are_refused(app, draft):
    assert "is empty" in text(draft.get(upload(draft, "empty.pdf", b"").headers["Location"]))
    for n in range(5):
        upload(draft, f"f{n}.pdf", PDF)
    assert "at most 5 files" in text(draft.get(upload(draft, "f6.pdf", PDF).headers["Location"]))


def test_an_oversized_file_is_refused_and_not_kept(app, draft, monkeypatch):
    from academy.grading import services

    # The real limit is 10 MB; a small one keeps the test's request in memory.
    monkeypatch.setattr(services, "ATTACHMENT_MAX_BYTES", 128 * 1024)
    response = upload(draft, "huge.pdf", PDF + b"0" * (200 * 1024))
    page = text(draft.get(response.headers["Location"]))
    assert "“huge.pdf” is larger than the limit of 0.125 MB" in page
    assert "huge.pdf</a>" not in page


def test_others_cannot_download_a_trainees_file(app, draft, make_user, tutor_client):
    upload(draft, "zones.png", PNG)
    page = text(draft.get("/cases/dense-carbon"))
    link = page.split('href="/attachments/')[1].split('"')[0]
    stranger = app.test_client()
    login(stranger, make_user(Role.TRAINEE).email)
    assert stranger.get(f"/attachments/{link}").status_code == 404
    outsider = app.test_client()
    login(outsider, make_user(Role.TUTOR).email)
    assert outsider.get(f"/attachments/{link}").status_code == 404
    allowed = tutor_client.get(f"/attachments/{link}")  # the trainee's own lead tutor
    assert allowed.status_code == 200
    allowed.close()
