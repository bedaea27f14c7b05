"""The course loader: every kind of mistake named with file and line, nothing half-loaded."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from academy.auth.models import User
from academy.catalogue import services
from academy.catalogue.loader import load_courses, parse_courses
from academy.catalogue.models import Lesson, LessonRead, Module
from academy.clock import now
from academy.contentfiles import ContentInvalid
from academy.extensions import db


def load(app, root):
    with app.app_context():
        report = load_courses(root)
        db.session.commit()
        return report


def mistakes(root) -> list[str]:
    with pytest.raises(ContentInvalid) as caught:
        parse_courses(root)
    return [str(error) for error in caught.value.errors]


def test_a_valid_tree_loads(app, tree):
    report = load(app, tree.root)
    assert (report.modules, report.lessons, report.created) == (2, 3, 5)
    with app.app_context():
        module = db.session.scalar(sa.select(Module).where(Module.slug == "advanced"))
        assert module.prerequisites == ["basics"] and module.estimated_minutes == 10


def test_missing_field_names_file_and_field(tree):
    tree.module("01-basics", title=None)
    assert "courses/01-basics/module.yaml:1: missing field 'title'" in mistakes(tree.root)


def test_wrong_type_names_the_line(tree):
    tree.module("01-basics", cpd_hours="lots")
    assert "courses/01-basics/module.yaml:5: 'cpd_hours' must be a number" in mistakes(tree.root)


def test_unknown_field_is_reported(tree):
    tree.module("01-basics", extra="colour: blue\n")
    assert any("unknown field 'colour'" in m and ":13:" in m for m in mistakes(tree.root))


def test_unknown_prerequisite(tree):
    tree.module("02-advanced", order=2, prerequisites="[basics, quantum-optics]")
    assert "courses/02-advanced/module.yaml:6: unknown prerequisite 'quantum-optics'" in mistakes(
        tree.root
    )


def test_prerequisite_cycle(tree):
    tree.module("01-basics", order=1, prerequisites="[advanced]")
    assert any("prerequisites form a cycle" in m for m in mistakes(tree.root))


def test_duplicate_module_slug(tree):
    tree.module("03-copy", slug="basics")
    tree.lesson("03-copy", "01-x.md", "x")
    assert any("duplicate module slug 'basics'" in m for m in mistakes(tree.root))


def test_duplicate_lesson_slug(tree):
    tree.lesson("01-basics", "03-again.md", "first")
    assert any(
        m.startswith("courses/01-basics/lessons/03-again.md:2: duplicate lesson slug 'first'")
        for m in mistakes(tree.root)
    )


def test_broken_image_link_names_its_line(tree):
    tree.lesson(
        "01-basics", "01-first.md", "first", body="Intro.\n\n![A chart](figures/missing.svg)\n"
    )
    assert (
        "courses/01-basics/lessons/01-first.md:12: broken image link: 'figures/missing.svg' "
        "does not exist" in mistakes(tree.root)
    )


def test_image_outside_the_module_or_remote_is_refused(tree):
    tree.lesson(
        "01-basics",
        "01-first.md",
        "first",
        body="![x](../02-advanced/module.yaml)\n\n![y](https://example.com/a.png)\n",
    )
    found = mistakes(tree.root)
    assert any("broken image link: '../02-advanced/module.yaml'" in m for m in found)
    assert any("must be a file in the module folder" in m for m in found)


def test_malformed_front_matter(tree):
    (tree.root / "01-basics" / "lessons" / "01-first.md").write_text("slug: first\nNo dashes.\n")
    assert (
        "courses/01-basics/lessons/01-first.md:1: "
        "missing front matter: the file must start with a '---' line" in mistakes(tree.root)
    )


def test_malformed_yaml_in_front_matter_gives_its_line(tree):
    tree.lesson(
        "01-basics",
        "01-first.md",
        "first",
        front="slug: first\ntitle: [unclosed\nestimated_minutes: 10\n",
    )
    assert any(
        m.startswith("courses/01-basics/lessons/01-first.md:") and "malformed YAML" in m
        for m in mistakes(tree.root)
    )


def test_unquoted_colon_in_a_list_item_is_explained(tree):
    tree.lesson(
        "01-basics",
        "01-first.md",
        "first",
        front=(
            "slug: first\ntitle: First\nestimated_minutes: 10\nlearning_objectives:\n"
            "  - Name the harms: scarring and infection.\n"
        ),
    )
    assert any("put the item in quotes" in m and ":6:" in m for m in mistakes(tree.root))


def test_unknown_reference_key(tree):
    tree.lesson(
        "01-basics",
        "01-first.md",
        "first",
        front=(
            "slug: first\ntitle: First\nestimated_minutes: 10\nlearning_objectives: [x]\n"
            "references: [jacques2013, nobody2020]\n"
        ),
    )
    assert any("reference 'nobody2020' is not listed" in m for m in mistakes(tree.root))


def test_unknown_completion_rule(tree):
    tree.module("01-basics", completion_rule="vibes")
    assert any("'completion_rule' must be one of all_lessons" in m for m in mistakes(tree.root))


def test_svg_with_script_is_refused(tree):
    tree.figure(
        "01-basics",
        "evil.svg",
        '<svg xmlns="http://www.w3.org/2000/svg">\n<script>alert(1)</script></svg>',
    )
    tree.lesson("01-basics", "01-first.md", "first", body="![e](figures/evil.svg)\n")
    assert (
        "courses/01-basics/figures/evil.svg:2: an SVG figure must not contain <script>"
        in mistakes(tree.root)
    )


def test_a_module_without_lessons(tree):
    tree.module("03-empty", slug="empty")
    assert "courses/03-empty/module.yaml:1: the module has no lessons (lessons/*.md)" in mistakes(
        tree.root
    )


def test_nothing_is_loaded_when_anything_is_wrong(app, tree):
    tree.lesson("02-advanced", "02-broken.md", "broken", body="![x](figures/nope.png)\n")
    with app.app_context(), pytest.raises(ContentInvalid):
        load_courses(tree.root)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Module.id))) == 0


def test_every_mistake_is_reported_at_once(tree):
    tree.module("01-basics", title=None)
    tree.lesson("02-advanced", "01-deeper.md", "deeper", body="![x](figures/nope.png)\n")
    assert len(mistakes(tree.root)) == 2


def test_loading_twice_changes_nothing(app, tree):
    load(app, tree.root)
    with app.app_context():
        before = {
            lesson.slug: lesson.revised_at for lesson in db.session.scalars(sa.select(Lesson))
        }
    report = load(app, tree.root)
    assert (report.created, report.revised, report.retired) == (0, 0, 0)
    with app.app_context():
        after = {lesson.slug: lesson.revised_at for lesson in db.session.scalars(sa.select(Lesson))}
    assert before == after


def read_first_lesson(app, user_id):
    with app.app_context():
        user = db.session.get(User, user_id)
        lesson = db.session.scalar(sa.select(Lesson).where(Lesson.slug == "first"))
        services.mark_read(user, lesson)
        db.session.commit()


def test_editing_a_lesson_keeps_progress_and_moves_its_revision_date(app, tree, trainee):
    load(app, tree.root)
    read_first_lesson(app, trainee.id)
    tree.lesson("01-basics", "01-first.md", "first", body="Corrected text with a new figure.\n")
    report = load(app, tree.root)
    assert report.revised == 1
    with app.app_context():
        lesson = db.session.scalar(sa.select(Lesson).where(Lesson.slug == "first"))
        assert "Corrected text" in lesson.body_markdown
        assert db.session.scalar(sa.select(sa.func.count(LessonRead.id))) == 1
        assert lesson.revised_at <= now()


def test_removing_a_lesson_retires_it_and_keeps_the_record(app, tree, trainee):
    load(app, tree.root)
    read_first_lesson(app, trainee.id)
    (tree.root / "01-basics" / "lessons" / "01-first.md").unlink()
    assert load(app, tree.root).retired == 1
    with app.app_context():
        lesson = db.session.scalar(sa.select(Lesson).where(Lesson.slug == "first"))
        assert lesson.retired_at is not None
        assert db.session.scalar(sa.select(sa.func.count(LessonRead.id))) == 1
    tree.lesson("01-basics", "01-first.md", "first")
    load(app, tree.root)
    with app.app_context():
        assert db.session.scalar(sa.select(Lesson).where(Lesson.slug == "first")).retired_at is None


def test_removing_a_module_retires_it(app, tree):
    load(app, tree.root)
    for path in sorted((tree.root / "02-advanced").rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    (tree.root / "02-advanced").rmdir()
    load(app, tree.root)
    with app.app_context():
        assert db.session.scalar(sa.select(Module).where(Module.slug == "advanced")).retired_at


def test_the_cli_reports_mistakes_and_exits_non_zero(app, tree):
    tree.module("01-basics", title=None)
    result = app.test_cli_runner().invoke(args=["content", "load", "--courses", str(tree.root)])
    assert result.exit_code == 1
    assert "missing field 'title'" in result.output and "nothing was loaded" in result.output
