"""Departments and their posts: each row through ``orgs.services.department_create`` and
``post_create``; a sub-department names its parent, which an earlier row may have made."""

from __future__ import annotations

from django.utils.translation import gettext as _

from anjian.core.errors import DomainError
from anjian.core.xlsx import SheetRow, split_list
from anjian.imports.services.base import Importer, RowProblem
from anjian.imports.specs import DEPARTMENTS
from anjian.orgs import services as org_services
from anjian.orgs.choices import OrganizationType
from anjian.orgs.models import Department, Organization


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
