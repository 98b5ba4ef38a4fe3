"""xlsx exports: the task list with its progress in the layout of seed 004's attachment 1
(序号 / 任务事项 / 主要内容 / 重点措施 / 牵头部门·责任部门 / 完成时限 / 工作进展 / 成果形式 / 备注), and all
submissions of one periodic report for one period."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import defaultdict
from itertools import groupby

from django.db.models import Prefetch
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from anjian.action_plans import due, selectors
from anjian.action_plans.choices import AssignmentStatus
from anjian.action_plans.figures import institution_fields
from anjian.action_plans.models import Assignment, ProgressReport, ReportSubmission, Task
from anjian.action_plans.rules import assignment_is_overdue
from anjian.core.xlsx import HeaderCell, set_value, workbook_response, write_header
from anjian.core.xlsxstream import write_sheet


def plan_columns() -> list[HeaderCell]:
    return [
        HeaderCell(_("序号"), width=6),
        HeaderCell(_("任务事项"), width=18),
        HeaderCell(_("主要内容"), width=28),
        HeaderCell(_("重点措施"), width=48),
        HeaderCell(_("牵头部门\n责任单位"), width=26),
        HeaderCell(_("完成\n时限"), width=14),
        HeaderCell(_("工作进展"), width=48),
        HeaderCell(_("成果形式"), width=18),
        HeaderCell(_("备注"), width=18),
    ]


THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")


def plan_workbook(*, plan, user) -> Workbook:
    columns = plan_columns()
    today = timezone.localdate()
    tasks = list(selectors.task_list(user=user, plan=plan))
    reports = ProgressReport.objects.order_by("-reported_on", "-pk")
    assignments = (
        Assignment.objects.visible_to(user)
        .filter(task__plan=plan)
        .select_related("organization", "task")
        .prefetch_related(Prefetch("reports", queryset=reports))
        .order_by("organization__path")
    )
    headings: dict[int, list[str]] = defaultdict(list)  # a numbered task's pk → its sub-tasks' numbers
    for t in tasks:
        if t.parent_id is not None:
            headings[t.parent_id].append(t.number)
    by_task = defaultdict(list)
    for a in assignments:
        by_task[a.task_id].append(a)
    wb = Workbook()
    ws = wb.active
    ws.title = _("任务清单")
    set_value(ws, 1, 1, _("%(plan)s重点工作任务清单") % {"plan": plan.title})
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    unit = user.organization.name if user.organization else ""
    set_value(ws, 2, 1, _("填报单位：%(unit)s    导出日期：%(date)s") % {"unit": unit, "date": f"{today:%Y-%m-%d}"})
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(columns))
    write_header(ws, columns, row=3)
    row = 4
    action_rows: list[tuple[int, int]] = []
    current_key, first = "start", row
    number = 0
    for task in tasks:
        if task.action_id != current_key:
            if row > first:
                action_rows.append((first, row - 1))
            current_key, first = task.action_id, row
            number += 1
            set_value(ws, row, 1, number)
            set_value(ws, row, 2, task.action.title if task.action else "")
        items = by_task.get(task.pk, [])
        progress, forms_, late = [], [], []
        for a in items:
            latest = next(iter(a.reports.all()), None)
            state = a.status_label
            line = _("%(unit)s（%(state)s）") % {"unit": a.organization.name, "state": state}
            if latest:
                line += _("：%(text)s（%(date)s）") % {"text": latest.text, "date": f"{latest.reported_on:%Y-%m-%d}"}
                if latest.result_form and latest.result_form not in forms_:
                    forms_.append(latest.result_form)
            progress.append(line)
            if a.is_overdue(today):
                late.append(a.organization.name)
        done = sum(1 for a in items if a.status == AssignmentStatus.DONE)
        if len(items) > 1:
            progress.insert(0, _("已完成 %(done)s/%(total)s 家") % {"done": done, "total": len(items)})
        offices = "、".join(task.lead_offices)
        lead = "\n".join(
            p
            for p in (
                _("牵头部门：%(offices)s") % {"offices": offices} if offices else "",
                _("责任单位：%(units)s") % {"units": task.units_text} if task.units_text else "",
            )
            if p
        )
        # a sub-task (a row of a numbered task) with its number; a heading task names its sub-tasks
        name, measures = task.title or task.content[:40], task.content
        if task.measures:
            name, measures = task.title or task.content, task.measures
        if task.parent_id:
            name = f"{task.number} {name}"
        if task.pk in headings:
            measures = _("分项任务：%(n)s") % {"n": "、".join(headings[task.pk])}
        values = [
            name,
            measures,
            lead,
            task.deadline_display,
            "\n".join(progress),
            "；".join(forms_) or task.result_form,
            "\n".join(p for p in (_("逾期：%(units)s") % {"units": "、".join(late)} if late else "", task.notes) if p),
        ]
        for col, value in enumerate(values, start=3):
            set_value(ws, row, col, value)
        row += 1
    if row > first:
        action_rows.append((first, row - 1))
    for start, end in action_rows:
        if end > start:
            ws.merge_cells(start_row=start, start_column=1, end_row=end, end_column=1)
            ws.merge_cells(start_row=start, start_column=2, end_row=end, end_column=2)
    for r in ws.iter_rows(min_row=4, max_row=row - 1, max_col=len(columns)):
        for cell in r:
            cell.border = BOX
            cell.alignment = WRAP
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    return wb


def plan_response(*, plan, user):
    wb = plan_workbook(plan=plan, user=user)
    name = _("%(plan)s-任务清单及进展-%(date)s") % {"plan": plan.title[:60], "date": f"{timezone.localdate():%Y%m%d}"}
    return workbook_response(wb, f"{name}.xlsx")


def matrix_rows(assignments, tasks: list, today: dt.date):
    """One row per unit (in the order of the organization tree): its counts, then each task's state
    (empty where the task is not the unit's), read from the cursor a unit at a time."""
    column = {task.pk: i for i, task in enumerate(tasks)}
    badge = selectors.Badges(today)
    rows = (
        assignments.order_by("organization__path", "organization_id")
        .values_list(
            "organization_id",
            "organization__name",
            "organization__parent__name",
            "task_id",
            "status",
            "review_state",
            "task__deadline",
        )
        .iterator(chunk_size=2000)
    )
    for n, (_unit, items) in enumerate(groupby(rows, key=lambda r: r[0]), start=1):
        items = list(items)
        states = [""] * len(tasks)
        late = done = 0
        for _u, _name, _parent, task_id, status, review_state, deadline in items:
            states[column[task_id]] = badge(status, review_state, deadline)[1]
            done += status == AssignmentStatus.DONE
            late += assignment_is_overdue(status=status, deadline=deadline, today=today)
        _u, name, parent, *_rest = items[0]
        yield [n, name, parent or "", len(items), done, late, *states]


def matrix_response(*, plan, user, **filters) -> FileResponse:
    """The dispatch matrix of every unit the filters select (not only a page), streamed to a file:
    a row per unit, a column per task."""
    today = timezone.localdate()
    assignments = selectors.matrix_assignments(user=user, plan=plan, today=today, **filters)
    tasks = list(Task.objects.filter(pk__in=assignments.values("task_id")).order_by("sort_order", "pk"))
    columns = [(_("序号"), 6), (_("责任单位"), 30), (_("上级单位"), 16), (_("任务数"), 7), (_("已完成"), 7)]
    columns += [(_("逾期"), 6)]
    columns += [(f"{task.number}. {(task.title or task.content)[:20]}", 14) for task in tasks]
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - the response closes (and so removes) it
    write_sheet(
        handle,
        sheet=_("调度矩阵"),
        title=_("%(plan)s调度矩阵（导出日期：%(date)s）") % {"plan": plan.title, "date": f"{today:%Y-%m-%d}"},
        columns=[(str(name), width) for name, width in columns],
        rows=matrix_rows(assignments, tasks, today),
    )
    handle.seek(0)
    name = _("%(plan)s-调度矩阵-%(date)s") % {"plan": plan.title[:60], "date": f"{today:%Y%m%d}"}
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{name}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def submissions_response(*, definition, period, user):
    status = selectors.report_period_status(user=user, definition=definition, period=period)
    wb = Workbook()
    ws = wb.active
    ws.title = status.label
    columns = [
        HeaderCell(_("报送单位"), width=28),
        HeaderCell(_("状态"), width=10),
        HeaderCell(_("报送时间"), width=18),
    ]
    fields = institution_fields(definition)  # the regulator's own columns are not the units' to report
    columns += [HeaderCell(f["label"], width=30 if f.get("type") != "int" else 14) for f in fields]
    int_fields = [f for f in fields if f.get("type") == "int"]
    # statistics (Jilin's form) read 当月 and 累计: the year's total so far beside each number
    columns += [HeaderCell(_("%(label)s（本年累计）") % {"label": f["label"]}, width=16) for f in int_fields]
    if any(f.get("source") for f in int_fields):
        columns.append(HeaderCell(_("与平台统计不一致的说明"), width=40))
    totals: dict = {}
    if int_fields:
        year_subs = ReportSubmission.objects.visible_to(user).filter(
            definition=definition,
            status="submitted",
            period__gte=period.replace(month=1, day=1),
            period__lte=period,
        )
        for sub in year_subs:
            unit_totals = totals.setdefault(sub.organization_id, {})
            for f in int_fields:
                unit_totals[f["name"]] = unit_totals.get(f["name"], 0) + (sub.values.get(f["name"]) or 0)
    set_value(
        ws,
        1,
        1,
        _("%(name)s（%(period)s，应于%(due)s前报送）")
        % {"name": definition.name, "period": status.label, "due": f"{status.due:%Y-%m-%d}"},
    )
    ws.cell(1, 1).font = Font(bold=True, size=13)
    write_header(ws, columns, row=2)
    for r, (unit, sub, late) in enumerate(status.rows, start=3):
        submitted = sub is not None and sub.status == "submitted"
        state = _("已报送") if submitted else (_("草稿") if sub else _("未报送"))
        if late:
            state = _("%(state)s（逾期）") % {"state": state}
        values = [
            unit.name,
            state,
            timezone.localtime(sub.submitted_at).strftime("%Y-%m-%d %H:%M") if submitted else "",
        ]
        values += [(sub.values.get(f["name"]) if submitted else "") for f in fields]
        values += [totals.get(unit.pk, {}).get(f["name"], 0) for f in int_fields]
        if any(f.get("source") for f in int_fields):
            notes = [
                _("%(l)s：平台统计%(c)s，填报%(v)s，%(r)s")
                % {"l": e["label"], "c": e["counted"], "v": e["value"], "r": e["reason"] or _("未说明原因")}
                for e in (sub.entries() if submitted else [])
                if e["corrected"]
            ]
            values.append("；".join(notes))
        for c, value in enumerate(values, start=1):
            set_value(ws, r, c, value)
            ws.cell(r, c).alignment = WRAP
    label = due.period_label(period, definition.frequency)
    return workbook_response(wb, f"{definition.name}-{label}.xlsx")


# The import template's headers are the import format itself (the parser reads these Chinese words,
# as in the seed tables), so they are not translated; its notes and title are.
def template_columns() -> list[HeaderCell]:
    return [
        HeaderCell("序号", required=True, width=6),
        HeaderCell("行动", width=18, comment=_("同一行动的任务可合并单元格或留空（视为同上）")),
        HeaderCell("任务名称", width=20),
        HeaderCell("任务内容", required=True, width=48),
        HeaderCell("年度目标", width=24),
        HeaderCell("责任处室", width=18, comment=_("多个处室用顿号分隔")),
        HeaderCell(
            "责任单位",
            required=True,
            width=26,
            comment=_("如：局属各单位、基层医疗卫生机构、托育机构，或机构全称"),
        ),
        HeaderCell("配合单位", width=18),
        HeaderCell(
            "完成时限",
            required=True,
            width=18,
            comment=_("如：2024年12月前、2025-06-30、长期坚持、2024年12月前，长期坚持"),
        ),
        HeaderCell("成果形式", width=16),
    ]


def template_response():
    """Our own task-table template: the columns the importer reads, with one example row."""
    wb = Workbook()
    ws = wb.active
    ws.title = "任务清单"
    ws.cell(1, 1, _("××区卫生健康系统安全生产重点任务清单（2025年）"))
    ws.cell(1, 1).font = Font(bold=True, size=13)
    write_header(ws, template_columns(), row=2)
    example = [
        1,
        "从业人员安全素养提升行动",
        "集中培训",
        "组织全系统安全生产集中培训，每年至少1次。",
        "2025年：培训覆盖率100%",
        "安全生产科、医政科",
        "局属各单位，各基层和民营医疗机构",
        "",
        "2025年12月前，长期坚持",
        "培训记录",
    ]
    for col, value in enumerate(example, start=1):
        set_value(ws, 3, col, value)
    return workbook_response(wb, _("任务清单导入模板") + ".xlsx")
