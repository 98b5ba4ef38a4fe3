"""The organization, department and post pages for the isolation test (anjian.core.testing.isolation).

Object routes aim at hospital_b (the victim), its department dept_b and post post_b; the forms
without an object in the URL are posted with the victim's objects in the body, which the scoped
choices must refuse (a form error, nothing changed).
"""

import datetime as dt

from django.utils import timezone

from anjian.core.testing.isolation import Route
from anjian.core.testing.world import VICTIM


def extend_world(world) -> None:
    """engagement_b: district_b engages its provider's inspector for hospital_b; and district_a
    engages the attacking inspector_a for hospital_a, so that attacker is an engaged one."""
    from anjian.core.testing.isolation import attackers
    from anjian.orgs import services

    if "engagement_b" in world.extra:
        return
    today = timezone.localdate()
    world.extra["engagement_b"] = services.engagement_create(
        by=world.regulator_b,
        data={"inspector": world.inspector_b, "purpose": f"{VICTIM}委托督导", "starts_on": today, "ends_on": today},
        institutions=[world.hospital_b],
    )
    attackers(world)
    services.engagement_create(
        by=world.regulator_a,
        data={
            "inspector": world.extra["inspector_a"],
            "purpose": "甲区全区检查",
            "starts_on": today,
            "ends_on": today + dt.timedelta(days=30),
            "whole_jurisdiction": True,
        },
    )


def _engagement(w) -> dict:
    extend_world(w)
    return {"pk": w.extra["engagement_b"].pk}


def _engagement_form(w) -> dict:
    extend_world(w)
    today = timezone.localdate().isoformat()
    return {
        "inspector": w.inspector_b.pk,
        "purpose": "渗透委托",
        "institutions": [w.hospital_b.pk],
        "starts_on": today,
        "ends_on": today,
    }


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
    # the yearly evaluation of hospital_b's district's provider (issue 16)
    Route(
        "orgs:provider-evaluate",
        "scoped",
        kwargs=lambda w: {"pk": w.provider_b.pk},
        post=True,
        data=lambda w: {
            "year": 2026,
            "score_qualification": 1,
            "score_quality": 1,
            "score_timeliness": 1,
            "score_follow_up": 1,
            "score_conduct": 1,
        },
    ),
    Route("orgs:organization-deactivate", "scoped", kwargs=_hospital, post=True, data=lambda w: {"note": "停用"}),
    Route("orgs:organization-reactivate", "scoped", kwargs=_hospital, post=True, data=lambda w: {"note": "启用"}),
    # engagements (委托检查员)
    Route("orgs:engagement-list", "scoped"),
    Route("api:engagement-list", "scoped"),
    Route("api:engagement-detail", "scoped", kwargs=_engagement),
    Route("orgs:engagement-create", "scoped", post=True, data=_engagement_form),
    Route("orgs:engagement-update", "scoped", kwargs=_engagement, post=True, data=_engagement_form),
    Route("orgs:engagement-end", "scoped", kwargs=_engagement, post=True, data=lambda w: {"note": "结束"}),
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
