"""The checks every app's services start with (core.services): the role's permission, the
institution the user writes for, and that writes stay within the user's own organization."""

import pytest

from anjian.core.errors import DomainError, NotPermittedError
from anjian.core.permissions import Action
from anjian.core.services import acting_institution, require_action, require_own

pytestmark = pytest.mark.django_db


def test_require_action_refuses_a_role_without_the_action_naming_it(world):
    require_action(world.officer_a, Action.TRAINING_MANAGE)

    with pytest.raises(NotPermittedError, match=str(Action.TRAINING_MANAGE.label)) as refused:
        require_action(world.staff_a, Action.TRAINING_MANAGE)

    assert refused.value.status_code == 403


def test_acting_institution_is_the_users_own_institution_and_refuses_a_regulator(world):
    assert acting_institution(world.officer_a, refusal="由机构登记") == world.hospital_a

    with pytest.raises(DomainError, match="由机构登记") as refused:
        acting_institution(world.regulator_a, refusal="由机构登记")

    assert refused.value.status_code == 400


def test_require_own_refuses_an_object_of_another_organization_with_the_apps_words(world):
    class Record:
        organization_id = world.hospital_a.pk

    require_own(world.officer_a, Record(), refusal="只能维护本单位的记录")

    with pytest.raises(NotPermittedError, match="只能维护本单位的记录"):
        require_own(world.regulator_a, Record(), refusal="只能维护本单位的记录")
