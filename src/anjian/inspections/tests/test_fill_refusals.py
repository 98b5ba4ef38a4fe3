"""A checklist the user may not fill is refused when it is opened, not after it was filled in: this
period's is done already (409, with the way to the record), it is not their task (403), it is not
their record to correct (403). A refused submission tells every problem at once, under its item,
and answers JSON to the page's script so that the page (and the photos chosen) stays."""

import pytest
from django.urls import reverse

from anjian.core.testing.factories import make_user
from anjian.inspections import services
from anjian.inspections.models import InspectionRecord
from anjian.inspections.tests.helpers import answers, make_point, make_schedule, starter

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def setup(world):
    point = make_point(world.officer_a, department=world.dept_a)
    schedule = make_schedule(world.officer_a, points=[point], post=world.post_a)
    return world, point, schedule


def _fill(schedule, point) -> str:
    return f"{reverse('inspections:record-create', args=[schedule.pk])}?point={point.pk}"


def _items():
    return list(starter().items.order_by("section__order", "order"))


def test_a_checklist_done_this_period_is_refused_when_opened(setup, client):
    w, point, schedule = setup
    done = services.inspection_submit(by=w.staff_a, schedule=schedule, point=point, results=answers(starter()))
    client.force_login(w.staff_a)

    response = client.get(_fill(schedule, point))

    page = response.content.decode()
    assert response.status_code == 409
    assert f"本周期已完成该检查（记录 {done.number}）" in page
    assert 'data-testid="record-form"' not in page
    assert reverse("inspections:record-detail", args=[done.pk]) in page  # the way to the record (and 更正)


def test_a_checklist_that_is_not_ones_task_is_refused_when_opened(setup, client):
    w, point, schedule = setup
    other_post = make_user(organization=w.hospital_a, role="staff")  # same hospital, not the ward's post
    client.force_login(other_post)

    response = client.get(_fill(schedule, point))

    assert response.status_code == 403
    assert f"排查计划“{schedule.name}”不是您的排查任务。" in response.content.decode()
    assert 'data-testid="record-form"' not in response.content.decode()
    # the one whose task it is gets the form; so does a leader of the unit
    for user in (w.staff_a, w.officer_a):
        client.force_login(user)
        assert client.get(_fill(schedule, point)).status_code == 200


def test_a_schedule_with_points_opened_without_one_names_its_points(setup, client):
    w, point, schedule = setup
    client.force_login(w.staff_a)
    response = client.get(reverse("inspections:record-create", args=[schedule.pk]))
    assert response.status_code == 400 and f"请选择巡检点：该计划在 {point.name} 检查。" in response.content.decode()


def test_a_correction_is_refused_when_opened_by_someone_who_may_not_correct_it(setup, client):
    w, point, schedule = setup
    record = services.inspection_submit(by=w.staff_a, schedule=schedule, point=point, results=answers(starter()))
    colleague = make_user(organization=w.hospital_a, role="staff", post=w.post_a)
    url = reverse("inspections:record-correct", args=[record.pk])

    client.force_login(colleague)
    response = client.get(url)
    assert response.status_code == 403 and "只有原检查人" in response.content.decode()

    for user in (w.staff_a, w.officer_a):
        client.force_login(user)
        assert client.get(url).status_code == 200


def test_the_form_shows_all_its_errors_at_once(setup, client):
    w, point, schedule = setup
    items = _items()
    unanswered, no_note, no_photo = items[0], items[1], items[4]
    assert no_photo.photo_required_on_fail
    data = {f"r_{i.pk}": "pass" for i in items if i != unanswered}
    data.update({"point": point.pk, f"r_{no_note.pk}": "fail", f"r_{no_photo.pk}": "fail", f"n_{no_photo.pk}": "过期"})
    client.force_login(w.staff_a)

    response = client.post(_fill(schedule, point), data)

    page = response.content.decode()
    assert response.status_code == 400
    expected = [
        f"“{unanswered.text}”未填写：请选择合格、不合格或不适用。",
        f"“{no_note.text}”不合格：请说明发现的问题。",
        f"“{no_note.text}”不合格：须拍摄现场照片。",
        f"“{no_photo.text}”不合格：须拍摄现场照片。",
    ]
    for message in expected:
        assert message in page
    assert "共 4 处需要补充或改正" in page
    assert page.count("has-error") == 3  # each item in error is marked
    for item in (unanswered, no_note, no_photo):
        assert f'href="#item-{item.pk}"' in page  # the summary links to it
    assert InspectionRecord.objects.count() == 0

    # the page's script asks for JSON: the same problems, by item
    answer = client.post(_fill(schedule, point), data, **JSON)
    assert answer.status_code == 400 and answer["Content-Type"] == "application/json"
    body = answer.json()
    assert body["message"].startswith("共 4 处需要补充或改正")
    assert body["errors"] == {
        f"item_{unanswered.pk}": [expected[0]],
        f"item_{no_note.pk}": expected[1:3],
        f"item_{no_photo.pk}": [expected[3]],
    }
    assert InspectionRecord.objects.count() == 0


def test_a_correction_without_reason_is_told_with_the_items_problems(setup, client):
    w, point, schedule = setup
    record = services.inspection_submit(by=w.staff_a, schedule=schedule, point=point, results=answers(starter()))
    item = _items()[1]
    data = {f"r_{i.pk}": "pass" for i in _items()}
    data[f"r_{item.pk}"] = "fail"
    client.force_login(w.staff_a)

    body = client.post(reverse("inspections:record-correct", args=[record.pk]), data, **JSON).json()

    assert list(body["errors"]) == ["correction_reason", f"item_{item.pk}"]
    assert body["errors"]["correction_reason"] == ["更正记录须填写更正原因。"]


def test_the_script_gets_where_to_go_after_a_submission(setup, client):
    w, point, schedule = setup
    data = {f"r_{i.pk}": "pass" for i in _items()}
    data["point"] = point.pk
    client.force_login(w.staff_a)

    answer = client.post(_fill(schedule, point), data, **JSON)

    record = InspectionRecord.objects.get()
    assert answer.status_code == 200
    assert answer.json() == {"redirect": reverse("inspections:record-detail", args=[record.pk])}
    page = client.get(answer.json()["redirect"]).content.decode()
    assert f"已提交检查记录 {record.number}" in page
    # submitted again (another tab): refused as done, in JSON
    again = client.post(_fill(schedule, point), data, **JSON)
    assert again.status_code == 409 and record.number in again.json()["message"]
