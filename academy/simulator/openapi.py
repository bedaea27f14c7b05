"""The OpenAPI 3.1 description of ``POST /api/v1/simulate``, built from the parameter table."""

from __future__ import annotations

from academy.simulator.engine import MODEL_VERSION
from academy.simulator.params import json_schema
from academy.simulator.presets import PRESETS


def _number(description: str, nullable: bool = False) -> dict:
    kind = ["number", "null"] if nullable else "number"
    return {"type": kind, "description": description}


RESULT_SCHEMA = {
    "type": "object",
    "description": "The whole computation. Every number is a plain JSON number (rounded to "
    "about four significant figures); the `units` map names the unit of each, and "
    "`explanations` says what each headline number means in plain words.",
    "required": [
        "model_version",
        "inputs",
        "fluence_j_cm2",
        "fluence_at_pigment_j_cm2",
        "epidermal_temperature_rise_k",
        "pigment_temperature_rise_k",
        "beam",
        "tissue",
        "transport",
        "fluence_profile",
        "confinement",
        "clearance",
        "kirby_desai",
        "risk",
        "eye_safety",
        "verdict",
        "spectra",
        "units",
        "limitations",
        "explanations",
    ],
    "properties": {
        "model_version": {"type": "string", "examples": [MODEL_VERSION]},
        "inputs": {
            "type": "object",
            "description": "Every parameter after validation, defaults filled in and the "
            "missing one of pulse energy and fluence derived.",
        },
        "fluence_j_cm2": _number("Fluence at the surface (J/cm²)."),
        "peak_fluence_j_cm2": _number("Peak fluence: twice the nominal for a Gaussian beam."),
        "fluence_at_pigment_j_cm2": _number(
            "Fluence at the pigment's depth on the beam axis (J/cm²), from the Monte Carlo tables."
        ),
        "fluence_at_pigment_se_j_cm2": _number("Its Monte Carlo standard error (J/cm²)."),
        "epidermal_temperature_rise_k": _number("Temperature rise of the epidermis (K)."),
        "pigment_temperature_rise_k": _number(
            "Adiabatic temperature rise of a pigment cluster (K); a measure of the punch."
        ),
        "beam": {"type": "object", "description": "Energy, spot area, fluence, irradiance."},
        "tissue": {"type": "object", "description": "Optical properties of the three layers."},
        "transport": {"type": "object", "description": "Monte Carlo and diffusion summary."},
        "fluence_profile": {
            "type": "object",
            "description": "Fluence against depth for plotting.",
            "properties": {
                "depth_mm": {"type": "array", "items": {"type": "number"}},
                "fluence_j_cm2": {"type": "array", "items": {"type": "number"}},
                "relative_fluence": {"type": "array", "items": {"type": "number"}},
                "layer_boundaries_mm": {"type": "array", "items": {"type": "number"}},
                "pigment_depth_mm": {"type": "number"},
            },
        },
        "confinement": {
            "type": "object",
            "required": ["thermal_relaxation_ns", "stress_confinement_ns", "regime"],
            "properties": {
                "thermal_relaxation_ns": _number("Thermal relaxation time of the particle (ns)."),
                "stress_confinement_ns": _number("Stress confinement time of the particle (ns)."),
                "regime": {"type": "string", "enum": ["stress", "thermal", "none"]},
            },
        },
        "clearance": {
            "type": "object",
            "required": ["first_session_fraction", "cumulative", "sessions_to_90_percent"],
            "properties": {
                "first_session_fraction": _number("Fraction cleared by the first session."),
                "cumulative": {
                    "type": "array",
                    "items": {"type": "number"},
                    "description": "Cumulative fraction cleared after each planned session.",
                },
                "sessions_to_90_percent": {
                    "type": ["integer", "null"],
                    "description": "Sessions to 90% clearance (null: more than 40).",
                },
            },
        },
        "kirby_desai": {
            "type": "object",
            "required": ["score", "sessions_estimate"],
            "properties": {
                "score": {"type": "integer"},
                "sessions_estimate": {"type": "integer"},
            },
        },
        "risk": {
            "type": "object",
            "required": ["level", "flags"],
            "properties": {
                "level": {"type": "string", "enum": ["low", "moderate", "high"]},
                "flags": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["code", "message"],
                        "properties": {
                            "code": {
                                "type": "string",
                                "examples": [
                                    "melanin_absorption",
                                    "fluence_too_high",
                                    "short_interval",
                                    "paradoxical_darkening",
                                    "not_confined",
                                    "early_repigmentation",
                                ],
                            },
                            "severity": {"type": "string", "enum": ["low", "moderate", "high"]},
                            "message": {"type": "string"},
                        },
                    },
                },
            },
        },
        "eye_safety": {
            "type": "object",
            "required": ["mpe_j_m2", "required_od", "en207_scale"],
            "properties": {
                "mpe_j_m2": _number("Maximum permissible exposure at the cornea (J/m²)."),
                "required_od": _number("Optical density eyewear needs for a direct beam."),
                "en207_scale": {"type": "integer", "description": "EN 207 scale number (LB)."},
            },
        },
        "verdict": {
            "type": "object",
            "required": ["safe", "effective", "reasons"],
            "properties": {
                "safe": {"type": "boolean"},
                "effective": {"type": "boolean"},
                "reasons": {"type": "array", "items": {"type": "string"}},
            },
        },
        "spectra": {"type": "object", "description": "Absorption spectra for plotting (cm⁻¹)."},
        "units": {"type": "object", "additionalProperties": {"type": "string"}},
        "limitations": {"type": "array", "items": {"type": "string"}},
        "explanations": {"type": "object", "additionalProperties": {"type": "string"}},
    },
}

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {"type": "string", "description": "What went wrong, in words."},
        "errors": {
            "type": "object",
            "description": "One message per bad field (unit, allowed range and why); the key "
            "`_` is for the body as a whole.",
            "additionalProperties": {"type": "string"},
        },
        "detail": {"type": "string"},
    },
}


