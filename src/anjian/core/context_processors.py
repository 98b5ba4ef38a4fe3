"""The navigation each role sees, from the permission matrix."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anjian.core.permissions import Action, allowed_actions

# (label, icon, url name, action needed or None for everyone signed in)
NAV_ITEMS = [
    (_("首页"), "ti-home", "core:home", None),
    (_("隐患台账"), "ti-alert-triangle", "hazards:hazard-list", Action.HAZARD_VIEW),
    (_("随手拍"), "ti-camera", "hazards:hazard-report", Action.HAZARD_REPORT),
    (_("隐患排查"), "ti-checklist", "inspections:due", Action.INSPECTION_VIEW),
    (_("风险管控"), "ti-traffic-lights", "risks:point-list", Action.RISK_VIEW),
    (_("任务清单"), "ti-list-check", "action_plans:plan-list", Action.PLAN_VIEW),
    (_("报表报送"), "ti-report", "action_plans:report-list", Action.REPORT_VIEW),
    (_("统计分析"), "ti-chart-bar", "stats:dashboard", Action.STATISTICS_VIEW),
    (_("统计报表与文书"), "ti-file-certificate", "reports:index", Action.NOTICE_VIEW),
    (_("培训演练"), "ti-school", "training:session-list", Action.TRAINING_VIEW),
    (_("安全台账"), "ti-folders", "registers:equipment-list", Action.REGISTER_VIEW),
    (_("危险作业"), "ti-flame", "contractors:permit-list", Action.WORK_PERMIT_VIEW),
    (_("相关方"), "ti-building-factory-2", "contractors:contractor-list", Action.CONTRACTOR_VIEW),
    (_("举报受理"), "ti-speakerphone", "oversight:tip-queue", Action.TIP_HANDLE),
    (_("事故报告"), "ti-ambulance", "oversight:accident-list", Action.ACCIDENT_VIEW),
    (_("年度考核"), "ti-award", "oversight:assessment-list", Action.ASSESSMENT_VIEW),
    (_("通报与曝光"), "ti-file-alert", "oversight:document-list", Action.OVERSIGHT_DOCUMENT_DRAFT),
    (_("消息渠道"), "ti-message-chatbot", "notifications:channels", Action.NOTIFICATION_CHANNEL_MANAGE),
    (_("逐级督办"), "ti-stairs-up", "notifications:escalation", Action.ESCALATION_MANAGE),
    (_("机构"), "ti-building-hospital", "orgs:organization-list", Action.ORGANIZATION_VIEW),
    (_("科室与岗位"), "ti-sitemap", "orgs:department-list", Action.DEPARTMENT_MANAGE),
    (_("人员"), "ti-users", "people:user-list", Action.USER_VIEW),
    (_("批量导入"), "ti-file-spreadsheet", "imports:import", Action.IMPORT_STAFF),
    (_("判定标准库"), "ti-books", "hazards:library", Action.HAZARD_LIBRARY_MANAGE),
    (_("节假日安排"), "ti-calendar", "core:work-calendar", Action.WORK_CALENDAR_MANAGE),
    (_("操作记录校验"), "ti-shield-lock", "core:audit-integrity", Action.AUDIT_VERIFY),
]


# Entries that set things up rather than do the daily work: always under “更多” (More).
NAV_MORE = {
    "contractors:contractor-list",
    "orgs:department-list",
    "people:user-list",
    "imports:import",
    "hazards:library",
    "core:work-calendar",
    "core:audit-integrity",
    "notifications:channels",
    "notifications:escalation",
}
# The bar holds at most this many entries; the rest join “更多”, so that the bar fits on one line
# at 1280px in Chinese and in English for every role (core/tests/test_navigation_browser.py).
NAV_BAR_MAX = 7


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    allowed = allowed_actions(user)
    bar, more = [], []
    for label, icon, url_name, action in NAV_ITEMS:
        if action is None or action.value in allowed:
            url = reverse(url_name)
            active = request.path == url if url == "/" else request.path.startswith(url)
            item = {"label": label, "icon": icon, "url": url, "active": active}
            (more if url_name in NAV_MORE else bar).append(item)
    bar, more = bar[:NAV_BAR_MAX], bar[NAV_BAR_MAX:] + more
    return {
        "nav_items": bar,
        "nav_more": more,
        "nav_more_active": any(item["active"] for item in more),
        "allowed_actions": allowed,
    }
