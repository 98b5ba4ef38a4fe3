"""Bulk import from xlsx: every row goes through the same services as the forms, all or nothing.

``import_run`` reads the sheet, then creates each row with the real services
(``organization_create``, ``department_create``, ``post_create``, ``user_create``, with
``by=`` the uploader) inside one transaction, each row in its own savepoint so that one bad row
does not hide the next. Every refusal is collected with its row number (as Excel shows it), its
column and the service's message. If any row is bad, or when only validating, everything is
rolled back; otherwise one ``import.completed`` audit event is recorded in the same transaction.
"""

from __future__ import annotations

import re
import secrets
import string
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.accounts import services as account_services
from anjian.accounts.models import User
from anjian.core import audit
from anjian.core.audit import AuditVerb
from anjian.core.errors import DomainError
from anjian.core.permissions import require
from anjian.core.roles import Role
from anjian.core.xlsx import SheetRow, parse_bool, parse_date, parse_int, read_sheet, split_list
from anjian.hazards import services as hazard_services
from anjian.hazards.choices import HazardLevel, HazardSource
from anjian.hazards.models import Criterion, HazardCategory
from anjian.imports.specs import (
    CRITERIA,
    DEPARTMENTS,
    HAZARD_STATES,
    HAZARDS,
    INSTITUTIONS,
    KINDS,
    LEVEL_WORDS,
    STAFF,
    Column,
    ImportKind,
    criterion_labels,
)
from anjian.orgs import services as org_services
from anjian.orgs.choices import HospitalGrade, InstitutionKind, OrganizationType, Ownership
from anjian.orgs.models import Department, Organization, Post


@dataclass(frozen=True)
class RowError:
    """One reason a row cannot be imported."""

    row: int
    column: str
    value: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "value": self.value, "message": self.message}


@dataclass(frozen=True)
class GeneratedPassword:
    row: int
    username: str
    name: str
    password: str


@dataclass
class ImportResult:
    kind: ImportKind
    file_name: str
    commit: bool
    rows: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    passwords: list[GeneratedPassword] = field(default_factory=list)
    created: list[models.Model] = field(default_factory=list)
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors})

    @property
    def imported(self) -> int:
        """Rows written to the database (0 unless committed)."""
        return self.rows if self.committed else 0


_CREDIT_CODE_LIKE = re.compile(r"^[0-9A-Za-z]{18}$")


class RowProblem(DomainError):
    """A problem with one cell, found by the importer before or around the services."""


def import_run(
    *,
    kind: str | ImportKind,
    file: IO[bytes],
    by,
    commit: bool,
    file_name: str = "",
    organization: Organization | None = None,
) -> ImportResult:
    """Import one xlsx of ``kind`` as ``by``; ``commit=False`` validates and rolls back.

    ``organization`` is the default institution of department and staff rows that do not name
    one (regulators choose it on upload; an institution's users import into their own).
    Raises ``XlsxError`` for a file that cannot be read, PermissionDenied for a kind the user's
    role may not import, and DomainError for a default organization outside the user's scope.
    """
    spec = kind if isinstance(kind, ImportKind) else KINDS[kind]
    require(by, spec.action)
    file_name = file_name or getattr(file, "name", "") or ""
    if organization is not None and not Organization.objects.visible_to(by).filter(pk=organization.pk).exists():
        raise DomainError(_("所选单位不在您的管辖范围内。"), field="organization")
    sheet = read_sheet(
        file,
        name=file_name,
        required=spec.required_titles,
        known=spec.titles,
        sheet_title=spec.sheet_title,
        max_rows=settings.IMPORT_MAX_ROWS,
        max_bytes=settings.IMPORT_MAX_BYTES,
    )
    importer = IMPORTERS[spec.key](spec=spec, by=by, organization=organization, file_name=file_name, rows=sheet.rows)
    result = ImportResult(kind=spec, file_name=file_name, commit=commit, rows=len(sheet.rows))

    with transaction.atomic():
        for row in sheet.rows:
            mark = importer.mark()
            try:
                with transaction.atomic():
                    importer.import_row(row)
            except (DomainError, PermissionDenied, Http404) as exc:
                result.errors.extend(_row_errors(spec, row, exc))
                importer.row_failed(row, mark)
        result.counts = dict(importer.counts)
        if result.errors or not commit:
            transaction.set_rollback(True)
        else:
            audit.record(
                actor=by,
                verb=AuditVerb.IMPORT_COMPLETED,
                organization=getattr(by, "organization", None),
                note=_("%(kind)s：%(file)s，%(rows)d 行，新建%(counts)s")
                % {
                    "kind": spec.label,
                    "file": file_name,
                    "rows": result.rows,
                    "counts": "、".join(f"{label} {n} 个" for label, n in result.counts.items()),
                }
                + importer.summary,
            )
            result.committed = True
            result.created = importer.created
            result.passwords = importer.passwords
    return result


