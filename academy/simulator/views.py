"""The simulator's pages and JSON API: thin routes that parse, call the engine, render.

The page, the comparison, the notes on the model and the API are public (they hold no
personal data) and rate-limited per address; saving a run needs an account. The page
works without JavaScript: the form is a GET, so its address reproduces the run.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from academy.auth.access import allow, public
from academy.auth.models import Role
from academy.extensions import csrf, db, limiter
from academy.markdown import render_markdown
from academy.simulator import openapi, page, plots, services
from academy.simulator.compare import compare
from academy.simulator.engine import MODEL_VERSION, simulate
from academy.simulator.params import InvalidParameters

bp = Blueprint("simulator", __name__, template_folder="templates")
bp.add_app_template_filter(plots.fmt, "sim_number")

EVERYONE = (Role.TRAINEE, Role.TUTOR, Role.ADMIN)
DEFAULT_RATE_LIMIT = "120 per minute"
MAX_API_BODY = 64 * 1024  # a parameter set is a few hundred bytes


def rate_limit() -> str:
    """The per-address limit shared by the public simulator routes (SIMULATOR_RATE_LIMIT)."""
    return current_app.config.get("SIMULATOR_RATE_LIMIT") or DEFAULT_RATE_LIMIT


limited = limiter.shared_limit(rate_limit, scope="simulator")


def _run(given: dict) -> tuple[dict | None, dict]:
    try:
        return simulate(given), {}
    except InvalidParameters as exc:
        return None, exc.errors


def _page_url(params: dict) -> str:
    return url_for("simulator.page", **services.query_args(params))


@bp.route("/simulator", endpoint="page")
@public
@limited
def simulator_page():
    given = services.given_params(request.args)
    from_preset = None
    if not given:
        from_preset = page.DEFAULT_PRESET
        given = page.preset_params(from_preset)
    result, errors = _run(given)
    context = {
        "groups": page.field_groups(given, errors),
        "errors": errors,
        "result": result,
        "plots": plots.all_plots(result) if result else None,
        "spectra_values": (
            plots.values_at_wavelength(
                result["inputs"]["wavelength_nm"], result["inputs"]["fitzpatrick_type"]
            )
            if result
            else None
        ),
        "given": given,
        "share_url": _page_url(given),
        "compare_url": url_for(
            "simulator.compare",
            **{f"a.{k}": v for k, v in services.query_args(given).items()},
            **{f"b.{k}": v for k, v in services.query_args(given).items()},
        ),
        "presets": [{**p, "url": _page_url(p["params"])} for p in page.presets()],
        "current_preset": page.matching_preset(given),
        "from_preset": from_preset,
        "from_preset_title": page.PRESETS[from_preset]["title"] if from_preset else None,
        "save_fields": {k: page.text_value(v) for k, v in given.items()},
    }
    return render_template("simulator/simulator.html", **context), (400 if errors else 200)


def _side(prefix: str) -> dict:
    return services.given_params(
        {k[len(prefix) :]: v for k, v in request.args.items() if k.startswith(prefix)}
    )


@bp.route("/simulator/compare", endpoint="compare")
@public
@limited
def compare_page():
    a, b = _side("a."), _side("b.")
    if not a and not b:
        first = page.compare_presets()[0]
        a, b = first["a"], first["b"]
    comparison, errors = None, {}
    try:
        comparison = compare(a, b)
    except InvalidParameters as exc:
        errors = exc.errors
    pairs = []
    for p in page.compare_presets():
        args = {f"a.{k}": v for k, v in services.query_args(p["a"]).items()}
        args.update({f"b.{k}": v for k, v in services.query_args(p["b"]).items()})
        pairs.append({**p, "url": url_for("simulator.compare", **args)})
    context = {
        "groups_a": page.field_groups(a, errors, "a."),
        "groups_b": page.field_groups(b, errors, "b."),
        "errors": errors,
        "comparison": comparison,
        "changed": page.changed_settings(comparison) if comparison else [],
        "plots_a": plots.all_plots(comparison["a"], "a") if comparison else None,
        "plots_b": plots.all_plots(comparison["b"], "b") if comparison else None,
        "pairs": pairs,
        "url_a": _page_url(a),
        "url_b": _page_url(b),
    }
    return render_template("simulator/compare.html", **context), (400 if errors else 200)


@bp.route("/simulator/how-it-works")
@public
@limited
def how_it_works():
    body = render_markdown(page.model_notes_markdown())
    return render_template("simulator/how_it_works.html", body=body)


@bp.route("/simulator/runs")
@allow(*EVERYONE)
def runs():
    saved = services.saved_runs_for(current_user.id)
    items = [{"run": run, "url": _page_url(run.params), "summary": run.summary} for run in saved]
    return render_template(
        "simulator/runs.html",
        items=items,
        model_version=MODEL_VERSION,
        limit=services.MAX_RUNS_PER_USER,
    )


@bp.route("/simulator/runs", methods=["POST"])
@allow(*EVERYONE)
def save_run():
    given = services.given_params(request.form)
    try:
        run = services.save_run(current_user.id, request.form.get("title", ""), request.form)
    except InvalidParameters as exc:
        db.session.rollback()
        flash(
            "This run was not saved because its parameters are not valid: "
            + " ".join(exc.errors.values()),
            "error",
        )
        return redirect(_page_url(given))
    except services.RunRefused as exc:
        db.session.rollback()
        flash(f"This run was not saved: {exc}", "error")
        return redirect(_page_url(given))
    db.session.commit()
    flash(f"Saved “{run.title}” to your notes.", "success")
    return redirect(url_for("simulator.runs"))


@bp.route("/simulator/runs/<int:run_id>/delete", methods=["POST"])
@allow(*EVERYONE)
def delete_run(run_id: int):
    run = services.get_run(current_user.id, run_id)
    if run is None:
        abort(404)
    title = run.title
    services.delete_run(current_user.id, run_id)
    db.session.commit()
    flash(f"Deleted “{title}” from your notes.", "success")
    return redirect(url_for("simulator.runs"))


def _api_error(message: str, errors: dict | None = None, status: int = 400):
    return jsonify(error=message, errors=errors or {"_": message}), status


@bp.route("/api/v1/simulate", methods=["POST"])
@public
@csrf.exempt  # no state changes, no cookie authentication: a plain JSON API
@limited
def api_simulate():
    if (request.content_length or 0) > MAX_API_BODY:
        return _api_error(f"The body is larger than {MAX_API_BODY // 1024} KB.", status=413)
    payload = request.get_json(force=True, silent=True)
    if payload is None:
        return _api_error(
            "The body is not valid JSON: send an object of parameter names and values, "
            'such as {"wavelength_nm": 1064, "fluence_j_cm2": 3.5}.'
        )
    try:
        result = simulate(payload)
    except InvalidParameters as exc:
        return _api_error("Invalid parameters.", exc.errors)
    return jsonify(result)


@bp.route("/api/v1/openapi.json")
@public
@limited
def openapi_document():
    return jsonify(openapi.document(rate_limit()))
