"""The department tree and the department and post pages (wiring, scope, audit)."""

import pytest
from django.urls import reverse

from anjian.core.audit import AuditVerb
from anjian.core.models import AuditEvent
from anjian.core.testing import factories as f
from anjian.orgs import services
from anjian.orgs.models import Department, Post

TREE = reverse("orgs:department-list")


def audit(obj, verb):
    return AuditEvent.objects.filter(target_id=str(obj.pk), verb=verb)


@pytest.fixture
def tree(world):
    """hospital_a: 安全保卫科 > 消防控制室 (消防控制室值班员), 总务科 (电工)."""
    security = f.make_department(organization=world.hospital_a, name="安全保卫科")
    control = f.make_department(organization=world.hospital_a, name="消防控制室", parent=security)
    general = f.make_department(organization=world.hospital_a, name="总务科")
    return {
        "security": security,
        "control": control,
        "general": general,
        "operator": f.make_post(department=control, name="消防控制室值班员", requires_certificate=True),
        "electrician": f.make_post(department=general, name="电工"),
    }


# --- the tree ---------------------------------------------------------------------------------------


def test_a_safety_officer_sees_their_own_tree_indented(client, world, tree):
    client.force_login(world.officer_a)

    response = client.get(TREE)

    nodes = {n.department.name: n for n in response.context["object_list"]}
    assert response.context["organization"] == world.hospital_a
    assert nodes["安全保卫科"].level == 0 and nodes["消防控制室"].level == 1
    names = [n.department.name for n in response.context["object_list"]]
    assert names.index("消防控制室") == names.index("安全保卫科") + 1  # depth first
    assert [p.name for p in nodes["消防控制室"].posts] == ["消防控制室值班员"]
    assert "持证上岗" in response.content.decode()


@pytest.mark.parametrize("q", ["xfkzs", "消防控制", "zbY"])
def test_tree_search_by_name_and_pinyin_keeps_the_ancestors(client, world, tree, q):
    client.force_login(world.officer_a)

    nodes = client.get(TREE, {"q": q}).context["object_list"]

    names = [n.department.name for n in nodes]
    assert names == ["安全保卫科", "消防控制室"]
    assert not nodes[0].matched  # shown for context


def test_tree_search_by_post_shows_only_the_matching_post(client, world, tree):
    f.make_post(department=tree["general"], name="维修工")
    client.force_login(world.officer_a)

    nodes = client.get(TREE, {"q": "dg"}).context["object_list"]

    assert [(n.department.name, [p.name for p in n.posts]) for n in nodes] == [("总务科", ["电工"])]


def test_tree_hides_deactivated_unless_asked(client, world, tree):
    services.department_set_active(department=tree["general"], by=world.officer_a, active=False)
    client.force_login(world.officer_a)

    default = [n.department.name for n in client.get(TREE).context["object_list"]]
    everything = [n.department.name for n in client.get(TREE, {"show_inactive": "on"}).context["object_list"]]

    assert "总务科" not in default
    assert "总务科" in everything


def test_a_regulator_picks_an_institution_first(client, world):
    client.force_login(world.regulator_a)

    picker = client.get(TREE, {"q": "rmyy"})
    chosen = client.get(TREE, {"organization": world.hospital_a.pk})

    assert picker.context["organization"] is None
    assert [o.name for o in picker.context["object_list"]] == ["甲区人民医院"]
    assert chosen.context["organization"] == world.hospital_a
    assert "甲心内科" in chosen.content.decode()


@pytest.mark.parametrize("who", ["regulator_a", "officer_a"])
def test_another_jurisdictions_tree_is_404(client, world, who):
    client.force_login(getattr(world, who))

    assert client.get(TREE, {"organization": world.hospital_b.pk}).status_code == 404
    assert client.get(TREE, {"organization": world.district_a.pk}).status_code == 404  # not an institution


def test_staff_may_not_manage_departments(client, world):
    client.force_login(world.staff_a)

    assert client.get(TREE).status_code == 403


