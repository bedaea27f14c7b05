"""Certificates: issued once on completing the course, a PDF with a QR code, verified publicly."""

from __future__ import annotations

import json
import re
import socket
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from academy import clock
from academy.audit.models import AuditEntry
from academy.certificates import services, signing
from academy.certificates.models import Certificate
from academy.certificates.pdf import render_certificate
from academy.extensions import db
from tests.course_helpers import (
    COURSE_HOURS,
    cohort_led_by,
    complete_course,
    pass_quiz,
    read_everything,
    read_module,
)
from tests.helpers import login, post_form, text
from tests.pdf_tools import pdf_text, qr_codes

ISSUED = datetime(2026, 10, 2, 14, 5, 31)


@pytest.fixture(autouse=True)
def _frozen():
    with clock.frozen_at(ISSUED):
        yield


def certificates(app):
    with app.app_context():
        rows = db.session.scalars(sa.select(Certificate).order_by(Certificate.id)).all()
        for row in rows:
            db.session.expunge(row)
        return rows


def only_certificate(app) -> Certificate:
    rows = certificates(app)
    assert len(rows) == 1
    return rows[0]


def verify_path(certificate) -> str:
    return f"/verify/{signing.format_code(certificate.code)}"


# --- Issuing ------------------------------------------------------------------------------


def test_completing_the_course_issues_one_certificate(app, course, trainee):
    read_everything(app, trainee.id)
    assert certificates(app) == []  # the final assessment is still to pass
    pass_quiz(app, trainee.id)
    certificate = only_certificate(app)
    assert certificate.kind == "course" and certificate.holder_name == trainee.full_name
    assert certificate.cpd_hours == Decimal(COURSE_HOURS)
    assert certificate.number == f"SRA-2026-{certificate.id:05d}"
    assert certificate.issued_at == ISSUED
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{28}", certificate.code)
    pass_quiz(app, trainee.id)  # passing again is another completion event: nothing new
    read_module(app, trainee.id, "physics")
    assert len(certificates(app)) == 1


def test_passing_the_final_first_then_finishing_the_modules_also_issues_it(app, course, trainee):
    pass_quiz(app, trainee.id)
    read_module(app, trainee.id, "physics")
    assert certificates(app) == []
    read_module(app, trainee.id, "safety")
    assert only_certificate(app).kind == "course"


def test_the_lead_tutor_signs_else_the_academy(app, course, make_user, tutor):
    led, alone = make_user(), make_user()
    cohort_led_by(app, tutor.id, led.id)
    complete_course(app, led.id)
    complete_course(app, alone.id)
    first, second = certificates(app)
    assert (first.signer_name, first.signer_title) == (tutor.full_name, "Lead tutor")
    assert second.signer_name == "SMP Removal Academy"


def test_codes_have_140_random_bits_and_forgive_typing(app):
    codes = {signing.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(c) == 28 and set(c) <= set(signing.CODE_ALPHABET) for c in codes)
    assert len(signing.CODE_ALPHABET) ** signing.CODE_LENGTH >= 2**128
    code = "0123456789ABCDEFGHJKMNPQRSTV"
    typed = " o123-4567-89ab-cdef-ghjk-mnpq-rstv "
    assert signing.normalise_code(typed) == code
    assert signing.normalise_code(signing.format_code(code)) == code
    assert signing.normalise_code("short") is None


# --- The PDF ------------------------------------------------------------------------------


def pdf_to_text(pdf: bytes, tmp_path) -> str:
    return pdf_text(pdf, tmp_path)


def decode_qr(pdf: bytes, tmp_path) -> str:
    return qr_codes(pdf, tmp_path)


def test_the_pdf_states_name_course_hours_number_and_code(
    app, course, trainee, trainee_client, tmp_path
):
    complete_course(app, trainee.id)
    certificate = only_certificate(app)
    response = trainee_client.get(f"/certificates/{certificate.id}/certificate.pdf")
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    words = pdf_to_text(response.data, tmp_path)
    assert trainee.full_name in words
    assert "Safe Removal of Scalp Micropigmentation" in words
    assert "awarding 7 CPD hours" in words
    assert certificate.number in words
    assert signing.format_code(certificate.code) in words
    assert "2 October 2026" in words
    assert "http://localhost" + verify_path(certificate) in words


def test_the_qr_code_leads_to_the_verify_page(app, course, trainee, trainee_client, tmp_path):
    complete_course(app, trainee.id)
    certificate = only_certificate(app)
    pdf = trainee_client.get(f"/certificates/{certificate.id}/certificate.pdf").data
    assert decode_qr(pdf, tmp_path) == "http://localhost" + verify_path(certificate)
    assert b"/URI (http://localhost/verify/" in pdf  # the printed address is a link too


