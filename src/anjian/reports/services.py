"""Every change the reports app makes: notice templates (a new version per edit), notices issued
from a hazard or an interview, and the topics of the monthly statistics form."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from anjian.core import audit
from anjian.core.audit import AuditVerb
from anjian.core.errors import ConflictError, DomainError, NotPermittedError
from anjian.core.numbering import next_value
from anjian.core.permissions import Action, require
from anjian.core.services import create_with_audit, update_with_audit, validated_save
from anjian.hazards.choices import HazardLevel, HazardStatus
from anjian.hazards.models import Hazard
from anjian.inspections.models import Interview
from anjian.reports import placeholders, selectors
from anjian.reports.choices import NoticeKind
from anjian.reports.models import Notice, NoticeTemplate, StatisticsTopic, TopicCategory

TEMPLATE_FIELDS = ["title", "red_head", "number_format", "body", "signature"]
TOPIC_FIELDS = ["name", "sort_order", "is_active"]


# --- templates ------------------------------------------------------------------------------------
@transaction.atomic
def notice_template_save(*, kind: str, by, data: dict[str, Any]) -> NoticeTemplate:
    """Save an edited text as the next version of the kind's template (earlier versions stay)."""
    require(by, Action.NOTICE_TEMPLATE_MANAGE)
    if kind not in NoticeKind.values:
        raise DomainError(_("文书种类无效。"))
    texts = {name: (data.get(name) or "").strip() for name in TEMPLATE_FIELDS}
    for name, label in (("title", _("标题")), ("body", _("正文")), ("number_format", _("文号格式"))):
        if not texts[name]:
            raise DomainError(_("请填写%(f)s。") % {"f": label}, field=name)
    placeholders.check(kind, **texts)
    current = selectors.template_current(kind)
    before = audit.snapshot(current, TEMPLATE_FIELDS) if current else {}
    after = dict(texts)
    if current and before == after:
        return current
    version = (NoticeTemplate.objects.filter(kind=kind).aggregate(v=Max("version"))["v"] or 0) + 1
    template = NoticeTemplate(kind=kind, version=version, created_by=by, note=(data.get("note") or "").strip(), **texts)
    validated_save(template)
    audit.record(
        actor=by,
        verb=AuditVerb.NOTICE_TEMPLATE_UPDATED,
        target=template,
        organization=None,
        changes=audit.diff(before, after),
        note=template.note,
    )
    return template


# --- notices --------------------------------------------------------------------------------------
def _check_target(kind: str, target, by) -> None:
    if kind == NoticeKind.INTERVIEW:
        require(by, Action.SUPERVISION_MANAGE)
        if not isinstance(target, Interview):
            raise DomainError(_("约谈通知须从约谈记录出具。"))
        return
    if not isinstance(target, Hazard):
        raise DomainError(_("该通知书须从隐患出具。"))
    if kind == NoticeKind.SUPERVISION:
        require(by, Action.SUPERVISION_MANAGE)
        if target.level != HazardLevel.MAJOR or not target.is_supervised:
            raise DomainError(_("只有已挂牌督办的重大事故隐患才能出具挂牌督办通知书。"))
    else:
        require(by, Action.NOTICE_ISSUE)
        if target.status in (HazardStatus.DISMISSED, HazardStatus.CLOSED):
            raise DomainError(_("该隐患%(status)s，不能再出具整改通知书。") % {"status": target.get_status_display()})
    if by.organization is None:
        raise DomainError(_("您的账号未归属任何单位，不能出具通知书。"))


def _addressee(kind: str, target, issuer) -> str:
    institution = target.institution if kind == NoticeKind.INTERVIEW else target.organization
    if issuer.pk == institution.pk and kind == NoticeKind.RECTIFICATION:
        # an institution's own notice goes to the department (or unit) responsible
        if target.responsible_unit:
            return target.responsible_unit
        if target.department_id:
            return target.department.name
    return institution.name


