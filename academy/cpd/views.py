"""CPD pages: the record and its exports, external activities with evidence, tutor review."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from wtforms.fields import SelectChoice

from academy.auth.access import allow
from academy.auth.models import Role, User
from academy.clock import now
from academy.cpd import services
from academy.cpd.chart import hours_chart
from academy.cpd.forms import (
    EARLIEST_DAY,
    LATEST_DAY,
    ExternalActivityForm,
    PeriodForm,
    ReviewForm,
)
from academy.cpd.models import EvidenceFile, ExternalActivity
from academy.cpd.pdf import StatementData, render_statement
from academy.extensions import db
from academy.security.headers import CONTENT_SECURITY_POLICY
from academy.storage import (
    DEFAULT_MAX_BYTES,
    IMAGES_AND_PDF,
    KINDS,
    UploadRejected,
    safe_download_name,
    storage_for,
)

bp = Blueprint("cpd", __name__, template_folder="templates")

EVERYONE = (Role.TRAINEE, Role.TUTOR, Role.ADMIN)
MAX_FILES = 5
# Evidence is sent as a download; the sandbox stops a file acting in our origin if opened.
FILE_POLICY = CONTENT_SECURITY_POLICY + "; sandbox"


def storage():
    return storage_for(current_app.config, current_app.instance_path)


def _settings() -> tuple[int, str]:
    return current_app.config["CPD_TARGET_HOURS"], current_app.config["CPD_CYCLE_START"]


def _trainee_or_404(user_id: int) -> User:
    trainee = db.session.get(User, user_id)
    if (
        trainee is None
        or trainee.role != Role.TRAINEE
        or not services.may_see_trainee(current_user, user_id)
    ):
        abort(404)
    return trainee


def _activity_or_404(activity_id: int) -> ExternalActivity:
    activity = db.session.get(ExternalActivity, activity_id)
    if activity is None or not services.may_see_trainee(current_user, activity.user_id):
        abort(404)
    return activity


def _own_activity_or_404(activity_id: int) -> ExternalActivity:
    activity = db.session.get(ExternalActivity, activity_id)
    if activity is None or activity.user_id != current_user.id:
        abort(404)
    return activity


# --- The record -----------------------------------------------------------------------------


def record_context(trainee: User, cycle_label: str | None = None) -> dict:
    """Everything the record page shows for one cycle (the current one by default)."""
    target, cycle_start = _settings()
    today = now().date()
    current = services.cycle_containing(today, cycle_start)
    cycle = (services.cycle_by_label(cycle_label, cycle_start) if cycle_label else None) or current
    all_lines = services.record_lines(trainee.id)
    summary = services.summarise(all_lines, cycle, target)
    first_year = min([line.day for line in all_lines] + [trainee.created_at.date(), today])
    cycles = []
    walker = services.cycle_containing(first_year, cycle_start)
    while walker.start <= current.start:
        cycles.append(walker)
        walker = services.Cycle(walker.end, services.add_months(walker.end, 12))
    months = services.monthly_hours(summary.lines, cycle)
    return {
        "trainee": trainee,
        "summary": summary,
        "cycle": cycle,
        "current_cycle": current,
        "cycles": list(reversed(cycles)),
        "chart": hours_chart(months, summary.target, cycle.label, today),
        "gaps": services.gaps_for(trainee, all_lines, today),
        "period_form": PeriodForm(formdata=None, start=cycle.start, end=min(cycle.last_day, today)),
    }


@bp.route("/cpd")
@allow(Role.TRAINEE)
def my_record():
    return render_template(
        "cpd/record.html", own=True, **record_context(current_user, request.args.get("cycle"))
    )


@bp.route("/cpd/trainees/<int:user_id>")
@allow(Role.TRAINEE, Role.TUTOR)
def trainee_record(user_id: int):
    trainee = _trainee_or_404(user_id)
    if trainee.id == current_user.id:
        return redirect(url_for("cpd.my_record", **request.args))
    return render_template(
        "cpd/record.html", own=False, **record_context(trainee, request.args.get("cycle"))
    )


def _period(trainee: User) -> tuple[date, date]:
    """The export's period from ?start=&end= (inclusive), else the current cycle so far."""
    form = PeriodForm(request.args)
    form.validate()
    _target, cycle_start = _settings()
    today = now().date()
    cycle = services.cycle_containing(today, cycle_start)
    start = form.start.data or cycle.start
    end = form.end.data or today
    if end < start:
        start, end = end, start
    # Within the years the record covers (9999-12-31 plus a day would overflow).
    return _within_record(start), _within_record(end)


