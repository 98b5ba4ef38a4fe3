"""The counts at the top of the home page (``core.home.summary_for``): the institutions, departments
and people in the user's scope."""

from anjian.accounts.models import User
from anjian.orgs.choices import OrganizationType
from anjian.orgs.models import Department, Organization


def summary(user) -> dict:
    return {
        "institution_count": Organization.objects.visible_to(user)
        .filter(is_active=True, type=OrganizationType.INSTITUTION)
        .count(),
        "department_count": Department.objects.visible_to(user).filter(is_active=True).count(),
        "user_count": User.objects.visible_to(user).filter(is_active=True).count(),
    }
