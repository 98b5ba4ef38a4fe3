"""The organization pages: list, detail, create, edit, deactivate/reactivate (wiring, scope, audit)."""

import pytest
from django.urls import reverse

from anjian.core.audit import AuditVerb
from anjian.core.models import AuditEvent
from anjian.core.testing import factories as f
from anjian.orgs.models import Organization

LIST = reverse("orgs:organization-list")
CREATE = reverse("orgs:organization-create")


def detail(org):
    return reverse("orgs:organization-detail", args=[org.pk])


def edit(org):
    return reverse("orgs:organization-update", args=[org.pk])


def events(org, verb):
    return AuditEvent.objects.filter(target_id=str(org.pk), verb=verb)


def institution_form(world, **extra):
    return {
        "type": "institution",
        "name": "甲区妇幼保健院",
        "parent": world.district_a.pk,
        "kind": "public_hospital",
        "hospital_grade": "2a",
        "ownership": "public",
        "is_fire_key_unit": "on",
        "credit_code": f.credit_code(424242).lower(),
        "division_code": "500112",
        "address": "甲区和平路1号",
        "contact_phone": "023-12345678",
        "bed_count": "300",
        "staff_count": "420",
        **extra,
    }


# --- list -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["rmyy", "RMYY", "人民医院", "甲区人民"])
def test_list_finds_by_name_and_pinyin_initials(client, world, q):
    client.force_login(world.regulator_a)

    page = client.get(LIST, {"q": q}).content.decode()

    assert "甲区人民医院" in page
    assert "甲区诊所" not in page


def test_list_finds_by_credit_code(client, world):
    client.force_login(world.regulator_a)

    page = client.get(LIST, {"q": world.clinic_a.credit_code}).content.decode()

    assert "甲区诊所" in page
    assert "甲区人民医院" not in page


def test_list_filters_by_type_kind_and_flag(client, world):
    f.make_institution(parent=world.district_a, name="甲区医养中心", kind="medical_elderly_care", is_elderly_care=True)
    client.force_login(world.regulator_a)

    clinics = client.get(LIST, {"kind": "clinic"}).content.decode()
    elderly = client.get(LIST, {"flag": "is_elderly_care"}).content.decode()
    regulators = client.get(LIST, {"type": "regulator"}).content.decode()

    assert "甲区诊所" in clinics and "甲区人民医院" not in clinics
    assert "甲区医养中心" in elderly and "甲区诊所" not in elderly
    assert "甲区卫健委" in regulators and "甲区诊所" not in regulators


def test_list_shows_active_by_default_and_inactive_on_request(client, world):
    from anjian.orgs import services

    services.organization_set_active(organization=world.clinic_a, by=world.regulator_a, active=False)
    client.force_login(world.regulator_a)

    assert "甲区诊所" not in client.get(LIST).content.decode()
    assert "甲区诊所" in client.get(LIST, {"active": "inactive"}).content.decode()
    assert "甲区诊所" in client.get(LIST, {"active": "all"}).content.decode()


def test_list_ignores_a_made_up_filter_value(client, world):
    client.force_login(world.regulator_a)

    response = client.get(LIST, {"type": "nonsense", "flag": "is_superuser"})

    assert response.status_code == 200
    assert "甲区人民医院" in response.content.decode()


def test_list_shows_counts_and_paginates(client, world):
    for n in range(30):
        f.make_institution(parent=world.district_a, name=f"甲区测试卫生院{n:02d}")
    client.force_login(world.regulator_a)

    response = client.get(LIST, {"q": "甲区测试卫生院"})
    page2 = client.get(LIST, {"q": "甲区测试卫生院", "page": 2})

    assert response.context["total_count"] == 30
    assert len(response.context["object_list"]) == 25
    assert "共 30 条" in response.content.decode()
    assert len(page2.context["object_list"]) == 5
    assert client.get(LIST, {"page": 99}).status_code == 404


