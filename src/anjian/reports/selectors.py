"""Reads of the reports app, always from the user's scope: notices and their versions, what a notice
is issued for, the notice templates and the statistics topics. Reads write nothing: the templates
are seeded by the migrations (``reports.defaults``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from anjian.core.errors import DomainError
from anjian.core.scoping import get_visible_or_404
from anjian.hazards import selectors as hazard_selectors
from anjian.inspections.models import Interview
from anjian.reports.choices import NoticeKind
from anjian.reports.models import Notice, NoticeTemplate, StatisticsTopic


def notice_list(*, user, limit: int = 50) -> list[Notice]:
    """The newest notices the user may see."""
    qs = Notice.objects.visible_to(user).select_related("organization", "issuer").order_by("-pk")
    return list(qs[:limit])


def notice_get(*, user, pk) -> Notice:
    """One notice in the user's scope (404 otherwise, exactly like a missing one)."""
    qs = Notice.objects.select_related("organization", "issuer", "hazard", "interview", "template", "issued_by")
    return get_visible_or_404(qs, user, pk=pk)


def notice_versions(notice: Notice) -> list[Notice]:
    """Every version of the notice's kind for its hazard or interview, newest first."""
    lookup = {"interview_id": notice.interview_id} if notice.interview_id else {"hazard_id": notice.hazard_id}
    return list(Notice.objects.filter(kind=notice.kind, **lookup).select_related("issued_by").order_by("-version"))


def notice_target(*, kind: str, pk, user):
    """What a notice of ``kind`` is issued for: an interview (约谈) or a hazard, in the user's scope."""
    if kind == NoticeKind.INTERVIEW:
        return get_visible_or_404(Interview.objects.select_related("institution", "regulator"), user, pk=pk)
    return hazard_selectors.hazard_get(user=user, pk=pk)


def template_current(kind: str) -> NoticeTemplate:
    """The kind's template in force (its newest version)."""
    template = NoticeTemplate.objects.filter(kind=kind).order_by("-version").first()
    if template is None:  # the migrations seed one of each kind: only a damaged database lacks it
        raise DomainError(_("缺少该文书的模板，请系统管理员执行数据库迁移（manage.py migrate）。"))
    return template


def template_versions(kind: str) -> list[NoticeTemplate]:
    return list(NoticeTemplate.objects.filter(kind=kind).select_related("created_by").order_by("-version"))


def topic_list() -> list[StatisticsTopic]:
    return list(StatisticsTopic.objects.prefetch_related("categories"))
