"""The history timeline names fields by their labels (the ``audit_changes`` template filter)."""

from anjian.core.audit import AuditVerb, events_for
from anjian.core.templatetags.anjian import audit_changes
from anjian.orgs import services


def test_changes_read_as_labels_and_blank_fields_of_a_new_record_are_left_out(world):
    services.organization_update(
        organization=world.clinic_a,
        by=world.regulator_a,
        data={"is_fire_key_unit": True, "bed_count": 20, "contact_phone": "023-1"},
    )

    update, created = events_for(world.clinic_a, world.regulator_a)[:2]

    assert update.verb == AuditVerb.ORGANIZATION_UPDATED
    assert sorted(audit_changes(update)) == [
        ("床位数", "—", "20"),
        ("消防安全重点单位", "否", "是"),
        ("联系电话", "—", "023-1"),
    ]
    created_rows = dict((label, after) for label, _before, after in audit_changes(created))
    assert created_rows["名称"] == "甲区诊所"
    assert created_rows["机构类别"] == "诊所"
    assert "地址" not in created_rows  # blank on creation: nothing to say


def test_a_field_the_model_no_longer_has_keeps_its_name(world):
    event = events_for(world.clinic_a, world.regulator_a).first()
    event.changes = {"retired_field": ["a", "b"]}

    assert audit_changes(event) == [("retired_field", "a", "b")]


def test_a_reverse_relation_reads_as_the_related_model_and_does_not_crash(world):
    """A service may record a count of related rows under the relation's name (“departments”)."""
    event = events_for(world.clinic_a, world.regulator_a).first()
    event.changes = {"departments": [0, 3], "children": [None, 2], "name": ["甲区诊所", "甲区门诊部"]}

    assert audit_changes(event) == [("科室", "0", "3"), ("机构", "—", "2"), ("名称", "甲区诊所", "甲区门诊部")]