def test_list_query_count_does_not_grow_with_the_page(client, world, django_assert_max_num_queries):
    client.force_login(world.regulator_a)
    with django_assert_max_num_queries(15) as few:
        client.get(LIST)
    for n in range(25):
        f.make_institution(parent=world.district_a, name=f"甲区卫生院{n}", is_fire_key_unit=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert len(response.context["object_list"]) == 25


def test_an_institution_user_sees_only_their_own(client, world):
    client.force_login(world.officer_a)

    page = client.get(LIST, {"active": "all"}).content.decode()

    assert "甲区人民医院" in page
    assert "甲区诊所" not in page
    assert "新建机构" not in page


# --- detail ---------------------------------------------------------------------------------------


def test_detail_shows_profile_labels_flags_summary_and_history(client, world):
    from anjian.orgs import services

    services.organization_update(
        organization=world.hospital_a,
        by=world.regulator_a,
        data={"is_fire_key_unit": True, "division_code": "500112", "kind": "cdc"},
    )
    client.force_login(world.regulator_a)

    response = client.get(detail(world.hospital_a))
    page = response.content.decode()

    assert response.status_code == 200
    assert "统一社会信用代码" in page and world.hospital_a.credit_code in page
    assert "消防安全重点单位" in page
    assert "甲心内科" in page  # the department summary
    assert response.context["summary"]["user_count"] == 3
    # the history names fields by their labels and choices by theirs
    assert "行政区划代码" in page
    assert "疾病预防控制中心" in page
    assert "division_code" not in page


def test_detail_of_a_regulator_lists_its_children(client, world):
    client.force_login(world.regulator_a)

    page = client.get(detail(world.district_a)).content.decode()

    assert "甲区人民医院" in page and "甲区诊所" in page


def test_detail_out_of_scope_is_404(client, world):
    client.force_login(world.regulator_a)

    assert client.get(detail(world.hospital_b)).status_code == 404
    assert client.get(reverse("orgs:organization-detail", args=[987654])).status_code == 404


# --- create ---------------------------------------------------------------------------------------


def test_create_writes_the_organization_and_an_audit_event(client, world):
    client.force_login(world.regulator_a)

    response = client.post(CREATE, institution_form(world))

    org = Organization.objects.get(name="甲区妇幼保健院")
    assert response.status_code == 302 and response["Location"] == detail(org)
    assert org.parent == world.district_a
    assert org.credit_code == f.credit_code(424242)  # upper-cased
    assert org.is_fire_key_unit and org.bed_count == 300
    assert org.name_initials == "jqfybjy"
    assert events(org, AuditVerb.ORGANIZATION_CREATED).count() == 1


def test_create_offers_only_regulators_in_scope(client, world):
    client.force_login(world.regulator_a)

    form = client.get(CREATE).context["form"]

    assert list(form.fields["parent"].queryset) == [world.district_a]
    assert form.initial["parent"] == world.district_a.pk


def test_create_with_a_bad_check_character_shows_the_error_and_changes_nothing(client, world):
    code = f.credit_code(424242)
    bad = code[:17] + ("0" if code[17] != "0" else "1")
    client.force_login(world.regulator_a)
    before = Organization.objects.count()

    response = client.post(CREATE, institution_form(world, credit_code=bad))

    assert response.status_code == 200
    assert "统一社会信用代码校验位错误" in response.content.decode()
    assert Organization.objects.count() == before


def test_create_with_a_used_credit_code_says_so(client, world):
    client.force_login(world.regulator_a)

    response = client.post(CREATE, institution_form(world, credit_code=world.hospital_b.credit_code))

    assert response.status_code == 200
    assert "已登记在其他机构名下" in response.content.decode()
    assert "乙方机密" not in response.content.decode()  # the other organization is not named
    assert not Organization.objects.filter(name="甲区妇幼保健院").exists()


def test_create_an_institution_without_kind_gets_the_model_rule(client, world):
    client.force_login(world.regulator_a)

    response = client.post(CREATE, institution_form(world, kind=""))

    assert response.status_code == 200
    assert response.context["form"].errors["kind"] == ["医疗卫生机构须选择机构类别。"]
    assert not Organization.objects.filter(name="甲区妇幼保健院").exists()


def test_create_under_a_regulator_out_of_scope_is_refused(client, world):
    client.force_login(world.regulator_a)

    response = client.post(CREATE, institution_form(world, parent=world.district_b.pk))

    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    assert not Organization.objects.filter(name="甲区妇幼保健院").exists()


def test_create_a_provider_drops_the_institution_fields(client, world):
    client.force_login(world.regulator_a)

    response = client.post(CREATE, institution_form(world, type="provider", name="甲区消防检测公司"))

    org = Organization.objects.get(name="甲区消防检测公司")
    assert response.status_code == 302
    assert org.kind == "" and org.hospital_grade == ""


def test_changing_the_type_refreshes_the_form_with_htmx(client, world):
    client.force_login(world.regulator_a)

    response = client.get(CREATE, {"type": "regulator", "name": "甲区某街道"}, headers={"HX-Request": "true"})

    form = response.context["form"]
    assert "regulator_level" in form.fields and "kind" not in form.fields
    assert not form.is_bound and form.initial["name"] == "甲区某街道"
    assert 'id="organization-form-fields"' in response.content.decode()


def test_a_safety_officer_cannot_create(client, world):
    client.force_login(world.officer_a)

    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, institution_form(world)).status_code == 403


