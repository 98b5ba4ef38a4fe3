"""A home page per role, with the counts of the user's own scope only."""

import pytest

from anjian.core.testing.world import VICTIM


@pytest.mark.parametrize(
    ("who", "template", "heading"),
    [
        ("regulator_a", "core/home_regulator.html", "监管工作台"),
        ("admin", "core/home_regulator.html", "监管工作台"),
        ("officer_a", "core/home_institution.html", "本单位安全工作台"),
        ("head_a", "core/home_institution.html", "本单位安全工作台"),
        ("staff_a", "core/home_staff.html", "甲护士，您好"),
        ("inspector_b", "core/home_inspector.html", "检查工作台"),
    ],
)
def test_each_role_has_its_home_page(client, world, who, template, heading):
    client.force_login(getattr(world, who))

    page = client.get("/")

    assert page.status_code == 200
    assert template in [t.name for t in page.templates]
    assert f'<h2 class="page-title">{heading}</h2>' in page.content.decode()


def test_the_regulators_counts_are_its_districts_only(client, world):
    client.force_login(world.regulator_a)

    summary = client.get("/").context["summary"]

    assert summary["organization"] == world.district_a
    assert summary["institution_count"] == 2  # hospital_a and clinic_a, not district_b's hospital
    assert summary["department_count"] == 1  # dept_a
    assert summary["user_count"] == 5  # regulator_a, officer_a, head_a, staff_a, clinic_officer_a


def test_an_institutions_home_shows_nothing_of_another(client, world):
    client.force_login(world.officer_a)

    page = client.get("/")

    summary = page.context["summary"]
    assert (summary["institution_count"], summary["department_count"]) == (1, 1)
    assert VICTIM not in page.content.decode()
