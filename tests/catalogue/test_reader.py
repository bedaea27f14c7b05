"""The reader: catalogue, lessons, locking, marking as read, progress, search, figures."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from markupsafe import escape

from academy.auth.models import User
from academy.catalogue.models import Lesson, LessonRead, Module, ModuleCompletion
from academy.cohorts import services as cohorts
from academy.extensions import db
from tests.helpers import post_form, text


def lessons_of(app, slug: str) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(Lesson.slug)
                .join(Module)
                .where(Module.slug == slug, Lesson.retired_at.is_(None))
                .order_by(Lesson.position)
            )
        )


def read_module(client, app, slug):
    for lesson in lessons_of(app, slug):
        response = post_form(client, f"/modules/{slug}/lessons/{lesson}/read")
        assert response.status_code == 302


def test_every_shipped_module_and_lesson_loads_and_renders(app, shipped_courses, tutor_client):
    assert shipped_courses.modules >= 8
    with app.app_context():
        modules = db.session.scalars(sa.select(Module).order_by(Module.position)).all()
        pages = [
            (m.slug, m.title, [(lesson.slug, lesson.title) for lesson in m.live_lessons])
            for m in modules
        ]
    images = set()
    for slug, title, lessons in pages:
        assert len(lessons) >= 4, f"{slug} has several lessons"
        assert title in text(tutor_client.get(f"/modules/{slug}"))
        for lesson_slug, lesson_title in lessons:
            response = tutor_client.get(f"/modules/{slug}/lessons/{lesson_slug}")
            page = text(response)
            assert response.status_code == 200, f"{slug}/{lesson_slug}"
            assert str(escape(lesson_title)) in page
            assert "References" in page, f"{slug}/{lesson_slug} cites its sources"
            images.update(re.findall(r'<img src="(/modules/[^"]+)"', page))
    assert images, "the course has diagrams"
    for src in images:
        response = tutor_client.get(src)
        assert response.status_code == 200, src
        assert response.mimetype == "image/svg+xml"
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]
        response.close()


def test_catalogue_shows_hours_time_and_locks(shipped_courses, trainee_client):
    page = text(trainee_client.get("/modules"))
    assert "Laser physics for pigment removal" in page
    assert "3 CPD hours" in page
    assert "<strong>Locked</strong> until you complete" in page


def test_a_locked_lesson_says_what_unlocks_it(app, shipped_courses, trainee_client):
    lesson = lessons_of(app, "skin-typing")[0]
    response = trainee_client.get(f"/modules/skin-typing/lessons/{lesson}")
    assert response.status_code == 403
    assert "Laser physics for pigment removal" in text(response)
    assert (
        post_form(trainee_client, f"/modules/skin-typing/lessons/{lesson}/read").status_code == 403
    )


def load_tree(app, tree):
    from academy.catalogue.loader import load_courses

    with app.app_context():
        load_courses(tree.root)
        db.session.commit()


def test_reading_a_module_completes_it_once_and_unlocks_the_next(app, tree, trainee_client):
    load_tree(app, tree)
    assert trainee_client.get("/modules/advanced/lessons/deeper").status_code == 403
    response = post_form(trainee_client, "/modules/basics/lessons/first/read")
    assert response.headers["Location"].endswith("/modules/basics/lessons/second")
    assert "You marked this lesson as read" in text(
        trainee_client.get("/modules/basics/lessons/first")
    )

    read_module(trainee_client, app, "basics")
    read_module(trainee_client, app, "basics")  # again: nothing doubles
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(ModuleCompletion.id))) == 1
        assert db.session.scalar(sa.select(sa.func.count(LessonRead.id))) == 2
    assert "1 of 2 modules completed" in text(trainee_client.get("/progress"))
    assert trainee_client.get("/modules/advanced/lessons/deeper").status_code == 200


def test_a_module_whose_rule_needs_its_quiz_is_not_complete_on_reading_alone(
    app, shipped_courses, trainee_client
):
    read_module(trainee_client, app, "laser-physics")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(ModuleCompletion.id))) == 0
    page = text(trainee_client.get("/modules/laser-physics"))
    assert "read every lesson and pass the module quiz" in page


def test_home_page_suggests_the_next_unread_lesson(app, shipped_courses, trainee_client):
    page = text(trainee_client.get("/"))
    assert "Light and tissue" in page or "Carry on learning" in page
    assert "0 of 8 modules completed" in page


def test_tutor_sees_a_trainees_progress_and_a_trainee_sees_only_their_own(
    app, shipped_courses, trainee_client, trainee, tutor_client, make_user
):
    read_module(trainee_client, app, "laser-physics")
    page = text(tutor_client.get(f"/progress/trainees/{trainee.id}"))
    assert trainee.full_name in page and "5 of 5 lessons read" in page

    other = make_user()
    assert trainee_client.get(f"/progress/trainees/{other.id}").status_code == 403
    assert tutor_client.get(f"/progress/trainees/{99999}").status_code == 404


def test_cohort_progress_grid(app, shipped_courses, trainee_client, trainee, tutor_client, admin):
    with app.app_context():
        cohort = cohorts.create_cohort("Haslingden weekday")
        cohorts.add_trainee(cohort, trainee.email)
        db.session.commit()
        cohort_id = cohort.id
    read_module(trainee_client, app, "laser-physics")
    page = text(tutor_client.get(f"/progress/cohorts/{cohort_id}"))
    assert trainee.full_name in page and "5/5" in page and "0 of 8" in page


def test_lesson_html_is_sanitised(app, tree, tutor_client):
    tree.lesson(
        "01-basics",
        "01-first.md",
        "first",
        body=(
            "Hello <script>alert('x')</script>\n\n<img src=x onerror=alert(1)>\n\n"
            "[click](javascript:alert(1))\n\n<iframe src=//evil.example></iframe>\n"
        ),
    )
    tree.figure("01-basics", "x", "")  # the <img src=x> target exists, so it loads
    from academy.catalogue.loader import load_courses

    with app.app_context():
        load_courses(tree.root)
        db.session.commit()
    page = text(tutor_client.get("/modules/basics/lessons/first"))
    body = page.split('<div class="lesson-body">')[1].split("</div>")[0]
    assert "<script" not in body and "onerror" not in body
    assert 'href="javascript:' not in body and "<iframe" not in body
    assert "Hello" in body


def test_search_ranks_title_matches_above_body_mentions(app, shipped_courses, trainee_client):
    page = text(trainee_client.get("/search?q=fitzpatrick"))
    titles = re.findall(r'<li>\s*<a href="/modules/[^"]+">([^<]+)</a>', page)
    assert titles, "there are results"
    assert "fitzpatrick" in titles[0].lower(), titles[:3]
    assert "<mark>" in page


@pytest.mark.parametrize("query", ["%", "_", "' OR 1=1 --", "a" * 500, "<script>x</script>", "\\"])
def test_search_copes_with_any_input(shipped_courses, trainee_client, query):
    response = trainee_client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    assert "<script>x</script>" not in text(response)


def test_search_finds_nothing_for_nonsense(shipped_courses, trainee_client):
    assert "0 lessons found" in text(trainee_client.get("/search?q=zzqxw"))


def test_figures_cannot_escape_their_folder(shipped_courses, tutor_client):
    assert tutor_client.get("/modules/laser-physics/figures/../module.yaml").status_code == 404
    assert tutor_client.get("/modules/laser-physics/figures/%2e%2e/module.yaml").status_code == 404


def test_tutors_read_but_do_not_record_reading(app, shipped_courses, tutor_client):
    first = lessons_of(app, "laser-physics")[0]
    page = text(tutor_client.get(f"/modules/laser-physics/lessons/{first}"))
    assert "Mark as read" not in page
    assert (
        post_form(tutor_client, f"/modules/laser-physics/lessons/{first}/read").status_code == 403
    )


def test_retired_module_is_gone_from_the_pages(app, shipped_courses, tutor_client):
    with app.app_context():
        module = db.session.scalar(sa.select(Module).where(Module.slug == "laser-safety"))
        module.retired_at = module.revised_at
        db.session.commit()
    assert tutor_client.get("/modules/laser-safety").status_code == 404
    assert "Laser safety" not in text(tutor_client.get("/modules"))


def test_lesson_page_for_an_unknown_lesson_is_404(shipped_courses, trainee_client):
    assert trainee_client.get("/modules/laser-physics/lessons/no-such-lesson").status_code == 404


def test_user_model_unchanged_by_reading(app, shipped_courses, trainee_client, trainee):
    read_module(trainee_client, app, "laser-physics")
    with app.app_context():
        assert db.session.get(User, trainee.id).active
