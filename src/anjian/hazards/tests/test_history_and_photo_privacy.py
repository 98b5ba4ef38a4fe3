"""Who did what, by name, is for those the matrix lets read the audit (audit.view): the nurse, the
department head and the inspector read a hazard but not its history; photos are never cached."""

import pytest
from django.urls import reverse

from anjian.core.testing.factories import api_client
from anjian.hazards.models import HazardPhoto
from anjian.hazards.tests.helpers import report

pytestmark = pytest.mark.django_db


def test_the_nurse_reads_the_hazard_but_not_who_did_what(client, world):
    hazard = report(world.staff_a, world.hospital_a)
    nurse = api_client(world.staff_a)
    assert nurse.get(f"/api/v1/hazards/{hazard.pk}/").status_code == 200
    assert nurse.get(f"/api/v1/hazards/{hazard.pk}/events/").status_code == 403
    client.force_login(world.staff_a)
    page = client.get(reverse("hazards:hazard-detail", args=[hazard.pk])).content.decode()
    assert 'data-testid="history"' not in page
    officer = api_client(world.officer_a)
    events = officer.get(f"/api/v1/hazards/{hazard.pk}/events/").json()["results"]
    assert events and world.staff_a.name in events[-1]["actor_name"]
    client.force_login(world.officer_a)
    assert 'data-testid="history"' in client.get(reverse("hazards:hazard-detail", args=[hazard.pk])).content.decode()


def test_a_hazard_photo_is_never_kept_in_a_cache(client, world):
    hazard = report(world.staff_a, world.hospital_a)
    photo = HazardPhoto.objects.get(hazard=hazard)
    client.force_login(world.officer_a)
    for response in (
        client.get(reverse("hazards:hazard-photo", args=[photo.pk, "full"])),
        api_client(world.officer_a).get(f"/api/v1/hazards/{hazard.pk}/photos/{photo.pk}/image/"),
    ):
        assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
        assert response["X-Content-Type-Options"] == "nosniff"
