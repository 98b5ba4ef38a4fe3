"""The rows of a task table read into tasks and sub-tasks, nothing lost: every non-empty cell ends up
in a task or in the table's problems."""

from __future__ import annotations

import re
from dataclasses import asdict

from django.utils.translation import gettext as _

from anjian.action_plans.parsing.cells import _OFFICE_LIKE, split_labelled, split_names
from anjian.action_plans.parsing.columns import (
    _DOC_NUMBER,
    _ENUMERATED,
    _FOOTER,
    _NUMBER,
    FIELDS,
    MAX_ROWS,
    STRONG_TITLE_WORDS,
    TITLE_WORDS,
    ParsedTable,
    ParsedTask,
    Source,
    _assign_roles,
    _find_header,
    _header_keys,
    _norm,
    _two_row_header,
    columns_json,
)
from anjian.core.xlsx import XlsxError


def parse_source(source: Source, *, roles: dict[int, str] | None = None) -> ParsedTable:
    """Read the tasks of a table. Every non-empty cell of the body ends up in a task (or sub-task)
    or in ``problems`` with its row and column: nothing is dropped without a word.

    A row under the same (merged) or a blank 序号 whose content or measures differ from the row
    above is a sub-task of the numbered task: kept in order, with its own content, measures,
    deadline and units where given, the rest inherited. A row whose content is the same (or empty)
    is a continuation line: its offices and units are added to the task."""
    grid = source.filled()
    if not grid:
        raise XlsxError(_("表格中没有任务行。"))
    width = max(len(r) for r in grid)
    for r in grid:
        r.extend([""] * (width - len(r)))
    raw = [list(r) + [""] * (width - len(r)) for r in source.rows]
    header_index = _find_header(grid)
    header, body_start = _two_row_header(grid, raw, header_index)
    auto_roles, layout = _assign_roles(header)
    if roles is not None:
        roles = {int(c): k for c, k in roles.items() if k in FIELDS}
        layout = "custom" if roles != auto_roles else layout
    else:
        roles = auto_roles
    if "content" not in roles.values():
        raise XlsxError(_("请指定哪一列是任务内容。"))
    table = ParsedTable(layout=layout, source=source, columns=columns_json(source, header_index, header, roles))
    _title_and_number(
        table,
        source,
        [r for r in grid[:header_index] if len({_norm(v) for v in r if _norm(v)}) < 2 or len(_header_keys(r)) < 2],
    )
    by_field: dict[str, list[int]] = {}
    for col in sorted(roles):
        by_field.setdefault(roles[col], []).append(col)
    spans = source.spans()
    header_norm = [_norm(v) for v in grid[header_index]]

    def where(r: int, c: int) -> dict:
        return source.cell_name(r, c)

    def problem(r: int, c: int | None, kind: str, message: str, **extra) -> None:
        place = where(r, c if c is not None else 0)
        if c is None:
            place.pop("column")
        table.problems.append({**place, "field": kind, "message": message, **extra})

    def ignore(r: int, why: str) -> None:
        for c, text in enumerate(raw[r]):
            if text.strip():
                place = where(r, c)
                problem(
                    r,
                    c,
                    "ignored",
                    _("第%(r)s行第%(c)s列%(why)s，未导入：%(t)s")
                    % {"r": place["row"], "c": place["column"], "why": why, "t": text.strip()[:80]},
                    text=text.strip(),
                )

    def get(row: list[str], key: str) -> str:
        parts = []
        for col in by_field.get(key, []):
            text = row[col].strip()
            if text and text not in parts:
                parts.append(text)
        return "\n".join(parts)

    last_action = ""
    current: ParsedTask | None = None  # the numbered task
    target: ParsedTask | None = None  # where continuation lines go (the task or its last sub-task)
    in_footer = False
    headings: list[int] = []  # heading rows ("一、…行动") waiting for their first task
    unnumbered: set[str] = set()  # the numbers given to rows without a 序号
    number_col = by_field.get("number", [None])[0]
    for index in range(body_start, len(grid)):
        row, own = grid[index], raw[index]
        shown_row = where(index, 0)["row"]
        own_cells = [(c, t.strip()) for c, t in enumerate(own) if t.strip()]
        if not own_cells:
            continue  # blank, or only covered by cells merged from above (read with those)
        if in_footer or any(_FOOTER.match(re.sub(r"\s+", "", t)) for _c, t in own_cells):
            in_footer = True
            ignore(index, _("是表格下方的签名或说明"))
            continue
        if [_norm(v) for v in row] == header_norm or re.sub(r"\s+", "", get(row, "number")).startswith("序号"):
            ignore(index, _("是重复的表头"))
            continue
        if len(own_cells) == 1 and spans.get((index, own_cells[0][0]), 1) >= 3:
            # a heading over the whole row ("一、从业人员安全素养提升行动"): the action of the tasks below
            last_action = re.sub(r"\s+", "", own_cells[0][1])
            current = target = None
            headings.append(index)
            continue
        values = {key: get(row, key) for key in FIELDS}
        resp = _responsibility(values)
        number = re.sub(r"\s+", "", values["number"])
        content = values["content"].replace("<p>", "").replace("</p>", "").strip()
        measures = values["measures"].strip()
        key = (re.sub(r"\s+", "", content), re.sub(r"\s+", "", measures))
        unread: set[str] = set()
        own_title = re.sub(r"\s+", "", "".join(own[c] for c in by_field.get("title", [])))
        # a blank 序号 continues the task above, unless that task had none either (a table without
        # numbers: a task a row) or the row names a task of its own (its own 任务事项)
        own_action = re.sub(r"\s+", "", "".join(own[c] for c in by_field.get("action", [])))
        own_number = re.sub(r"\s+", "", "".join(own[c] for c in by_field.get("number", [])))
        joins = (
            current is not None
            and own_action in ("", current.action)  # "1" again under another action: numbering restarted
            and (
                (number and number in (current.number, current.written_number))
                # a written sub-task's 序号 merged over its rows ("1.1" over two rows); written again
                # in a row of its own, it is a duplicate (renamed and reported below)
                or (
                    number
                    and not own_number
                    and target is not None
                    and target.parent == current.number
                    and number == target.number
                )
                or (not number and current.number not in unnumbered and own_title in ("", current.title))
            )
        )
        written_sub = None if joins else _written_parent(table, current, number, own_action)
        if joins:
            assert current is not None and target is not None
            if not any(key) or key == _key(target):
                unread = _absorb(target, values, resp, numbers={current.number, current.written_number})
                target.rows.append(shown_row)
            else:
                target = _sub_row(table, current, values, resp, shown_row)
        elif written_sub is not None:  # "1.2" under task 1: its sub-task, numbered as written
            parent, sub_number = written_sub
            if sub_number != number:  # under a task renumbered above ("1" made "二.1"): "二.1.2"
                problem(
                    index,
                    number_col,
                    "number",
                    _("第%(r)s行的序号“%(n)s”随所属任务改为“%(u)s”。") % {"r": shown_row, "n": number, "u": sub_number},
                    number=sub_number,
                    text=number,
                )
            target = _sub_row(table, parent, values, resp, shown_row, number=sub_number)
        elif (number and _NUMBER.fullmatch(number)) or (not number and content):
            taken = {t.number for t in table.tasks}
            written = ""
            action = re.sub(r"\s+", "", values["action"]) or last_action
            last_action = action
            if not number:
                problem(index, None, "number", _("第%(r)s行没有序号，已按新任务读取。") % {"r": shown_row})
                count = len([t for t in table.tasks if not t.parent]) + 1
                while str(count) in taken:
                    count += 1
                number = str(count)
                unnumbered.add(number)
            elif number in taken:  # numbering restarted under each heading ("一、…" 1, 2; "二、…" 1, 2)
                written, number = number, _unique_number(number, action, taken)
                problem(
                    index,
                    number_col,
                    "number",
                    _("第%(r)s行的序号“%(n)s”与前面的任务重复，已改为“%(u)s”。")
                    % {"r": shown_row, "n": written, "u": number},
                    number=number,
                    text=written,
                )
            current = target = ParsedTask(
                row=shown_row,
                number=number,
                action=action,
                written_number=written,
                title=re.sub(r"\s+", "", values["title"]),
                content=content,
                measures=measures,
                offices=resp["offices"],
                units_text=resp["units"],
                cooperating=resp["cooperating"],
                deadline_text=re.sub(r"\s+", " ", values["deadline"]).strip(),
                result_form=values["result_form"].strip(),
                progress=values["progress"].strip(),
                notes=values["notes"].strip(),
                rows=[where(h, 0)["row"] for h in headings] + [shown_row],
            )
            headings = []
            if values["targets"]:
                current.targets = {"text": values["targets"].strip()}
            table.tasks.append(current)
            if not content:
                problem(
                    index,
                    None,
                    "content",
                    _("第%(r)s行（序号%(n)s）没有任务内容。") % {"r": shown_row, "n": number},
                    number=number,
                )
        else:
            ignore(index, _("不是任务行（没有序号和任务内容）"))
            continue
        for col, text in own_cells:
            key_ = roles.get(col, "")
            if not key_ or key_ in unread:
                place = where(index, col)
                why = _("所在列未导入") if not key_ else _("与同一任务上一行的内容不一致")
                problem(
                    index,
                    col,
                    "unread",
                    _("第%(r)s行第%(c)s列%(why)s：%(t)s")
                    % {"r": place["row"], "c": place["column"], "why": why, "t": text[:80]},
                    text=text,
                )
        if len(table.tasks) > MAX_ROWS:
            raise XlsxError(_("任务超过 %(n)s 条，请拆分后导入。") % {"n": MAX_ROWS})

    for index in headings:
        ignore(index, _("是表格末尾没有任务的标题行"))
    if not table.tasks:
        raise XlsxError(_("表格中没有任务行。"))
    return table


