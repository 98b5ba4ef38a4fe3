"""The fire-control room roster (消控室值班表) from an xlsx, in the way of the question import:
``preview`` reads and checks every row without writing, each problem named by its row and column;
the service (``duty_shifts_import``) writes only a preview without problems, all rows or none.

Columns: 日期, 班次 (白班, 夜班 …), 开始时间, 结束时间 (a night shift may end the next morning),
值班人员 (names of the institution's people separated by 、 or a comma; a name two people share
is written 姓名（用户名）). ``template_workbook`` is the blank file to fill in, with the
institution's people and their fire-control room certificates on a second sheet."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from anjian.accounts.models import User
from anjian.core.periods import MAX_YEAR, MIN_YEAR
from anjian.core.xlsx import HeaderCell, parse_date, read_sheet, split_list, write_header, write_rows
from anjian.training.models import Certificate, DutyShift
from anjian.training.selectors import fire_room_certified_on
from anjian.training.services.certificates import rules_of

SHEET = "值班表"
PEOPLE_SHEET = "本单位人员"
DAY, NAME, STARTS, ENDS, PEOPLE = "日期", "班次", "开始时间", "结束时间", "值班人员"
COLUMNS = [DAY, NAME, STARTS, ENDS, PEOPLE]
MAX_ROWS = 2000  # two shifts a day for more than two years
NAME_LIMIT = 20  # DutyShift.name
_TIME = re.compile(r"^(\d{1,2})\s*[:：点时]\s*(\d{1,2})?\s*(?:分)?(?:[:：]\d{1,2})?$")
_WITH_USERNAME = re.compile(r"^(.+?)\s*[（(]\s*([^()（）]+?)\s*[)）]$")


@dataclass
class Problem:
    column: str
    message: str


@dataclass
class Row:
    """One row as read: the values (as text, ISO for dates and times), the people found (ids and
    names), the problems (each with its column), and what the preview says of it."""

    number: int
    day: str = ""
    name: str = ""
    starts_at: str = ""
    ends_at: str = ""
    people: list[int] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    replaces: bool = False  # the institution already has this shift: importing changes it
    certified: int = 0  # the people holding a valid fire-control room certificate on the day
    required: int = 0

    def add(self, column: str, message: str) -> None:
        self.problems.append(asdict(Problem(column, message)))

    @property
    def errors(self) -> list[str]:
        """Each problem as the user reads it: 第 3 行“开始时间”：应为时间，如 08:00。"""
        return [
            _("第 %(n)s 行“%(c)s”：%(m)s") % {"n": self.number, "c": p["column"], "m": p["message"]}
            for p in self.problems
        ]

    @property
    def covered(self) -> bool:
        return self.certified >= self.required


def parse_time(text: str) -> dt.time:
    """08:00, 8:00, 8:00:00, 8点, 8点30分, 0800; an Excel time reads as 08:00:00."""
    value = (text or "").strip()
    if " " in value:  # an Excel date-time such as 1899-12-30 08:00:00
        value = value.rsplit(" ", 1)[-1]
    if re.fullmatch(r"\d{4}", value):
        value = f"{value[:2]}:{value[2:]}"
    match = _TIME.match(value)
    if not match:
        raise ValueError(_("应为时间，如 08:00。"))
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        raise ValueError(_("应为 00:00 至 23:59 之间的时间。"))
    return dt.time(hour, minute)


class People:
    """The institution's active people, found by 用户名, by 姓名 when only one has it, or by
    姓名（用户名）."""

    def __init__(self, organization):
        self.by_username, self.by_name = {}, defaultdict(list)
        for user in User.objects.filter(organization=organization, is_active=True).order_by("name", "pk"):
            self.by_username[user.username] = user
            self.by_name[user.name].append(user)

    def find(self, text: str) -> tuple[User | None, str]:
        """The person, or None and why not."""
        match = _WITH_USERNAME.match(text)
        if match:
            name, username = match.group(1).strip(), match.group(2).strip()
            user = self.by_username.get(username)
            if user is None or user.name != name:
                return None, _("本单位在职人员中没有“%(p)s”。") % {"p": text}
            return user, ""
        named = self.by_name.get(text, [])
        if len(named) == 1:
            return named[0], ""
        if len(named) > 1:
            return None, _("“%(p)s”有 %(n)s 人同名，请写成“姓名（用户名）”，如“%(e)s”。") % {
                "p": text,
                "n": len(named),
                "e": f"{text}（{named[0].username}）",
            }
        if text in self.by_username:
            return self.by_username[text], ""
        return None, _("本单位在职人员中没有“%(p)s”。") % {"p": text}


def _check(row: Row, values) -> tuple[dt.date | None, dt.time | None, dt.time | None]:
    day = starts = ends = None
    try:
        day = parse_date(values.get(DAY))
        if day is None:
            row.add(DAY, _("请填写值班日期。"))
        elif not MIN_YEAR <= day.year <= MAX_YEAR:
            row.add(DAY, _("年份须在 %(a)s 至 %(b)s 之间。") % {"a": MIN_YEAR, "b": MAX_YEAR})
            day = None
        else:
            row.day = day.isoformat()
    except ValueError as exc:
        row.add(DAY, str(exc))
    row.name = values.get(NAME).strip()
    if not row.name:
        row.add(NAME, _("请填写班次名称，如“白班”。"))
    elif len(row.name) > NAME_LIMIT:
        row.add(NAME, _("班次名称最多 %(n)s 个字。") % {"n": NAME_LIMIT})
    for column, attr in ((STARTS, "starts_at"), (ENDS, "ends_at")):
        text = values.get(column)
        if not text.strip():
            row.add(column, _("请填写%(c)s。") % {"c": column})
            continue
        try:
            value = parse_time(text)
        except ValueError as exc:
            row.add(column, str(exc))
            continue
        setattr(row, attr, value.strftime("%H:%M"))
        starts, ends = (value, ends) if attr == "starts_at" else (starts, value)
    if starts is not None and ends is not None and starts == ends:
        row.add(ENDS, _("结束时间不能与开始时间相同。"))
    return day, starts, ends


def preview(upload, *, organization) -> list[Row]:
    """Every row of the file checked against the institution's people and shifts, nothing written."""
    sheet = read_sheet(upload, name=getattr(upload, "name", ""), required=COLUMNS, sheet_title=SHEET, max_rows=MAX_ROWS)
    people = People(organization)
    rows, seen = [], {}
    for r in sheet.rows:
        row = Row(number=r.number)
        day, _starts, _ends = _check(row, r)
        found = []
        texts = split_list(r.get(PEOPLE))
        if not texts:
            row.add(PEOPLE, _("请填写值班人员。"))
        for text in texts:
            user, why = people.find(text)
            if user is None:
                row.add(PEOPLE, why)
            elif user.pk not in {u.pk for u in found}:
                found.append(user)
        row.people, row.names = [u.pk for u in found], [u.name for u in found]
        if day is not None and row.name:
            key = (day, row.name)
            if key in seen:
                row.add(NAME, _("与第 %(n)s 行是同一天的同名班次。") % {"n": seen[key]})
            else:
                seen[key] = row.number
        rows.append(row)
    _annotate(rows, organization)
    return rows


