"""The workbooks the import pages hand out: the blank template per kind, the generated passwords,
and the error report."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from anjian.core.xlsx import (
    HeaderCell,
    add_list_validation,
    set_value,
    write_header,
    write_options_sheet,
    write_rows,
)
from anjian.imports.specs import Column, ImportKind
from anjian.orgs.choices import OrganizationType
from anjian.orgs.models import Organization

# Names offered in the drop-down of an organization column; a longer list is still accepted
# when typed, the drop-down just stops there.
MAX_LISTED_ORGANIZATIONS = 2000


def _organization_names(user, which: str) -> list[str]:
    qs = Organization.objects.visible_to(user).filter(is_active=True)
    if which == "regulators":
        qs = qs.filter(type=OrganizationType.REGULATOR)
    elif which == "institutions":
        qs = qs.filter(type=OrganizationType.INSTITUTION)
    return list(qs.order_by("path").values_list("name", flat=True)[:MAX_LISTED_ORGANIZATIONS])


def template_workbook(kind: ImportKind, user) -> Workbook:
    """The blank template of ``kind`` for ``user``: the data sheet (header, drop-downs, widths,
    frozen header), an instructions sheet, and a hidden sheet with the option lists."""
    columns = kind.columns_for(user)
    wb = Workbook()
    ws = wb.active
    ws.title = kind.sheet_title
    write_header(
        ws,
        [
            HeaderCell(title=c.title, required=c.required, width=c.width, comment=str(c.note), text=c.text)
            for c in columns
        ],
    )

    lists: dict[str, list[str]] = {}
    for column in columns:
        if column.options is not None:
            options = column.options(user)
            if options:  # an empty list would refuse whatever is typed
                lists[column.title] = options
        elif column.org_list:
            names = _organization_names(user, column.org_list)
            if names:
                lists[column.title] = names
    _write_instructions(wb, kind, columns, lists)
    if lists:
        ranges = write_options_sheet(wb, lists)
        last_row = settings.IMPORT_MAX_ROWS + 1
        for index, column in enumerate(columns, start=1):
            if column.title in ranges:
                add_list_validation(
                    ws,
                    column=index,
                    source=ranges[column.title],
                    last_row=last_row,
                    strict=column.strict and not column.org_list,
                )
    wb.active = 0
    return wb


def _write_instructions(wb: Workbook, kind: ImportKind, columns: Sequence[Column], lists) -> None:
    ws = wb.create_sheet(_("填写说明"))
    ws["A1"] = _("%(label)s导入模板 · 填写说明") % {"label": kind.label}
    ws["A1"].font = Font(bold=True, size=14)
    notes = [
        _("1. 在“%(sheet)s”工作表中从第2行起每行填写一条，不要修改表头；标 * 的列必填。") % {"sheet": kind.sheet_title},
        _("2. 带下拉箭头的列请从列表中选择。“是/否”列不填视为“否”。"),
        _("3. 导入时逐行按与页面表单相同的规则校验；只要有一行有误，整个文件都不会导入，并列出每个错误的行号和原因。"),
        _("4. 每个文件最多 %(rows)d 行、%(mb)d MB。可先勾选“只校验不导入”检查文件。")
        % {"rows": settings.IMPORT_MAX_ROWS, "mb": settings.IMPORT_MAX_BYTES // (1024 * 1024)},
        *(str(line) for line in kind.instructions),
    ]
    for r, line in enumerate(notes, start=2):
        set_value(ws, r, 1, line)
    start = len(notes) + 3
    head = [_("列名"), _("必填"), _("说明"), _("示例或可选值")]
    write_header(
        ws,
        [HeaderCell(title=h, width=w) for h, w in zip(head, (18, 8, 60, 50), strict=True)],
        row=start,
        freeze=False,
    )
    rows = []
    for column in columns:
        options = lists.get(column.title) if column.options is not None else None
        rows.append(
            [
                column.title,
                _("是") if column.required else "",
                str(column.note),
                "、".join(options) if options else column.example,
            ]
        )
    write_rows(ws, rows, start_row=start + 1)
    for row in ws.iter_rows(min_row=start + 1, max_row=start + len(rows)):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def passwords_workbook(rows: Sequence[tuple[str, str, str]]) -> Workbook:
    """The generated initial passwords, to hand out (username, name, password)."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("初始密码")
    write_header(
        ws, [HeaderCell(_("用户名"), width=18), HeaderCell(_("姓名"), width=14), HeaderCell(_("初始密码"), width=18)]
    )
    write_rows(ws, rows)
    return wb


def errors_workbook(errors) -> Workbook:
    """The error table of a refused import, to fix the file by."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("错误")
    write_header(
        ws,
        [
            HeaderCell(_("行号"), width=8, text=False),
            HeaderCell(_("列"), width=18),
            HeaderCell(_("填写的值"), width=28),
            HeaderCell(_("原因"), width=70),
        ],
    )
    write_rows(ws, [(e.row, e.column, e.value, e.message) for e in errors])
    return wb