def _within_record(day: date) -> date:
    return min(max(day, EARLIEST_DAY), LATEST_DAY)


def _statement_data(trainee: User, start: date, end: date) -> StatementData:
    target, cycle_start = _settings()
    lines = services.record_lines(trainee.id, start, end + timedelta(days=1))
    period = services.Cycle(start, end + timedelta(days=1))
    summary = services.summarise(lines, period, target)
    cycle = services.cycle_containing(start, cycle_start)
    if cycle.start == start and cycle.last_day <= end + timedelta(days=1):
        target_note = (
            f"The academy's target is {target} hours a cycle; "
            f"{summary.percent}% of it is met in this period."
        )
    else:
        target_note = f"The academy's target is {target} hours in each yearly cycle."
    every_day = [line.day for line in services.record_lines(trainee.id)]
    gaps = [
        gap
        for gap in services.find_gaps(every_day, trainee.created_at.date(), now().date())
        if gap.end >= start and gap.start <= end
    ]
    return StatementData(
        holder_name=trainee.full_name,
        start=start,
        end=end,
        generated_on=now().date(),
        lines=lines,
        by_type=summary.by_type,
        total=summary.total,
        participatory=summary.participatory,
        target_note=target_note,
        gaps=gaps,
    )


def _filename(trainee: User, start: date, end: date, what: str, extension: str) -> str:
    return f"cpd-{what}-{trainee.id}-{start.isoformat()}-to-{end.isoformat()}.{extension}"


@bp.route("/cpd/trainees/<int:user_id>/record.csv")
@allow(Role.TRAINEE, Role.TUTOR)
def record_csv(user_id: int):
    trainee = _trainee_or_404(user_id)
    start, end = _period(trainee)
    lines = services.record_lines(trainee.id, start, end + timedelta(days=1))
    base = current_app.config.get("PUBLIC_URL") or request.host_url.rstrip("/")
    body = services.record_csv(lines, base)
    return Response(
        body,
        mimetype="text/csv",
        headers={
            "Content-Disposition": (
                f'attachment; filename="{_filename(trainee, start, end, "record", "csv")}"'
            )
        },
    )


@bp.route("/cpd/trainees/<int:user_id>/statement.pdf")
@allow(Role.TRAINEE, Role.TUTOR)
def statement(user_id: int):
    trainee = _trainee_or_404(user_id)
    start, end = _period(trainee)
    pdf = render_statement(_statement_data(trainee, start, end))
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": (
                f'attachment; filename="{_filename(trainee, start, end, "statement", "pdf")}"'
            )
        },
    )


@bp.route("/cpd/trainees/<int:user_id>/profile.zip")
@allow(Role.TRAINEE, Role.TUTOR)
def profile(user_id: int):
    """The CPD profile for an audit: the full PDF, the CSV and every evidence file."""
    trainee = _trainee_or_404(user_id)
    start, end = _period(trainee)
    data = _statement_data(trainee, start, end)
    files = storage()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("cpd-profile.pdf", render_statement(data, profile=True))
        archive.writestr("cpd-record.csv", services.record_csv(data.lines))
        for line in data.lines:
            for evidence in line.external.evidence if line.external else []:
                kind = next(
                    (k for k in KINDS.values() if k.content_type == evidence.content_type), None
                )
                name = safe_download_name(evidence.original_name, kind.extension if kind else "bin")
                try:
                    with files.open(evidence.storage_key) as stream:
                        archive.writestr(f"evidence/{evidence.id}-{name}", stream.read())
                except (FileNotFoundError, KeyError):
                    archive.writestr(f"evidence/{evidence.id}-MISSING.txt", "File not found.")
    return Response(
        buffer.getvalue(),
        mimetype="application/zip",
        headers={
            "Content-Disposition": (
                f'attachment; filename="{_filename(trainee, start, end, "profile", "zip")}"'
            )
        },
    )


# --- External activities ------------------------------------------------------------------


def _save_uploads(form: ExternalActivityForm, keep: int) -> list[services.NewEvidence] | None:
    """Store the uploaded files; None (and nothing kept) if any is refused."""
    uploads = [f for f in (form.evidence.data or []) if f and f.filename]
    if keep + len(uploads) > MAX_FILES:
        form.evidence.errors.append(f"Attach at most {MAX_FILES} files to one activity.")
        return None
    saved: list[services.NewEvidence] = []
    files = storage()
    for upload in uploads:
        try:
            stored = files.save(upload.stream, upload.filename, IMAGES_AND_PDF, DEFAULT_MAX_BYTES)
        except UploadRejected as rejected:
            form.evidence.errors.append(str(rejected))
            for item in saved:
                files.delete(item.stored.key)
            return None
        saved.append(services.NewEvidence(upload.filename, stored))
    return saved


