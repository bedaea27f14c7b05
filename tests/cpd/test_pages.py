"""The CPD pages: the record, external activities with evidence, review, exports, access."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from academy import clock
from academy.audit.models import AuditEntry
from academy.cpd import services as cpd
from academy.cpd.models import EvidenceFile, ExternalActivity
from academy.extensions import db
from tests.course_helpers import cohort_led_by, read_module
from tests.helpers import login, post_form, text
from tests.pdf_tools import pdf_text

TODAY = datetime(2026, 9, 15, 10, 0)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + b"0" * 64


def activity_form(**changes) -> dict:
    form = {
        "title": "Q-switched Nd:YAG safety update",
        "provider": "British Medical Laser Association",
        "method": "conference",
        "start_date": "2026-06-10",
        "end_date": "2026-06-11",
        "hours": "6.5",
        "participatory_hours": "4",
        "relevance": "I remove carbon SMP pigment with a 1064 nm laser every week.",
        "learned": "Plume hazards and eyewear optical density checks.",
        "practice_change": "I now check OD labels before every session.",
        "client_benefit": "Fewer eye-safety risks and clearer consent.",
    }
    form.update(changes)
    return form


def add_activity(client, files=(), **changes):
    data = activity_form(**changes)
    if files:
        data["evidence"] = [(io.BytesIO(content), name) for name, content in files]
    return post_form(client, "/cpd/external/new", data, content_type="multipart/form-data")


@pytest.fixture(autouse=True)
def _frozen():
    with clock.frozen_at(TODAY):
        yield


def only_activity(app) -> ExternalActivity:
    with app.app_context():
        activity = db.session.scalar(sa.select(ExternalActivity))
        db.session.expunge(activity)
        return activity


def test_record_page_shows_hours_against_the_target_and_the_chart(
    app, course, trainee, trainee_client
):
    read_module(app, trainee.id, "physics")
    page = text(trainee_client.get("/cpd"))
    assert "Your CPD record" in page
    assert "2.50</strong> of 20 hours" in page
    assert "Academy module" in page
    assert '<title id="cpd-chart-title">CPD hours by month, 2026 cycle</title>' in page
    assert "Sep 2026: 2.5 h" in page  # the chart's description says the data in words
    assert " style=" not in page and "<script>" not in page


def test_adding_external_cpd_with_evidence(app, trainee, trainee_client):
    response = add_activity(trainee_client, [("certificate.png", PNG), ("agenda.PDF", PDF)])
    assert response.status_code == 302, text(response)
    activity = only_activity(app)
    assert activity.hours == Decimal("6.50") and activity.participatory_hours == Decimal("4.00")
    assert activity.status == "pending"
    with app.app_context():
        files = db.session.scalars(sa.select(EvidenceFile).order_by(EvidenceFile.id)).all()
        assert [(f.original_name, f.content_type) for f in files] == [
            ("certificate.png", "image/png"),
            ("agenda.PDF", "application/pdf"),
        ]
    page = text(trainee_client.get(f"/cpd/external/{activity.id}"))
    assert "Plume hazards" in page and "certificate.png" in page
    record = text(trainee_client.get("/cpd"))
    assert "6.50</strong> of 20 hours" in record and "4.00 participatory" in record


def test_evidence_type_is_judged_by_content_not_name(app, trainee_client):
    response = add_activity(
        trainee_client, [("looks-like.pdf", b"<html><script>alert(1)</script>")]
    )
    assert response.status_code == 200
    assert "is not a PNG image, JPEG image, GIF image, WebP image or PDF file" in text(response)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(ExternalActivity.id))) == 0


def test_evidence_over_the_size_limit_is_refused(app, trainee_client, monkeypatch):
    monkeypatch.setattr("academy.cpd.views.DEFAULT_MAX_BYTES", 100)
    response = add_activity(trainee_client, [("big.png", PNG + b"\x00" * 200)])
    assert "larger than the limit" in text(response)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(EvidenceFile.id))) == 0
    uploads = app.instance_path + "/uploads"
    import pathlib

    assert not [p for p in pathlib.Path(uploads).rglob("*") if p.is_file() and p.suffix == ".part"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end_date": "2026-06-01"}, "cannot be before the first day"),
        ({"end_date": "2026-10-01", "start_date": "2026-10-01"}, "once it has taken place"),
        ({"participatory_hours": "7"}, "cannot be more than the CPD hours"),
        ({"hours": "0"}, "between 0.25 and 200"),
        ({"learned": ""}, "Write what you learned"),
    ],
)
def test_an_external_entry_needs_sensible_values(trainee_client, changes, message):
    response = add_activity(trainee_client, **changes)
    assert response.status_code == 200
    assert message in text(response)


def test_evidence_is_served_only_to_the_owner_their_lead_tutor_and_admins(
    app, trainee, trainee_client, make_user, tutor, tutor_client, admin_client
):
    add_activity(trainee_client, [("certificate.png", PNG)])
    with app.app_context():
        file_id = db.session.scalar(sa.select(EvidenceFile.id))
    url = f"/cpd/evidence/{file_id}"
    owner = trainee_client.get(url)
    body = owner.get_data()
    owner.close()
    assert owner.status_code == 200 and body == PNG
    assert owner.headers["Content-Type"] == "image/png"
    assert "attachment" in owner.headers["Content-Disposition"]
    assert "sandbox" in owner.headers["Content-Security-Policy"]
    other = app.test_client()
    login(other, make_user().email)
    assert other.get(url).status_code == 404
    assert other.get(f"/cpd/external/{only_activity(app).id}").status_code == 404
    assert tutor_client.get(url).status_code == 404  # not their trainee
    cohort_led_by(app, tutor.id, trainee.id)
    for client in (tutor_client, admin_client):
        response = client.get(url)
        response.close()
        assert response.status_code == 200


def test_a_lead_tutor_verifies_or_queries_with_a_note_kept_in_the_audit_trail(
    app, trainee, trainee_client, tutor, tutor_client
):
    add_activity(trainee_client)
    activity = only_activity(app)
    url = f"/cpd/external/{activity.id}/review"
    assert post_form(tutor_client, url, {"decision": "verify"}).status_code == 404
    cohort_led_by(app, tutor.id, trainee.id)
    assert "Pendle" not in text(tutor_client.get("/cpd/review"))
    assert activity.title in text(tutor_client.get("/cpd/review"))
    response = post_form(tutor_client, url, {"decision": "query", "note": ""})
    assert response.status_code == 400 and "Say what the trainee should correct" in text(response)
    post_form(tutor_client, url, {"decision": "query", "note": "Please attach the certificate."})
    assert only_activity(app).status == "queried"
    assert "Please attach the certificate." in text(
        trainee_client.get(f"/cpd/external/{activity.id}")
    )
    post_form(tutor_client, url, {"decision": "verify", "note": ""})
    assert only_activity(app).status == "verified"
    with app.app_context():
        trail = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)).all()
        assert [(e.action, e.actor_id, e.details["note"]) for e in trail] == [
            ("cpd.external.query", tutor.id, "Please attach the certificate."),
            ("cpd.external.verify", tutor.id, ""),
        ]
    assert activity.title not in text(tutor_client.get("/cpd/review"))
    # an edit sends the entry back for review
    post_form(
        trainee_client,
        f"/cpd/external/{activity.id}/edit",
        activity_form(hours="7"),
        content_type="multipart/form-data",
    )
    assert only_activity(app).status == "pending"
    assert only_activity(app).hours == Decimal("7.00")


def test_a_trainee_can_remove_evidence_and_entries(app, trainee_client):
    add_activity(trainee_client, [("a.png", PNG), ("b.pdf", PDF)])
    activity = only_activity(app)
    with app.app_context():
        first = db.session.scalar(sa.select(EvidenceFile).order_by(EvidenceFile.id))
        first_id, key = first.id, first.storage_key
    data = activity_form(remove_evidence=[str(first_id)])
    post_form(
        trainee_client,
        f"/cpd/external/{activity.id}/edit",
        data,
        content_type="multipart/form-data",
    )
    with app.app_context():
        names = db.session.scalars(sa.select(EvidenceFile.original_name)).all()
    assert names == ["b.pdf"]
    from academy.storage import storage_for

    with pytest.raises(FileNotFoundError):
        storage_for(app.config, app.instance_path).open(key)
    post_form(trainee_client, f"/cpd/external/{activity.id}/delete")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(ExternalActivity.id))) == 0
        assert db.session.scalar(sa.select(sa.func.count(EvidenceFile.id))) == 0


def test_another_trainee_cannot_see_or_change_an_entry(app, trainee, trainee_client, make_user):
    add_activity(trainee_client)
    activity = only_activity(app)
    other = app.test_client()
    login(other, make_user().email)
    assert other.get(f"/cpd/trainees/{trainee.id}").status_code == 404
    assert other.get(f"/cpd/trainees/{trainee.id}/record.csv").status_code == 404
    assert other.get(f"/cpd/trainees/{trainee.id}/statement.pdf").status_code == 404
    assert other.get(f"/cpd/external/{activity.id}/edit").status_code == 404
    assert post_form(other, f"/cpd/external/{activity.id}/delete").status_code == 404
    assert only_activity(app).title == activity.title


def test_csv_export_holds_every_activity_of_the_period(app, course, trainee, trainee_client):
    read_module(app, trainee.id, "physics")
    add_activity(trainee_client, title='=HYPERLINK("http://evil")')
    add_activity(
        trainee_client, title="Last year's course", start_date="2025-05-01", end_date="2025-05-01"
    )
    response = trainee_client.get(
        f"/cpd/trainees/{trainee.id}/record.csv?start=2026-01-01&end=2026-12-31"
    )
    assert response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(text(response))))
    assert [(r["date"], r["activity"], r["title"], r["hours"]) for r in rows] == [
        ("2026-06-11", "External CPD", '\'=HYPERLINK("http://evil")', "6.50"),
        ("2026-09-15", "Academy module", "Module 01-physics", "2.50"),
    ]
    assert rows[0]["participatory hours"] == "4.00"
    assert rows[0]["benefit to clients"] == "Fewer eye-safety risks and clearer consent."
    assert rows[1]["evidence"] == "http://localhost/modules/physics"


def test_pdf_statement_for_a_chosen_period(app, course, trainee, trainee_client, tmp_path):
    read_module(app, trainee.id, "physics")
    add_activity(trainee_client, title="<b>Device</b> & training")
    response = trainee_client.get(
        f"/cpd/trainees/{trainee.id}/statement.pdf?start=2026-06-01&end=2026-06-30"
    )
    assert response.headers["Content-Type"] == "application/pdf"
    words = pdf_text(response.data, tmp_path)
    assert trainee.full_name in words
    assert "1 June 2026 to 30 June 2026" in words
    assert "6.50 CPD hours in the period" in words
    assert "<b>Device</b> & training" in words
    assert "Module 01-physics" not in words  # completed in September, outside the period
    again = trainee_client.get(
        f"/cpd/trainees/{trainee.id}/statement.pdf?start=2026-06-01&end=2026-06-30"
    )
    assert again.data == response.data


def test_the_profile_for_an_audit_holds_reflections_csv_and_evidence(
    app, trainee, trainee_client, tmp_path
):
    add_activity(trainee_client, [("certificate.png", PNG)])
    response = trainee_client.get(
        f"/cpd/trainees/{trainee.id}/profile.zip?start=2026-01-01&end=2026-12-31"
    )
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = sorted(archive.namelist())
    assert names[:2] == ["cpd-profile.pdf", "cpd-record.csv"]
    assert names[2].startswith("evidence/") and names[2].endswith("-certificate.png")
    assert archive.read(names[2]) == PNG
    words = pdf_text(archive.read("cpd-profile.pdf"), tmp_path)
    assert "Reflections on external activities" in words
    assert "I now check OD labels before every session." in words


def test_gaps_are_pointed_out(app, make_user):
    trainee = make_user(created_at=datetime(2025, 1, 1))
    client = app.test_client()
    login(client, trainee.email)
    with app.app_context():
        cpd.record_completion(
            trainee.id, "module", "a", "A", Decimal(2), datetime(2026, 1, 5), None
        )
        db.session.commit()
    page = text(client.get("/cpd"))
    assert "Gaps of three months or more" in page
    assert "1 Jan 2025 to 5 Jan 2026" in page
    assert "5 Jan 2026 to today, 253 days and counting" in page


def test_earlier_cycles_can_be_chosen(app, trainee, trainee_client):
    with app.app_context():
        cpd.record_completion(
            trainee.id, "module", "a", "A", Decimal(2), datetime(2025, 4, 5), None
        )
        db.session.commit()
    assert "0.00</strong> of 20 hours" in text(trainee_client.get("/cpd"))
    assert "2.00</strong> of 20 hours" in text(trainee_client.get("/cpd?cycle=2025"))
    assert date(2025, 1, 1).year == 2025
