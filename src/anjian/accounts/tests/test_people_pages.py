"""The people pages: list, detail, create, edit, deactivate/reactivate, password reset."""

import pytest
from django.urls import reverse

from anjian.accounts.models import User
from anjian.core.audit import AuditVerb
from anjian.core.models import AuditEvent
from anjian.core.roles import Role
from anjian.core.testing import factories as f

LIST = reverse("people:user-list")
CREATE = reverse("people:user-create")
NEW_PASSWORD = "Xin-mima@2026"


def url(name, user):
    return reverse(f"people:{name}", args=[user.pk])


def audit(user, verb):
    return AuditEvent.objects.filter(target_id=str(user.pk), verb=verb)


def person_form(world, **extra):
    return {
        "username": "nurse_li",
        "name": "李护士",
        "organization": world.hospital_a.pk,
        "department": world.dept_a.pk,
        "post": world.post_a.pk,
        "role": Role.STAFF,
        "job_title": "护师",
        "phone": "13800000000",
        "email": "li@example.cn",
        "password": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **extra,
    }


def names(response):
    return {u.name for u in response.context["object_list"]}


# --- list -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["jhs", "甲护", "staff_a", "STAFF"])
def test_list_finds_by_name_pinyin_initials_and_username(client, world, q):
    client.force_login(world.officer_a)

    assert names(client.get(LIST, {"q": q})) == {"甲护士"}


def test_a_safety_officer_sees_only_their_institutions_people(client, world):
    client.force_login(world.officer_a)

    response = client.get(LIST)

    assert names(response) == {"甲安全员", "甲院长", "甲护士"}
    assert "organization" not in response.context["filter_form"].fields


def test_a_regulator_filters_by_organization_department_and_role(client, world):
    client.force_login(world.regulator_a)

    everyone = names(client.get(LIST))
    clinic = names(client.get(LIST, {"organization": world.clinic_a.pk}))
    dept = client.get(LIST, {"organization": world.hospital_a.pk, "department": world.dept_a.pk})
    principals = names(client.get(LIST, {"role": Role.PRINCIPAL}))

    assert everyone == {"甲监管", "甲安全员", "甲院长", "甲护士", "甲诊所安全员"}
    assert clinic == {"甲诊所安全员"}
    assert names(dept) == {"甲护士"}
    assert set(dept.context["filter_form"].fields["department"].queryset) == {world.dept_a}
    assert principals == {"甲院长"}


def test_an_organization_out_of_scope_in_the_filter_is_ignored(client, world):
    client.force_login(world.regulator_a)

    response = client.get(LIST, {"organization": world.hospital_b.pk, "department": world.dept_b.pk})

    assert response.status_code == 200
    assert "乙方机密" not in response.content.decode()


def test_list_active_filter(client, world):
    from anjian.accounts import services

    services.user_set_active(user=world.staff_a, by=world.officer_a, active=False)
    client.force_login(world.officer_a)

    assert "甲护士" not in names(client.get(LIST))
    assert names(client.get(LIST, {"active": "inactive"})) == {"甲护士"}


def test_list_query_count_does_not_grow_with_the_page(client, world, django_assert_max_num_queries):
    client.force_login(world.regulator_a)
    with django_assert_max_num_queries(15) as few:
        client.get(LIST)
    for n in range(25):
        dept = f.make_department(organization=world.hospital_a, name=f"科室{n}")
        f.make_user(organization=world.hospital_a, department=dept, post=f.make_post(department=dept))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert len(response.context["object_list"]) == 25
    assert response.context["total_count"] == 30


def test_staff_may_not_see_the_people_pages(client, world):
    client.force_login(world.staff_a)

    assert client.get(LIST).status_code == 403
    assert client.get(url("user-detail", world.officer_a)).status_code == 403


# --- detail ---------------------------------------------------------------------------------------


