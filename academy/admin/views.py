"""Administrators' pages: accounts (create, search, role, deactivate) and cohorts."""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from academy.admin import forms, services
from academy.auth import services as accounts
from academy.auth.access import allow
from academy.auth.models import Role, User
from academy.auth.tokens import make_reset_token
from academy.cohorts import services as cohorts
from academy.cohorts.models import Cohort, CohortMembership, InviteCode
from academy.extensions import db
from academy.mail.outbox import send_mail
from academy.security.events import security_event

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _get_or_404(model, identifier: int):
    return db.get_or_404(model, identifier)


def _chosen_tutor(field) -> User | None:
    """The lead tutor a validated select names, or None for "no lead tutor".

    ``Optional()`` lets a blank choice through, and a browser-less client may send spaces.
    """
    choice = (field.data or "").strip()
    return db.session.get(User, int(choice)) if choice else None


@bp.route("/users")
@allow(Role.ADMIN)
def users():
    form = forms.UserSearchForm(request.args)
    form.validate()
    page = request.args.get("page", 1, type=int)
    result = services.search_users(
        form.q.data or "", form.role.data or "", form.status.data or "", max(page, 1)
    )
    return render_template(
        "admin/users.html", form=form, page=result, counts=services.counts_by_role()
    )


@bp.route("/users/new", methods=["GET", "POST"])
@allow(Role.ADMIN)
def create_user():
    form = forms.CreateUserForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(
                form.email.data,
                form.full_name.data,
                secrets.token_urlsafe(32),
                Role(form.role.data),
            )
        except accounts.AccountError as error:
            form.email.errors.append(str(error))
        else:
            link = url_for("auth.reset_password", token=make_reset_token(user), _external=True)
            send_mail(
                user.email,
                "Your SMP Removal Academy account",
                f"Hello {user.full_name},\n\nAn account has been created for you at the SMP "
                f"Removal Academy as a {user.role.label.lower()}. Choose your password here:\n\n"
                f"{link}\n\nIf the link has expired, use 'Forgotten your password?' on the "
                "log-in page.\n\nSMP Removal Academy",
            )
            db.session.commit()
            security_event("user_created", target_user_id=user.id, role=user.role.value)
            flash(
                f"Account created for {user.full_name}; a link to set a password was sent.",
                "success",
            )
            return redirect(url_for("admin.user_detail", user_id=user.id))
    return render_template("admin/create_user.html", form=form)