def _annotate(rows: list[Row], organization) -> None:
    """What the preview tells beside the problems: the shifts the import changes, and how many of
    each shift's people hold a valid fire-control room certificate on the day (a shift short of
    them is imported all the same, and shows as uncovered on the roster and the home panel)."""
    days = [dt.date.fromisoformat(r.day) for r in rows if r.day]
    existing = set()
    if days:
        existing = set(
            DutyShift.objects.filter(organization=organization, day__gte=min(days), day__lte=max(days)).values_list(
                "day", "name"
            )
        )
    certified_on = fire_room_certified_on({p for r in rows for p in r.people})
    required = rules_of(organization).fire_room_certified
    for row in rows:
        row.required = required
        if not row.day:
            continue
        day = dt.date.fromisoformat(row.day)
        row.replaces = (day, row.name) in existing
        row.certified = sum(1 for p in row.people if certified_on(p, day))


def as_data(rows: list[Row]) -> list[dict]:
    return [asdict(r) for r in rows]


def from_data(data: list[dict]) -> list[Row]:
    return [Row(**d) for d in data]


def template_workbook(organization) -> Workbook:
    """The blank roster to fill in, and the institution's people with their certificates."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    write_header(
        ws,
        [
            HeaderCell(DAY, required=True, width=14, comment=_("如 2026-12-01 或 2026/12/1")),
            HeaderCell(NAME, required=True, width=10, comment=_("如 白班、夜班；同一天同名班次已有时，导入即修改")),
            HeaderCell(STARTS, required=True, width=10, comment=_("如 08:00")),
            HeaderCell(ENDS, required=True, width=10, comment=_("如 20:00；夜班可跨至次日，如 08:00")),
            HeaderCell(
                PEOPLE,
                required=True,
                width=36,
                comment=_("本单位人员姓名，多人用顿号或逗号分隔；同名者写成“姓名（用户名）”，见“本单位人员”表"),
            ),
        ],
    )
    people = wb.create_sheet(PEOPLE_SHEET)
    write_header(
        people,
        [
            HeaderCell(_("姓名"), width=14),
            HeaderCell(_("用户名"), width=16),
            HeaderCell(_("科室"), width=18),
            HeaderCell(_("消控室证书有效期至"), width=20),
        ],
    )
    today = timezone.localdate()
    valid = {}
    for holder, expires in Certificate.objects.filter(
        organization=organization, is_active=True, kind__fire_control_room=True, expires_on__gte=today
    ).values_list("holder_id", "expires_on"):
        valid[holder] = max(expires, valid.get(holder, expires))
    write_rows(
        people,
        (
            [
                u.name,
                u.username,
                u.department.name if u.department_id else "",
                valid[u.pk].isoformat() if u.pk in valid else "",
            ]
            for u in User.objects.filter(organization=organization, is_active=True)
            .select_related("department")
            .order_by("name", "pk")
        ),
    )
    return wb