def _row_errors(spec: ImportKind, row: SheetRow, exc: Exception) -> list[RowError]:
    if isinstance(exc, Http404):
        return [RowError(row.number, "", "", _("所引用的记录不存在或不在您的管辖范围内。"))]
    if isinstance(exc, PermissionDenied):
        return [RowError(row.number, "", "", str(exc) or _("您无权执行此操作。"))]
    pairs: list[tuple[str | None, str]] = []
    if exc.errors:
        for name, messages in exc.errors.items():
            pairs.extend((name, str(m)) for m in messages)
    else:
        pairs.append((exc.field, str(exc.message)))
    errors = []
    for name, message in pairs:
        column = spec.column_for_field(name)
        if column is None:
            errors.append(RowError(row.number, "", "", message))
        else:
            errors.append(RowError(row.number, column.title, _shown_value(column, row), message))
    order = {title: i for i, title in enumerate(spec.titles)}
    return sorted(errors, key=lambda e: order.get(e.column, len(order)))  # as the columns run; whole-row last


def _shown_value(column: Column, row: SheetRow) -> str:
    value = row.get(column.title)
    if column.key == "password" and value:
        return "******"
    return value[:100]


# --- what every importer shares ---------------------------------------------------------------


class Importer:
    """Turns one row into service calls. Subclasses implement ``import_row``."""

    def __init__(self, *, spec: ImportKind, by, organization, file_name: str, rows: list[SheetRow]):
        self.spec = spec
        self.by = by
        self.default_organization = organization
        self.note = _("批量导入：%(file)s") % {"file": file_name} if file_name else _("批量导入")
        self.rows = rows
        self.counts: dict[str, int] = {}
        self.created: list[models.Model] = []
        self.passwords: list[GeneratedPassword] = []
        self._orgs: dict[tuple[str, str], Organization] = {}
        self.summary = ""  # added to the import's audit note

    def import_row(self, row: SheetRow) -> None:
        raise NotImplementedError

    def mark(self) -> tuple[int, int, dict[str, int]]:
        """Called before each row: where to roll back to if the row fails."""
        self._problems: list[RowProblem] = []
        return len(self.created), len(self.passwords), dict(self.counts)

    def row_failed(self, row: SheetRow, mark: tuple[int, int, dict[str, int]]) -> None:
        """The row's savepoint was rolled back: forget what it made."""
        created, passwords, counts = mark
        del self.created[created:]
        del self.passwords[passwords:]
        self.counts = counts

    @staticmethod
    def refuse(message, *, field: str | None = None):
        raise RowProblem(message, field=field)

    def count(self, label, n: int = 1) -> None:
        self.counts[str(label)] = self.counts.get(str(label), 0) + n

    # every problem of a row, not only the first

    def cell(self, read, *args, **kwargs):
        """``read(*args, **kwargs)``, or None with its problem noted for the row's report."""
        try:
            return read(*args, **kwargs)
        except RowProblem as exc:
            self._problems.append(exc)
            return None

    def problems(self) -> dict[str | None, list[str]]:
        errors: dict[str | None, list[str]] = {}
        for problem in self._problems:
            for name, messages in (problem.errors or {problem.field: [problem.message]}).items():
                errors.setdefault(name, []).extend(str(m) for m in messages)
        return errors

    def stop_if_problems(self) -> None:
        """Raise what the row's cells got wrong (before a step that needs them)."""
        if self._problems:
            errors = self.problems()
            raise RowProblem(next(iter(errors.values()))[0], errors=errors)

    def create(self, service, **kwargs):
        """Call the service. If some cells were wrong, call it anyway with what was readable, so
        that the row's report also has the service's reasons for the other columns; then refuse
        the row with all of them (the row's savepoint undoes whatever the call wrote)."""
        if not self._problems:
            return service(**kwargs)
        errors = self.problems()
        try:
            with transaction.atomic():
                service(**kwargs)
        except DomainError as exc:
            for name, messages in (exc.errors or {exc.field: [exc.message]}).items():
                if name not in errors:
                    errors[name] = [str(m) for m in messages]
        except (PermissionDenied, Http404):
            pass
        raise RowProblem(next(iter(errors.values()))[0], errors=errors)

    # cells

    def text(self, row: SheetRow, key: str) -> str:
        column = self.spec.column(key)
        value = row.get(column.title)
        if column.required and not value:
            raise RowProblem(_("必填，不能为空。"), field=key)
        return value

    def choice(self, row: SheetRow, key: str, choices) -> str:
        """A TextChoices value from its label (or the value itself); blank is ""."""
        value = self.text(row, key)
        if not value:
            return ""
        for member in choices:
            if value in (str(member.label), member.value):
                return member.value
        raise RowProblem(
            _("“%(value)s”不是有效的选项。可选：%(options)s。")
            % {"value": value, "options": "、".join(str(label) for label in choices.labels)},
            field=key,
        )

    def flag(self, row: SheetRow, key: str) -> bool:
        try:
            return parse_bool(self.text(row, key))
        except ValueError as exc:
            raise RowProblem(str(exc), field=key) from exc

    def number(self, row: SheetRow, key: str) -> int | None:
        try:
            return parse_int(self.text(row, key))
        except ValueError as exc:
            raise RowProblem(str(exc), field=key) from exc

    # scoped lookups: a name outside the user's scope is never matched

    def find_organization(self, name: str, *, key: str, types: tuple[str, ...]) -> Organization:
        cache_key = (name, ",".join(types))
        if cache_key in self._orgs:
            return self._orgs[cache_key]
        qs = Organization.objects.visible_to(self.by).filter(is_active=True, type__in=types)
        if _CREDIT_CODE_LIKE.match(name):
            matches = list(qs.filter(credit_code=name.upper())[:2])
        else:
            matches = list(qs.filter(name=name)[:2]) or list(qs.filter(short_name=name)[:2])
        if not matches:
            raise RowProblem(_("“%(name)s”不存在或不在您的管辖范围内。") % {"name": name}, field=key)
        if len(matches) > 1:
            raise RowProblem(_("有多个名为“%(name)s”的单位，请填写全称。") % {"name": name}, field=key)
        self._orgs[cache_key] = matches[0]
        return matches[0]

    def row_organization(self, row: SheetRow, *, types: tuple[str, ...]) -> Organization:
        """The organization a department or staff row belongs to: named in the row, else the
        default chosen on upload, else the uploader's own."""
        name = self.text(row, "organization")
        if name:
            return self.find_organization(name, key="organization", types=types)
        if self.default_organization is not None:
            return self.default_organization
        own = getattr(self.by, "organization", None)
        if own is not None and own.type in types:
            return own
        raise RowProblem(_("须填写所属单位（或在上传时选择默认单位）。"), field="organization")

    def find_department(self, organization: Organization, path: str, *, key: str) -> Department:
        """A department of ``organization`` by name, or by "上级/下级" when names repeat."""
        segments = [s.strip() for s in path.replace("／", "/").split("/") if s.strip()]
        qs = Department.objects.visible_to(self.by).filter(organization=organization, is_active=True)
        matches = list(qs.filter(name=segments[-1]).select_related("parent"))
        for depth, segment in enumerate(reversed(segments[:-1]), start=1):
            matches = [d for d in matches if _ancestor_name(d, depth) == segment]
        if not matches:
            raise RowProblem(
                _("%(org)s没有名为“%(name)s”的科室（或不在您的管辖范围内）。")
                % {"org": organization.name, "name": path},
                field=key,
            )
        if len(matches) > 1:
            raise RowProblem(
                _("%(org)s有多个名为“%(name)s”的科室，请写成“上级科室/科室”。")
                % {"org": organization.name, "name": path},
                field=key,
            )
        return matches[0]


