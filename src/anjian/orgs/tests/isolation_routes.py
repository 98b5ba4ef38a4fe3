"""The organization, department and post pages for the isolation test (anjian.core.testing.isolation).

Object routes aim at hospital_b (the victim), its department dept_b and post post_b; the forms
without an object in the URL are posted with the victim's objects in the body, which the scoped
choices must refuse (a form error, nothing changed).
"""

from anjian.core.testing.isolation import Route


def _organization_form(w) -> dict:
    return {
        "type": "institution",
        "name": "改名测试医院",
        "parent": w.district_b.pk,
        "kind": "public_hospital",
        "credit_code": "",
    }


def _hospital(w) -> dict:
    return {"pk": w.hospital_b.pk}


def _dept(w) -> dict:
    return {"pk": w.dept_b.pk}


def _post(w) -> dict:
    return {"pk": w.post_b.pk}


ROUTES = [
    # organizations
    Route("orgs:organization-list", "scoped", query="?q=乙方&active=all"),
    Route("orgs:organization-create", "scoped", post=True, data=_organization_form),
    Route("orgs:organization-detail", "scoped", kwargs=_hospital),
    Route("orgs:organization-update", "scoped", kwargs=_hospital, post=True, data=_organization_form),
    Route("orgs:organization-deactivate", "scoped", kwargs=_hospital, post=True, data=lambda w: {"note": "停用"}),
    Route("orgs:organization-reactivate", "scoped", kwargs=_hospital, post=True, data=lambda w: {"note": "启用"}),
    # departments and posts
    Route("orgs:department-list", "scoped", query="?q=乙方"),
    Route(
        "orgs:department-create",
        "scoped",
        kwargs=lambda w: {"organization_pk": w.hospital_b.pk},
        post=True,
        data=lambda w: {"name": "渗透科", "parent": w.dept_b.pk},
    ),
    Route("orgs:department-detail", "scoped", kwargs=_dept),
    Route("orgs:department-update", "scoped", kwargs=_dept, post=True, data=lambda w: {"name": "被改名的科室"}),
    Route("orgs:department-deactivate", "scoped", kwargs=_dept, post=True, data=lambda w: {"note": "停用"}),
    Route("orgs:department-reactivate", "scoped", kwargs=_dept, post=True, data=lambda w: {"note": "启用"}),
    Route(
        "orgs:post-create",
        "scoped",
        kwargs=_dept,
        post=True,
        data=lambda w: {"name": "渗透岗", "department": w.dept_b.pk, "is_front_line": "on"},
    ),
    Route(
        "orgs:post-update",
        "scoped",
        kwargs=_post,
        post=True,
        data=lambda w: {"name": "被改名的岗位", "department": w.dept_b.pk},
    ),
    Route("orgs:post-deactivate", "scoped", kwargs=_post, post=True, data=lambda w: {"note": "停用"}),
    Route("orgs:post-reactivate", "scoped", kwargs=_post, post=True, data=lambda w: {"note": "启用"}),
]
