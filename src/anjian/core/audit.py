"""The audit trail: one catalogue of verbs with Chinese labels, and ``record`` for services.

Services call ``record`` inside their own transaction, so the change and its event commit or
roll back together. Events are append-only: the model refuses updates and deletes, and the
database refuses them too (triggers installed by the core migrations). Each event is chained to
the one before it by a SHA-256 hash, so a change made behind the application's back is found
(``anjian.core.integrity``, ``manage.py audit_verify``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from anjian.core import integrity
from anjian.core.middleware import current_request_id


class AuditVerb(models.TextChoices):
    ORGANIZATION_CREATED = "organization.created", _("新建机构")
    ORGANIZATION_UPDATED = "organization.updated", _("修改机构")
    ORGANIZATION_DEACTIVATED = "organization.deactivated", _("停用机构")
    ORGANIZATION_REACTIVATED = "organization.reactivated", _("启用机构")
    ENGAGEMENT_CREATED = "engagement.created", _("委托检查员")
    ENGAGEMENT_UPDATED = "engagement.updated", _("修改委托")
    ENGAGEMENT_ENDED = "engagement.ended", _("结束委托")
    DEPARTMENT_CREATED = "department.created", _("新建科室")
    DEPARTMENT_UPDATED = "department.updated", _("修改科室")
    DEPARTMENT_DEACTIVATED = "department.deactivated", _("停用科室")
    DEPARTMENT_REACTIVATED = "department.reactivated", _("启用科室")
    POST_CREATED = "post.created", _("新建岗位")
    POST_UPDATED = "post.updated", _("修改岗位")
    POST_DEACTIVATED = "post.deactivated", _("停用岗位")
    POST_REACTIVATED = "post.reactivated", _("启用岗位")
    USER_CREATED = "user.created", _("新建人员")
    USER_UPDATED = "user.updated", _("修改人员")
    USER_DEACTIVATED = "user.deactivated", _("停用人员")
    USER_REACTIVATED = "user.reactivated", _("启用人员")
    USER_PASSWORD_CHANGED = "user.password_changed", _("修改密码")
    USER_PASSWORD_RESET = "user.password_reset", _("重置密码")
    USER_ROLE_GRANTED = "user.role_granted", _("授予角色")
    USER_LOGGED_IN = "user.logged_in", _("登录")
    USER_LOGIN_FAILED = "user.login_failed", _("登录失败")
    USER_LOCKED_OUT = "user.locked_out", _("账号锁定")
    USER_UNLOCKED = "user.unlocked", _("解除登录锁定")
    USER_TOKEN_ISSUED = "user.token_issued", _("获取接口令牌")
    USER_TOKEN_REVOKED = "user.token_revoked", _("接口令牌作废")
    IMPORT_COMPLETED = "import.completed", _("批量导入")
    WORK_CALENDAR_SAVED = "work_calendar.saved", _("设置节假日安排")
    HAZARD_REPORTED = "hazard.reported", _("登记隐患")
    HAZARD_CONFIRMED = "hazard.confirmed", _("确认隐患并制定整改方案")
    HAZARD_DISMISSED = "hazard.dismissed", _("撤销隐患")
    HAZARD_SUBMITTED = "hazard.submitted", _("提交整改结果")
    HAZARD_ENDORSED = "hazard.endorsed", _("单位负责人审核")
    HAZARD_ACCEPTED = "hazard.accepted", _("验收销号")
    HAZARD_REJECTED = "hazard.rejected", _("验收不通过")
    HAZARD_POSTPONE_REQUESTED = "hazard.postpone_requested", _("申请延期")
    HAZARD_POSTPONE_APPROVED = "hazard.postpone_approved", _("批准延期")
    HAZARD_POSTPONE_REFUSED = "hazard.postpone_refused", _("不批准延期")
    HAZARD_RECLASSIFIED = "hazard.reclassified", _("调整隐患等级")
    HAZARD_SUPERVISED = "hazard.supervised", _("挂牌督办")
    HAZARD_UNSUPERVISED = "hazard.unsupervised", _("解除挂牌督办")
    HAZARD_PLAN_CHANGED = "hazard.plan_changed", _("变更整改方案")
    HAZARD_PHOTO_ADDED = "hazard.photo_added", _("上传隐患照片")
    HAZARD_CATEGORY_CREATED = "hazard_category.created", _("新建隐患类别")
    HAZARD_CATEGORY_UPDATED = "hazard_category.updated", _("修改隐患类别")
    CRITERION_SET_CREATED = "criterion_set.created", _("新建判定标准版本")
    CRITERION_SET_UPDATED = "criterion_set.updated", _("修改判定标准")
    CRITERION_CREATED = "criterion.created", _("新增判定条目")
    CRITERION_UPDATED = "criterion.updated", _("修改判定条目")
    PLAN_IMPORTED = "action_plan.imported", _("导入任务清单")
    PLAN_CREATED = "action_plan.created", _("新建任务清单")
    PLAN_UPDATED = "action_plan.updated", _("修改任务清单")
    TASK_UPDATED = "action_task.updated", _("修改重点任务")
    PROGRESS_REPORTED = "action_task.progress_reported", _("报告任务进展")
    ASSIGNMENT_ACCEPTED = "action_task.accepted", _("确认任务完成")
    ASSIGNMENT_RETURNED = "action_task.returned", _("退回任务进展")
    REPORT_DEFINITION_CREATED = "periodic_report.created", _("新建报表")
    REPORT_DEFINITION_UPDATED = "periodic_report.updated", _("修改报表")
    SUBMISSION_SAVED = "periodic_report.draft_saved", _("保存报表草稿")
    SUBMISSION_SUBMITTED = "periodic_report.submitted", _("报送报表")
    UNIT_GROUP_CREATED = "unit_group.created", _("新建单位分组")
    UNIT_GROUP_UPDATED = "unit_group.updated", _("修改单位分组")
    CHECKLIST_CREATED = "checklist.created", _("新建检查表")
    CHECKLIST_UPDATED = "checklist.updated", _("修改检查表草稿")
    CHECKLIST_PUBLISHED = "checklist.published", _("发布检查表")
    CHECKLIST_RETIRED = "checklist.retired", _("停用检查表版本")
    INSPECTION_POINT_CREATED = "inspection_point.created", _("新建巡检点")
    INSPECTION_POINT_UPDATED = "inspection_point.updated", _("修改巡检点")
    SCHEDULE_CREATED = "inspection_schedule.created", _("新建排查计划")
    SCHEDULE_UPDATED = "inspection_schedule.updated", _("修改排查计划")
    RHYTHM_DEFAULT_CREATED = "rhythm_default.created", _("新增默认排查频次")
    RHYTHM_DEFAULT_UPDATED = "rhythm_default.updated", _("修改默认排查频次")
    INSPECTION_SUBMITTED = "inspection.submitted", _("提交检查记录")
    INSPECTION_CORRECTED = "inspection.corrected", _("更正检查记录")
    SUPERVISION_RECORDED = "supervision.recorded", _("登记督导检查")
    SUPERVISION_FINDING_ADDED = "supervision.finding_added", _("督导检查发现问题")
    INTERVIEW_RECORDED = "interview.recorded", _("登记约谈")
    RISK_POINT_CREATED = "risk_point.created", _("新建风险点")
    RISK_POINT_UPDATED = "risk_point.updated", _("修改风险点")
    RISK_POINT_DEACTIVATED = "risk_point.deactivated", _("停用风险点")
    RISK_POINT_REACTIVATED = "risk_point.reactivated", _("启用风险点")
    RISK_ASSESSED = "risk.assessed", _("辨识并评价风险")
    RISK_REASSESSED = "risk.reassessed", _("重新评价风险")
    RISK_UPDATED = "risk.updated", _("修改风险")
    RISK_DEACTIVATED = "risk.deactivated", _("停用风险")
    RISK_REACTIVATED = "risk.reactivated", _("启用风险")
    CONTROL_MEASURE_ADDED = "control_measure.added", _("新增管控措施")
    CONTROL_MEASURE_DEACTIVATED = "control_measure.deactivated", _("停用管控措施")
    CONTROL_MEASURE_REACTIVATED = "control_measure.reactivated", _("启用管控措施")
    RISK_CHECKLIST_GENERATED = "risk_point.checklist_generated", _("管控措施生成检查表")
    POST_CARD_SAVED = "post_card.saved", _("编制两单两卡")
    POST_CARD_ACKNOWLEDGED = "post_card.acknowledged", _("确认已学习两单两卡")
    FLOOR_PLAN_UPLOADED = "floor_plan.uploaded", _("上传楼层平面图")
    MAP_AREA_SAVED = "map_area.saved", _("绘制四色图区域")
    RISK_METHOD_VERSION_CREATED = "risk_method.version_created", _("发布风险评价方法新版本")
    NOTICE_ISSUED = "notice.issued", _("出具通知书")
    NOTICE_REISSUED = "notice.reissued", _("重新出具通知书")
    NOTICE_SUPERSEDED = "notice.superseded", _("通知书被新版本取代")
    NOTICE_TEMPLATE_UPDATED = "notice_template.updated", _("修改文书模板")
    STATISTICS_TOPIC_CREATED = "statistics_topic.created", _("新建统计专题")
    STATISTICS_TOPIC_UPDATED = "statistics_topic.updated", _("修改统计专题")
    AUDIT_CHAIN_BROKEN = "audit.chain_broken", _("发现操作记录被篡改")
    AUDIT_ARCHIVED = "audit.archived", _("归档操作记录")
    HAZARD_BACKFILLED = "hazard.backfilled", _("历史补录隐患")
    DATA_EXPORTED = "data.exported", _("导出数据")
    # training (issue 14)
    CERTIFICATE_KIND_SAVED = "certificate_kind.saved", _("维护证书类别")
    TRAINING_CATEGORY_SAVED = "training_category.saved", _("维护培训类别")
    CERTIFICATE_ADDED = "certificate.added", _("登记证书")
    CERTIFICATE_VOIDED = "certificate.voided", _("作废证书")
    POST_REQUIREMENT_SAVED = "post_requirement.saved", _("设置岗位持证或培训要求")
    DUTY_SHIFT_SAVED = "duty_shift.saved", _("排消控室值班")
    TRAINING_RULES_SAVED = "training_rules.saved", _("设置培训演练规则")
    TRAINING_PLAN_CREATED = "training_plan.created", _("制定年度培训计划")
    TRAINING_PLAN_ITEM_ADDED = "training_plan.item_added", _("增加培训计划条目")
    TRAINING_SESSION_CREATED = "training_session.created", _("登记培训")
    TRAINING_ATTENDANCE_RECORDED = "training_session.attendance", _("培训签到")
    QUESTION_BANK_SAVED = "question_bank.saved", _("维护题库")
    PAPER_CREATED = "paper.created", _("组卷")
    EXAM_SUBMITTED = "exam.submitted", _("交卷")
    EMERGENCY_PLAN_SAVED = "emergency_plan.saved", _("发布应急预案")
    DRILL_RECORDED = "drill.recorded", _("登记应急演练")
    DRILL_FINDING_ADDED = "drill.finding_added", _("演练发现问题")
    DRILL_SIGNED_IN = "drill.signed_in", _("演练扫码签到")
    DRILL_PHOTO_ADDED = "drill.photo_added", _("上传演练照片")
    CARD_QUIZ_SET = "card_quiz.set", _("设置两单两卡测验")
    # registers (issue 15)
    EQUIPMENT_KIND_SAVED = "equipment_kind.saved", _("修改设备种类和法定检验周期")
    EQUIPMENT_CREATED = "equipment.created", _("登记设备设施")
    EQUIPMENT_UPDATED = "equipment.updated", _("修改设备设施")
    EQUIPMENT_DEACTIVATED = "equipment.deactivated", _("停用设备设施")
    EQUIPMENT_REACTIVATED = "equipment.reactivated", _("启用设备设施")
    EQUIPMENT_RECORDED = "equipment.recorded", _("登记检验维保记录")
    EQUIPMENT_HAZARD_RAISED = "equipment.hazard_raised", _("设备逾期未检登记为隐患")
    STORAGE_PLACE_CREATED = "storage_place.created", _("新建危化品储存地点")
    STORAGE_PLACE_UPDATED = "storage_place.updated", _("修改危化品储存地点")
    STORAGE_PLACE_LOCATED = "storage_place.located", _("在平面图上标注危化品储存地点")
    STORAGE_PLACE_DEACTIVATED = "storage_place.deactivated", _("停用危化品储存地点")
    STORAGE_PLACE_REACTIVATED = "storage_place.reactivated", _("启用危化品储存地点")
    STOCK_CREATED = "chemical_stock.created", _("登记危化品库存")
    STOCK_UPDATED = "chemical_stock.updated", _("修改危化品库存限量")
    MOVEMENT_RECORDED = "chemical_movement.recorded", _("登记危化品出入库")
    MOVEMENT_CONFIRMED = "chemical_movement.confirmed", _("复核危化品出入库")
    MOVEMENT_CANCELLED = "chemical_movement.cancelled", _("作废危化品出入库")
    WASTE_RECORDED = "waste.recorded", _("登记废物交接")
    WASTE_VOIDED = "waste.voided", _("作废废物交接记录")
    FIRE_PERSON_APPOINTED = "fire_person.appointed", _("公示消防安全责任人/管理人")
    # contractors (issue 16)
    CONTRACTOR_CREATED = "contractor.created", _("登记相关方单位")
    CONTRACTOR_UPDATED = "contractor.updated", _("修改相关方单位")
    CONTRACTOR_DEACTIVATED = "contractor.deactivated", _("停用相关方单位")
    CONTRACTOR_REACTIVATED = "contractor.reactivated", _("启用相关方单位")
    CONTRACTOR_QUALIFICATION_ADDED = "contractor.qualification_added", _("登记相关方资质证书")
    CONTRACTOR_QUALIFICATION_RETIRED = "contractor.qualification_retired", _("停用相关方资质证书")
    CONTRACTOR_AGREEMENT_ADDED = "contractor.agreement_added", _("登记安全生产管理协议")
    CONTRACTOR_WORKER_ADDED = "contractor.worker_added", _("登记相关方作业人员")
    CONTRACTOR_WORKER_UPDATED = "contractor.worker_updated", _("修改相关方作业人员")
    CONTRACTOR_EVALUATED = "contractor.evaluated", _("评价相关方")
    WORK_PERMIT_KIND_UPDATED = "work_permit_kind.updated", _("修改作业类别")
    WORK_PERMIT_CREATED = "work_permit.created", _("填写作业票")
    WORK_PERMIT_SUBMITTED = "work_permit.submitted", _("提交作业票审批")
    WORK_PERMIT_APPROVED = "work_permit.approved", _("审批同意作业票")
    WORK_PERMIT_REJECTED = "work_permit.rejected", _("审批驳回作业票")
    WORK_PERMIT_CANCELLED = "work_permit.cancelled", _("取消作业票")
    WORK_PERMIT_GAS_TESTED = "work_permit.gas_tested", _("登记气体分析")
    WORK_PERMIT_STARTED = "work_permit.started", _("开始作业")
    WORK_PERMIT_SUSPENDED = "work_permit.suspended", _("暂停作业")
    WORK_PERMIT_RESUMED = "work_permit.resumed", _("恢复作业")
    WORK_PERMIT_CLOSED = "work_permit.closed", _("完工验收关闭作业票")
    WORK_PERMIT_HAZARD_REPORTED = "work_permit.hazard_reported", _("作业中登记隐患")
    PROVIDER_EVALUATED = "provider.evaluated", _("第三方机构年度考核")
    # oversight (issue 18)
    TIP_RECEIVED = "tip.received", _("收到群众举报")
    TIP_CONTACT_VIEWED = "tip.contact_viewed", _("查看举报人联系方式")
    TIP_ACCEPTED = "tip.accepted", _("受理举报并登记隐患")
    TIP_DISMISSED = "tip.dismissed", _("举报不予受理")
    TIP_REPLIED = "tip.replied", _("答复举报人")
    TIP_REWARD_PROPOSED = "tip.reward_proposed", _("提出举报奖励")
    TIP_REWARD_APPROVED = "tip.reward_approved", _("批准举报奖励")
    TIP_REWARD_REFUSED = "tip.reward_refused", _("不批准举报奖励")
    ACCIDENT_REPORTED = "accident.reported", _("事故快报")
    ACCIDENT_COMPLETED = "accident.completed", _("事故完整报告")
    ACCIDENT_VOIDED = "accident.voided", _("作废事故报告")
    ASSESSMENT_INDICATOR_SAVED = "assessment.indicator_saved", _("设置考核指标")
    ASSESSMENT_CREATED = "assessment.created", _("新建年度考核")
    ASSESSMENT_SCORED = "assessment.scored", _("考核人工评分")
    ASSESSMENT_VETOED = "assessment.vetoed", _("考核一票否决")
    ASSESSMENT_PUBLISHED = "assessment.published", _("发布年度考核结果")
    OVERSIGHT_DOCUMENT_DRAFTED = "oversight_document.drafted", _("拟写监管文书")
    OVERSIGHT_DOCUMENT_ISSUED = "oversight_document.issued", _("批准并印发监管文书")
    OVERSIGHT_DOCUMENT_REJECTED = "oversight_document.rejected", _("监管文书未获批准")
    EXPOSURE_PROPOSED = "exposure.proposed", _("提出隐患曝光")
    EXPOSURE_APPROVED = "exposure.approved", _("批准隐患曝光")
    EXPOSURE_REJECTED = "exposure.rejected", _("隐患曝光未获批准")
    EXPOSURE_WITHDRAWN = "exposure.withdrawn", _("撤下隐患曝光")
    # notifications (issue 17)
    NOTIFICATION_CHANNEL_CREATED = "notification_channel.created", _("新建消息渠道")
    NOTIFICATION_CHANNEL_UPDATED = "notification_channel.updated", _("修改消息渠道")
    NOTIFICATION_CHANNEL_DEACTIVATED = "notification_channel.deactivated", _("停用消息渠道")
    NOTIFICATION_CHANNEL_REACTIVATED = "notification_channel.reactivated", _("启用消息渠道")
    NOTIFICATION_PREFERENCES_SAVED = "notification_preferences.saved", _("修改提醒设置")
    ESCALATION_LADDER_SAVED = "escalation_ladder.saved", _("修改逐级督办设置")
    # training (exams)
    EXAM_STARTED = "exam.started", _("开始考试")
    # training (issue 14: drills planned ahead, voids, the roster import)
    DRILL_PLANNED = "drill.planned", _("计划应急演练")
    DRILL_COMPLETED = "drill.completed", _("登记计划演练的开展情况")
    DRILL_CANCELLED = "drill.cancelled", _("取消演练计划")
    TRAINING_SESSION_VOIDED = "training_session.voided", _("作废培训记录")
    PAPER_VOIDED = "paper.voided", _("作废试卷")
    DUTY_ROSTER_IMPORTED = "duty_shift.imported", _("导入消控室值班表")


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` for the fields whose value changed."""
    return {
        key: [_plain(before.get(key)), _plain(after.get(key))]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The named fields of ``obj`` as plain values: choices by their label, foreign keys by their text."""
    values = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.choices:
            values[name] = str(getattr(obj, f"get_{name}_display")()) if getattr(obj, name) else ""
        else:
            values[name] = _plain(getattr(obj, name))
    return values


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def record(
    *,
    actor,
    verb: AuditVerb,
    target: models.Model | None = None,
    organization=None,
    changes: dict[str, list[Any]] | None = None,
    note: str = "",
    at: dt.datetime | None = None,
):
    """Append one event. Call it inside the service's transaction. ``at``: when it happened, if not
    now (a service replaying a dated past step, e.g. the demo's history); never later than now."""
    from anjian.core.models import AuditEvent

    if organization is None and target is not None:
        organization = _organization_of(target)
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    now = timezone.now()
    event = AuditEvent(
        at=min(at, now) if at is not None else now,
        actor=actor_obj,
        actor_repr=_actor_repr(actor_obj),
        verb=verb,
        organization=organization,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:200] if target is not None else "",
        changes={str(k): _plain(v) for k, v in (changes or {}).items()},
        note=str(note or ""),
        request_id=current_request_id(),
    )
    integrity.append(event)  # chained to the event before it (anjian.core.integrity), then inserted
    return event


def record_export(*, user, what: str, filename: str, criteria=None, rows: int | None = None, target=None, address=""):
    """An export (等保 2.0: every export is audited): who downloaded what, under which filters, how
    many rows, from where. Filed under the exported object's organization, else the user's."""
    criteria = {k: v for k, v in (criteria or {}).items() if v not in ("", None) and k != "page"}
    text = "&".join(f"{k}={v}" for k, v in sorted(criteria.items()))[:1000]
    changes = {"file": [None, filename], "criteria": [None, text], "address": [None, address]}
    if rows is not None:
        changes["rows"] = [None, rows]
    note = gettext("导出%(what)s：%(file)s") % {"what": what, "file": filename}
    if rows is not None:
        note += gettext("，%(rows)s 行") % {"rows": rows}
    if text:
        note += gettext("；筛选条件：%(criteria)s") % {"criteria": text}
    with transaction.atomic():
        return record(
            actor=user,
            verb=AuditVerb.DATA_EXPORTED,
            target=target,
            organization=(target is not None and _organization_of(target)) or getattr(user, "organization", None),
            changes=changes,
            note=note,
        )


def _actor_repr(actor) -> str:
    if actor is None:
        return str(_("系统"))
    return f"{actor.get_full_name() or actor.get_username()}（{actor.get_username()}）"


def _organization_of(target: models.Model):
    """The organization an object belongs to, by its ``scope_field`` (the path scoping follows:
    ``organization``, ``regulator``, ``hazard__organization``…), so that its events are seen by
    whoever may see it."""
    if target._meta.label == "orgs.Organization":
        return target
    path = getattr(target, "scope_field", "organization") or ""
    obj = target
    for part in path.split("__") if path else ():
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj if path else target


def events_for(target: models.Model, user, *, shared: bool = False):
    """The history of one object, newest first, as the user may see it. ``shared``: an object that
    belongs to no organization (the platform's libraries), whose page already checked permission."""
    from anjian.core.models import AuditEvent
    from anjian.core.permissions import Action, can

    if not can(user, Action.AUDIT_VIEW):  # who did what, by name: the matrix's audit.view, not every reader
        return AuditEvent.objects.none()
    events = AuditEvent.objects.all() if shared else AuditEvent.objects.visible_to(user)
    return (
        events.filter(target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk))
        .select_related("actor")
        .order_by("-at", "-pk")
    )