def _ancestor_name(department: Department, depth: int) -> str | None:
    node = department
    for _step in range(depth):
        node = node.parent
        if node is None:
            return None
    return node.name


# --- institutions -------------------------------------------------------------------------------


class InstitutionImporter(Importer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.codes: dict[str, int] = {}

    def import_row(self, row: SheetRow) -> None:
        code = self.text(row, "credit_code").upper()
        if code:
            first = self.codes.setdefault(code, row.number)
            if first != row.number:
                self.cell(self.refuse, _("统一社会信用代码与第%(n)d行重复。") % {"n": first}, field="credit_code")
                code = ""
            elif Organization.objects.filter(credit_code=code).exists():
                # The model's constraint would say so too, but only by the constraint's name.
                self.cell(
                    self.refuse, _("统一社会信用代码“%(code)s”已被其他机构使用。") % {"code": code}, field="credit_code"
                )
                code = ""
        c = self.cell
        data = {
            "type": OrganizationType.INSTITUTION,
            "name": c(self.text, row, "name") or "",
            "short_name": self.text(row, "short_name"),
            "parent": c(self.parent, row),
            "kind": c(self.choice, row, "kind", InstitutionKind) or "",
            "hospital_grade": c(self.choice, row, "hospital_grade", HospitalGrade) or "",
            "is_specialty": c(self.flag, row, "is_specialty") or False,
            "ownership": c(self.choice, row, "ownership", Ownership) or "",
            "is_fire_key_unit": c(self.flag, row, "is_fire_key_unit") or False,
            "is_fire_high_risk": c(self.flag, row, "is_fire_high_risk") or False,
            "is_elderly_care": c(self.flag, row, "is_elderly_care") or False,
            "credit_code": code,
            "division_code": self.text(row, "division_code"),
            "address": self.text(row, "address"),
            "legal_representative": self.text(row, "legal_representative"),
            "contact_person": self.text(row, "contact_person"),
            "contact_phone": self.text(row, "contact_phone"),
            "bed_count": c(self.number, row, "bed_count"),
            "staff_count": c(self.number, row, "staff_count"),
        }
        if data["parent"] is None:
            self.stop_if_problems()  # without a parent in scope the service refuses the whole row
        org = self.create(org_services.organization_create, by=self.by, data=data, note=self.note)
        self.created.append(org)
        self.count(INSTITUTIONS.object_label)

    def parent(self, row: SheetRow) -> Organization | None:
        name = self.text(row, "parent")
        if name:
            return self.find_organization(name, key="parent", types=(OrganizationType.REGULATOR,))
        own = getattr(self.by, "organization", None)
        if own is not None and own.is_regulator:
            return own
        raise RowProblem(_("须填写上级监管部门。"), field="parent")


# --- departments and posts ----------------------------------------------------------------------


class DepartmentImporter(Importer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seen: dict[tuple, int] = {}
        self.failed: dict[str, int] = {}  # department name -> the row that failed to make it
        self.first_row_of: dict[str, int] = {}
        for row in self.rows:
            self.first_row_of.setdefault(row.get(DEPARTMENTS.column("name").title), row.number)

    def import_row(self, row: SheetRow) -> None:
        c = self.cell
        organization = c(self.row_organization, row, types=(OrganizationType.INSTITUTION,))
        name = c(self.text, row, "name") or ""
        posts = split_list(self.text(row, "posts"))
        certified = split_list(self.text(row, "certified_posts"))
        stray = [p for p in certified if p not in posts]
        if stray:
            c(self.refuse, _("“%(names)s”不在本行的岗位中。") % {"names": "、".join(stray)}, field="certified_posts")
        if organization is None:
            self.stop_if_problems()
        parent = c(self.parent, row, organization)
        if parent is None and self.text(row, "parent"):
            self.stop_if_problems()  # a sub-department must not be made at the top instead
        if name:
            key = (organization.pk, parent.pk if parent else None, name)
            first = self.seen.setdefault(key, row.number)
            if first != row.number:
                c(self.refuse, _("科室“%(name)s”与第%(n)d行重复。") % {"name": name, "n": first}, field="name")
            elif Department.objects.filter(organization=organization, parent=parent, name=name).exists():
                c(
                    self.refuse,
                    _("%(org)s已有科室“%(name)s”%(under)s。")
                    % {
                        "org": organization.name,
                        "name": name,
                        "under": _("（上级科室：%(p)s）") % {"p": parent.name} if parent else "",
                    },
                    field="name",
                )
        self.stop_if_problems()
        department = org_services.department_create(
            by=self.by,
            organization=organization,
            data={
                "name": name,
                "parent": parent,
                "code": self.text(row, "code"),
                "location": self.text(row, "location"),
                "phone": self.text(row, "phone"),
            },
            note=self.note,
        )
        self.created.append(department)
        self.count(DEPARTMENTS.object_label)
        for post_name in posts:
            try:
                post = org_services.post_create(
                    by=self.by,
                    organization=organization,
                    data={"name": post_name, "department": department, "requires_certificate": post_name in certified},
                    note=self.note,
                )
            except DomainError as exc:
                raise RowProblem(f"{_('岗位')}“{post_name}”：{exc.message}", field="posts") from exc
            self.count(_("岗位"))
            self.created.append(post)

    def parent(self, row: SheetRow, organization: Organization) -> Department | None:
        path = self.text(row, "parent")
        if not path:
            return None
        try:
            return self.find_department(organization, path, key="parent")
        except RowProblem:
            last = path.replace("／", "/").split("/")[-1].strip()
            if last in self.failed:
                raise RowProblem(
                    _("上级科室“%(name)s”所在的第%(n)d行有错误，未能建立。") % {"name": path, "n": self.failed[last]},
                    field="parent",
                ) from None
            later = self.first_row_of.get(last)
            if later is not None and later > row.number:
                raise RowProblem(
                    _("上级科室“%(name)s”在第%(n)d行，须放在本行之前。") % {"name": path, "n": later}, field="parent"
                ) from None
            raise

    def row_failed(self, row: SheetRow, mark) -> None:
        super().row_failed(row, mark)
        name = row.get(DEPARTMENTS.column("name").title)
        if name:
            self.failed.setdefault(name, row.number)


# --- staff --------------------------------------------------------------------------------------

PASSWORD_LENGTH = 12
_READABLE_LETTERS = "".join(c for c in string.ascii_letters if c not in "IlO")
_READABLE_DIGITS = "23456789"
_SAFE_SYMBOLS = "#%*?!@&"


def generate_password(length: int = PASSWORD_LENGTH) -> str:
    """A strong random password that is easy to read out: no I/l/O/0/1, starts with a letter
    (so a spreadsheet never takes it for a formula), has a capital, a small letter, a digit and
    a symbol."""
    alphabet = _READABLE_LETTERS + _READABLE_DIGITS + _SAFE_SYMBOLS
    while True:
        chars = [secrets.choice(_READABLE_LETTERS)] + [secrets.choice(alphabet) for _i in range(length - 1)]
        password = "".join(chars)
        if (
            any(c.isupper() for c in password)
            and any(c.islower() for c in password)
            and any(c in _READABLE_DIGITS for c in password)
            and any(c in _SAFE_SYMBOLS for c in password)
        ):
            return password


class StaffImporter(Importer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.usernames: dict[str, int] = {}
        self.roles = {str(role.label): role.value for role in Role} | {role.value: role.value for role in Role}

    def import_row(self, row: SheetRow) -> None:
        c = self.cell
        username = c(self.text, row, "username") or ""
        if username:
            first = self.usernames.setdefault(username.lower(), row.number)
            if first != row.number:
                c(self.refuse, _("用户名与第%(n)d行重复。") % {"n": first}, field="username")
                username = ""
            elif User.objects.filter(username__iexact=username).exists():
                # user_create says so too, but before it checks anything else of the row
                c(self.refuse, _("用户名“%(u)s”已被使用。") % {"u": username}, field="username")
                username = ""
        organization = c(self.row_organization, row, types=tuple(OrganizationType.values))
        department_name = self.text(row, "department")
        post_name = self.text(row, "post")
        department = post = None
        if department_name and organization is not None:
            department = c(self.find_department, organization, department_name, key="department")
        if post_name and not department_name:
            c(self.refuse, _("填写岗位时须同时填写科室。"), field="post")
        elif post_name and department is not None:
            post = (
                Post.objects.visible_to(self.by).filter(department=department, name=post_name, is_active=True).first()
            )
            if post is None:
                c(
                    self.refuse,
                    _("科室“%(dept)s”中没有岗位“%(post)s”。") % {"dept": department.name, "post": post_name},
                    field="post",
                )
        if organization is None:
            self.stop_if_problems()
        password = self.text(row, "password")
        generated = not password
        if generated:
            password = generate_password()
        data = {
            "username": username,
            "name": c(self.text, row, "name") or "",
            "organization": organization,
            "department": department,
            "post": post,
            "role": c(self.role, row) or Role.STAFF,
            "phone": self.text(row, "phone"),
            "job_title": self.text(row, "job_title"),
            "email": self.text(row, "email"),
        }
        user = self.create(account_services.user_create, by=self.by, data=data, password=password, note=self.note)
        self.created.append(user)
        self.count(STAFF.object_label)
        if generated:
            self.passwords.append(GeneratedPassword(row.number, user.username, user.name, password))

    def role(self, row: SheetRow) -> str:
        label = self.text(row, "role")
        value = self.roles.get(label) or self.roles.get(label.lower())
        if value is None:
            from anjian.imports.specs import role_labels

            raise RowProblem(
                _("“%(value)s”不是有效的角色。可选：%(options)s。")
                % {"value": label, "options": "、".join(role_labels(self.by))},
                field="role",
            )
        return value


# --- the determination standards of major hazards ---------------------------------------------


class CriterionImporter(Importer):
    """Rows of one standard and version go into that version; a new one is created on its first row."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.codes: dict[tuple[str, str, str], int] = {}

    def import_row(self, row: SheetRow) -> None:
        from anjian.hazards import library
        from anjian.hazards.models import CriterionSet, HazardCategory

        c = self.cell
        name, version = c(self.text, row, "standard"), c(self.text, row, "version")
        code, text = c(self.text, row, "code"), c(self.text, row, "text")
        category = None
        category_name = self.text(row, "category")
        if category_name:
            category = HazardCategory.objects.filter(name=category_name, is_active=True).first()
            if category is None:
                c(self.refuse, _("“%(name)s”不是现有的隐患类别。") % {"name": category_name}, field="category")
        if name and version and code:
            first = self.codes.setdefault((name, version, code), row.number)
            if first != row.number:
                c(self.refuse, _("条目号与第%(n)d行重复。") % {"n": first}, field="code")
        self.stop_if_problems()
        criterion_set = CriterionSet.objects.filter(name=name, version=version).first()
        if criterion_set is None:
            criterion_set = library.criterion_set_create(
                by=self.by,
                data={"name": name, "version": version, "document_number": self.text(row, "document_number")},
            )
            self.count(_("判定标准版本"))
        item = self.create(
            library.criterion_create,
            by=self.by,
            criterion_set=criterion_set,
            data={"code": code, "text": text, "category": category},
        )
        self.created.append(item)
        self.count(CRITERIA.object_label)


# --- old hazards (历史补录) -------------------------------------------------------------------------


class HazardBackfillImporter(Importer):
    """Rows of an old ledger through ``hazards.services.hazard_backfill``, one batch per file."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        stamp = timezone.localtime().strftime("%Y%m%d%H%M%S")
        self.batch = f"BL{stamp}-{secrets.token_hex(2).upper()}"
        self.summary = "；" + _("补录批次 %(batch)s") % {"batch": self.batch}
        self.seen: dict[tuple, int] = {}
        self._criteria: dict[str, list[Criterion]] | None = None
        self._categories = {
            key: category
            for category in HazardCategory.objects.filter(is_active=True)
            for key in (category.name, category.code)
        }

    def import_row(self, row: SheetRow) -> None:
        c = self.cell
        organization = c(self.row_organization, row, types=(OrganizationType.INSTITUTION,))
        department = None
        department_name = self.text(row, "department")
        if department_name and organization is not None:
            department = c(self.find_department, organization, department_name, key="department")
        data = {
            "title": c(self.text, row, "title") or "",
            "location": c(self.text, row, "location") or "",
            "description": self.text(row, "description"),
            "department": department,
            "category": c(self.category, row),
            "criterion": c(self.criterion, row),
            "source_reference": self.text(row, "source_reference"),
            "found_by_name": self.text(row, "found_by_name"),
            "original_found_on": c(self.date, row, "original_found_on"),
            "status": c(self.status, row),  # None when unreadable: refused, and nothing guessed from it
            "original_closed_on": c(self.date, row, "original_closed_on"),
            "rectification_note": self.text(row, "rectification_note"),
            "acceptance_note": self.text(row, "acceptance_note"),
        }
        # a blank level or source takes the service's default; an unreadable one (None) is refused
        if self.text(row, "level"):
            data["level"] = c(self.level, row)
        if self.text(row, "source"):
            data["source"] = c(self.choice, row, "source", HazardSource)
        if organization is None:
            self.stop_if_problems()
        key = (organization.pk, data["title"], data["location"], data["original_found_on"])
        if data["title"] and data["original_found_on"]:
            first = self.seen.setdefault(key, row.number)
            if first != row.number:
                c(self.refuse, _("与第%(n)d行是同一隐患（单位、名称、部位和原发现日期相同）。") % {"n": first})
                self.stop_if_problems()  # not also "already entered" by the row above, which may yet fail
        hazard = self.create(
            hazard_services.hazard_backfill,
            by=self.by,
            organization=organization,
            data=data,
            batch=self.batch,
            note=self.note,
        )
        self.created.append(hazard)
        self.count(HAZARDS.object_label)

    def category(self, row: SheetRow) -> HazardCategory | None:
        name = self.text(row, "category")
        if not name:
            return None
        category = self._categories.get(name)
        if category is None:
            raise RowProblem(
                _("“%(name)s”不是现有的隐患类别。可选：%(options)s。")
                % {"name": name, "options": "、".join(dict.fromkeys(c.name for c in self._categories.values()))},
                field="category",
            )
        return category

    def level(self, row: SheetRow) -> str:
        value = self.text(row, "level")
        return LEVEL_WORDS.get(value) or self.choice(row, "level", HazardLevel)

    def status(self, row: SheetRow) -> str | None:
        value = self.text(row, "status")
        if not value:
            return None
        if value not in HAZARD_STATES:
            raise RowProblem(
                _("“%(value)s”不是有效的整改状态。可选：%(options)s。")
                % {"value": value, "options": "、".join(HAZARD_STATES)},
                field="status",
            )
        return HAZARD_STATES[value]

    def date(self, row: SheetRow, key: str):
        try:
            return parse_date(self.text(row, key))
        except ValueError as exc:
            raise RowProblem(str(exc), field=key) from exc

    def criterion(self, row: SheetRow) -> Criterion | None:
        """An item by "标准名称 第N条" or "标准名称（版本） 第N条"; retired versions too (an old hazard met
        the standard of its day)."""
        text = self.text(row, "criterion")
        if not text:
            return None
        if self._criteria is None:
            self._criteria = {}
            for item in Criterion.objects.select_related("criterion_set").order_by("pk"):
                for label in criterion_labels(item):
                    self._criteria.setdefault(_squeezed(label), []).append(item)
        matches = self._criteria.get(_squeezed(text), [])
        if not matches:
            raise RowProblem(
                _("“%(value)s”不是现有的判定标准条目，请从下拉列表中选择（如“%(example)s”）。")
                % {"value": text, "example": "医疗机构重大事故隐患判定清单（试行） 第1条"},
                field="criterion",
            )
        if len(matches) > 1:
            raise RowProblem(
                _("“%(value)s”有多个版本，请写成“标准名称（版本） 第N条”。") % {"value": text}, field="criterion"
            )
        return matches[0]


def _squeezed(text: str) -> str:
    """Without white space (a typed "第 1 条" is the listed "第1条")."""
    return re.sub(r"\s+", "", text)


IMPORTERS: dict[str, type[Importer]] = {
    INSTITUTIONS.key: InstitutionImporter,
    DEPARTMENTS.key: DepartmentImporter,
    CRITERIA.key: CriterionImporter,
    STAFF.key: StaffImporter,
    HAZARDS.key: HazardBackfillImporter,
}
