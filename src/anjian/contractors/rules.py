"""The checks a permit must pass, as lists of reasons in Chinese: a contractor's documents (an
expired qualification, agreement or insurance blocks new permits) and what is missing before the
work may start (approvals, a fresh passing gas test, the guardian, the window). The services refuse
with these reasons; the permit's page lists them, so the page and the server say the same."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.contractors.choices import PermitStatus
from anjian.contractors.models import Contractor, GasTest, Qualification, WorkPermit


def _d(day: dt.date) -> str:
    return day.isoformat()


def qualification_superseded_q() -> Exists:
    """A qualification is superseded when the same contractor holds a later active one of the same
    name (a renewal): only the latest of each name counts, for the blockers and the warnings."""
    return Exists(
        Qualification.objects.filter(
            contractor_id=OuterRef("contractor_id"),
            name=OuterRef("name"),
            is_active=True,
            expires_on__gt=OuterRef("expires_on"),
        )
    )


def expired_qualifications(contractor: Contractor, today: dt.date) -> list[Qualification]:
    """The contractor's active qualifications past their expiry with no renewal: no later active
    qualification of the same name still valid (one per name, the latest)."""
    active = [q for q in contractor.qualifications.all() if q.is_active]
    latest: dict[str, Qualification] = {}
    for q in active:
        if q.name not in latest or q.expires_on > latest[q.name].expires_on:
            latest[q.name] = q
    return sorted((q for q in latest.values() if q.expires_on < today), key=lambda q: (q.expires_on, q.pk))


def contractor_blockers(contractor: Contractor, today: dt.date | None = None) -> list[str]:
    """Why the contractor may not get a new permit today (empty: it may)."""
    today = today or timezone.localdate()
    reasons = []
    if not contractor.is_active:
        reasons.append(_("相关方“%(c)s”已停用。") % {"c": contractor.name})
    agreements = [a for a in contractor.agreements.all() if a.is_active]
    if not agreements:
        reasons.append(_("相关方“%(c)s”未登记安全生产管理协议。") % {"c": contractor.name})
    elif not any(a.starts_on <= today <= a.ends_on for a in agreements):
        latest = max(agreements, key=lambda a: a.ends_on)
        if latest.ends_on < today:
            reasons.append(
                _("相关方“%(c)s”的安全生产管理协议已于 %(d)s 到期，请先续签。")
                % {"c": contractor.name, "d": _d(latest.ends_on)}
            )
        else:
            reasons.append(
                _("相关方“%(c)s”的安全生产管理协议自 %(d)s 起生效，尚未生效。")
                % {"c": contractor.name, "d": _d(min(a.starts_on for a in agreements))}
            )
    for q in expired_qualifications(contractor, today):
        reasons.append(
            _("相关方“%(c)s”的资质证书“%(q)s”已于 %(d)s 过期。")
            % {"c": contractor.name, "q": q.name, "d": _d(q.expires_on)}
        )
    if contractor.insurance_expires_on and contractor.insurance_expires_on < today:
        reasons.append(
            _("相关方“%(c)s”的安全生产责任保险已于 %(d)s 到期。")
            % {"c": contractor.name, "d": _d(contractor.insurance_expires_on)}
        )
    return reasons


def latest_gas_test(permit: WorkPermit) -> GasTest | None:
    tests = getattr(permit, "_prefetched_objects_cache", {}).get("gas_tests")
    if tests is not None:
        return max(tests, key=lambda t: (t.tested_at, t.pk), default=None)
    return permit.gas_tests.order_by("-tested_at", "-pk").first()


def gas_test_problem(permit: WorkPermit, now: dt.datetime | None = None, *, since: dt.datetime | None = None) -> str:
    """Why the gas test does not allow the work now ("" when it does or none is required).
    ``since``: the test must also be later than this (after a suspension)."""
    kind = permit.kind
    if not kind.gas_test_required:
        return ""
    now = now or timezone.now()
    test = latest_gas_test(permit)
    minutes = kind.gas_test_valid_minutes
    if test is None or (since is not None and test.tested_at < since):
        return _("%(kind)s须在作业前 %(m)s 分钟内进行气体分析，尚无有效的分析记录。") % {
            "kind": kind.name,
            "m": minutes,
        }
    if not test.passed:
        return _("最近一次气体分析（%(t)s）不合格，不能作业。") % {
            "t": timezone.localtime(test.tested_at).strftime("%H:%M")
        }
    age = now - test.tested_at
    if age > dt.timedelta(minutes=minutes):
        return _("最近一次气体分析在 %(t)s，已超过 %(m)s 分钟（%(age)s 分钟前），须重新分析。") % {
            "t": timezone.localtime(test.tested_at).strftime("%Y-%m-%d %H:%M"),
            "m": minutes,
            "age": int(age.total_seconds() // 60),
        }
    return ""


def worker_problems(permit: WorkPermit, today: dt.date) -> list[str]:
    reasons = []
    for w in permit.workers.all():
        if not w.is_active:
            reasons.append(_("作业人员%(n)s已离场。") % {"n": w.name})
        if w.briefed_on is None:
            reasons.append(_("作业人员%(n)s未进行安全教育交底。") % {"n": w.name})
        if w.certificate_expires_on and w.certificate_expires_on < today:
            reasons.append(
                _("作业人员%(n)s的特种作业操作证已于 %(d)s 过期。") % {"n": w.name, "d": _d(w.certificate_expires_on)}
            )
    return reasons


def missing_approvals(permit: WorkPermit) -> list[str]:
    from anjian.contractors.choices import ApprovalStep

    done = {a.step for a in permit.approvals.all() if a.approved}
    return [str(ApprovalStep(s).label) for s in permit.kind.steps if s not in done]


def start_blockers(permit: WorkPermit, now: dt.datetime | None = None) -> list[str]:
    """Everything missing before the work may start (the permit's page lists them; ``start``
    refuses with them). Empty when it may start (the guardian still confirms each check)."""
    now = now or timezone.now()
    reasons = []
    if permit.status in (PermitStatus.DRAFT, PermitStatus.APPROVING):
        missing = missing_approvals(permit)
        if permit.status == PermitStatus.DRAFT:
            reasons.append(_("作业票尚未提交审批。"))
        if missing:
            reasons.append(_("审批未完成，尚缺：%(steps)s。") % {"steps": "、".join(missing)})
    elif permit.status != PermitStatus.APPROVED:
        reasons.append(_("作业票当前状态为“%(s)s”。") % {"s": permit.get_status_display()})
    if permit.guardian_id is None:
        reasons.append(_("尚未指定监护人。"))
    if now > permit.planned_end:
        reasons.append(
            _("已超过计划结束时间（%(t)s），须重新办理作业票。")
            % {"t": timezone.localtime(permit.planned_end).strftime("%Y-%m-%d %H:%M")}
        )
    elif now < permit.planned_start:
        reasons.append(
            _("未到计划开始时间（%(t)s）。")
            % {"t": timezone.localtime(permit.planned_start).strftime("%Y-%m-%d %H:%M")}
        )
    problem = gas_test_problem(permit, now)
    if problem:
        reasons.append(problem)
    if permit.contractor_id:
        reasons += contractor_blockers(permit.contractor, timezone.localdate(now))
    reasons += worker_problems(permit, timezone.localdate(now))
    return reasons
