"""Forms out as xlsx: a person's training file, and an institution's training and drill register
(two sheets). Rows from the same selectors as the pages."""

from __future__ import annotations

from openpyxl import Workbook

from anjian.core.docx import record_docx
from anjian.core.xlsx import HeaderCell, write_header, write_rows


def person_file_workbook(file: dict) -> Workbook:
    person = file["person"]
    wb = Workbook()
    ws = wb.active
    ws.title = "培训档案"
    write_header(
        ws,
        [
            HeaderCell("培训日期", width=12),
            HeaderCell("培训名称", width=36),
            HeaderCell("培训类别", width=18),
            HeaderCell("学时", width=8, text=False),
            HeaderCell("授课人", width=12),
            HeaderCell("签到方式", width=12),
        ],
    )
    write_rows(
        ws,
        (
            [
                a.session.held_on.isoformat(),
                a.session.title,
                a.session.category.name if a.session.category_id else "",
                float(a.session.hours),
                a.session.teacher,
                a.get_method_display(),
            ]
            for a in file["attendances"]
        ),
    )
    years = wb.create_sheet("年度学时")
    write_header(years, [HeaderCell("年度", width=10), HeaderCell("学时", width=10, text=False)])
    write_rows(years, ([year, float(hours)] for year, hours in file["hours_by_year"]))
    exams = wb.create_sheet("考试成绩")
    write_header(
        exams,
        [
            HeaderCell("交卷时间", width=18),
            HeaderCell("试卷", width=30),
            HeaderCell("得分", text=False),
            HeaderCell("结果"),
        ],
    )
    write_rows(
        exams,
        (
            [a.submitted_at.strftime("%Y-%m-%d %H:%M"), a.paper.title, a.score, "合格" if a.passed else "不合格"]
            for a in file["attempts"]
        ),
    )
    ws.oddHeader.center.text = f"{person.name} 安全培训档案"
    return wb


def register_workbook(sessions, drills) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "培训台账"
    write_header(
        ws,
        [
            HeaderCell("机构", width=24),
            HeaderCell("培训日期", width=12),
            HeaderCell("培训名称", width=36),
            HeaderCell("培训类别", width=18),
            HeaderCell("学时", width=8, text=False),
            HeaderCell("授课人", width=12),
            HeaderCell("地点", width=16),
            HeaderCell("参训人数", width=10, text=False),
        ],
    )
    write_rows(
        ws,
        (
            [
                s.organization.name,
                s.held_on.isoformat(),
                s.title,
                s.category.name if s.category_id else "",
                float(s.hours),
                s.teacher,
                s.place,
                s.attendee_count,
            ]
            for s in sessions
        ),
    )
    ds = wb.create_sheet("演练台账")
    write_header(
        ds,
        [
            HeaderCell("机构", width=24),
            HeaderCell("演练日期", width=12),
            HeaderCell("演练名称", width=36),
            HeaderCell("演练的预案", width=30),
            HeaderCell("地点", width=16),
            HeaderCell("参演人数", width=10, text=False),
            HeaderCell("发现问题", width=10, text=False),
            HeaderCell("演练评估", width=40),
        ],
    )
    write_rows(
        ds,
        (
            [
                d.organization.name,
                d.held_on.isoformat(),
                d.title,
                str(d.emergency_plan) if d.emergency_plan_id else "",
                d.place,
                d.participant_count,
                d.finding_count,
                d.evaluation,
            ]
            for d in drills
        ),
    )
    return wb


def drill_record_docx(drill, findings, participants) -> bytes:
    """应急演练记录 as docx: the drill's fields, its course, evaluation and the findings (hazards)."""
    names = "、".join(p.name for p in participants)
    return record_docx(
        title="应急演练记录",
        subtitle=drill.organization.name,
        fields=[
            ("演练名称", drill.title),
            ("演练日期", drill.held_on.strftime("%Y年%m月%d日")),
            ("地点", drill.place or "—"),
            ("演练的预案", str(drill.emergency_plan) if drill.emergency_plan_id else "—"),
            ("参演人数", f"{drill.participant_count} 人"),
            ("参演人员", names or "—"),
        ],
        parts=[
            ("一、演练情景", drill.scenario),
            ("二、演练过程", drill.timeline),
            ("三、演练评估", drill.evaluation),
            (
                "四、发现的问题及整改",
                "\n".join(
                    f"{n}. {f.hazard.title}（{f.hazard.number}，{f.hazard.get_status_display()}）"
                    for n, f in enumerate(findings, 1)
                )
                or "未发现问题。",
            ),
        ],
        signatures=["记录人：", "审核人（安全管理员）：", "日期：    年  月  日"],
    )