# --- edit -----------------------------------------------------------------------------------------


def test_a_regulator_edits_an_institution(client, world):
    client.force_login(world.regulator_a)
    data = client.get(edit(world.clinic_a)).context["form"].initial
    data = {k: ("" if v is None else v) for k, v in data.items() if not isinstance(v, bool) or v}
    data.update(name="甲区惠民诊所", staff_count="12")

    response = client.post(edit(world.clinic_a), data)

    world.clinic_a.refresh_from_db()
    assert response.status_code == 302
    assert world.clinic_a.name == "甲区惠民诊所" and world.clinic_a.staff_count == 12
    event = events(world.clinic_a, AuditVerb.ORGANIZATION_UPDATED).get()
    assert event.changes["name"] == ["甲区诊所", "甲区惠民诊所"]


def test_a_safety_officer_edits_their_own_profile_without_type_and_parent(client, world):
    client.force_login(world.officer_a)

    form = client.get(edit(world.hospital_a)).context["form"]
    response = client.post(
        edit(world.hospital_a),
        {"name": "甲区人民医院", "kind": "public_hospital", "contact_person": "甲安全员", "bed_count": "800"},
    )

    assert "type" not in form.fields and "parent" not in form.fields
    world.hospital_a.refresh_from_db()
    assert response.status_code == 302
    assert world.hospital_a.contact_person == "甲安全员" and world.hospital_a.bed_count == 800
    assert world.hospital_a.parent == world.district_a


def test_edit_with_bad_input_shows_the_error_and_changes_nothing(client, world):
    client.force_login(world.officer_a)

    response = client.post(
        edit(world.hospital_a), {"name": "甲区人民医院", "kind": "public_hospital", "division_code": "12AB"}
    )

    world.hospital_a.refresh_from_db()
    assert response.status_code == 200
    assert "行政区划代码应为6位数字" in response.content.decode()
    assert world.hospital_a.division_code == ""
    assert not events(world.hospital_a, AuditVerb.ORGANIZATION_UPDATED).exists()


def test_a_safety_officer_cannot_edit_another_institution(client, world):
    client.force_login(world.officer_a)

    assert client.get(edit(world.clinic_a)).status_code == 404
    assert client.post(edit(world.clinic_a), {"name": "改名"}).status_code == 404


def test_staff_cannot_edit_even_their_own(client, world):
    client.force_login(world.staff_a)

    assert client.get(edit(world.hospital_a)).status_code == 403


# --- deactivate / reactivate ------------------------------------------------------------------------


def test_deactivate_asks_for_confirmation_then_deactivates_and_audits(client, world):
    url = reverse("orgs:organization-deactivate", args=[world.clinic_a.pk])
    client.force_login(world.regulator_a)

    confirm = client.get(url)
    response = client.post(url, {"note": "已关停"})

    world.clinic_a.refresh_from_db()
    assert confirm.status_code == 200 and "确定停用" in confirm.content.decode()
    assert "1 名在册人员" in confirm.content.decode()
    assert response.status_code == 302
    assert not world.clinic_a.is_active
    event = events(world.clinic_a, AuditVerb.ORGANIZATION_DEACTIVATED).get()
    assert event.note == "已关停"
    assert Organization.objects.filter(pk=world.clinic_a.pk).exists()  # never deleted


def test_reactivate(client, world):
    client.force_login(world.regulator_a)
    client.post(reverse("orgs:organization-deactivate", args=[world.clinic_a.pk]))

    response = client.post(reverse("orgs:organization-reactivate", args=[world.clinic_a.pk]))

    world.clinic_a.refresh_from_db()
    assert response.status_code == 302 and world.clinic_a.is_active
    assert events(world.clinic_a, AuditVerb.ORGANIZATION_REACTIVATED).count() == 1


def test_deactivating_ones_own_organization_shows_the_service_refusal(client, world):
    client.force_login(world.regulator_a)

    response = client.post(reverse("orgs:organization-deactivate", args=[world.district_a.pk]))

    world.district_a.refresh_from_db()
    assert response.status_code == 200
    assert "不能停用本单位" in response.content.decode()
    assert world.district_a.is_active


def test_deactivate_out_of_scope_is_404_and_changes_nothing(client, world):
    url = reverse("orgs:organization-deactivate", args=[world.hospital_b.pk])
    client.force_login(world.regulator_a)

    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    world.hospital_b.refresh_from_db()
    assert world.hospital_b.is_active