def document(rate_limit: str) -> dict:
    """The OpenAPI document; ``rate_limit`` is the configured limit, as words."""
    example = PRESETS["carbon_type_2"]["params"]
    rate_headers = {
        name: {"description": text, "schema": {"type": "integer"}}
        for name, text in (
            ("X-RateLimit-Limit", "Requests allowed in the window."),
            ("X-RateLimit-Remaining", "Requests left in the window."),
            ("X-RateLimit-Reset", "When the window resets (Unix time)."),
        )
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "SMP Removal Academy laser simulator API",
            "version": "1.0.0",
            "summary": "What a removal laser's settings do in the scalp, from skin optics.",
            "description": (
                "Simulates a laser setting for an SMP removal client: the fluence reaching "
                "the pigment (precomputed Monte Carlo light transport in a three-layer scalp "
                "model), heating and confinement, expected clearance over the planned "
                "sessions, Kirby-Desai score, risk flags, eye safety and a verdict. A "
                "teaching model: read its assumptions and limits at /simulator/how-it-works. "
                f"Public and anonymous; rate-limited per address ({rate_limit}). "
                f"Model version {MODEL_VERSION}."
            ),
            "license": {"name": "Proprietary: SMP Removal Academy"},
        },
        "servers": [{"url": "/"}],
        "paths": {
            "/api/v1/simulate": {
                "post": {
                    "operationId": "simulate",
                    "summary": "Run the simulator on one parameter set",
                    "description": (
                        "Send the parameters as a JSON object; names carry their units "
                        "(`wavelength_nm`, `pulse_duration_ns`, `fluence_j_cm2`...). Give "
                        "`pulse_energy_mj` or `fluence_j_cm2`; every other field has a "
                        "default. Unknown fields are refused, so a typo is never silently "
                        "ignored. No cookies, no CSRF token and no account are needed."
                    ),
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": json_schema(),
                                "examples": {
                                    "carbon_type_2": {
                                        "summary": PRESETS["carbon_type_2"]["title"],
                                        "value": example,
                                    }
                                },
                            }
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "The simulation.",
                            "headers": rate_headers,
                            "content": {"application/json": {"schema": RESULT_SCHEMA}},
                        },
                        "400": {
                            "description": "Malformed JSON, or invalid parameters: `errors` "
                            "has one message per bad field.",
                            "content": {
                                "application/json": {
                                    "schema": ERROR_SCHEMA,
                                    "examples": {
                                        "invalid": {
                                            "value": {
                                                "error": "Invalid parameters.",
                                                "errors": {
                                                    "wavelength_nm": "Wavelength must be one "
                                                    "of 532, 694, 755, 1064 nm: ..."
                                                },
                                            }
                                        },
                                        "malformed": {
                                            "value": {
                                                "error": "The body is not valid JSON.",
                                                "errors": {"_": "The body is not valid JSON."},
                                            }
                                        },
                                    },
                                }
                            },
                        },
                        "413": {
                            "description": "The body is too large.",
                            "content": {"application/json": {"schema": ERROR_SCHEMA}},
                        },
                        "429": {
                            "description": f"Too many requests from this address ({rate_limit}"
                            "); wait and try again.",
                            "headers": {
                                "Retry-After": {
                                    "description": "Seconds to wait.",
                                    "schema": {"type": "integer"},
                                },
                                **rate_headers,
                            },
                            "content": {"application/json": {"schema": ERROR_SCHEMA}},
                        },
                    },
                }
            }
        },
    }