def test_the_pdf_regenerates_identically(app, course, trainee, trainee_client):
    complete_course(app, trainee.id)
    certificate = only_certificate(app)
    url = f"/certificates/{certificate.id}/certificate.pdf"
    first = trainee_client.get(url).data
    assert trainee_client.get(url).data == first
    with clock.frozen_at(datetime(2028, 1, 1)), app.app_context():
        stored = db.session.get(Certificate, certificate.id)
        verify_url = "http://localhost" + verify_path(certificate)
        assert render_certificate(stored, verify_url) == first


def test_every_field_is_printed_as_text_never_as_markup(app, tmp_path):
    certificate = Certificate(
        number="SRA-2026-00001",
        code=signing.new_code(),
        kind="attendance",
        scope="module:x",
        user_id=1,
        holder_name="Zoë <b>O'Brien</b> & Łukasz",
        title='<font color="red">Module</font> & <br/> 1',
        cpd_hours=Decimal("2.5"),
        issued_at=ISSUED,
        signer_name="<i>Tara</i>",
        signer_title="Lead tutor",
        signature="",
    )
    words = pdf_to_text(
        render_certificate(certificate, "https://academy.example.com/verify/X"), tmp_path
    )
    assert "Zoë <b>O'Brien</b> & Łukasz" in words
    assert '<font color="red">Module</font> & <br/> 1' in words
    assert "<i>Tara</i>" in words and "2.5 CPD hours" in words


