"""The texts of the messages, in Chinese: the object's number, title, deadline and a link. Never the
person who found or tipped off a hazard, nor its description (a tip-off's may name the reporter):
only what identifies the hazard and what is to be done."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


HEADLINES = {
    Kind.HAZARD_REPORTED: gettext_lazy("新登记隐患"),
    Kind.MAJOR_HAZARD_REPORTED: gettext_lazy("重大事故隐患"),
    Kind.HAZARD_ASSIGNED: gettext_lazy("整改任务"),
    Kind.HAZARD_REJECTED: gettext_lazy("验收不通过"),
    Kind.HAZARD_AWAITING_ACCEPTANCE: gettext_lazy("待审核验收"),
    Kind.HAZARD_POSTPONE_REQUESTED: gettext_lazy("延期待审批"),
    Kind.HAZARD_SUPERVISED: gettext_lazy("挂牌督办"),
    Kind.HAZARD_DUE_SOON: gettext_lazy("即将到期"),
    Kind.HAZARD_OVERDUE: gettext_lazy("整改逾期"),
    Kind.HAZARD_ESCALATED: gettext_lazy("逾期督办"),
    Kind.SUPERVISION_OVERDUE: gettext_lazy("督办逾期"),
    Kind.NOTICE_ISSUED: gettext_lazy("通知书"),
    Kind.TASK_DUE_SOON: gettext_lazy("任务临期"),
    Kind.TASK_OVERDUE: gettext_lazy("任务逾期"),
    Kind.TASK_RETURNED: gettext_lazy("任务退回"),
}


def headline(kind: str) -> str:
    return str(HEADLINES.get(kind, ""))


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
    lines = [
        _("机构：%(name)s") % {"name": notice.organization.name},
        _("文书：%(kind)s") % {"kind": notice.get_kind_display()},
    ]
    return Message(
        kind=Kind.NOTICE_ISSUED,
        title=f"【{headline(Kind.NOTICE_ISSUED)}】{notice.number}",
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
