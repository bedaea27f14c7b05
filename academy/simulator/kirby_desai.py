"""The Kirby-Desai scale: a clinical estimate of the number of removal sessions.

Kirby W, Desai A, Desai T, Kartono F, Geeta P. J Clin Aesthet Dermatol 2(3):32-37
(2009): six categories scored and summed; the sum "is proposed to correlate with the
number of treatment sessions" (r = 0.757 in 100 patients) [V]. Point values as
reproduced by clinics (shared/reference/laser-physics.md). SMP is always on the scalp
(head and neck, 1 point) and professional work, so its ink amount is judged by density:
light = minimal (2), moderate = moderate (3), dense = significant (4). Carbon is
black only (1); iron-oxide and mixed pigments, with their brown-red tones, score as
mostly black with some red (2) [U, our mapping].
"""

from __future__ import annotations

LOCATION_HEAD_NECK = 1
COLOUR = {"carbon": 1, "iron_oxide": 2, "mixed": 2}
AMOUNT = {"light": 2, "moderate": 3, "dense": 4}
SCARRING = {"none": 0, "minimal": 1, "moderate": 3, "significant": 5}
LAYERING = {False: 0, True: 2}


def score(
    fitzpatrick: int, pigment_type: str, density: str, scarring: str = "none", layered: bool = False
) -> dict:
    """The score, its parts, and the session estimate (score ~ sessions)."""
    parts = {
        "skin_type": int(fitzpatrick),
        "location": LOCATION_HEAD_NECK,
        "colour": COLOUR[pigment_type],
        "amount_of_ink": AMOUNT[density],
        "scarring": SCARRING[scarring],
        "layering": LAYERING[bool(layered)],
    }
    total = sum(parts.values())
    return {"score": total, "sessions_estimate": total, "parts": parts}
