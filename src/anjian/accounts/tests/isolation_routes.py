"""The people pages for the isolation test (anjian.core.testing.isolation).

Object routes aim at staff_b, a nurse of hospital_b (the victim); the create form is posted with
hospital_b and its department and post in the body, which the scoped choices must refuse.
"""

from anjian.core.testing.isolation import Route


def _staff_b(w) -> dict:
    return {"pk": w.staff_b.pk}


def _person(w) -> dict:
    return {
        "username": "intruder",
        "name": "渗透测试",
        "organization": w.hospital_b.pk,
        "department": w.dept_b.pk,
        "post": w.post_b.pk,
        "role": "staff",
        "password": "Intrude@2026-x",
        "password2": "Intrude@2026-x",
    }


ROUTES = [
    Route("people:user-list", "scoped", query="?q=乙方&active=all"),
    Route("people:user-create", "scoped", post=True, data=_person),
    Route("people:user-detail", "scoped", kwargs=_staff_b),
    Route("people:user-update", "scoped", kwargs=_staff_b, post=True, data=_person),
    Route("people:user-deactivate", "scoped", kwargs=_staff_b, post=True, data=lambda w: {"note": "停用"}),
    Route("people:user-reactivate", "scoped", kwargs=_staff_b, post=True, data=lambda w: {"note": "启用"}),
    Route(
        "people:user-password-reset",
        "scoped",
        kwargs=_staff_b,
        post=True,
        data=lambda w: {"password": "Intrude@2026-x", "password2": "Intrude@2026-x"},
    ),
    Route("people:user-unlock", "scoped", kwargs=_staff_b, post=True, data=lambda w: {}, witness=False),
]
