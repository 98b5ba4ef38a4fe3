"""``/api/v1/organizations/``: paginated, only what the caller may see, in a bounded number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from anjian.core.testing import factories as f

LIST = "/api/v1/organizations/"


@pytest.fixture
def api(client):
    def as_user(user):
        token, _created = Token.objects.get_or_create(user=user)
        client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
        return client

    return as_user


def names(body):
    return [row["name"] for row in body["results"]]


def test_a_page_says_how_many_and_links_the_next(api, world):
    for _ in range(3):
        f.make_institution(parent=world.district_a)

    body = api(world.regulator_a).get(LIST, {"page_size": 2}).json()

    assert list(body) == ["count", "next", "previous", "results"]
    assert body["count"] == 6  # district_a, hospital_a, clinic_a and the 3 new ones
    assert body["previous"] is None
    assert body["next"].endswith("/api/v1/organizations/?page=2&page_size=2")
    assert len(body["results"]) == 2
    last = api(world.regulator_a).get(LIST, {"page_size": 2, "page": 3}).json()
    assert last["next"] is None
    assert len(last["results"]) == 2


def test_a_clinic_officer_sees_exactly_its_clinic(api, world):
    body = api(world.clinic_officer_a).get(LIST).json()

    assert body["count"] == 1
    assert names(body) == ["甲区诊所"]
    assert body["results"][0]["type"] == "institution"
    assert body["results"][0]["type_label"] == "医疗卫生机构"
    assert body["results"][0]["parent_name"] == "甲区卫健委"


def test_a_regulator_sees_its_district_in_tree_order(api, world):
    body = api(world.regulator_a).get(LIST).json()

    assert names(body) == ["甲区卫健委", "甲区人民医院", "甲区诊所"]


def test_the_system_admin_sees_every_organization(api, world):
    assert api(world.admin).get(LIST).json()["count"] == 7


def test_filters_stay_inside_the_scope(api, world):
    client = api(world.regulator_a)

    assert names(client.get(LIST, {"type": "institution"}).json()) == ["甲区人民医院", "甲区诊所"]
    assert names(client.get(LIST, {"q": "诊所"}).json()) == ["甲区诊所"]
    assert names(client.get(LIST, {"q": "乙区"}).json()) == []
    assert names(client.get(LIST, {"q": world.hospital_b.credit_code}).json()) == []
    assert names(client.get(LIST, {"q": world.hospital_a.credit_code}).json()) == ["甲区人民医院"]


def test_a_detail_outside_the_scope_is_404_like_a_missing_one(api, world):
    client = api(world.regulator_a)

    assert client.get(f"{LIST}{world.hospital_a.pk}/").json()["name"] == "甲区人民医院"
    out_of_scope = client.get(f"{LIST}{world.hospital_b.pk}/")
    missing = client.get(f"{LIST}987654321/")
    assert out_of_scope.status_code == missing.status_code == 404
    assert out_of_scope.json() == missing.json() == {"detail": "未找到该记录。"}


def test_the_organization_api_is_read_only(api, world):
    client = api(world.admin)

    assert client.post(LIST, {"name": "新机构"}, content_type="application/json").status_code == 405
    assert (
        client.patch(f"{LIST}{world.hospital_a.pk}/", {"name": "x"}, content_type="application/json").status_code == 405
    )
    assert client.delete(f"{LIST}{world.hospital_a.pk}/").status_code == 405


def test_a_deactivated_organization_is_listed_only_when_asked(api, world):
    from anjian.orgs import services

    services.organization_set_active(organization=world.clinic_a, by=world.regulator_a, active=False)
    client = api(world.regulator_a)

    assert "甲区诊所" not in names(client.get(LIST).json())
    assert "甲区诊所" in names(client.get(LIST, {"include_inactive": "true"}).json())


def queries_for(client, page_size):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(LIST, {"page_size": page_size})
    assert response.status_code == 200
    assert len(response.json()["results"]) == page_size
    return len(ctx.captured_queries)


def test_the_list_costs_the_same_queries_for_10_or_50_rows(api, world, django_assert_max_num_queries):
    for _ in range(50):
        f.make_institution(parent=world.district_a)
    client = api(world.regulator_a)
    queries_for(client, 1)  # warm caches (content types, the token's user)

    ten, fifty = queries_for(client, 10), queries_for(client, 50)

    assert ten == fifty
    with django_assert_max_num_queries(5):  # token+user, organization, count, page (4 today)
        client.get(LIST, {"page_size": 50})
