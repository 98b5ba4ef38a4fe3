"""Demo data: the Yubei plan of seed 001 (渝北卫健〔2024〕143号) as the demo district's plan, imported
through the real import, with assignments in every state and a few months of progress, and the two
example monthly reports with submissions, drafts and a late unit."""

from __future__ import annotations

import datetime as dt
import io
import random

from django.utils import timezone
from openpyxl import Workbook

from anjian.accounts.models import User
from anjian.action_plans import due, figures, services
from anjian.action_plans.choices import AssignmentStatus
from anjian.action_plans.defaults import ensure_defaults, ensure_report_examples
from anjian.action_plans.models import Assignment, Plan
from anjian.core.roles import Role
from anjian.orgs import demo as orgs_demo
from anjian.orgs.models import Organization

TITLE = "渝北区卫生健康系统安全生产治本攻坚三年行动方案（2024—2026年）"
NUMBER = "渝北卫健〔2024〕143号"
U = "各医疗卫生机构、医养结合机构、托育机构"
ACTIONS = [
    (
        "开展重大风险源头管控行动",
        [
            (
                1,
                "严格医疗机构规划设计和审批、备案、准入",
                "未经验收或验收不合格的建筑不得投入使用；在审批、校验中强化对床位、科室、人员、房屋和规章制度的审核。",
                "医政科",
                U,
                "长期坚持",
            )
        ],
    ),
    (
        "开展重大事故隐患动态清零行动",
        [
            (
                2,
                "强化隐患排查整治",
                "坚持“日周月”排查：一线岗位人员每日排查、科室负责人每周督查、分管负责人每月带队检查；每年至少开展一次全面安全生产检查；逐级建立隐患台账。",
                "安全生产科",
                U,
                "2024年12月前，长期坚持",
            ),
            (
                3,
                "加大专项整治力度",
                "开展消防安全集中除患攻坚大整治，组织消防、电力、燃气、危化品、有限空间、动火动焊等专项整治。",
                "安全生产科、医政科",
                U,
                "2025年6月前",
            ),
        ],
    ),
    (
        "开展安全管理体系建设行动",
        [
            (
                4,
                "完善安全生产责任体系",
                "党委会至少每季度听取安全生产工作汇报；制定《领导干部安全生产责任清单》和《年度重点工作清单》。",
                "办公室",
                "局属各单位",
                "2024年6月前，长期坚持",
            ),
            (
                5,
                "推进安全生产标准化建设",
                "落实WS308—2019等标准，在一线岗位推行“两单两卡”（岗位风险清单、岗位职责清单、岗位操作卡、应急处置卡）。",
                "安全生产科",
                U,
                "2024年12月前",
            ),
        ],
    ),
    (
        "开展安全能力提升行动",
        [
            (
                6,
                "开展集中培训",
                "每年至少开展1次安全生产集中培训，提高相关负责人安全生产履职能力。",
                "安全生产科",
                U,
                "2026年12月前",
            ),
            (
                7,
                "落实岗位培训",
                "新上岗和新转岗人员培训合格方可上岗，消防控制室等重点岗位取得相应资质方可上岗。",
                "人事科",
                U,
                "2026年12月前，长期坚持",
            ),
            (
                8,
                "强化应急演练",
                "消防安全重点单位每半年至少组织1次应急预案全流程演练，其他单位每半年至少组织1次灭火和应急疏散演练。",
                "应急办",
                U,
                "长期坚持，每半年",
            ),
            (
                9,
                "加强医疗应急救援能力建设",
                "完善医学救援梯次响应机制，实现“3分钟出动院前急救单元、30分钟内出动背囊化队伍、2小时内出动区级队伍”。",
                "应急办",
                "公立医院",
                "2025年12月前",
            ),
            (
                10,
                "加强职业健康建设",
                "强化职业病监测预警，深化职业病危害专项治理，规范做好辖区个案报告。",
                "疾控科",
                "疾病预防控制机构、公立医院",
                "2026年12月前",
            ),
        ],
    ),
    (
        "开展安全监管效能提升行动",
        [
            (
                11,
                "加大行业监管力度",
                "运用“四不两直”、明查暗访、交叉检查等方式，通过约谈、通报、督办推动重大隐患整改。",
                "安全生产科",
                "局属各单位",
                "长期坚持",
            ),
            (
                12,
                "完善举报奖励制度",
                "落实安全生产举报奖励制度，扩大有奖举报知晓率、参与率。",
                "安全生产科",
                "局属各单位",
                "2025年3月前",
            ),
            (
                13,
                "强化安全结果运用",
                "在等级评审、示范创建、年度校验中落实安全生产要求，与达标评比或绩效评价挂钩。",
                "医政科",
                U,
                "2026年6月前",
            ),
        ],
    ),
    (
        "开展数字整体智治能力提升行动",
        [
            (
                14,
                "加强智慧安防消防建设",
                "整合视频监控、后勤设备监测、消防报警等系统，打造安消一体化系统；2026年前创建1家智慧消防医院。",
                "规划信息科",
                "公立医院",
                "2026年12月前",
            )
        ],
    ),
    (
        "开展安全工程治理行动",
        [
            (
                15,
                "整治突出安全隐患",
                "整治占用堵塞疏散通道等突出隐患问题，加强危险化学品全流程安全管理和医疗设备设施管理。",
                "安全生产科",
                U,
                "2025年12月前",
            )
        ],
    ),
    (
        "开展全民安全素质提升行动",
        [
            (
                16,
                "强力推进安全宣传教育",
                "开展安全生产月、消防宣传月活动和消防安全教育培训“三个一”活动。",
                "宣传科",
                U,
                "2026年12月前",
            )
        ],
    ),
]
PROGRESS = [
    "已制定工作方案，明确分管领导和责任科室。",
    "已完成第一轮全院排查，建立隐患台账并逐项销号。",
    "已组织专题培训，参训率100%。",
    "本月完成两次检查，发现问题已现场整改。",
]
RESULT_FORMS = ["工作方案", "隐患台账", "培训记录", "检查记录", "照片", "制度文件"]


