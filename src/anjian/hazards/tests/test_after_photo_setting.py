"""整改后照片 is required by the server when the institution requires it (``Organization.
require_after_photo``, on by default), for the page and the API alike; its officer or the regulator
switch it on the institution's edit page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from anjian.core.audit import AuditVerb
from anjian.core.models import AuditEvent
from anjian.core.testing.factories import api_client
from anjian.hazards import services
from anjian.hazards.choices import HazardStatus
from anjian.hazards.models import Hazard, HazardPhoto
from anjian.hazards.tests.helpers import general_plan, report
from anjian.orgs.models import Organization

pytestmark = pytest.mark.django_db
SAYS = "本单位要求提交整改结果时上传整改后照片"


@pytest.fixture
def rectifying(people):
    w = people
    h = report(w.staff_a, w.hospital_a, department=w.dept_a)
    return services.hazard_confirm(hazard=h, by=w.officer_a, plan=general_plan(w.extra["dept_head_a"]))


def state(h: Hazard):
    return Hazard.objects.filter(pk=h.pk).values().get(), HazardPhoto.objects.count(), AuditEvent.objects.count()


def test_institutions_require_the_after_photo_by_default(people):
    assert Organization._meta.get_field("require_after_photo").default is True
    assert people.hospital_a.require_after_photo is True


def test_submitting_without_the_after_photo_is_refused_where_the_institution_requires_it(client, people, rectifying):
    w = people
    head = w.extra["dept_head_a"]
    before = state(rectifying)
    client.force_login(head)
    url = reverse("hazards:hazard-action", args=[rectifying.pk, "submit"])
    assert "本单位要求必传" in client.get(url).content.decode()
    response = client.post(url, {"rectification_note": "已清理"})
    assert response.status_code == 200 and SAYS in response.content.decode()
    assert 'data-testid="error-after_photos"' in response.content.decode()
    response = api_client(head).post(
        f"/api/v1/hazards/{rectifying.pk}/submit/", {"rectification_note": "已清理"}, format="json"
    )
    assert response.status_code == 400 and SAYS in response.json()["errors"]["after_photos"][0]
    assert state(rectifying) == before


def test_an_institution_that_does_not_require_it_submits_without_an_after_photo(client, people, rectifying):
    w = people
    Organization.objects.filter(pk=w.hospital_a.pk).update(require_after_photo=False)
    client.force_login(w.extra["dept_head_a"])
    url = reverse("hazards:hazard-action", args=[rectifying.pk, "submit"])
    assert "本单位要求必传" not in client.get(url).content.decode()
    response = client.post(url, {"rectification_note": "已签订安全生产管理协议"})
    assert response.status_code == 302
    rectifying.refresh_from_db()
    assert rectifying.status == HazardStatus.AWAITING_ACCEPTANCE and not rectifying.photos.filter(phase="after")

    other = report(w.staff_a, w.hospital_a, department=w.dept_a)
    services.hazard_confirm(hazard=other, by=w.officer_a, plan=general_plan(w.extra["dept_head_a"]))
    response = api_client(w.extra["dept_head_a"]).post(
        f"/api/v1/hazards/{other.pk}/submit/", {"rectification_note": "已整改"}, format="json"
    )
    assert response.status_code == 200, response.content.decode()
    assert response.json()["status"] == "awaiting_acceptance"


def _edit(client, org, **changes):
    url = reverse("orgs:organization-update", args=[org.pk])
    form = client.get(url).context["form"]
    assert "require_after_photo" in form.fields
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data = {k: v for k, v in data.items() if v is not False}
    data.update(changes)
    data = {k: v for k, v in data.items() if v is not False}  # an unticked box is not sent
    return client.post(url, data)


def test_the_officer_and_the_regulator_switch_it_on_the_institution_edit_page(client, people):
    w = people
    client.force_login(w.officer_a)
    assert _edit(client, w.hospital_a, require_after_photo=False).status_code == 302
    w.hospital_a.refresh_from_db()
    assert w.hospital_a.require_after_photo is False
    event = AuditEvent.objects.filter(verb=AuditVerb.ORGANIZATION_UPDATED, target_id=str(w.hospital_a.pk)).get()
    assert event.changes["require_after_photo"] == [True, False]

    client.force_login(w.regulator_a)
    assert _edit(client, w.hospital_a, require_after_photo="on").status_code == 302
    w.hospital_a.refresh_from_db()
    assert w.hospital_a.require_after_photo is True

    client.force_login(w.regulator_a)  # a regulator's own profile has no such setting
    url = reverse("orgs:organization-update", args=[w.district_a.pk])
    assert "require_after_photo" not in client.get(url).context["form"].fields
