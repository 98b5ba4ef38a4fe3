"""The texts of the messages, in Chinese: the object's number, title, deadline and a link. Never the
person who found or tipped off a hazard, nor its description (a tip-off's may name the reporter):
only what identifies the hazard and what is to be done."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from anjian.notifications.choices import Kind


@dataclass
class Message:
    kind: str
    title: str
    lines: list[str] = field(default_factory=list)
    path: str = ""  # the object's page, relative to the site

    @property
    def body(self) -> str:
        return "\n".join(self.lines)

    @property
    def link(self) -> str:
        return absolute(self.path) if self.path else ""


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def headline(kind: str) -> str:
    """The message's headline: its kind's label (``Kind``, the one list of names)."""
    return str(Kind(kind).label)


def hazard_message(kind: str, hazard, *, extra: list[str] | None = None) -> Message:
    """A message about a hazard: 【headline】number title, then institution, level, deadline."""
    lines = [
        _("机构：%(name)s") % {"name": hazard.organization.name},
        _("隐患等级：%(level)s") % {"level": hazard.get_level_display()},
        _("整改期限：%(deadline)s") % {"deadline": hazard.deadline.isoformat() if hazard.deadline else _("未定")},
    ]
    if hazard.is_supervised and hazard.supervision_deadline:
        lines.append(
            _("督办期限：%(deadline)s（%(number)s）")
            % {"deadline": hazard.supervision_deadline.isoformat(), "number": hazard.supervision_notice_number}
        )
    lines += extra or []
    return Message(
        kind=kind,
        title=f"【{headline(kind)}】{hazard.number} {hazard.title}",
        lines=lines,
        path=reverse("hazards:hazard-detail", kwargs={"pk": hazard.pk}),
    )


def notice_message(notice) -> Message:
    """A notice (整改通知书, 挂牌督办通知书, 约谈通知) issued to an institution: its number, title,
    the deadline it sets, and which earlier version it replaces."""
    lines = [
        _("机构：%(name)s") % {"name": notice.organization.name},
        _("文书：%(kind)s；发文机关：%(issuer)s") % {"kind": notice.get_kind_display(), "issuer": notice.issuer.name},
    ]
    deadline = notice.deadline or (notice.hazard.deadline if notice.hazard_id else None)
    if deadline:
        lines.append(_("整改期限：%(deadline)s") % {"deadline": deadline.isoformat()})
    if notice.replaces_id:
        lines.append(
            _("第%(version)s版，取代 %(number)s（%(reason)s）")
            % {"version": notice.version, "number": notice.replaces.number, "reason": notice.reissue_reason}
        )
    return Message(
        kind=Kind.NOTICE_ISSUED,
        title=f"【{headline(Kind.NOTICE_ISSUED)}】{notice.number} {notice.title}",
        lines=lines,
        path=reverse("reports:notice-detail", kwargs={"pk": notice.pk}),
    )


def assignment_message(kind: str, assignment, *, extra: list[str] | None = None) -> Message:
    """A message about a unit's key task (重点任务) of an action plan."""
    task = assignment.task
    plan = task.plan
    name = task.title or task.content[:40]
    lines = [
        _("任务清单：%(plan)s")
        % {"plan": f"{plan.title}{f'（{plan.document_number}）' if plan.document_number else ''}"},
        _("责任单位：%(name)s") % {"name": assignment.organization.name},
        _("完成时限：%(deadline)s") % {"deadline": task.deadline.isoformat() if task.deadline else _("长期坚持")},
        *(extra or []),
    ]
    return Message(
        kind=kind,
        title=f"【{headline(kind)}】{task.number} {name}",
        lines=lines,
        path=reverse("action_plans:assignment-detail", kwargs={"pk": assignment.pk}),
    )


MAX_LISTED = 10  # the missed slots a message lists one by one; the rest as "…等 N 次"


