"""Case assessment files: each kind of mistake named with file and line."""

from __future__ import annotations

import pytest

from academy.contentfiles import ContentInvalid
from academy.grading.loader import parse_cases
from tests.grading.conftest import MODULES


def mistakes(case_dir) -> list[str]:
    with pytest.raises(ContentInvalid) as caught:
        parse_cases(case_dir, MODULES)
    return [str(e) for e in caught.value.errors]


def edit(case_dir, old, new):
    path = case_dir / "dense-carbon.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_the_sample_case_loads(case_dir):
    [case] = parse_cases(case_dir, MODULES)
    assert case.slug == "dense-carbon" and len(case.values["tasks"]) == 4


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("group: skin-typing", "group: astrology", "'group' must be one of"),
        ("modules: [skin-typing]", "modules: [knitting]", "unknown module 'knitting'"),
        ("kind: schedule", "kind: essay", "'kind' must be one of"),
        ("fitzpatrick_type: 5", "fitzpatrick_type: 9", "between 1 and 6"),
        ("pigment_type: carbon", "pigment_type: ink", "'pigment_type' must be"),
        ("{points: 2, label: Sound", "{points: 0, label: Sound", "levels must go from fewest"),
        ("pass_percent: 60", "pass_percent: 600", "between 1 and 100"),
        ("slug: dense-carbon", "slug: another-name", "must match the file name"),
        (
            "  - key: aftercare\n    kind: text",
            "  - key: method\n    kind: text",
            "duplicate task key 'method'",
        ),
    ],
)
def test_mistakes_are_named(case_dir, old, new, expected):
    edit(case_dir, old, new)
    found = mistakes(case_dir)
    assert any(expected in m and m.startswith("quizzes/cases/dense-carbon.yaml:") for m in found), (
        found
    )


def test_too_few_criteria(case_dir):
    path = case_dir / "dense-carbon.yaml"
    text = path.read_text()
    start = text.index("    - key: aftercare\n      title: Aftercare")
    end = text.index("model_answer:")
    path.write_text(text[:start] + text[end:])
    assert any("4 to 6 criteria" in m for m in mistakes(case_dir))


def test_a_missing_figure_is_named(case_dir):
    edit(case_dir, "  goal: |", "  figures:\n    - {file: nope.svg, alt: A scalp}\n  goal: |")
    assert any("figure 'nope.svg'" in m for m in mistakes(case_dir))
