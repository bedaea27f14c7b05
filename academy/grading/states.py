"""The life of a submission, as a table of allowed moves: anything else is refused.

draft -> submitted -> being_marked -> awaiting_release -> returned | passed | referred
returned -> draft (the trainee reopens it; the earlier version is kept)
awaiting_release -> being_marked (a tutor reopens the mark before release)
"""

from __future__ import annotations

DRAFT = "draft"
SUBMITTED = "submitted"
BEING_MARKED = "being_marked"
AWAITING_RELEASE = "awaiting_release"
RETURNED = "returned"
PASSED = "passed"
REFERRED = "referred"

ALLOWED = {
    (DRAFT, SUBMITTED): "trainee",
    (SUBMITTED, BEING_MARKED): "tutor",
    (BEING_MARKED, AWAITING_RELEASE): "tutor",
    (AWAITING_RELEASE, BEING_MARKED): "tutor",
    (AWAITING_RELEASE, RETURNED): "tutor",
    (AWAITING_RELEASE, PASSED): "tutor",
    (AWAITING_RELEASE, REFERRED): "tutor",
    (RETURNED, DRAFT): "trainee",
}

OUTCOME_STATE = {"pass": PASSED, "refer": REFERRED, "return": RETURNED}

# What the trainee is told: a mark is invisible until it is released.
TRAINEE_LABELS = {
    DRAFT: "Draft",
    SUBMITTED: "Submitted",
    BEING_MARKED: "Being marked",
    AWAITING_RELEASE: "Being marked",
    RETURNED: "Returned for resubmission",
    PASSED: "Passed",
    REFERRED: "Referred",
}
TUTOR_LABELS = {**TRAINEE_LABELS, AWAITING_RELEASE: "Marked, not yet released"}
RELEASED = {RETURNED, PASSED, REFERRED}
WAITING_FOR_TUTOR = (SUBMITTED, BEING_MARKED, AWAITING_RELEASE)


class IllegalTransition(Exception):
    """A move the state machine does not allow, with a message for the person."""


def check(current: str, target: str, actor: str) -> None:
    """Refuse the move unless the table allows it for this kind of actor."""
    allowed = ALLOWED.get((current, target))
    if allowed is None:
        raise IllegalTransition(
            f"A submission that is {TUTOR_LABELS.get(current, current).lower()} cannot become "
            f"{TUTOR_LABELS.get(target, target).lower()}."
        )
    if allowed != actor:
        raise IllegalTransition(f"Only a {allowed} can make that change.")