def inspection_missed_message(schedule, missed: list, day, *, path: str) -> Message:
    """The slots of a schedule that ended on ``day`` without their record: (slot, point) pairs."""
    listed = [f"{slot.label}{f' {point.name}' if point is not None else ''}" for slot, point in missed[:MAX_LISTED]]
    more = len(missed) - len(listed)
    lines = [
        _("机构：%(name)s") % {"name": schedule.organization.name},
        _("检查表：%(name)s") % {"name": schedule.template.name},
        _("频次：%(rhythm)s；检查人：%(who)s") % {"rhythm": schedule.rhythm_label, "who": schedule.who},
        _("漏检 %(count)s 次：%(slots)s") % {"count": len(missed), "slots": "、".join(listed)}
        + (_("等（另 %(n)s 次）") % {"n": more} if more else ""),
    ]
    return Message(
        kind=Kind.INSPECTION_MISSED,
        title=f"【{headline(Kind.INSPECTION_MISSED)}】{schedule.name}（{day.isoformat()}）",
        lines=lines,
        path=path,
    )


def report_message(kind: str, definition, organization, *, period_label: str, due_on, path: str, extra=()) -> Message:
    """A periodic report (报送) a unit owes for one period."""
    lines = [
        _("要求单位：%(name)s") % {"name": definition.organization.name},
        _("报送单位：%(name)s") % {"name": organization.name},
        _("报送期限：%(deadline)s") % {"deadline": due_on.isoformat()},
        *extra,
    ]
    return Message(kind=kind, title=f"【{headline(kind)}】{definition.name}（{period_label}）", lines=lines, path=path)


def analysis_message(table, *, due_on, path: str, extra=()) -> Message:
    """The statistical analysis table (16号令) an institution sends up for a quarter or a year."""
    lines = [
        _("报送单位：%(name)s") % {"name": table.organization.name},
        _("报送期限：%(deadline)s") % {"deadline": due_on.isoformat()},
        *extra,
    ]
    return Message(
        kind=Kind.REPORT_DUE_SOON, title=f"【{headline(Kind.REPORT_DUE_SOON)}】{table.title}", lines=lines, path=path
    )


def certificate_message(kind: str, certificate, *, extra=()) -> Message:
    """A person's certificate (持证上岗) near or past its expiry: the link is the holder's training
    file, which the holder and the institution's leaders may open."""
    holder = certificate.holder
    post = f"（{holder.post.name}）" if holder.post_id else ""
    lines = [
        _("机构：%(name)s") % {"name": certificate.organization.name},
        _("持证人：%(name)s%(post)s") % {"name": holder.name, "post": post},
        _("有效期至：%(date)s") % {"date": certificate.expires_on.isoformat()},
        *extra,
    ]
    return Message(
        kind=kind,
        title=f"【{headline(kind)}】{certificate.kind.name} {certificate.number}（{holder.name}）",
        lines=lines,
        path=reverse("training:person-file", args=[holder.pk]),
    )


def equipment_message(kind: str, equipment, *, extra=()) -> Message:
    """A piece of special equipment or fire facility due or overdue for its statutory inspection."""
    number = f" {equipment.registration_number}" if equipment.registration_number else ""
    lines = [
        _("机构：%(name)s") % {"name": equipment.organization.name},
        _("种类：%(kind)s（%(inspection)s，每 %(months)s 个月）")
        % {"kind": equipment.kind.name, "inspection": equipment.kind.inspection_name, "months": equipment.interval},
        *([_("位置：%(place)s") % {"place": equipment.location}] if equipment.location else []),
        _("下次检验日期：%(date)s") % {"date": equipment.next_due_on.isoformat()},
        *extra,
    ]
    return Message(
        kind=kind,
        title=f"【{headline(kind)}】{equipment.name}{number}",
        lines=lines,
        path=reverse("registers:equipment-detail", args=[equipment.pk]),
    )


def markdown(title: str, body: str, link: str) -> str:
    """WeCom's and DingTalk's markdown: the title bold, a line each, the link last."""
    parts = [f"**{title}**", *[f"> {line}" for line in body.splitlines() if line]]
    if link:
        parts.append(f"[{_('查看详情')}]({link})")
    return "\n".join(parts)


def plain(title: str, body: str, link: str) -> str:
    parts = [title, *[line for line in body.splitlines() if line]]
    if link:
        parts.append(link)
    return "\n".join(parts)
