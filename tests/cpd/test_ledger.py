"""The CPD ledger: every completed activity counted once, however it is reached again."""

from __future__ import annotations

import threading
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa

from academy import clock
from academy.auth.models import User
from academy.catalogue import services as reading
from academy.catalogue.models import Lesson
from academy.cpd import services as cpd
from academy.cpd.models import CpdEntry, ExternalActivity
from academy.extensions import db
from tests.course_helpers import pass_quiz, read_module

MOMENT = datetime(2026, 3, 10, 9, 30)


def entries(app, user_id=None):
    with app.app_context():
        query = sa.select(CpdEntry).order_by(CpdEntry.id)
        if user_id:
            query = query.where(CpdEntry.user_id == user_id)
        rows = db.session.scalars(query).all()
        return [(e.activity, e.reference, e.hours, e.evidence_url) for e in rows]


def test_completing_a_module_adds_one_entry_with_the_hours_from_its_file(app, course, trainee):
    read_module(app, trainee.id, "physics")
    assert entries(app) == [("module", "physics", Decimal("2.50"), "/modules/physics")]


def test_reading_again_and_reloading_never_adds_a_second_entry(app, course, trainee):
    read_module(app, trainee.id, "physics")
    read_module(app, trainee.id, "physics")
    with app.app_context():
        user = db.session.get(User, trainee.id)
        for lesson in db.session.scalars(sa.select(Lesson)):
            reading.mark_read(user, lesson)
        db.session.commit()
    assert [e[1] for e in entries(app)] == ["physics", "safety"]


def test_a_passed_quiz_counts_once_with_its_own_hours(app, course, trainee):
    pass_quiz(app, trainee.id, "final-assessment")
    pass_quiz(app, trainee.id, "final-assessment")  # a retake that passes again
    pass_quiz(app, trainee.id, "sample-quiz")
    rows = entries(app)
    assert [(a, r, h) for a, r, h, _url in rows] == [
        ("quiz", "final-assessment", Decimal("3.00")),
        ("quiz", "sample-quiz", Decimal("0.00")),  # a module quiz: the module counts the hours
    ]
    assert rows[0][3].startswith("/attempts/") and rows[0][3].endswith("/review")


def test_a_failed_quiz_counts_nothing(app, course, trainee):
    pass_quiz(app, trainee.id, "final-assessment", right=False)
    assert entries(app) == []


def test_record_completion_says_whether_it_was_new(app, trainee):
    with app.app_context():
        args = (trainee.id, "case_assessment", "case-17", "Case 17", Decimal("1.5"), MOMENT, None)
        assert cpd.record_completion(*args) is True
        assert cpd.record_completion(*args) is False
        db.session.commit()
    assert entries(app) == [("case_assessment", "case-17", Decimal("1.50"), None)]


def test_an_unknown_activity_is_refused(app, trainee):
    with app.app_context():
        try:
            cpd.record_completion(trainee.id, "party", "x", "X", Decimal(1), MOMENT, None)
        except ValueError as error:
            assert "party" in str(error)
        else:
            raise AssertionError("an unknown activity was recorded")


