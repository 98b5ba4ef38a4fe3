"""Write the seed task tables to xlsx the way the originals are laid out (merged cells and all)."""

from __future__ import annotations

import io

from openpyxl import Workbook

from anjian.action_plans.tests import seed_002, seed_003


def _bytes(wb: Workbook) -> io.BytesIO:
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def seed_003_xlsx() -> io.BytesIO:
    """Seed 003: 附件3 and a title above the header; 主要任务 merged per action (split at page breaks);
    a task over several lines has 序号, 任务, 责任单位 and 完成时限 merged and one office per line."""
    wb = Workbook()
    ws = wb.active
    ws.append(["附件3:"])
    ws.append(["银川市金凤区卫生健康局安全生产治本攻坚三年行动重点任务清单及责任分工（2024-2026年）"])
    ws.merge_cells("A2:F2")
    ws.append(["序号", "主要任务", "2024年重点工作任务", "责任处室", "责任单位", "完成时限"])
    first_row: dict[int, int] = {}
    last_row: dict[int, int] = {}
    row = 4
    units_merge = {33: 34, 40: 41}  # 责任单位 merged over two tasks in the original
    for number, content, office, units, deadline, more_offices in seed_003.TASKS:
        first_row[number] = row
        ws.cell(row, 1, number)
        ws.cell(row, 3, content)
        ws.cell(row, 4, office)
        ws.cell(row, 5, units if number not in units_merge.values() else None)
        ws.cell(row, 6, deadline)
        for extra in more_offices:
            row += 1
            ws.cell(row, 4, extra)
        if more_offices:
            for col in (1, 3, 5, 6):
                ws.merge_cells(start_row=first_row[number], start_column=col, end_row=row, end_column=col)
        last_row[number] = row
        row += 1
    for a, b in units_merge.items():
        ws.merge_cells(start_row=first_row[a], start_column=5, end_row=last_row[b], end_column=5)
    for first, last, action in seed_003.ACTIONS:
        ws.cell(first_row[first], 2, action)
        if last_row[last] > first_row[first]:
            ws.merge_cells(start_row=first_row[first], start_column=2, end_row=last_row[last], end_column=2)
    return _bytes(wb)


def seed_002_xlsx() -> io.BytesIO:
    """Seed 002's attachment 1: 工作目标任务 one header cell over three columns; the action merged."""
    wb = Workbook()
    ws = wb.active
    ws.append(["附件 1"])
    ws.append([seed_002.TITLE])
    ws.merge_cells("A2:G2")
    ws.append(["序号", "工作目标任务", None, None, "时间节点", "责任单位", "配合单位"])
    ws.merge_cells("B3:D3")
    rows = {}
    for number, title, content, deadline, units, coop in seed_002.TASKS:
        ws.append([number, None, title, content, deadline, units, coop or None])
        rows[number] = ws.max_row
    for first, last, action in seed_002.ACTIONS:
        ws.cell(rows[first], 2, action)
        if last > first:
            ws.merge_cells(start_row=rows[first], start_column=2, end_row=rows[last], end_column=2)
    ws.append([])
    ws.append([seed_002.NOTE])
    return _bytes(wb)
