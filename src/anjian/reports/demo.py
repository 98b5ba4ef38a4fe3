"""Demo notices: the district's 挂牌督办通知书 for its supervised major hazards, its 约谈通知 for its
interviews, and the demo hospital's 隐患整改通知书 for its oldest open hazard. Idempotent: a notice
is issued once per hazard (or interview) and kind."""

from __future__ import annotations

from anjian.accounts.models import User
from anjian.hazards.choices import OPEN_STATUSES, HazardLevel
from anjian.hazards.models import Hazard
from anjian.inspections.models import Interview
from anjian.reports import services
from anjian.reports.choices import NoticeKind
from anjian.reports.defaults import ensure_defaults
from anjian.reports.models import Notice


def seed() -> int:
    ensure_defaults()
    regulator = User.objects.filter(username="regulator").first()
    officer = User.objects.filter(username="hospital_officer").first()
    if regulator is None or officer is None:
        return 0
    before = Notice.objects.count()
    for hazard in Hazard.objects.visible_to(regulator).filter(level=HazardLevel.MAJOR, is_supervised=True)[:3]:
        services.notice_issue(kind=NoticeKind.SUPERVISION, target=hazard, by=regulator)
    for interview in Interview.objects.visible_to(regulator).filter(regulator=regulator.organization)[:3]:
        services.notice_issue(kind=NoticeKind.INTERVIEW, target=interview, by=regulator)
    oldest = (
        Hazard.objects.filter(organization=officer.organization, status__in=OPEN_STATUSES)
        .order_by("found_at", "pk")
        .first()
    )
    if oldest is not None:
        services.notice_issue(kind=NoticeKind.RECTIFICATION, target=oldest, by=officer)
    return Notice.objects.count() - before
