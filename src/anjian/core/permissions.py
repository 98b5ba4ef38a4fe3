"""The permission matrix (role × action), enforced here and nowhere else.

``can(user, action)`` answers whether the user's role may take an action at all; *which*
objects it may take it on is decided by scoping (``anjian.core.scoping``): a permitted action on
an object outside the user's scope is answered 404 like a missing object. ``docs/permissions.md``
is generated from ``MATRIX`` (``manage.py permission_matrix``) and a test keeps the two equal.
"""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.core.roles import Role

R = Role


class Action(models.TextChoices):
    ORGANIZATION_VIEW = "organization.view", _("查看机构")
    ORGANIZATION_MANAGE = "organization.manage", _("新建、编辑、停用下属机构")
    ORGANIZATION_EDIT_OWN = "organization.edit_own", _("编辑本单位资料")
    DEPARTMENT_MANAGE = "department.manage", _("管理科室与岗位")
    USER_VIEW = "user.view", _("查看人员")
    USER_MANAGE = "user.manage", _("新建、编辑、停用人员")
    IMPORT_INSTITUTIONS = "import.institutions", _("批量导入机构")
    IMPORT_STAFF = "import.staff", _("批量导入科室与人员")
    AUDIT_VIEW = "audit.view", _("查看操作记录")
    API_USE = "api.use", _("使用开放接口")
    HAZARD_VIEW = "hazard.view", _("查看隐患台账")
    HAZARD_REPORT = "hazard.report", _("登记隐患（随手拍）")
    HAZARD_EXPORT = "hazard.export", _("导出隐患台账")
    HAZARD_LIBRARY_MANAGE = "hazard_library.manage", _("维护隐患类别和重大隐患判定标准库")
    HAZARD_BACKFILL = "hazard.backfill", _("历史隐患补录导入")
    PLAN_VIEW = "action_plan.view", _("查看任务清单和调度")
    PLAN_MANAGE = "action_plan.manage", _("导入、编辑任务清单")
    PLAN_REPORT = "action_plan.report", _("报告任务进展")
    PLAN_REVIEW = "action_plan.review", _("审核任务进展")
    REPORT_VIEW = "periodic_report.view", _("查看报表报送")
    REPORT_MANAGE = "periodic_report.manage", _("设置报表和报送要求")
    REPORT_SUBMIT = "periodic_report.submit", _("填报和报送报表")
    UNIT_GROUP_MANAGE = "unit_group.manage", _("维护单位分组（任务清单中责任单位的对应关系）")
    INSPECTION_VIEW = "inspection.view", _("查看排查计划和检查记录")
    INSPECTION_PERFORM = "inspection.perform", _("开展隐患排查、填写检查表")
    CHECKLIST_MANAGE = "checklist.manage", _("维护检查表")
    SCHEDULE_MANAGE = "inspection_schedule.manage", _("制定排查计划、管理巡检点")
    RHYTHM_MANAGE = "rhythm_default.manage", _("设置默认排查频次")
    COMPLIANCE_VIEW = "inspection.compliance", _("查看排查完成情况")
    SUPERVISION_VIEW = "supervision.view", _("查看督导检查和约谈")
    SUPERVISION_MANAGE = "supervision.manage", _("开展督导检查、登记约谈")
    SUPERVISION_FILL = "supervision.fill", _("填写督导检查表、登记督导检查发现的问题（检查员须在检查组中）")
    ENGAGEMENT_MANAGE = "engagement.manage", _("委托、聘请第三方检查员和专家（委托机构、期限、结束委托）")
    RISK_VIEW = "risk.view", _("查看风险分级管控（风险点、四色图、两单两卡）")
    RISK_MANAGE = "risk.manage", _("辨识评价风险、制定管控措施、编制两单两卡和四色图")
    RISK_METHOD_MANAGE = "risk_method.manage", _("维护风险评价方法（LEC/LS 取值和分级标准）")
    STATISTICS_VIEW = "statistics.view", _("查看统计分析（统计图表和统计接口）")
    STATISTICS_FORM_VIEW = "statistics_form.view", _("查看和导出统计报表（月报、季度和年度统计分析表）")
    NOTICE_VIEW = "notice.view", _("查看和下载通知书")
    NOTICE_ISSUE = "notice.issue", _("出具隐患整改通知书")
    NOTICE_TEMPLATE_MANAGE = "notice_template.manage", _("维护文书模板和统计报表专题")
    WORK_CALENDAR_MANAGE = "work_calendar.manage", _("设置节假日安排（放假和调休上班日期，用于计算报送期限）")
    AUDIT_VERIFY = "audit.verify", _("校验操作记录是否被篡改（哈希链）、查看定时校验结果和归档")
    # training (issue 14)
    TRAINING_VIEW = "training.view", _("查看培训、考试、应急预案和演练记录")
    TRAINING_MANAGE = "training.manage", _("制定培训计划、登记培训和演练、维护题库试卷和应急预案")
    TRAINING_ATTEND = "training.attend", _("培训扫码签到、参加考试、查看本人培训档案")
    CERTIFICATE_VIEW = "certificate.view", _("查看持证情况、消控室值班表和培训演练概况")
    CERTIFICATE_MANAGE = "certificate.manage", _("登记人员证书、设置岗位持证和培训要求、排消控室值班表")
    TRAINING_REFERENCE_MANAGE = "training_reference.manage", _("维护证书类别和培训类别")
    # registers (issue 15)
    REGISTER_VIEW = "register.view", _("查看特种设备、消防设施、危化品和废物台账")
    REGISTER_MANAGE = "register.manage", _("登记设备设施和检验记录、危化品储存地点和库存、废物交接")
    CHEMICAL_MOVE = "chemical.move", _("登记危化品出入库、复核他人登记的出入库（双人收发）")
    REGISTER_KIND_MANAGE = "register_kind.manage", _("维护设备种类及法定检验周期、危化品目录")
    IMPORT_REGISTERS = "import.registers", _("批量导入特种设备和消防设施台账")
    # contractors (issue 16)
    CONTRACTOR_VIEW = "contractor.view", _("查看相关方（承包商、外包服务单位）及其资质、协议、人员")
    CONTRACTOR_MANAGE = "contractor.manage", _("登记相关方、资质证书、安全生产管理协议、作业人员和评价")
    WORK_PERMIT_VIEW = "work_permit.view", _("查看危险作业票")
    WORK_PERMIT_APPLY = "work_permit.apply", _("填写、提交危险作业票（审批、监护等由作业票流程按岗位决定）")
    WORK_PERMIT_KIND_MANAGE = "work_permit_kind.manage", _("维护危险作业类别（安全措施、气体分析要求、审批层级）")
    PROVIDER_EVALUATE = "provider.evaluate", _("第三方服务机构年度考核（评分、一票否决；被否决的机构不能再受委托）")
    # oversight (issue 18)
    TIP_HANDLE = "tip.handle", _("处理群众举报（受理、不予受理、答复举报人、查看举报人联系方式、提出奖励）")
    TIP_REWARD_APPROVE = "tip.reward_approve", _("审批举报奖励（须由提出奖励以外的监管人员审批）")
    ACCIDENT_VIEW = "accident.view", _("查看事故报告和事故统计")
    ACCIDENT_REPORT = "accident.report", _("报告事故（事故快报、完整报告）")
    ASSESSMENT_VIEW = "assessment.view", _("查看年度考核（机构查看本单位评分表）")
    ASSESSMENT_MANAGE = "assessment.manage", _("设置考核指标、评分和发布年度考核")
    OVERSIGHT_DOCUMENT_DRAFT = "oversight_document.draft", _("拟写通报、督促函、移交函，提出隐患曝光")
    OVERSIGHT_DOCUMENT_APPROVE = "oversight_document.approve", _("审批通报、督促函、移交函和隐患曝光（不审本人所拟）")
    # notifications (issue 17)
    NOTIFICATION_CHANNEL_MANAGE = "notification_channel.manage", _("设置消息渠道（企业微信、钉钉、飞书群机器人和邮箱）")
    ESCALATION_MANAGE = (
        "escalation.manage",
        _("设置逐级督办（逾期几天提醒科室负责人、安全管理员、主要负责人、监管部门）"),
    )


