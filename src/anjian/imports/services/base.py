"""What every importer shares: a row turned into service calls, every problem of a row collected
(not only the first), the cells read, and the scoped look-ups of the organizations and departments
a row names."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from anjian.core.errors import DomainError
from anjian.core.xlsx import SheetRow, parse_bool, parse_int
from anjian.imports.specs import ImportKind
from anjian.orgs.models import Department, Organization


@dataclass(frozen=True)
class GeneratedPassword:
    """The password made for a staff row that gave none, shown once to the uploader."""

    row: int
    username: str
    name: str
    password: str


_CREDIT_CODE_LIKE = re.compile(r"^[0-9A-Za-z]{18}$")


class RowProblem(DomainError):
    """A problem with one cell, found by the importer before or around the services."""


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