_SECTION = re.compile(r"^[（(]?([一二三四五六七八九十]{1,3}|\d{1,3})[)）、.．]")


def _unique_number(number: str, action: str, taken: set[str]) -> str:
    """A 序号 that repeats an earlier one made unique: prefixed by its section ("二、…" → "二.1"),
    else (or if that is taken too) suffixed ("1-2")."""
    m = _SECTION.match(action or "")
    candidates = [f"{m[1]}.{number}"] if m else []
    candidates += (f"{number}-{k}" for k in range(2, MAX_ROWS + 2))
    return next(c for c in candidates if c not in taken)


def _key(task: ParsedTask) -> tuple[str, str]:
    return (re.sub(r"\s+", "", task.content), re.sub(r"\s+", "", task.measures))


def _responsibility(values: dict[str, str]) -> dict:
    """Offices, units and co-operators of a row, from their columns and from labels inside a cell."""
    parts: dict[str, list[str]] = {"offices": [], "units": [], "cooperating": []}
    for key in ("offices", "units", "cooperating"):
        for label, text in split_labelled(values[key], key).items():
            parts[label].append(text)
    offices: list[str] = []
    for text in parts["offices"]:
        offices += [o for o in split_names(text) if o not in offices]
    units = []
    for text in parts["units"]:
        for name in split_names(re.sub(r"\s*\n\s*", "、", text)):
            if _OFFICE_LIKE.search(name):
                if name not in offices:
                    offices.append(name)
            elif name not in units:
                units.append(name)
    unit_text = "，".join(re.sub(r"\s*\n\s*", "", t).strip() for t in parts["units"])
    if units != split_names(unit_text):  # an office named among the units: keep the units only
        unit_text = "、".join(units)
    return {
        "offices": offices,
        "units": unit_text,
        "cooperating": "，".join(re.sub(r"\s*\n\s*", "", t).strip() for t in parts["cooperating"]),
    }