def test_detail_shows_profile_and_history_with_labels(client, world):
    from anjian.accounts import services

    services.user_update(user=world.staff_a, by=world.officer_a, data={"phone": "13900000000"})
    client.force_login(world.officer_a)

    page = client.get(url("user-detail", world.staff_a)).content.decode()

    assert "甲心内科" in page and "甲病区护士" in page and "一线员工" in page
    assert "手机号" in page and "13900000000" in page and "修改人员" in page
    assert "重置密码" in page and "停用" in page


def test_detail_of_oneself_offers_no_deactivation(client, world):
    client.force_login(world.officer_a)

    page = client.get(url("user-detail", world.officer_a)).content.decode()

    assert 'data-testid="user-deactivate"' not in page


@pytest.mark.parametrize(
    "name", ["user-detail", "user-update", "user-deactivate", "user-reactivate", "user-password-reset"]
)
def test_another_organizations_person_is_404(client, world, name):
    client.force_login(world.regulator_a)

    assert client.get(url(name, world.staff_b)).status_code == 404
    assert client.post(url(name, world.staff_b), person_form(world, name="改名")).status_code in (404, 405)
    world.staff_b.refresh_from_db()
    assert world.staff_b.is_active and world.staff_b.name.endswith("乙护士")
    assert world.staff_b.check_password(f.PASSWORD)


# --- create ---------------------------------------------------------------------------------------


def test_create_writes_the_person_and_an_audit_event(client, world):
    client.force_login(world.officer_a)

    response = client.post(CREATE, person_form(world))

    person = User.objects.get(username="nurse_li")
    assert response.status_code == 302 and response["Location"] == url("user-detail", person)
    assert person.organization == world.hospital_a and person.post == world.post_a
    assert person.name_initials == "lhs"
    assert person.check_password(NEW_PASSWORD)
    event = audit(person, AuditVerb.USER_CREATED).get()
    assert "password" not in event.changes


def test_a_safety_officer_cannot_pick_another_organization(client, world):
    client.force_login(world.officer_a)

    form = client.get(CREATE).context["form"]
    response = client.post(CREATE, person_form(world, organization=world.clinic_a.pk))

    assert form.fields["organization"].disabled
    assert form.initial["organization"] == world.hospital_a.pk
    assert User.objects.get(username="nurse_li").organization == world.hospital_a  # the posted value is ignored
    assert response.status_code == 302


def test_the_roles_offered_follow_the_organization_type(client, world):
    client.force_login(world.regulator_a)

    hospital = client.get(CREATE, {"organization": world.hospital_a.pk}).context["form"]
    district = client.get(CREATE, {"organization": world.district_a.pk}).context["form"]
    officer = client.force_login(world.officer_a) or client.get(CREATE).context["form"]

    def roles(form):
        return {value for value, _label in form.fields["role"].choices if value}

    assert roles(hospital) == {"principal", "deputy", "safety_officer", "department_head", "staff"}
    assert roles(district) == {"regulator_admin", "regulator_staff"}
    assert "department" not in district.fields
    assert "regulator_admin" not in roles(officer)


def test_picking_a_department_refreshes_the_posts_with_htmx(client, world):
    other = f.make_department(organization=world.hospital_a, name="甲急诊科")
    nurse = f.make_post(department=other, name="急诊护士")
    client.force_login(world.officer_a)

    response = client.get(CREATE, {"department": other.pk, "role": "staff"}, headers={"HX-Request": "true"})

    form = response.context["form"]
    assert list(form.fields["post"].queryset) == [nurse]
    assert not form.is_bound
    assert 'id="user-org-fields"' in response.content.decode()


def test_a_role_that_does_not_fit_the_organization_is_refused(client, world):
    client.force_login(world.regulator_a)

    response = client.post(CREATE, person_form(world, role=Role.REGULATOR_ADMIN))

    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert not User.objects.filter(username="nurse_li").exists()