def deadline_required(kind: str, target, issuer) -> bool:
    """A regulator's rectification notice must say by when: the hazard's deadline, else one the
    issuer gives (a regulator's 整改期限 is an order, never "待定")."""
    return (
        kind == NoticeKind.RECTIFICATION
        and isinstance(target, Hazard)
        and target.deadline is None
        and issuer is not None
        and issuer.is_regulator
    )


def deadline_asked(kind: str, target) -> bool:
    """Whether the issuing form asks for a deadline: a rectification notice for a hazard that has none."""
    return kind == NoticeKind.RECTIFICATION and isinstance(target, Hazard) and target.deadline is None


def _check_deadline(kind: str, target, by, deadline) -> None:
    if deadline is not None:
        if kind != NoticeKind.RECTIFICATION:
            raise DomainError(_("只有整改通知书可以填写整改期限。"), field="deadline")
        if deadline < timezone.localdate():
            raise DomainError(_("整改期限不能早于今天。"), field="deadline")
    elif deadline_required(kind, target, by.organization):
        raise DomainError(
            _("该隐患尚未确定整改期限：监管部门出具的整改通知书须写明整改期限，请填写。"), field="deadline"
        )


def _values(kind: str, target, issuer, *, number: str, year: int, on, deadline=None) -> dict[str, str]:
    values = {
        "发文机关": issuer.name,
        "机关代字": issuer.short_name or issuer.name,
        "年": str(year),
        "序号": number,
        "文号": number,
        "主送单位": _addressee(kind, target, issuer),
        "成文日期": placeholders.cn_date(on),
    }
    if kind == NoticeKind.INTERVIEW:
        values.update(placeholders.interview_values(target))
    else:
        values.update(placeholders.hazard_values(target))
        if deadline is not None:
            values["整改期限"] = placeholders.cn_date(deadline)
    return values


def _render(kind: str, target, by, *, number: str | None, deadline=None) -> Notice:
    """The notice as it would be issued now (unsaved); ``number`` None: a preview without a number.

    An official document is Chinese whatever language the issuer's pages are in: the values filled
    in (levels, categories, dates, 无…) are rendered in the site's language, not the user's."""
    with translation.override(settings.LANGUAGE_CODE):
        return _render_in_site_language(kind, target, by, number=number, deadline=deadline)


def _render_in_site_language(kind: str, target, by, *, number: str | None, deadline=None) -> Notice:
    template = selectors.template_current(kind)
    issuer = by.organization
    on = timezone.localdate()
    if number is None:
        number = _("（出具时编号）")
    values = _values(kind, target, issuer, number=number, year=on.year, on=on, deadline=deadline)
    return Notice(
        kind=kind,
        number=number,
        organization=target.institution if kind == NoticeKind.INTERVIEW else target.organization,
        issuer=issuer,
        hazard=target if isinstance(target, Hazard) else None,
        interview=target if isinstance(target, Interview) else None,
        template=template,
        red_head=placeholders.fill(template.red_head, values),
        title=placeholders.fill(template.title, values),
        addressee=values["主送单位"],
        body=placeholders.fill(template.body, values),
        signature=placeholders.fill(template.signature, values),
        issued_on=on,
        issued_by=by,
        deadline=deadline if kind == NoticeKind.RECTIFICATION else None,
    )


def notice_preview(*, kind: str, target, by, deadline=None) -> Notice:
    _check_target(kind, target, by)
    return _render(kind, target, by, number=None, deadline=deadline)


def existing_notice(kind: str, target) -> Notice | None:
    """The current notice of this kind for the hazard or interview (earlier versions are not)."""
    lookup = {"interview": target} if isinstance(target, Interview) else {"hazard": target}
    return Notice.objects.filter(kind=kind, is_current=True, **lookup).first()