def test_tree_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    client.force_login(world.officer_a)
    with django_assert_max_num_queries(15) as few:
        client.get(TREE)
    parent = None
    for n in range(15):
        parent = f.make_department(organization=world.hospital_a, name=f"科室{n}", parent=parent if n % 3 else None)
        f.make_post(department=parent, name=f"岗位{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(TREE)
    assert len(response.context["object_list"]) == 16


def test_picker_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    client.force_login(world.regulator_a)
    with django_assert_max_num_queries(15) as few:
        client.get(TREE)
    for _n in range(10):
        f.make_department(organization=f.make_institution(parent=world.district_a), name="办公室")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(TREE)


# --- departments --------------------------------------------------------------------------------------


def test_create_a_sub_department(client, world, tree):
    url = reverse("orgs:department-create", args=[world.hospital_a.pk])
    client.force_login(world.officer_a)

    form = client.get(url, {"parent": tree["security"].pk}).context["form"]
    response = client.post(url, {"name": " 监控中心 ", "parent": tree["security"].pk, "location": "门诊楼1楼"})

    dept = Department.objects.get(name="监控中心")
    assert form.initial["parent"] == str(tree["security"].pk)
    assert response.status_code == 302
    assert dept.organization == world.hospital_a and dept.parent == tree["security"]
    assert dept.name_initials == "jkzx"
    assert audit(dept, AuditVerb.DEPARTMENT_CREATED).count() == 1


def test_create_a_duplicate_department_says_so_and_changes_nothing(client, world, tree):
    client.force_login(world.officer_a)

    response = client.post(reverse("orgs:department-create", args=[world.hospital_a.pk]), {"name": "总务科"})

    assert response.status_code == 200
    assert "已有名为“总务科”的科室" in response.content.decode()
    assert Department.objects.filter(organization=world.hospital_a, name="总务科").count() == 1


def test_create_in_another_institution_is_404(client, world):
    url = reverse("orgs:department-create", args=[world.hospital_b.pk])
    client.force_login(world.regulator_a)

    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "渗透科"}).status_code == 404
    assert not Department.objects.filter(name="渗透科").exists()


def test_parent_choices_exclude_the_department_and_its_subtree(client, world, tree):
    client.force_login(world.officer_a)

    form = client.get(reverse("orgs:department-update", args=[tree["security"].pk])).context["form"]

    choices = set(form.fields["parent"].queryset)
    assert tree["security"] not in choices and tree["control"] not in choices
    assert tree["general"] in choices


def test_edit_a_department_and_see_the_history(client, world, tree):
    client.force_login(world.officer_a)

    response = client.post(
        reverse("orgs:department-update", args=[tree["general"].pk]), {"name": "总务科", "phone": "8801"}
    )
    detail = client.get(reverse("orgs:department-detail", args=[tree["general"].pk])).content.decode()

    tree["general"].refresh_from_db()
    assert response.status_code == 302 and tree["general"].phone == "8801"
    assert audit(tree["general"], AuditVerb.DEPARTMENT_UPDATED).get().changes == {"phone": ["", "8801"]}
    assert "修改科室" in detail and "电话" in detail and "电工" in detail


def test_a_parent_from_another_institution_is_refused(client, world, tree):
    client.force_login(world.regulator_a)

    response = client.post(
        reverse("orgs:department-update", args=[tree["general"].pk]), {"name": "总务科", "parent": world.dept_b.pk}
    )

    tree["general"].refresh_from_db()
    assert response.status_code == 200 and "parent" in response.context["form"].errors
    assert tree["general"].parent is None


def test_deactivate_a_department_warns_and_audits(client, world, tree):
    url = reverse("orgs:department-deactivate", args=[world.dept_a.pk])
    client.force_login(world.officer_a)

    confirm = client.get(url).content.decode()
    response = client.post(url, {"note": "科室合并"})

    world.dept_a.refresh_from_db()
    assert "1 名在册人员" in confirm and "1 个启用中的岗位" in confirm
    assert response.status_code == 302 and not world.dept_a.is_active
    assert audit(world.dept_a, AuditVerb.DEPARTMENT_DEACTIVATED).get().note == "科室合并"
    client.post(reverse("orgs:department-reactivate", args=[world.dept_a.pk]))
    world.dept_a.refresh_from_db()
    assert world.dept_a.is_active