@bp.route("/users/<int:user_id>")
@allow(Role.ADMIN)
def user_detail(user_id: int):
    user = _get_or_404(User, user_id)
    role_form = forms.RoleForm(role=user.role.value)
    memberships = db.session.scalars(
        sa.select(CohortMembership).where(CohortMembership.user_id == user.id)
    ).all()
    return render_template(
        "admin/user_detail.html",
        user=user,
        role_form=role_form,
        confirm=forms.ConfirmForm(),
        memberships=memberships,
        led=cohorts.cohorts_led_by(user),
    )


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@allow(Role.ADMIN)
def change_role(user_id: int):
    user = _get_or_404(User, user_id)
    form = forms.RoleForm()
    if not form.validate_on_submit():
        flash("Choose one of the listed roles.", "error")
        return redirect(url_for("admin.user_detail", user_id=user.id))
    try:
        previous = accounts.set_role(user, Role(form.role.data), acting=current_user)
    except accounts.AccountError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        security_event(
            "role_changed", target_user_id=user.id, old=previous.value, new=user.role.value
        )
        flash(f"{user.full_name} is now a {user.role.label.lower()}.", "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@allow(Role.ADMIN)
def set_active(user_id: int):
    user = _get_or_404(User, user_id)
    form = forms.ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    make_active = request.form.get("active") == "1"
    try:
        accounts.set_active(user, make_active, acting=current_user)
    except accounts.AccountError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        security_event("reactivated" if make_active else "deactivated", target_user_id=user.id)
        flash(
            f"{user.full_name} can log in again."
            if make_active
            else f"{user.full_name} is deactivated; their records are kept.",
            "success",
        )
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.route("/cohorts", methods=["GET", "POST"])
@allow(Role.ADMIN)
def cohort_list():
    form = forms.CohortForm()
    form.lead_tutor.choices = services.staff_choices()
    if form.validate_on_submit():
        tutor = _chosen_tutor(form.lead_tutor)
        try:
            cohort = cohorts.create_cohort(form.name.data, form.description.data or "", tutor)
        except accounts.AccountError as error:
            getattr(form, "lead_tutor" if error.field == "tutor" else "name").errors.append(
                str(error)
            )
        else:
            db.session.commit()
            flash(f"Cohort {cohort.name} created.", "success")
            return redirect(url_for("admin.cohort_detail", cohort_id=cohort.id))
    count = sa.func.count(CohortMembership.id)
    rows = db.session.execute(
        sa.select(Cohort, count)
        .outerjoin(CohortMembership)
        .group_by(Cohort.id)
        .order_by(Cohort.created_at.desc())
    ).all()
    return render_template("admin/cohorts.html", form=form, rows=rows)


def _cohort_page(cohort: Cohort, **forms_in_use):
    lead_form = forms_in_use.get("lead_form") or forms.LeadTutorForm(
        lead_tutor=str(cohort.lead_tutor_id or "")
    )
    lead_form.lead_tutor.choices = services.staff_choices()
    members = db.session.scalars(
        sa.select(CohortMembership)
        .where(CohortMembership.cohort_id == cohort.id)
        .options(sa.orm.joinedload(CohortMembership.user))
        .order_by(CohortMembership.joined_at)
    ).all()
    return render_template(
        "admin/cohort_detail.html",
        cohort=cohort,
        members=members,
        lead_form=lead_form,
        add_form=forms_in_use.get("add_form") or forms.AddTraineeForm(),
        invite_form=forms_in_use.get("invite_form") or forms.InviteForm(),
        confirm=forms.ConfirmForm(),
        format_code=cohorts.format_code,
    )


@bp.route("/cohorts/<int:cohort_id>")
@allow(Role.ADMIN)
def cohort_detail(cohort_id: int):
    return _cohort_page(_get_or_404(Cohort, cohort_id))


@bp.route("/cohorts/<int:cohort_id>/lead-tutor", methods=["POST"])
@allow(Role.ADMIN)
def set_lead_tutor(cohort_id: int):
    cohort = _get_or_404(Cohort, cohort_id)
    form = forms.LeadTutorForm()
    form.lead_tutor.choices = services.staff_choices()
    if not form.validate_on_submit():
        return _cohort_page(cohort, lead_form=form), 400
    tutor = _chosen_tutor(form.lead_tutor)
    try:
        cohorts.set_lead_tutor(cohort, tutor)
    except accounts.AccountError as error:
        form.lead_tutor.errors.append(str(error))
        return _cohort_page(cohort, lead_form=form), 400
    db.session.commit()
    flash("Lead tutor updated.", "success")
    return redirect(url_for("admin.cohort_detail", cohort_id=cohort.id))


@bp.route("/cohorts/<int:cohort_id>/members", methods=["POST"])
@allow(Role.ADMIN)
def add_member(cohort_id: int):
    cohort = _get_or_404(Cohort, cohort_id)
    form = forms.AddTraineeForm()
    if form.validate_on_submit():
        try:
            user = cohorts.add_trainee(cohort, form.email.data)
        except accounts.AccountError as error:
            form.email.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"{user.full_name} added to {cohort.name}.", "success")
            return redirect(url_for("admin.cohort_detail", cohort_id=cohort.id))
    return _cohort_page(cohort, add_form=form), 400


@bp.route("/cohorts/<int:cohort_id>/members/<int:user_id>/remove", methods=["POST"])
@allow(Role.ADMIN)
def remove_member(cohort_id: int, user_id: int):
    cohort = _get_or_404(Cohort, cohort_id)
    if not forms.ConfirmForm().validate_on_submit():
        abort(400)
    if not cohorts.remove_trainee(cohort, user_id):
        abort(404)
    db.session.commit()
    flash("Trainee removed from the cohort; their records are kept.", "success")
    return redirect(url_for("admin.cohort_detail", cohort_id=cohort.id))


@bp.route("/cohorts/<int:cohort_id>/invites", methods=["POST"])
@allow(Role.ADMIN)
def create_invite(cohort_id: int):
    cohort = _get_or_404(Cohort, cohort_id)
    form = forms.InviteForm()
    if not form.validate_on_submit():
        return _cohort_page(cohort, invite_form=form), 400
    invite = cohorts.create_invite(
        cohort, current_user, valid_days=form.valid_days.data, max_uses=form.max_uses.data
    )
    db.session.commit()
    flash(f"New invite code: {cohorts.format_code(invite.code)}", "success")
    return redirect(url_for("admin.cohort_detail", cohort_id=cohort.id))


@bp.route("/cohorts/<int:cohort_id>/invites/<int:invite_id>/revoke", methods=["POST"])
@allow(Role.ADMIN)
def revoke_invite(cohort_id: int, invite_id: int):
    invite = _get_or_404(InviteCode, invite_id)
    if invite.cohort_id != cohort_id:
        abort(404)
    if not forms.ConfirmForm().validate_on_submit():
        abort(400)
    cohorts.revoke_invite(invite)
    db.session.commit()
    flash("Invite code revoked.", "success")
    return redirect(url_for("admin.cohort_detail", cohort_id=cohort_id))