def _join(old: str, new: str, sep: str = "，") -> str:
    return sep.join(p for p in (old, new) if p) if new and new not in old else old


def _absorb(task: ParsedTask, values: dict[str, str], resp: dict, *, numbers: set[str]) -> set[str]:
    """A continuation line of ``task``: add its offices, units and the like; return the fields whose
    text could not be added (a different deadline, say) for the caller to report."""
    for office in resp["offices"]:
        if office not in task.offices:
            task.offices.append(office)
    task.units_text = _join(task.units_text, resp["units"])
    task.cooperating = _join(task.cooperating, resp["cooperating"])
    for key in ("result_form", "progress", "notes"):
        setattr(task, key, _join(getattr(task, key), values[key].strip(), "\n"))
    if values["targets"].strip():
        task.targets = {"text": _join(task.targets.get("text", ""), values["targets"].strip(), "\n")}
    unread = set()
    deadline = re.sub(r"\s+", " ", values["deadline"]).strip()
    if deadline and deadline != task.deadline_text:
        if task.deadline_text:
            unread.add("deadline")
        else:
            task.deadline_text = deadline
    for key in ("title", "action"):
        text = re.sub(r"\s+", "", values[key])
        if text and text != getattr(task, key):
            if getattr(task, key):
                unread.add(key)
            else:
                setattr(task, key, text)
    if re.sub(r"\s+", "", values["number"]) not in {"", task.number, task.parent, *numbers}:
        unread.add("number")
    return unread


