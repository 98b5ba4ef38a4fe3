"""Annual training plans, sessions and their attendance (by list, or by the attendee scanning the
session's QR code)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core import audit
from anjian.core.audit import AuditVerb
from anjian.core.errors import ConflictError, DomainError, NotPermittedError
from anjian.core.permissions import Action
from anjian.core.scoping import get_visible_or_404
from anjian.core.services import require_action, validated_save
from anjian.core.uploads import ATTACHMENT_KINDS
from anjian.training.choices import AttendanceMethod
from anjian.training.models import Attendance, Paper, TrainingPlan, TrainingPlanItem, TrainingSession
from anjian.training.services.common import attach, institution_of, own, people_of

SESSION_FIELDS = ["title", "category", "held_on", "hours", "teacher", "place", "content", "quiz", "plan_item"]
PLAN_ITEM_FIELDS = ["topic", "category", "month", "hours", "audience"]


@transaction.atomic
def training_plan_create(*, by, year: int, title: str = "") -> TrainingPlan:
    require_action(by, Action.TRAINING_MANAGE)
    org = institution_of(by)
    plan = TrainingPlan(organization=org, year=year, title=(title or "").strip() or f"{year}年度安全培训计划")
    plan.created_by = by
    validated_save(plan)
    audit.record(actor=by, verb=AuditVerb.TRAINING_PLAN_CREATED, target=plan, changes={"title": [None, plan.title]})
    return plan


@transaction.atomic
def training_plan_item_add(
    *, by, plan: TrainingPlan, data: dict[str, Any], posts=(), departments=()
) -> TrainingPlanItem:
    """An item of the plan: topic, category, month, hours, and its audience (a text, and/or the
    posts and departments of the institution it is for)."""
    require_action(by, Action.TRAINING_MANAGE)
    plan = get_visible_or_404(TrainingPlan.objects.select_for_update(), by, pk=plan.pk)
    own(by, plan)
    if not (data.get("topic") or "").strip():
        raise DomainError(_("请填写培训内容。"), field="topic")
    if data.get("category") is None:
        raise DomainError(_("请选择培训类别。"), field="category")
    for post in posts:
        if post.organization_id != plan.organization_id:
            raise DomainError(_("对象岗位须属于本单位。"), field="posts")
    for department in departments:
        if department.organization_id != plan.organization_id:
            raise DomainError(_("对象科室须属于本单位。"), field="departments")
    item = TrainingPlanItem(plan=plan, **{k: data[k] for k in PLAN_ITEM_FIELDS if k in data})
    validated_save(item)
    item.posts.set(posts)
    item.departments.set(departments)
    audience = [str(p) for p in posts] + [d.name for d in departments]
    audit.record(
        actor=by,
        verb=AuditVerb.TRAINING_PLAN_ITEM_ADDED,
        target=plan,
        changes={
            **audit.diff({}, audit.snapshot(item, PLAN_ITEM_FIELDS)),
            **({"audience_units": [None, audience]} if audience else {}),
        },
    )
    return item


@transaction.atomic
def training_session_create(*, by, data: dict[str, Any], attendees=(), materials=None) -> TrainingSession:
    """Enter a training (held or planned). ``attendees``: people of the institution who attended,
    recorded by list; others sign in later by the QR code."""
    require_action(by, Action.TRAINING_MANAGE)
    org = institution_of(by)
    if not (data.get("title") or "").strip():
        raise DomainError(_("请填写培训名称。"), field="title")
    if not isinstance(data.get("held_on"), dt.date):
        raise DomainError(_("请填写培训日期。"), field="held_on")
    if data.get("hours") in (None, ""):
        raise DomainError(_("请填写学时。"), field="hours")
    quiz = data.get("quiz")
    if quiz is not None and (quiz.organization_id != org.pk or not quiz.is_active):
        raise DomainError(_("随堂测验须是本单位启用的试卷。"), field="quiz")
    item = data.get("plan_item")
    if item is not None and item.plan.organization_id != org.pk:
        raise DomainError(_("计划条目须属于本单位的培训计划。"), field="plan_item")
    people = people_of(org, attendees, field="attendees")
    if people:
        _check_held(data["held_on"])
    session = TrainingSession(organization=org, created_by=by, **{k: data[k] for k in SESSION_FIELDS if k in data})
    session.hours = Decimal(str(session.hours))
    attach(session, "materials", materials, allowed=ATTACHMENT_KINDS, name_field="materials_name", label="materials")
    validated_save(session)
    audit.record(
        actor=by,
        verb=AuditVerb.TRAINING_SESSION_CREATED,
        target=session,
        changes=audit.diff({}, audit.snapshot(session, ["title", "category", "held_on", "hours", "teacher"])),
    )
    if people:
        _record(session, people, by=by, method=AttendanceMethod.LIST)
    return session


def _check_held(held_on: dt.date) -> None:
    """Attendance is recorded for a training held, not one still to come (as for the QR sign-in)."""
    if held_on > timezone.localdate():
        raise DomainError(
            _("培训尚未开始（%(d)s），不能提前登记参训人员。") % {"d": held_on.isoformat()}, field="attendees"
        )


def _record(session: TrainingSession, people, *, by, method: str) -> list[Attendance]:
    done = set(Attendance.objects.filter(session=session, user__in=people).values_list("user_id", flat=True))
    now = timezone.now()
    new = [
        Attendance(session=session, user=u, method=method, signed_at=now, recorded_by=by)
        for u in people
        if u.pk not in done
    ]
    Attendance.objects.bulk_create(new)
    if new:
        audit.record(
            actor=by,
            verb=AuditVerb.TRAINING_ATTENDANCE_RECORDED,
            target=session,
            changes={
                "attendees": [None, [a.user.name for a in new]],
                "method": [None, str(AttendanceMethod(method).label)],
            },
        )
    return new


@transaction.atomic
def training_session_void(*, by, session: TrainingSession, reason: str) -> TrainingSession:
    """A session entered by mistake: kept and marked void with the reason; its hours leave every
    person's file, the overview and the register, and nobody may sign in to it any more."""
    require_action(by, Action.TRAINING_MANAGE)
    session = get_visible_or_404(TrainingSession.objects.select_for_update(of=("self",)), by, pk=session.pk)
    own(by, session)
    if not session.is_active:
        raise ConflictError(_("该培训已作废。"))
    reason = (reason or "").strip()[:200]
    if not reason:
        raise DomainError(_("请填写作废原因。"), field="reason")
    session.is_active, session.void_reason, session.voided_at, session.voided_by = False, reason, timezone.now(), by
    session.save(update_fields=["is_active", "void_reason", "voided_at", "voided_by"])
    audit.record(
        actor=by,
        verb=AuditVerb.TRAINING_SESSION_VOIDED,
        target=session,
        changes={"is_active": [True, False], "attendees": [session.attendances.count(), None]},
        note=reason,
    )
    return session


