"""Reads shared across apps."""

from anjian.accounts.models import User
from anjian.orgs.choices import OrganizationType
from anjian.orgs.models import Department, Organization


def home_summary(*, user) -> dict:
    """The counts on the home page, within the user's scope."""
    orgs = Organization.objects.visible_to(user).filter(is_active=True)
    return {
        "organization": user.organization,
        "institution_count": orgs.filter(type=OrganizationType.INSTITUTION).count(),
        "department_count": Department.objects.visible_to(user).filter(is_active=True).count(),
        "user_count": User.objects.visible_to(user).filter(is_active=True).count(),
    }