def _written_parent(
    table: ParsedTable, current: ParsedTask | None, number: str, own_action: str
) -> tuple[ParsedTask, str] | None:
    """The task a written 序号 such as "1.2" is a sub-task of, with the sub-task's number: the
    numbered task just above ("1"), when the row names no other action and the number is new. Under
    a task renumbered because the numbering restarted ("1" made "二.1"), the number follows it
    ("二.1.2"). Else ``None`` (a table numbered "1.1, 1.2, 2.1" without a task "1" keeps them as tasks)."""
    m = re.fullmatch(r"(.+)\.(\d{1,3})", number or "")
    if current is None or m is None or own_action not in ("", current.action):
        return None
    if m[1] == current.number:
        stored = number
    elif current.written_number and m[1] == current.written_number:
        stored = f"{current.number}.{m[2]}"
    else:
        return None
    if stored in {t.number for t in table.tasks}:
        return None
    return current, stored


def _sub_row(
    table: ParsedTable, parent: ParsedTask, values: dict[str, str], resp: dict, row: int, *, number: str = ""
) -> ParsedTask:
    """A row of ``parent`` with its own content: a sub-task. The first time, the parent's own first
    row becomes sub-task 1 and the parent keeps what its rows share (its name, units, deadline),
    unless the row's 序号 is written ("1.2", ``number``): then the parent's row is its heading as
    written and the sub-task keeps that number. A number made up here skips those taken."""
    at = next(i for i, t in enumerate(table.tasks) if t is parent)
    subs = table.tasks[at + 1 :]  # its sub-tasks follow it (a numbered task is the last one until the next)
    if not subs and not number:
        first = ParsedTask(
            **{
                **{k: v for k, v in asdict(parent).items() if k not in ("targets", "offices", "rows")},
                "number": f"{parent.number}.1",
                "parent": parent.number,
                "written_number": "",
                "title": "",
                "targets": dict(parent.targets),
                "offices": list(parent.offices),
                "rows": list(parent.rows),
            }
        )
        parent.content = parent.title or parent.content
        parent.measures = ""
        parent.progress = parent.notes = ""
        table.tasks.append(first)
        subs = [first]
    parent.has_subtasks = True
    if not number:
        taken = {t.number for t in table.tasks}
        k = len(subs) + 1
        while f"{parent.number}.{k}" in taken:
            k += 1
        number = f"{parent.number}.{k}"
    title = re.sub(r"\s+", "", values["title"])
    sub = ParsedTask(
        row=row,
        number=number,
        parent=parent.number,
        action=parent.action,
        title=title if title != parent.title else "",
        content=values["content"].strip(),
        measures=values["measures"].strip(),
        offices=resp["offices"] or list(parent.offices),
        units_text=resp["units"] or parent.units_text,
        cooperating=resp["cooperating"] or parent.cooperating,
        deadline_text=re.sub(r"\s+", " ", values["deadline"]).strip() or parent.deadline_text,
        result_form=values["result_form"].strip() or parent.result_form,
        progress=values["progress"].strip(),
        notes=values["notes"].strip(),
        rows=[row],
    )
    if values["targets"].strip():
        sub.targets = {"text": values["targets"].strip()}
    if not sub.content:
        sub.content, sub.measures = sub.measures, ""
    table.tasks.append(sub)
    return sub


def _title_and_number(table: ParsedTable, source: Source, above_rows: list[list[str]]) -> None:
    """The plan's title and document number from the text above the table (the paragraphs of a
    Word document, the rows above an Excel header)."""
    lines = list(source.above)
    for row in above_rows:
        parts = []
        for value in row:
            text = _norm(value)
            if text and text not in parts:
                parts.append(text)
        lines.append("".join(parts))
    candidates = []
    for line in lines:
        text = re.sub(r"\s+", "", line)
        m = _DOC_NUMBER.search(text)
        if m and not table.document_number:
            table.document_number = m[0]
        if m and len(text) - len(m[0]) < 4:
            continue  # the document number's own line
        if not text or len(text) > 80 or re.fullmatch(r"附件\d*[:：]?.{0,2}", text) or text.startswith("填报单位"):
            continue  # an attachment's label, body text of the document, the reporting unit's line
        candidates.append(text)
    candidates = [t for t in candidates if not _ENUMERATED.match(t)]  # "三、重点任务": a heading of the text
    strong = [t for t in candidates if any(w in t for w in STRONG_TITLE_WORDS)]
    titled = [t for t in candidates if any(w in t for w in TITLE_WORDS)]
    if strong or titled:
        table.title = (strong or titled)[-1]  # the nearest to the table
    elif candidates:
        table.title = max(candidates, key=len)
    years = [int(y) for y in re.findall(r"(?<!\d)20\d{2}(?!\d)", table.title)]
    table.year = years[0] if years else None
    table.end_year = max(years) if years and max(years) != min(years) else None


def single_year(parsed: dict) -> int | None:
    """The year a deadline without one ("12月底前") falls in: the title's, unless it spans several."""
    return None if parsed.get("end_year") else parsed.get("year")