def _next_number(kind: str, target, issuer, template: NoticeTemplate, on, *, reissue: bool = False) -> str:
    if kind == NoticeKind.SUPERVISION and target.supervision_notice_number and not reissue:
        return target.supervision_notice_number  # the number given when the hazard was listed
    serial = next_value(f"notice-{issuer.pk}-{on.year}")
    values = {"机关代字": issuer.short_name or issuer.name, "年": str(on.year), "序号": str(serial)}
    values["发文机关"] = issuer.name
    return placeholders.fill(template.number_format, values)


@transaction.atomic
def notice_issue(*, kind: str, target, by, deadline=None) -> Notice:
    """Issue the notice for a hazard or an interview once: a number from the issuer's yearly counter (or
    the 挂牌督办 number), the text rendered from the current template and kept as issued. A second call
    returns the notice already issued (``notice_reissue`` makes a new version).

    ``deadline``: the 整改期限 the notice sets, required of a regulator when the hazard has none."""
    _check_target(kind, target, by)
    type(target).objects.select_for_update().filter(pk=target.pk).first()  # one issuer at a time
    found = existing_notice(kind, target)
    if found is not None:
        return found
    _check_deadline(kind, target, by, deadline)
    template = selectors.template_current(kind)
    on = timezone.localdate()
    number = _next_number(kind, target, by.organization, template, on)
    notice = _render(kind, target, by, number=number, deadline=deadline)
    try:
        with transaction.atomic():
            notice.save()
    except IntegrityError as exc:
        raise DomainError(_("该通知书已出具，请刷新页面。")) from exc
    audit.record(
        actor=by,
        verb=AuditVerb.NOTICE_ISSUED,
        target=notice,
        organization=notice.organization,
        changes={"number": [None, notice.number], "title": [None, notice.title], "addressee": [None, notice.addressee]},
    )
    return notice


def _target_of(notice: Notice):
    return notice.interview if notice.interview_id else notice.hazard


def may_reissue(notice: Notice, user) -> bool:
    """Whether ``user`` may issue this notice again (the buttons the page shows: the service decides)."""
    if not notice.is_current or user.organization_id != notice.issuer_id:
        return False
    try:
        _check_target(notice.kind, _target_of(notice), user)
    except (DomainError, PermissionDenied):
        return False
    return True


@transaction.atomic
def notice_reissue(*, notice: Notice, by, reason: str, deadline=None) -> Notice:
    """Issue a notice again as its next version (a new deadline, a corrected text): a new number, the
    text rendered from the current template and the hazard as it is now, a line saying which notice
    it replaces. The earlier version is kept, no longer current (已被第N版取代); both are audited."""
    # the notice's row locked alone (PostgreSQL cannot lock the nullable side of the outer joins)
    notice = (
        Notice.objects.select_for_update(of=("self",)).select_related("hazard", "interview", "issuer").get(pk=notice.pk)
    )
    target = _target_of(notice)
    _check_target(notice.kind, target, by)
    if by.organization_id != notice.issuer_id:
        raise NotPermittedError(_("只有原发文单位可以重新出具该通知书。"))
    if not notice.is_current:
        successor = Notice.objects.filter(replaces=notice).first()
        raise ConflictError(
            _("该通知书已被第%(v)s版（%(n)s）取代，请在最新版本上重新出具。")
            % {"v": successor.version if successor else notice.version + 1, "n": successor.number if successor else ""}
        )
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写重新出具的原因。"), field="reason")
    if len(reason) > 200:
        raise DomainError(_("重新出具的原因不能超过200字。"), field="reason")
    if deadline is None and notice.kind == NoticeKind.RECTIFICATION and target.deadline is None:
        deadline = notice.deadline if notice.deadline and notice.deadline >= timezone.localdate() else None
    _check_deadline(notice.kind, target, by, deadline)
    template = selectors.template_current(notice.kind)
    on = timezone.localdate()
    number = _next_number(notice.kind, target, by.organization, template, on, reissue=True)
    new = _render(notice.kind, target, by, number=number, deadline=deadline)
    new.version = notice.version + 1
    new.replaces = notice
    new.reissue_reason = reason
    with translation.override(settings.LANGUAGE_CODE):
        new.body += "\n" + _("本通知书自出具之日起取代%(date)s出具的%(number)s（第%(v)s版），原通知书同时作废。") % {
            "date": placeholders.cn_date(notice.issued_on),
            "number": notice.number,
            "v": notice.version,
        }
    notice.is_current = False
    notice.save(update_fields=["is_current"])
    try:
        with transaction.atomic():
            new.save()
    except IntegrityError as exc:
        raise ConflictError(_("该通知书已被他人重新出具，请刷新页面。")) from exc
    superseded = _("已被第%(v)s版取代") % {"v": new.version}
    audit.record(
        actor=by,
        verb=AuditVerb.NOTICE_REISSUED,
        target=new,
        organization=new.organization,
        changes={
            "number": [None, new.number],
            "version": [notice.version, new.version],
            "replaces": [None, notice.number],
            "deadline": [notice.deadline, new.deadline],
        },
        note=_("重新出具：%(reason)s") % {"reason": reason},
    )
    audit.record(
        actor=by,
        verb=AuditVerb.NOTICE_SUPERSEDED,
        target=notice,
        organization=notice.organization,
        changes={"status": [_("现行"), superseded], "replaced_by": [None, new.number]},
        note=_("%(s)s（%(n)s）：%(reason)s") % {"s": superseded, "n": new.number, "reason": reason},
    )
    return new