def test_generating_a_pdf_makes_no_network_request(app, course, trainee, monkeypatch):
    complete_course(app, trainee.id)
    certificate = only_certificate(app)

    def refuse(*args, **kwargs):
        raise AssertionError("the PDF tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert render_certificate(certificate, "https://academy.example.com/verify/X")[:5] == b"%PDF-"


# --- Verification -------------------------------------------------------------------------


def test_verify_says_valid_and_shows_only_the_certificates_details(
    app, course, trainee, tutor, client
):
    cohort_led_by(app, tutor.id, trainee.id)
    complete_course(app, trainee.id)
    certificate = only_certificate(app)
    response = client.get(verify_path(certificate))  # anyone, without logging in
    page = text(response)
    assert response.status_code == 200
    assert "Valid" in page and "Revoked" not in page
    for shown in (trainee.full_name, certificate.title, "7.00", "2 Oct 2026", certificate.number):
        assert shown in page
    for hidden in (trainee.email, tutor.full_name, "Lead tutor", certificate.signature, "14:05"):
        assert hidden not in page
    assert "/auth/login?next" not in page


def test_a_typed_code_works_on_the_verify_form(app, course, trainee, client):
    complete_course(app, trainee.id)
    certificate = only_certificate(app)
    typed = signing.format_code(certificate.code).lower().replace("-", " ")
    page = text(client.get("/verify", query_string={"code": typed}))
    assert "Valid" in page and trainee.full_name in page
    assert client.get("/verify").status_code == 200


@pytest.mark.parametrize("code", ["0" * 28, "not-a-code", "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ"])
def test_verify_says_unknown_for_a_code_never_issued(client, code):
    response = client.get(f"/verify/{code}")
    assert response.status_code == 404
    assert "Unknown" in text(response) and "Valid" not in text(response)


def test_an_admin_revokes_with_a_reason_and_verify_says_so(
    app, course, trainee, admin, admin_client, client
):
    complete_course(app, trainee.id)
    certificate = only_certificate(app)
    url = f"/certificates/{certificate.id}/revoke"
    post_form(admin_client, url, {"reason": ""})
    assert not only_certificate(app).revoked
    clock.advance(timedelta(hours=2))
    post_form(admin_client, url, {"reason": "Issued in error: final assessment annulled."})
    page = text(client.get(verify_path(certificate)))
    assert "Revoked" in page and "revoked on 2 Oct 2026" in page
    assert "Issued in error: final assessment annulled." in page
    assert trainee.full_name in page
    with app.app_context():
        entry = db.session.scalar(
            sa.select(AuditEntry).where(AuditEntry.action == "certificate.revoke")
        )
        assert entry.actor_id == admin.id
        assert entry.details["reason"] == "Issued in error: final assessment annulled."


def test_only_admins_revoke(app, course, trainee, trainee_client, tutor, tutor_client):
    cohort_led_by(app, tutor.id, trainee.id)
    complete_course(app, trainee.id)
    certificate = only_certificate(app)
    for client in (trainee_client, tutor_client):
        response = post_form(client, f"/certificates/{certificate.id}/revoke", {"reason": "x"})
        assert response.status_code == 403
    assert not only_certificate(app).revoked


@pytest.mark.parametrize(
    "column, value",
    [
        ("holder_name", "Someone Else"),
        ("cpd_hours", Decimal("70")),
        ("title", "Advanced Laser Masterclass"),
        ("issued_at", datetime(2025, 1, 1)),
        ("number", "SRA-2026-99999"),
    ],
)
def test_an_edited_row_fails_verification(app, course, trainee, client, column, value):
    complete_course(app, trainee.id)
    certificate = only_certificate(app)
    with app.app_context():
        db.session.execute(
            sa.update(Certificate).where(Certificate.id == certificate.id).values({column: value})
        )
        db.session.commit()
    page = text(client.get(verify_path(certificate)))
    assert "Not valid" in page and "Valid</p>" not in page
    assert "Someone Else" not in page and trainee.full_name not in page


def test_unknown_lookups_are_rate_limited_but_known_codes_do_not_count(
    app, course, trainee, client
):
    complete_course(app, trainee.id)
    certificate = only_certificate(app)
    app.config["VERIFY_RATE_LIMIT"] = "3 per minute"
    try:
        for _ in range(5):
            assert client.get(verify_path(certificate)).status_code == 200
        statuses = [client.get(f"/verify/{'1' * 28}").status_code for _ in range(4)]
        assert statuses == [404, 404, 404, 429]
    finally:
        app.config["VERIFY_RATE_LIMIT"] = "10 per minute;60 per hour"


# --- Who may download -------------------------------------------------------------------------


def test_holder_their_lead_tutor_and_admins_may_download_and_no_one_else(
    app, course, trainee, trainee_client, make_user, tutor, tutor_client, admin_client
):
    complete_course(app, trainee.id)
    certificate = only_certificate(app)
    urls = [
        f"/certificates/{certificate.id}",
        f"/certificates/{certificate.id}/certificate.pdf",
        f"/certificates/{certificate.id}/open-badge.json",
    ]
    other = app.test_client()
    login(other, make_user().email)
    for url in urls:
        assert trainee_client.get(url).status_code == 200
        assert admin_client.get(url).status_code == 200
        assert other.get(url).status_code == 404, url
        assert tutor_client.get(url).status_code == 404, url
        assert app.test_client().get(url).status_code == 302  # anonymous: log in first
    cohort_led_by(app, tutor.id, trainee.id)
    for url in urls:
        assert tutor_client.get(url).status_code == 200
    assert certificate.number not in text(other.get("/certificates"))
    assert certificate.number in text(tutor_client.get("/certificates"))


def test_open_badge_is_a_verifiable_credential(app, course, trainee, trainee_client):
    complete_course(app, trainee.id)
    certificate = only_certificate(app)
    response = trainee_client.get(f"/certificates/{certificate.id}/open-badge.json")
    badge = json.loads(response.data)
    assert badge["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert badge["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert badge["id"] == "http://localhost" + verify_path(certificate)
    assert badge["validFrom"] == "2026-10-02T14:05:31Z"
    subject = badge["credentialSubject"]
    assert subject["achievement"]["name"] == certificate.title
    assert subject["creditsEarned"] == 7.0
    assert subject["identifier"][0]["identityHash"] == trainee.full_name
    assert trainee.email not in response.get_data(as_text=True)


# --- Certificates of attendance ----------------------------------------------------------------


def test_an_admin_issues_a_certificate_of_attendance_once(
    app, course, trainee, admin, admin_client
):
    data = {"email": trainee.email, "module": "safety"}
    response = post_form(admin_client, "/certificates/issue", data)
    assert response.status_code == 302
    certificate = only_certificate(app)
    assert certificate.kind == "attendance" and certificate.title == "Module 02-safety"
    assert certificate.cpd_hours == Decimal("1.50") and certificate.signer_name == admin.full_name
    again = post_form(admin_client, "/certificates/issue", data)
    assert "already has a certificate of attendance" in text(again)
    assert len(certificates(app)) == 1
    with app.app_context():
        assert services.verify(certificate.code, signing.signing_key()).verdict == "valid"


def test_attendance_is_only_for_trainees(app, course, tutor, admin_client):
    response = post_form(
        admin_client, "/certificates/issue", {"email": tutor.email, "module": "safety"}
    )
    assert "No trainee account has that e-mail address." in text(response)
    assert certificates(app) == []