def test_a_post_of_another_department_is_refused_by_the_model_rule(client, world):
    other = f.make_department(organization=world.hospital_a, name="甲急诊科")
    client.force_login(world.officer_a)

    response = client.post(CREATE, person_form(world, department=other.pk, post=world.post_a.pk))

    assert response.status_code == 200
    assert "post" in response.context["form"].errors
    assert not User.objects.filter(username="nurse_li").exists()


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"password2": "Other@2026-x"}, "password2", "两次输入的密码不一致"),
        ({"password": "12345678", "password2": "12345678"}, "password", "密码"),
        ({"username": "STAFF_A"}, "username", "已被使用"),
        ({"name": ""}, "name", "请填写姓名"),
        ({"email": "not-an-email"}, "email", ""),
    ],
)
def test_create_with_bad_input_shows_a_specific_error_and_changes_nothing(client, world, extra, field, message):
    client.force_login(world.officer_a)
    before = User.objects.count(), AuditEvent.objects.count()

    response = client.post(CREATE, person_form(world, **extra))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert (User.objects.count(), AuditEvent.objects.count()) == before


# --- edit -----------------------------------------------------------------------------------------


def test_edit_changes_the_person_and_audits(client, world):
    client.force_login(world.officer_a)
    data = person_form(world, username="staff_a", name="甲护士长", role=Role.DEPARTMENT_HEAD)
    del data["password"], data["password2"]

    response = client.post(url("user-update", world.staff_a), data)

    world.staff_a.refresh_from_db()
    assert response.status_code == 302
    assert world.staff_a.name == "甲护士长" and world.staff_a.role == Role.DEPARTMENT_HEAD
    changes = audit(world.staff_a, AuditVerb.USER_UPDATED).get().changes
    assert changes["role"] == ["一线员工", "科室负责人"]


def test_changing_ones_own_role_is_refused_with_the_service_message(client, world):
    client.force_login(world.officer_a)
    data = person_form(world, username="officer_a", name="甲安全员", role=Role.DEPARTMENT_HEAD, department="", post="")

    response = client.post(url("user-update", world.officer_a), data)

    world.officer_a.refresh_from_db()
    assert response.status_code == 200
    assert "不能修改自己的角色" in response.content.decode()
    assert world.officer_a.role == Role.SAFETY_OFFICER


# --- deactivate, reactivate, password --------------------------------------------------------------


def test_deactivate_and_reactivate(client, world):
    client.force_login(world.officer_a)

    confirm = client.get(url("user-deactivate", world.staff_a))
    client.post(url("user-deactivate", world.staff_a), {"note": "离职"})
    world.staff_a.refresh_from_db()
    assert confirm.status_code == 200 and not world.staff_a.is_active and world.staff_a.deactivated_at
    assert audit(world.staff_a, AuditVerb.USER_DEACTIVATED).get().note == "离职"

    client.post(url("user-reactivate", world.staff_a))
    world.staff_a.refresh_from_db()
    assert world.staff_a.is_active
    assert User.objects.filter(pk=world.staff_a.pk).exists()


def test_deactivating_oneself_is_refused(client, world):
    client.force_login(world.officer_a)

    response = client.post(url("user-deactivate", world.officer_a))

    world.officer_a.refresh_from_db()
    assert response.status_code == 200 and "不能停用自己的账号" in response.content.decode()
    assert world.officer_a.is_active


def test_password_reset(client, world):
    client.force_login(world.officer_a)

    response = client.post(
        url("user-password-reset", world.staff_a), {"password": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    world.staff_a.refresh_from_db()
    assert response.status_code == 302 and world.staff_a.check_password(NEW_PASSWORD)
    assert audit(world.staff_a, AuditVerb.USER_PASSWORD_RESET).count() == 1


def test_password_reset_with_a_weak_password_changes_nothing(client, world):
    client.force_login(world.officer_a)

    response = client.post(url("user-password-reset", world.staff_a), {"password": "password", "password2": "password"})

    world.staff_a.refresh_from_db()
    assert response.status_code == 200 and response.context["form"].errors["password"]
    assert world.staff_a.check_password(f.PASSWORD)
    assert not audit(world.staff_a, AuditVerb.USER_PASSWORD_RESET).exists()