MATRIX: dict[Action, frozenset[Role]] = {
    Action.ORGANIZATION_VIEW: frozenset(Role),
    Action.ORGANIZATION_MANAGE: frozenset({R.REGULATOR_ADMIN, R.SYSTEM_ADMIN}),
    Action.ORGANIZATION_EDIT_OWN: frozenset({R.REGULATOR_ADMIN, R.PRINCIPAL, R.SAFETY_OFFICER, R.SYSTEM_ADMIN}),
    Action.DEPARTMENT_MANAGE: frozenset({R.REGULATOR_ADMIN, R.SAFETY_OFFICER, R.SYSTEM_ADMIN}),
    Action.USER_VIEW: frozenset(
        {
            R.REGULATOR_ADMIN,
            R.REGULATOR_STAFF,
            R.PRINCIPAL,
            R.DEPUTY,
            R.SAFETY_OFFICER,
            R.DEPARTMENT_HEAD,
            R.SYSTEM_ADMIN,
        }
    ),
    Action.USER_MANAGE: frozenset({R.REGULATOR_ADMIN, R.SAFETY_OFFICER, R.SYSTEM_ADMIN}),
    Action.IMPORT_INSTITUTIONS: frozenset({R.REGULATOR_ADMIN, R.SYSTEM_ADMIN}),
    Action.IMPORT_STAFF: frozenset({R.REGULATOR_ADMIN, R.SAFETY_OFFICER, R.SYSTEM_ADMIN}),
    Action.AUDIT_VIEW: frozenset(
        {R.REGULATOR_ADMIN, R.REGULATOR_STAFF, R.PRINCIPAL, R.DEPUTY, R.SAFETY_OFFICER, R.SYSTEM_ADMIN}
    ),
    Action.API_USE: frozenset(Role),
    # Who may confirm, rectify, accept… a hazard depends on the hazard too: hazards/workflow.py.
    Action.HAZARD_VIEW: frozenset(Role) - {R.SYSTEM_ADMIN},
    Action.HAZARD_REPORT: frozenset(Role) - {R.SYSTEM_ADMIN},
    Action.HAZARD_EXPORT: frozenset(
        {R.REGULATOR_ADMIN, R.REGULATOR_STAFF, R.PRINCIPAL, R.DEPUTY, R.SAFETY_OFFICER, R.DEPARTMENT_HEAD}
    ),
    Action.HAZARD_LIBRARY_MANAGE: frozenset({R.REGULATOR_ADMIN, R.SYSTEM_ADMIN}),
    Action.HAZARD_BACKFILL: frozenset({R.REGULATOR_ADMIN, R.REGULATOR_STAFF, R.SAFETY_OFFICER}),
    # Which plans, assignments and reports: scoping (a regulator's jurisdiction, a unit's own).
    Action.PLAN_VIEW: frozenset(
        {R.REGULATOR_ADMIN, R.REGULATOR_STAFF, R.PRINCIPAL, R.DEPUTY, R.SAFETY_OFFICER, R.DEPARTMENT_HEAD}
    ),
    Action.PLAN_MANAGE: frozenset({R.REGULATOR_ADMIN, R.REGULATOR_STAFF}),
    Action.PLAN_REPORT: frozenset({R.PRINCIPAL, R.DEPUTY, R.SAFETY_OFFICER}),
    Action.PLAN_REVIEW: frozenset({R.REGULATOR_ADMIN, R.REGULATOR_STAFF}),
    Action.REPORT_VIEW: frozenset({R.REGULATOR_ADMIN, R.REGULATOR_STAFF, R.PRINCIPAL, R.DEPUTY, R.SAFETY_OFFICER}),
    Action.REPORT_MANAGE: frozenset({R.REGULATOR_ADMIN, R.REGULATOR_STAFF}),
    Action.REPORT_SUBMIT: frozenset({R.PRINCIPAL, R.DEPUTY, R.SAFETY_OFFICER}),
    Action.UNIT_GROUP_MANAGE: frozenset({R.REGULATOR_ADMIN, R.SYSTEM_ADMIN}),
    # Which templates, points, schedules and records: scoping (district-wide templates reach the
    # institutions below; everything else belongs to one institution). inspections/ for the rules.
    Action.INSPECTION_VIEW: frozenset(Role) - {R.SYSTEM_ADMIN},
    Action.INSPECTION_PERFORM: frozenset(Role) - {R.SYSTEM_ADMIN},
    Action.CHECKLIST_MANAGE: frozenset({R.REGULATOR_ADMIN, R.REGULATOR_STAFF, R.SAFETY_OFFICER}),
    Action.SCHEDULE_MANAGE: frozenset({R.SAFETY_OFFICER, R.PRINCIPAL, R.DEPUTY}),
    Action.RHYTHM_MANAGE: frozenset({R.REGULATOR_ADMIN}),
    Action.COMPLIANCE_VIEW: frozenset(
        {R.REGULATOR_ADMIN, R.REGULATOR_STAFF, R.PRINCIPAL, R.DEPUTY, R.SAFETY_OFFICER, R.DEPARTMENT_HEAD}
    ),
    # An inspector sees and fills only the supervisions whose team they are on, at institutions a
    # regulator engaged them for (orgs.Engagement, scoping); interviews stay the regulator's.
    Action.SUPERVISION_VIEW: frozenset(
        {R.REGULATOR_ADMIN, R.REGULATOR_STAFF, R.PRINCIPAL, R.DEPUTY, R.SAFETY_OFFICER, R.INSPECTOR}
    ),
    Action.SUPERVISION_MANAGE: frozenset({R.REGULATOR_ADMIN, R.REGULATOR_STAFF}),
    Action.SUPERVISION_FILL: frozenset({R.REGULATOR_ADMIN, R.REGULATOR_STAFF, R.INSPECTOR}),
    Action.ENGAGEMENT_MANAGE: frozenset({R.REGULATOR_ADMIN, R.REGULATOR_STAFF}),
    # Which risk points, risks, cards and plans: scoping (an institution's own, a regulator's jurisdiction).
    Action.RISK_VIEW: frozenset(Role) - {R.SYSTEM_ADMIN},
    Action.RISK_MANAGE: frozenset({R.SAFETY_OFFICER, R.PRINCIPAL, R.DEPUTY}),
    Action.RISK_METHOD_MANAGE: frozenset({R.REGULATOR_ADMIN, R.SYSTEM_ADMIN}),
    # Official forms (reports/): which institutions' figures and notices, scoping decides; 挂牌督办通知书
    # and 约谈通知 are the regulator's (SUPERVISION_MANAGE), 隐患整改通知书 also an institution's own.
    # Statistics (stats/): the figures of what the user's scope holds; staff see their own dashboard only.
    Action.STATISTICS_VIEW: frozenset(
        {R.REGULATOR_ADMIN, R.REGULATOR_STAFF, R.PRINCIPAL, R.DEPUTY, R.SAFETY_OFFICER, R.DEPARTMENT_HEAD}
    ),
    Action.STATISTICS_FORM_VIEW: frozenset(
        {R.REGULATOR_ADMIN, R.REGULATOR_STAFF, R.PRINCIPAL, R.DEPUTY, R.SAFETY_OFFICER}
    ),
    Action.NOTICE_VIEW: frozenset(
        {R.REGULATOR_ADMIN, R.REGULATOR_STAFF, R.PRINCIPAL, R.DEPUTY, R.SAFETY_OFFICER, R.DEPARTMENT_HEAD}
    ),
    Action.NOTICE_ISSUE: frozenset({R.REGULATOR_ADMIN, R.REGULATOR_STAFF, R.PRINCIPAL, R.DEPUTY, R.SAFETY_OFFICER}),
    Action.NOTICE_TEMPLATE_MANAGE: frozenset({R.REGULATOR_ADMIN, R.SYSTEM_ADMIN}),
    Action.WORK_CALENDAR_MANAGE: frozenset({R.SYSTEM_ADMIN}),
    Action.AUDIT_VERIFY: frozenset({R.SYSTEM_ADMIN}),
    # training (issue 14): which sessions, drills, certificates: scoping (an institution's own, a
    # regulator's jurisdiction); an institution's records are written by that institution only.
    Action.TRAINING_VIEW: frozenset(Role) - {R.SYSTEM_ADMIN, R.INSPECTOR},
    Action.TRAINING_MANAGE: frozenset({R.SAFETY_OFFICER, R.PRINCIPAL, R.DEPUTY}),
    Action.TRAINING_ATTEND: frozenset({R.PRINCIPAL, R.DEPUTY, R.SAFETY_OFFICER, R.DEPARTMENT_HEAD, R.STAFF}),
    Action.CERTIFICATE_VIEW: frozenset(
        {R.REGULATOR_ADMIN, R.REGULATOR_STAFF, R.PRINCIPAL, R.DEPUTY, R.SAFETY_OFFICER, R.DEPARTMENT_HEAD}
    ),
    Action.CERTIFICATE_MANAGE: frozenset({R.SAFETY_OFFICER, R.PRINCIPAL, R.DEPUTY}),
    Action.TRAINING_REFERENCE_MANAGE: frozenset({R.REGULATOR_ADMIN, R.SYSTEM_ADMIN}),
    # registers (issue 15): which equipment, chemicals and handovers, scoping decides (an institution
    # writes its own; a regulator reads its jurisdiction's). Kinds and the chemical list are shared.
    Action.REGISTER_VIEW: frozenset(Role) - {R.SYSTEM_ADMIN},
    Action.REGISTER_MANAGE: frozenset({R.SAFETY_OFFICER, R.PRINCIPAL, R.DEPUTY}),
    Action.CHEMICAL_MOVE: frozenset({R.SAFETY_OFFICER, R.PRINCIPAL, R.DEPUTY, R.DEPARTMENT_HEAD, R.STAFF}),
    Action.REGISTER_KIND_MANAGE: frozenset({R.REGULATOR_ADMIN, R.SYSTEM_ADMIN}),
    Action.IMPORT_REGISTERS: frozenset({R.SAFETY_OFFICER}),
    # contractors (issue 16): which contractors and permits, scoping; who approves, starts, suspends
    # and closes a permit depends on the permit too: contractors/workflow.py.
    Action.CONTRACTOR_VIEW: frozenset(
        {R.REGULATOR_ADMIN, R.REGULATOR_STAFF, R.PRINCIPAL, R.DEPUTY, R.SAFETY_OFFICER, R.DEPARTMENT_HEAD}
    ),
    Action.CONTRACTOR_MANAGE: frozenset({R.PRINCIPAL, R.DEPUTY, R.SAFETY_OFFICER}),
    Action.WORK_PERMIT_VIEW: frozenset(Role) - {R.SYSTEM_ADMIN, R.INSPECTOR},
    Action.WORK_PERMIT_APPLY: frozenset({R.PRINCIPAL, R.DEPUTY, R.SAFETY_OFFICER, R.DEPARTMENT_HEAD, R.STAFF}),
    Action.WORK_PERMIT_KIND_MANAGE: frozenset({R.SYSTEM_ADMIN}),
    Action.PROVIDER_EVALUATE: frozenset({R.REGULATOR_ADMIN, R.REGULATOR_STAFF}),
    # oversight (issue 18): which tips, accidents and assessments, scoping decides (a regulator's
    # jurisdiction; an institution its own accidents and score sheet; tips are the regulator's only)
    Action.TIP_HANDLE: frozenset({R.REGULATOR_ADMIN, R.REGULATOR_STAFF}),
    Action.TIP_REWARD_APPROVE: frozenset({R.REGULATOR_ADMIN}),
    Action.ACCIDENT_VIEW: frozenset({R.REGULATOR_ADMIN, R.REGULATOR_STAFF, R.PRINCIPAL, R.DEPUTY, R.SAFETY_OFFICER}),
    Action.ACCIDENT_REPORT: frozenset({R.REGULATOR_ADMIN, R.REGULATOR_STAFF, R.PRINCIPAL, R.DEPUTY, R.SAFETY_OFFICER}),
    Action.ASSESSMENT_VIEW: frozenset({R.REGULATOR_ADMIN, R.REGULATOR_STAFF, R.PRINCIPAL, R.DEPUTY, R.SAFETY_OFFICER}),
    Action.ASSESSMENT_MANAGE: frozenset({R.REGULATOR_ADMIN, R.REGULATOR_STAFF}),
    Action.OVERSIGHT_DOCUMENT_DRAFT: frozenset({R.REGULATOR_ADMIN, R.REGULATOR_STAFF}),
    Action.OVERSIGHT_DOCUMENT_APPROVE: frozenset({R.REGULATOR_ADMIN}),
    # notifications (issue 17): an organization's own channels (a regulator's: its own and those
    # below, scoping); the ladder is the platform's, like the other libraries
    Action.NOTIFICATION_CHANNEL_MANAGE: frozenset({R.REGULATOR_ADMIN, R.PRINCIPAL, R.SAFETY_OFFICER, R.SYSTEM_ADMIN}),
    Action.ESCALATION_MANAGE: frozenset({R.SYSTEM_ADMIN}),
}