# --- statistics topics ----------------------------------------------------------------------------
def _set_categories(topic: StatisticsTopic, categories) -> list[str]:
    wanted = {c.pk: c for c in categories}
    taken = TopicCategory.objects.filter(category_id__in=wanted).exclude(topic=topic).select_related("category")
    if taken:
        raise DomainError(
            _("这些隐患类别已归入其他专题，一个类别只能统计在一个专题中：%(names)s")
            % {"names": "、".join(t.category.name for t in taken)},
            field="categories",
        )
    TopicCategory.objects.filter(topic=topic).exclude(category_id__in=wanted).delete()
    have = set(TopicCategory.objects.filter(topic=topic).values_list("category_id", flat=True))
    TopicCategory.objects.bulk_create([TopicCategory(topic=topic, category_id=pk) for pk in wanted if pk not in have])
    return sorted(c.name for c in categories)


@transaction.atomic
def topic_create(*, by, data: dict[str, Any]) -> StatisticsTopic:
    require(by, Action.NOTICE_TEMPLATE_MANAGE)
    categories = list(data.pop("categories", []) or [])
    topic = create_with_audit(
        StatisticsTopic(**data), by=by, verb=AuditVerb.STATISTICS_TOPIC_CREATED, fields=TOPIC_FIELDS
    )
    names = _set_categories(topic, categories)
    if names:
        audit.record(
            actor=by,
            verb=AuditVerb.STATISTICS_TOPIC_UPDATED,
            target=topic,
            changes={"categories": [[], names]},
        )
    return topic


@transaction.atomic
def topic_update(*, topic: StatisticsTopic, by, data: dict[str, Any]) -> StatisticsTopic:
    require(by, Action.NOTICE_TEMPLATE_MANAGE)
    topic = StatisticsTopic.objects.select_for_update().get(pk=topic.pk)
    categories = data.pop("categories", None)
    before = sorted(c.name for c in topic.categories.all())
    update_with_audit(topic, by=by, verb=AuditVerb.STATISTICS_TOPIC_UPDATED, data=data, fields=TOPIC_FIELDS)
    if categories is not None:
        after = _set_categories(topic, list(categories))
        if after != before:
            audit.record(
                actor=by, verb=AuditVerb.STATISTICS_TOPIC_UPDATED, target=topic, changes={"categories": [before, after]}
            )
    return topic