@pytest.mark.parametrize(
    "name", ["orgs:department-detail", "orgs:department-update", "orgs:department-deactivate", "orgs:post-create"]
)
def test_another_institutions_department_is_404(client, world, name):
    url = reverse(name, args=[world.dept_b.pk])
    client.force_login(world.officer_a)

    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "改名", "department": world.dept_b.pk}).status_code in (404, 405)
    world.dept_b.refresh_from_db()
    assert world.dept_b.is_active and world.dept_b.name.endswith("心内科")


# --- posts --------------------------------------------------------------------------------------------


def test_create_a_post(client, world):
    url = reverse("orgs:post-create", args=[world.dept_a.pk])
    client.force_login(world.officer_a)

    initial = client.get(url).context["form"].initial
    response = client.post(
        url, {"name": "夜班护士", "department": world.dept_a.pk, "is_front_line": "on", "description": "夜间巡视"}
    )

    post = Post.objects.get(name="夜班护士")
    assert initial["department"] == world.dept_a.pk
    assert response.status_code == 302
    assert post.organization == world.hospital_a and post.is_front_line and not post.requires_certificate
    assert audit(post, AuditVerb.POST_CREATED).count() == 1


def test_create_a_duplicate_post_says_so(client, world):
    client.force_login(world.officer_a)

    response = client.post(
        reverse("orgs:post-create", args=[world.dept_a.pk]), {"name": "甲病区护士", "department": world.dept_a.pk}
    )

    assert response.status_code == 200
    assert "已有名为“甲病区护士”的岗位" in response.content.decode()
    assert Post.objects.filter(name="甲病区护士").count() == 1


def test_edit_a_post_shows_its_history(client, world):
    url = reverse("orgs:post-update", args=[world.post_a.pk])
    client.force_login(world.officer_a)

    response = client.post(url, {"name": "甲病区护士", "department": world.dept_a.pk, "requires_certificate": "on"})
    page = client.get(url).content.decode()

    world.post_a.refresh_from_db()
    assert response.status_code == 302 and world.post_a.requires_certificate and not world.post_a.is_front_line
    assert "需持证上岗" in page and "修改岗位" in page


def test_a_post_cannot_move_to_another_institutions_department(client, world):
    client.force_login(world.regulator_a)

    response = client.post(
        reverse("orgs:post-update", args=[world.post_a.pk]), {"name": "甲病区护士", "department": world.dept_b.pk}
    )

    world.post_a.refresh_from_db()
    assert response.status_code == 200 and "department" in response.context["form"].errors
    assert world.post_a.department == world.dept_a


def test_deactivate_and_reactivate_a_post(client, world):
    client.force_login(world.officer_a)

    client.post(reverse("orgs:post-deactivate", args=[world.post_a.pk]))
    world.post_a.refresh_from_db()
    assert not world.post_a.is_active
    client.post(reverse("orgs:post-reactivate", args=[world.post_a.pk]))
    world.post_a.refresh_from_db()
    assert world.post_a.is_active
    assert audit(world.post_a, AuditVerb.POST_DEACTIVATED).count() == 1
    assert audit(world.post_a, AuditVerb.POST_REACTIVATED).count() == 1


@pytest.mark.parametrize("name", ["orgs:post-update", "orgs:post-deactivate", "orgs:post-reactivate"])
def test_another_institutions_post_is_404(client, world, name):
    url = reverse(name, args=[world.post_b.pk])
    client.force_login(world.regulator_a)

    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "改名", "department": world.dept_b.pk}).status_code == 404
    world.post_b.refresh_from_db()
    assert world.post_b.is_active and world.post_b.name.endswith("病区护士")