@transaction.atomic
def attendance_record(*, by, session: TrainingSession, people) -> list[Attendance]:
    """The organizer records attendance by list."""
    require_action(by, Action.TRAINING_MANAGE)
    session = get_visible_or_404(TrainingSession.objects.select_for_update(), by, pk=session.pk)
    own(by, session)
    if not session.is_active:
        raise ConflictError(_("该培训已作废，不能登记签到。"))
    people = people_of(session.organization, people, field="attendees")
    if not people:
        raise DomainError(_("请选择参训人员。"), field="attendees")
    _check_held(session.held_on)
    return _record(session, people, by=by, method=AttendanceMethod.LIST)


@transaction.atomic
def attendance_sign_in(*, by, code: str) -> Attendance:
    """The attendee signs in by the session's QR code: a signed-in person of the same institution,
    on the day of the training (or after it, the same week: a late scan still counts)."""
    require_action(by, Action.TRAINING_ATTEND)
    session = get_visible_or_404(TrainingSession.objects.select_for_update(), by, code=code)
    if session.organization_id != by.organization_id:
        raise NotPermittedError(_("只有本单位人员可以签到。"))
    if not session.is_active:
        raise DomainError(_("该培训已作废，不能签到。"))
    today = timezone.localdate()
    if today < session.held_on:
        raise DomainError(_("培训尚未开始（%(d)s），不能提前签到。") % {"d": session.held_on.isoformat()})
    if (today - session.held_on).days > 7:
        raise DomainError(_("培训已过去一周以上，请联系安全管理员按名单补登。"))
    existing = Attendance.objects.filter(session=session, user=by).first()
    if existing is not None:
        return existing
    return _record(session, [by], by=by, method=AttendanceMethod.QR)[0]


def quiz_of(session: TrainingSession) -> Paper | None:
    return session.quiz if session.quiz_id and session.quiz.is_active else None