# the plan's yearly goals (seed 001, 二、工作目标 and task 2), on the tasks they measure
TARGETS = {
    2: "2024年：基本消除2023年及以前排查发现的重大事故隐患存量；2025年：有效遏制重大事故隐患增量；"
    "2026年：形成重大事故隐患动态清零常态化机制。",
    5: "2024年底前：在全系统推进安全生产标准化建设，在一线岗位全面推行“两单两卡”制度；"
    "2026年底前：全面落实“两单两卡”制度和全员安全生产责任制。",
}


def _table() -> io.BytesIO:
    """The plan's task list in our own import template (序号 / 行动 / 任务名称 / 任务内容 / 年度目标 / …)."""
    from anjian.action_plans.exports import template_columns
    from anjian.core.xlsx import write_header

    wb = Workbook()
    ws = wb.active
    ws.append([f"{TITLE}重点任务清单"])
    write_header(ws, template_columns(), row=2)
    for action, tasks in ACTIONS:
        first = ws.max_row + 1
        for number, title, content, office, units, deadline in tasks:
            action_cell = action if ws.max_row + 1 == first else None
            ws.append([number, action_cell, title, content, TARGETS.get(number, ""), office, units, "", deadline, ""])
        if ws.max_row > first:
            ws.merge_cells(start_row=first, start_column=2, end_row=ws.max_row, end_column=2)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def _officer(org) -> User | None:
    return User.objects.filter(organization=org, role=Role.SAFETY_OFFICER, is_active=True).order_by("pk").first()