# Who may give which role, and so edit, deactivate or reset the password of an account holding it
# (separation of duties): nobody reaches above their own duties through another account. An
# institution's safety officer manages department heads and front-line staff; the principal, the
# deputy and other safety officers, who approve postponements and accept the officer's own work,
# are the regulator's (监管管理员) to appoint. Where in the tree they may do it, scoping decides.
ROLE_GRANTS: dict[Role, frozenset[Role]] = {
    R.SYSTEM_ADMIN: frozenset(Role),
    R.REGULATOR_ADMIN: frozenset(Role) - {R.SYSTEM_ADMIN},
    R.SAFETY_OFFICER: frozenset({R.DEPARTMENT_HEAD, R.STAFF}),
}


def grantable_roles(user) -> frozenset[Role]:
    """The roles ``user`` may give (and whose holders' accounts they may manage)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    if user.role not in MATRIX[Action.USER_MANAGE] and user.role not in MATRIX[Action.IMPORT_STAFF]:
        return frozenset()
    return ROLE_GRANTS.get(user.role, frozenset())


def can(user, action: Action) -> bool:
    """Whether the user's role may take ``action`` (on objects within its scope)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.role in MATRIX[action]


def require(user, action: Action) -> None:
    """Raise PermissionDenied (HTTP 403) unless the user's role may take ``action``."""
    if not can(user, action):
        raise PermissionDenied(_("您的角色无权执行此操作：%(action)s") % {"action": action.label})


