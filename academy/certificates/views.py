"""Certificate pages: the holder's list, downloads, admin issue and revoke, public verify."""

from __future__ import annotations

import json

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from wtforms.fields import SelectChoice

from academy.auth.access import allow, public
from academy.auth.models import Role, User
from academy.auth.services import find_user_by_email
from academy.catalogue.services import live_modules, module_by_slug
from academy.certificates import services
from academy.certificates.badge import open_badge
from academy.certificates.forms import AttendanceForm, RevokeForm, VerifyForm
from academy.certificates.models import Certificate
from academy.certificates.pdf import render_certificate
from academy.certificates.signing import format_code, signing_key
from academy.clock import now
from academy.cohorts.models import Cohort, CohortMembership
from academy.extensions import db, limiter

bp = Blueprint("certificates", __name__, template_folder="templates")

EVERYONE = (Role.TRAINEE, Role.TUTOR, Role.ADMIN)


def base_url() -> str:
    """The academy's public address: configured (always in production), else this host."""
    return current_app.config.get("PUBLIC_URL") or request.host_url.rstrip("/")


def _verify_limit() -> str:
    return current_app.config["VERIFY_RATE_LIMIT"]


def _unknown(response) -> bool:
    return response.status_code == 404


def _visible_or_404(certificate_id: int) -> Certificate:
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or not services.may_see(current_user, certificate):
        abort(404)
    return certificate


@bp.route("/certificates")
@allow(*EVERYONE)
def certificate_list():
    if current_user.role == Role.TRAINEE:
        certificates = services.certificates_of(current_user.id)
    elif current_user.role == Role.ADMIN:
        certificates = services.all_certificates()
    else:
        certificates = list(
            db.session.scalars(
                sa.select(Certificate)
                .where(
                    Certificate.user_id.in_(
                        sa.select(CohortMembership.user_id)
                        .join(Cohort, Cohort.id == CohortMembership.cohort_id)
                        .where(Cohort.lead_tutor_id == current_user.id)
                    )
                )
                .order_by(Certificate.issued_at.desc())
            )
        )
    status = services.course_status(current_user.id) if current_user.role == Role.TRAINEE else None
    return render_template(
        "certificates/list.html", certificates=certificates, status=status, format_code=format_code
    )


@bp.route("/certificates/<int:certificate_id>")
@allow(*EVERYONE)
def detail(certificate_id: int):
    certificate = _visible_or_404(certificate_id)
    return render_template(
        "certificates/detail.html",
        certificate=certificate,
        code=format_code(certificate.code),
        verify_url=services.verify_url(base_url(), certificate.code),
        revoke_form=RevokeForm(),
    )


@bp.route("/certificates/<int:certificate_id>/certificate.pdf")
@allow(*EVERYONE)
def download(certificate_id: int):
    certificate = _visible_or_404(certificate_id)
    pdf = render_certificate(certificate, services.verify_url(base_url(), certificate.code))
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{certificate.number}.pdf"'},
    )


@bp.route("/certificates/<int:certificate_id>/open-badge.json")
@allow(*EVERYONE)
def badge(certificate_id: int):
    certificate = _visible_or_404(certificate_id)
    holder = db.session.get(User, certificate.user_id)
    credential = open_badge(
        certificate,
        holder.email,
        base_url(),
        services.verify_url(base_url(), certificate.code),
    )
    return Response(
        json.dumps(credential, indent=2, ensure_ascii=False),
        mimetype="application/ld+json",
        headers={
            "Content-Disposition": f'attachment; filename="{certificate.number}-open-badge.json"'
        },
    )


@bp.route("/certificates/<int:certificate_id>/revoke", methods=["POST"])
@allow(Role.ADMIN)
def revoke(certificate_id: int):
    certificate = db.get_or_404(Certificate, certificate_id)
    form = RevokeForm()
    if form.validate_on_submit():
        try:
            services.revoke(certificate, current_user, form.reason.data, now())
        except services.CertificateError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(f"Certificate {certificate.number} is revoked.", "success")
    else:
        flash("Give the reason for revoking (at most 500 characters).", "error")
    return redirect(url_for("certificates.detail", certificate_id=certificate.id))


@bp.route("/certificates/issue", methods=["GET", "POST"])
@allow(Role.ADMIN)
def issue():
    form = AttendanceForm()
    form.module.choices = [SelectChoice(m.slug, m.title) for m in live_modules()]
    if form.validate_on_submit():
        trainee = find_user_by_email(form.email.data)
        module = module_by_slug(form.module.data)
        if trainee is None or trainee.role != Role.TRAINEE:
            form.email.errors.append("No trainee account has that e-mail address.")
        elif module is None:
            form.module.errors.append("Choose a module.")
        else:
            try:
                certificate = services.issue_attendance(current_user, trainee, module, now())
            except services.CertificateError as error:
                form.email.errors.append(str(error))
            else:
                db.session.commit()
                flash(f"Certificate {certificate.number} issued to {trainee.full_name}.", "success")
                return redirect(url_for("certificates.detail", certificate_id=certificate.id))
    return render_template("certificates/issue.html", form=form)


# --- Public verification -----------------------------------------------------------------


def _verification_page(code_text: str | None, form: VerifyForm):
    result = services.verify(code_text, signing_key()) if code_text else None
    status = 404 if result is not None and result.verdict == services.Verdict.UNKNOWN else 200
    return render_template(
        "certificates/verify.html",
        form=form,
        result=result,
        Verdict=services.Verdict,
        typed=code_text,
    ), status


@bp.route("/verify")
@public
@limiter.limit(_verify_limit, deduct_when=_unknown)
def verify_form():
    form = VerifyForm(request.args)
    code = form.code.data if request.args.get("code") is not None and form.validate() else None
    return _verification_page(code, form)


@bp.route("/verify/<code>")
@public
@limiter.limit(_verify_limit, deduct_when=_unknown)
def verify(code: str):
    return _verification_page(code[:80], VerifyForm(formdata=None, code=code[:80]))
