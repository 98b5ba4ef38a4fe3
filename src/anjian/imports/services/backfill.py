"""Old hazards (历史补录): the rows of an old ledger through ``hazards.services.hazard_backfill``, one
batch per file."""

from __future__ import annotations

import re
import secrets

from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.core.xlsx import SheetRow, parse_date
from anjian.hazards import services as hazard_services
from anjian.hazards.choices import HazardLevel, HazardSource
from anjian.hazards.models import Criterion, HazardCategory
from anjian.imports.services.base import Importer, RowProblem
from anjian.imports.specs import HAZARD_STATES, HAZARDS, LEVEL_WORDS, criterion_labels
from anjian.orgs.choices import OrganizationType


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