def allowed_actions(user) -> set[str]:
    """Every action the user's role may take: the navigation and templates read this."""
    return {action.value for action in Action if can(user, action)}


def matrix_markdown() -> str:
    """The matrix as Markdown tables, for docs/permissions.md: role × action, then who may give
    which role (``ROLE_GRANTS``)."""
    roles = list(Role)
    head = "| 操作 action | " + " | ".join(f"{r.label}<br>`{r.value}`" for r in roles) + " |"
    rule = "|---|" + "---|" * len(roles)
    rows = [
        f"| {a.label} `{a.value}` | " + " | ".join("✔" if r in MATRIX[a] else "" for r in roles) + " |" for a in Action
    ]
    granters = [r for r in roles if ROLE_GRANTS.get(r)]
    grants = [
        "",
        "### 角色授予 · who may give which role",
        "",
        "授予某角色（新建、改为该角色）以及编辑、停用、重置密码持有该角色的账号。",
        "",
        "| 授予的角色 role given | " + " | ".join(f"{r.label}<br>`{r.value}`" for r in granters) + " |",
        "|---|" + "---|" * len(granters),
        *(
            f"| {given.label} `{given.value}` | "
            + " | ".join("✔" if given in ROLE_GRANTS[r] else "" for r in granters)
            + " |"
            for given in roles
        ),
    ]
    return "\n".join([head, rule, *rows, *grants]) + "\n"