def _race(app, action, count=2):
    results, errors, barrier = [], [], threading.Barrier(count)

    def request():
        try:
            with app.app_context():
                barrier.wait()
                results.append(action())
                db.session.commit()
                db.session.remove()
        except Exception as error:  # noqa: BLE001 (reported by the assertion below)
            errors.append(error)

    threads = [threading.Thread(target=request) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    return results


def test_two_simultaneous_completions_record_one_entry(app, trainee):
    def complete():
        return cpd.record_completion(
            trainee.id, "case_assessment", "case-3", "Case 3", Decimal("2"), MOMENT, None
        )

    assert sorted(_race(app, complete)) == [False, True]
    assert len(entries(app)) == 1


def test_two_requests_reading_the_last_lesson_at_once_count_the_module_once(app, course, trainee):
    with app.app_context():
        user = db.session.get(User, trainee.id)
        light = db.session.scalar(sa.select(Lesson).where(Lesson.slug == "light"))
        reading.mark_read(user, light)
        db.session.commit()
        last_id = db.session.scalar(sa.select(Lesson.id).where(Lesson.slug == "pulses"))

    def read_last():
        user = db.session.get(User, trainee.id)
        return reading.mark_read(user, db.session.get(Lesson, last_id))[1]

    assert sorted(_race(app, read_last)) == [False, True]
    assert [e[1] for e in entries(app)] == ["physics"]


def test_each_trainee_has_their_own_entries(app, course, make_user):
    first, second = make_user(), make_user()
    read_module(app, first.id, "physics")
    read_module(app, second.id, "physics")
    assert len(entries(app, first.id)) == len(entries(app, second.id)) == 1


# --- Cycles and totals ----------------------------------------------------------------------


def test_a_cycle_runs_a_year_from_the_configured_day():
    assert cpd.cycle_containing(date(2026, 3, 10)) == cpd.Cycle(date(2026, 1, 1), date(2027, 1, 1))
    april = cpd.cycle_containing(date(2026, 3, 10), "04-06")
    assert april == cpd.Cycle(date(2025, 4, 6), date(2026, 4, 6))
    assert april.label == "2025–2026" and april.last_day == date(2026, 4, 5)
    assert cpd.cycle_containing(date(2026, 4, 6), "04-06").start == date(2026, 4, 6)
    assert cpd.parse_cycle_start("02-29") == (1, 1)  # refused: not every year has it
    assert cpd.parse_cycle_start("nonsense") == (1, 1)


def _external(user_id, day, hours, participatory="0", method="conference"):
    return ExternalActivity(
        user_id=user_id,
        title=f"Activity on {day}",
        provider="BAAPS",
        method=method,
        start_date=day,
        end_date=day,
        hours=Decimal(hours),
        participatory_hours=Decimal(participatory),
        relevance="r",
        learned="l",
        practice_change="p",
        client_benefit="b",
    )


def test_cycle_totals_count_only_the_cycle_and_split_by_type(app, trainee):
    with app.app_context():
        record = cpd.record_completion
        record(trainee.id, "module", "a", "A", Decimal("3"), datetime(2026, 1, 1, 0, 0), None)
        record(trainee.id, "module", "b", "B", Decimal("2.5"), datetime(2026, 12, 31, 23, 59), None)
        record(trainee.id, "module", "c", "C", Decimal("4"), datetime(2025, 12, 31, 23, 59), None)
        record(trainee.id, "quiz", "q", "Q", Decimal("3"), datetime(2026, 6, 1), None)
        record(trainee.id, "case_assessment", "k", "K", Decimal("1.25"), datetime(2026, 7, 1), None)
        db.session.add(_external(trainee.id, date(2026, 5, 5), "6", "4"))
        db.session.add(_external(trainee.id, date(2027, 1, 1), "9"))
        db.session.commit()
        summary = cpd.cycle_summary(trainee.id, date(2026, 8, 1), 20, "01-01")
    assert summary.total == Decimal("15.75")
    assert summary.participatory == Decimal("4.00")
    assert summary.by_type == [
        ("Conference or seminar", Decimal("6.00")),
        ("Academy module", Decimal("5.50")),
        ("Academy quiz", Decimal("3.00")),
        ("Case assessment", Decimal("1.25")),
    ]
    assert summary.percent == 79 and summary.remaining == Decimal("4.25")


def test_months_of_a_cycle_carry_a_running_total(app, trainee):
    with app.app_context():
        cpd.record_completion(
            trainee.id, "module", "a", "A", Decimal("3"), datetime(2026, 2, 3), None
        )
        cpd.record_completion(
            trainee.id, "module", "b", "B", Decimal("2"), datetime(2026, 2, 20), None
        )
        cpd.record_completion(
            trainee.id, "module", "c", "C", Decimal("1"), datetime(2026, 5, 1), None
        )
        db.session.commit()
        cycle = cpd.cycle_containing(date(2026, 6, 1))
        months = cpd.monthly_hours(cpd.record_lines(trainee.id), cycle)
    assert len(months) == 12
    assert [m.hours for m in months[:5]] == [0, 5, 0, 0, 1]
    assert months[-1].cumulative == Decimal("6.00")


def test_gaps_of_three_months_or_more_are_found():
    since, today = date(2026, 1, 10), date(2026, 12, 1)
    days = [date(2026, 2, 1), date(2026, 5, 1), date(2026, 7, 15), date(2026, 8, 1)]
    gaps = cpd.find_gaps(days, since, today)
    assert [(g.start, g.end, g.ongoing) for g in gaps] == [
        (date(2026, 2, 1), date(2026, 5, 1), False),  # exactly three months
        (date(2026, 8, 1), date(2026, 12, 1), True),
    ]
    assert cpd.find_gaps([date(2026, 3, 1)], date(2026, 1, 1), date(2026, 5, 31)) == []
    assert cpd.find_gaps([], date(2026, 1, 1), date(2026, 4, 1))[0].ongoing


def test_the_clock_decides_today(app, trainee):
    with app.app_context(), clock.frozen_at(datetime(2027, 2, 1)):
        assert cpd.cycle_summary(trainee.id, clock.now().date(), 20).cycle.start == date(2027, 1, 1)