def _form_values(form: ExternalActivityForm) -> dict:
    return {name: getattr(form, name).data for name in services.EXTERNAL_FIELDS}


@bp.route("/cpd/external/new", methods=["GET", "POST"])
@allow(Role.TRAINEE)
def new_external():
    form = ExternalActivityForm()
    form.remove_evidence.choices = []
    if form.validate_on_submit():
        uploads = _save_uploads(form, keep=0)
        if uploads is not None:
            activity, _removed = services.save_external(
                current_user.id, services.ExternalChange(_form_values(form), uploads), now()
            )
            db.session.commit()
            flash("Added to your CPD record. A tutor will review it.", "success")
            return redirect(url_for("cpd.external", activity_id=activity.id))
    return render_template("cpd/external_form.html", form=form, activity=None)


@bp.route("/cpd/external/<int:activity_id>")
@allow(*EVERYONE)
def external(activity_id: int):
    activity = _activity_or_404(activity_id)
    reviewing = current_user.is_staff
    return render_template(
        "cpd/external.html",
        activity=activity,
        method_label=services.METHODS.get(activity.method, activity.method),
        review_form=ReviewForm() if reviewing else None,
    )


@bp.route("/cpd/external/<int:activity_id>/edit", methods=["GET", "POST"])
@allow(Role.TRAINEE)
def edit_external(activity_id: int):
    activity = _own_activity_or_404(activity_id)
    form = ExternalActivityForm(obj=activity)
    form.remove_evidence.choices = [SelectChoice(e.id, e.original_name) for e in activity.evidence]
    if form.validate_on_submit():
        remove = [i for i in (form.remove_evidence.data or []) if i]
        keep = len([e for e in activity.evidence if e.id not in remove])
        uploads = _save_uploads(form, keep=keep)
        if uploads is not None:
            _activity, removed = services.save_external(
                current_user.id,
                services.ExternalChange(_form_values(form), uploads, remove),
                now(),
                activity,
            )
            db.session.commit()
            for key in removed:
                storage().delete(key)
            flash("Saved. A tutor will review the entry again.", "success")
            return redirect(url_for("cpd.external", activity_id=activity.id))
    return render_template("cpd/external_form.html", form=form, activity=activity)


@bp.route("/cpd/external/<int:activity_id>/delete", methods=["POST"])
@allow(Role.TRAINEE)
def delete_external(activity_id: int):
    activity = _own_activity_or_404(activity_id)
    keys = services.delete_external(activity)
    db.session.commit()
    for key in keys:
        storage().delete(key)
    flash("The activity was removed from your CPD record.", "success")
    return redirect(url_for("cpd.my_record"))


@bp.route("/cpd/external/<int:activity_id>/review", methods=["POST"])
@allow(Role.TUTOR)
def review_external(activity_id: int):
    activity = _activity_or_404(activity_id)
    form = ReviewForm()
    if form.validate_on_submit():
        services.review_external(
            activity, current_user, form.decision.data, form.note.data or "", now()
        )
        db.session.commit()
        flash(
            "Verified."
            if form.decision.data == "verify"
            else "Queried: the trainee will see your note.",
            "success",
        )
        return redirect(url_for("cpd.review_queue"))
    return render_template(
        "cpd/external.html",
        activity=activity,
        method_label=services.METHODS.get(activity.method, activity.method),
        review_form=form,
    ), 400


@bp.route("/cpd/review")
@allow(Role.TUTOR)
def review_queue():
    return render_template("cpd/review_queue.html", items=services.awaiting_review(current_user))


@bp.route("/cpd/evidence/<int:file_id>")
@allow(*EVERYONE)
def evidence(file_id: int):
    item = db.session.get(EvidenceFile, file_id)
    if item is None or not services.may_see_trainee(current_user, item.activity.user_id):
        abort(404)
    kind = next((k for k in KINDS.values() if k.content_type == item.content_type), None)
    try:
        stream = storage().open(item.storage_key)
    except (FileNotFoundError, KeyError):
        abort(404)
    response = send_file(
        stream,
        mimetype=item.content_type,
        as_attachment=True,
        download_name=safe_download_name(item.original_name, kind.extension if kind else "bin"),
    )
    response.headers["Content-Security-Policy"] = FILE_POLICY
    return response