def seed() -> int:
    ensure_defaults()
    district = Organization.objects.get(name=orgs_demo.DISTRICT)
    if Plan.objects.filter(organization=district, document_number=NUMBER).exists():
        return 0
    regulator = User.objects.get(username="regulator")
    rng = random.Random(143)  # noqa: S311 - deterministic demo data
    today = timezone.localdate()
    draft = services.plan_import_preview(by=regulator, file=_table(), name="渝北卫健〔2024〕143号附件.xlsx")
    plan = services.plan_import_confirm(by=regulator, draft=draft, title=TITLE, document_number=NUMBER)
    Plan.objects.filter(pk=plan.pk).update(issued_on=dt.date(2024, 4, 28), start_year=2024, end_year=2026)
    created = 1
    hospital = Organization.objects.get(name=orgs_demo.HOSPITAL)
    assignments = list(Assignment.objects.filter(task__plan=plan).select_related("task", "organization"))
    for i, a in enumerate(assignments):
        officer = _officer(a.organization)
        if officer is None:
            continue
        # the people's hospital keeps one task of each state for the journey; the rest by chance
        if a.organization == hospital:
            end = ["none", "progress", "pending", "returned", "done"][a.task.sort_order % 5]
        elif a.task.deadline and a.task.deadline < today - dt.timedelta(days=90):
            # long past its deadline: most units are done, a few still late (the ones dispatch chases)
            end = rng.choice(["done"] * 6 + ["pending", "progress", "returned", "none"])
        else:
            end = rng.choice(["none", "progress", "progress", "pending", "done", "done", "done", "returned"])
        if end == "none":
            continue
        months = rng.randint(1, 4)
        for m in range(months):
            day = today - dt.timedelta(days=30 * (months - m) - rng.randint(0, 10))
            last = m == months - 1
            services.progress_report(
                by=officer,
                assignment=a,
                text=PROGRESS[(i + m) % len(PROGRESS)],
                reported_on=day,
                result_form=RESULT_FORMS[(i + m) % len(RESULT_FORMS)],
                claims_done=last and end in ("pending", "done", "returned"),
            )
            created += 1
        if end == "done":
            services.assignment_review(by=regulator, assignment=a, accept=True, comment="材料齐全，同意销号")
        elif end == "returned":
            services.assignment_review(by=regulator, assignment=a, accept=False, comment="请补充培训签到表和照片")
        a.refresh_from_db()
        assert a.status != AssignmentStatus.NOT_STARTED

    # the monthly reports: the last three months, most submitted, some drafts, a few late
    for definition in ensure_report_examples(district, by=regulator):
        units = list(services.owing_units(definition))
        current = due.current_period(definition, today)
        for back in (3, 2, 1):
            period = due.add_months(current, -back)
            for j, unit in enumerate(units):
                officer = _officer(unit)
                if officer is None or (j + back) % 7 == 0:
                    continue  # a late unit
                values, reasons = _values(definition, rng, officer=officer, unit=unit, period=period)
                submit = (j + back) % 5 != 0
                services.submission_save(
                    by=officer, definition=definition, period=period, values=values, reasons=reasons, submit=submit
                )
                created += 1
    return created


def _values(definition, rng, *, officer, unit, period) -> tuple[dict, dict]:
    """A unit's report: Putuo's texts; Jilin's figures as the platform counts them from the ledger,
    now and then one corrected with its reason (a hazard found on the spot not yet in the ledger)."""
    if definition.template_key == "putuo_monthly":
        return {
            "highlights": "开展消防安全“三个一”活动，组织全院疏散演练一次。",
            "difficulties": "老旧院区消防设施改造资金不足。",
            "major_hazards": "本月未发现重大事故隐患。",
            "plan": "下月完成住院部喷淋系统检测。",
        }, {}
    counted = figures.counted_for(definition, user=officer, organization=unit, period=period)
    values = {f["name"]: counted.get(f["name"], 0) for f in figures.institution_fields(definition)}
    reasons = {}
    if rng.random() < 0.2 and "general_found" in values and "hazards_total" in values:
        values["general_found"] += 1
        values["hazards_total"] += 1
        reason = "上级检查组现场发现一般隐患1项，已当场整改，未录入台账"
        reasons = {"general_found": reason, "hazards_total": reason}
    return values, reasons
