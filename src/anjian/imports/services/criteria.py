"""The determination standards of major hazards (重大事故隐患判定标准): each row an item of a
standard's version, through ``hazards.library``."""

from __future__ import annotations

from django.utils.translation import gettext as _

from anjian.core.xlsx import SheetRow
from anjian.hazards import library
from anjian.hazards.models import CriterionSet, HazardCategory
from anjian.imports.services.base import Importer
from anjian.imports.specs import CRITERIA


class CriterionImporter(Importer):
    """Rows of one standard and version go into that version; a new one is created on its first row."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.codes: dict[tuple[str, str, str], int] = {}

    def import_row(self, row: SheetRow) -> None:
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
