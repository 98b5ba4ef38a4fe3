"""``core.precompiled``: a statement compiled once per process answers what the ORM's queryset
answers, for every kind of user's scope, with ``None`` values, ``select_related`` objects and
annotations; what it cannot stand in for is refused or runs the ORM; and with PRECOMPILED_CHECK
(on in the suite) a value frozen into the statement is caught."""

import pytest
from django.db.models import Count, Value
from django.db.models.functions import Concat
from django.db.models.sql.compiler import SQLCompiler
from django.http import Http404
from django.test.utils import override_settings

from anjian.core import precompiled
from anjian.core.precompiled import Precompiled, PrecompileError
from anjian.core.testing import factories
from anjian.orgs.models import Department

pytestmark = pytest.mark.django_db


def departments(user, parent_id, name_start):
    return (
        Department.objects.visible_to(user)
        .select_related("organization")
        .annotate(below=Count("children"), label=Concat("name", Value("·")))
        .filter(parent_id=parent_id, name__startswith=name_start)
        .order_by("pk")
    )


DEPARTMENTS = Precompiled(departments)


def _rows(objs):
    return [(o.pk, o.name, o.organization_id, o.organization.name, o.below, o.label) for o in objs]


def test_answers_what_the_orm_answers_for_every_scope(world):
    child = factories.make_department(organization=world.hospital_a, parent=world.dept_a)
    users = [world.officer_a, world.staff_b, world.regulator_a, world.admin, world.inspector_b, None]
    for user in users:
        for parent_id, start in [(None, ""), (world.dept_a.pk, "科室"), (None, "没有")]:
            expected = _rows(departments(user, parent_id, start))
            assert _rows(DEPARTMENTS.all(user, parent_id, start)) == expected, (user, parent_id, start)
    # the district's regulator sees both of its institutions' departments, the officer their own only
    assert {o.organization_id for o in DEPARTMENTS.all(world.regulator_a, None, "")} >= {world.hospital_a.pk}
    assert [o.pk for o in DEPARTMENTS.all(world.officer_a, world.dept_a.pk, "")] == [child.pk]
    assert DEPARTMENTS.all(world.officer_b, world.dept_a.pk, "") == []


def test_get_or_404_answers_out_of_scope_like_missing(world):
    by_pk = Precompiled(lambda user, pk: Department.objects.visible_to(user).filter(pk=pk))
    assert by_pk.get_or_404(world.officer_a, world.dept_a.pk) == world.dept_a
    with pytest.raises(Http404):
        by_pk.get_or_404(world.officer_a, world.dept_b.pk)  # another institution's
    with pytest.raises(Http404):
        by_pk.get_or_404(world.officer_a, 10**9)
    with pytest.raises(Department.DoesNotExist):
        by_pk.get(world.officer_b, world.dept_a.pk)
    assert by_pk.first(world.officer_b, world.dept_a.pk) is None


def test_compiled_once_then_run_with_other_values(world, monkeypatch):
    by_name = Precompiled(lambda user, name: Department.objects.visible_to(user).filter(name=name))
    compiled = []
    original = SQLCompiler.as_sql

    def counting(self, *args, **kwargs):
        compiled.append(self.query.model)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    with override_settings(PRECOMPILED_CHECK=False):
        assert by_name.get(world.officer_a, world.dept_a.name) == world.dept_a
        assert by_name.get(world.officer_b, world.dept_b.name) == world.dept_b
        assert by_name.first(world.officer_a, world.dept_b.name) is None
    assert compiled == [Department]  # the first run's only


def test_a_value_transformed_in_the_statement_is_refused(world):
    containing = Precompiled(lambda user, text: Department.objects.visible_to(user).filter(name__contains=text))
    with pytest.raises(PrecompileError, match=r"transformed|does not appear"):  # escaped for LIKE
        containing.all(world.officer_a, "科室")


def test_a_value_frozen_into_the_statement_is_caught(world):
    names = [world.dept_a.name]
    frozen = Precompiled(lambda user: Department.objects.visible_to(user).filter(name=names[0]))
    assert frozen.get(world.officer_a) == world.dept_a
    names[0] = "另一个科室"  # not a value of the call: the compiled statement still asks for the first
    with pytest.raises(AssertionError, match="differs from the ORM"):
        frozen.all(world.officer_a)


def test_insert_writes_the_rows_as_bulk_create_does(world):
    from anjian.orgs.models import Department as D

    made = [D(organization=world.hospital_a, name=f"新科室{i}", parent=world.dept_a) for i in range(3)]
    precompiled.insert(made)
    assert all(d.pk and not d._state.adding for d in made)
    stored = list(D.objects.filter(pk__in=[d.pk for d in made]).order_by("pk"))
    assert [(d.pk, d.name, d.organization_id, d.parent_id, d.is_active) for d in stored] == [
        (d.pk, d.name, world.hospital_a.pk, world.dept_a.pk, True) for d in made
    ]
    with pytest.raises(ValueError, match="new rows"):
        precompiled.insert(made)  # already inserted: nothing written twice
    assert D.objects.filter(name__startswith="新科室").count() == 3


def test_update_writes_the_named_fields_only(world):
    from anjian.orgs.models import Department as D

    dept = D.objects.get(pk=world.dept_a.pk)
    dept.name, dept.is_active = "改名后的科室", False
    precompiled.update(dept, "name")
    stored = D.objects.get(pk=dept.pk)
    assert (stored.name, stored.is_active) == ("改名后的科室", True)  # is_active was not named
    gone = D(pk=10**9, organization=world.hospital_a, name="不存在")
    with pytest.raises(D.DoesNotExist):
        precompiled.update(gone, "name")


def test_save_new_sends_the_signals_save_sends(world):
    from django.db.models.signals import post_save, pre_save

    seen = []

    def before(sender, instance, **kwargs):
        seen.append(("pre", instance.pk, instance.name))

    def after(sender, instance, created, **kwargs):
        seen.append(("post", instance.pk, created))

    pre_save.connect(before, sender=Department, weak=False, dispatch_uid="test-save-new-pre")
    post_save.connect(after, sender=Department, weak=False, dispatch_uid="test-save-new-post")
    try:
        dept = Department(organization=world.hospital_a, name="新设科室")
        precompiled.save_new(dept)
    finally:
        pre_save.disconnect(sender=Department, dispatch_uid="test-save-new-pre")
        post_save.disconnect(sender=Department, dispatch_uid="test-save-new-post")
    assert seen == [("pre", None, "新设科室"), ("post", dept.pk, True)]
    assert Department.objects.get(pk=dept.pk).organization_id == world.hospital_a.pk


def test_a_stand_in_beyond_a_fields_range_asks_the_orm(world):
    from anjian.inspections.models import ChecklistTemplate

    # the stand-in integer is negative: a positive field's lookup matches nothing with it, the ORM says
    by_version = Precompiled(lambda version: ChecklistTemplate.objects.filter(version=version).order_by("pk"))
    expected = list(ChecklistTemplate.objects.filter(version=1).order_by("pk"))
    assert expected, "the published checklists of the migrations"
    assert by_version.all(1) == expected
