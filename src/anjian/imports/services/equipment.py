"""The equipment register of an institution (registers, issue 15): each row one item, through
``registers.services.equipment_create``; the kind by its name, the risk point by its name in the
user's own institution."""

from __future__ import annotations

from django.utils.translation import gettext as _

from anjian.core.xlsx import SheetRow, parse_date
from anjian.imports.services.base import Importer
from anjian.imports.specs import EQUIPMENT
from anjian.registers import services
from anjian.registers.models import EquipmentKind
from anjian.risks.models import RiskPoint


class EquipmentImporter(Importer):
    def import_row(self, row: SheetRow) -> None:
        c = self.cell
        name = c(self.text, row, "name")
        kind_name = c(self.text, row, "kind")
        kind = EquipmentKind.objects.filter(name=kind_name, is_active=True).first() if kind_name else None
        if kind_name and kind is None:
            c(self.refuse, _("“%(name)s”不是现有的设备种类。") % {"name": kind_name}, field="kind")
        point = None
        point_name = self.text(row, "risk_point")
        if point_name:
            point = RiskPoint.objects.filter(
                organization_id=self.by.organization_id, name=point_name, is_active=True
            ).first()
            if point is None:
                c(self.refuse, _("本单位没有名为“%(name)s”的风险点。") % {"name": point_name}, field="risk_point")
        last = c(self.date, row, "last_inspected_on")
        item = self.create(
            services.equipment_create,
            by=self.by,
            data={
                "name": name or "",
                "kind": kind,
                "registration_number": self.text(row, "registration_number"),
                "risk_point": point,
                "area": self.text(row, "area"),
                "maintenance_contractor": self.text(row, "maintenance_contractor"),
                "last_inspected_on": last,
            },
        )
        self.created.append(item)
        self.count(EQUIPMENT.object_label)

    def date(self, row: SheetRow, key: str):
        try:
            return parse_date(self.text(row, key))
        except ValueError as exc:
            self.refuse(str(exc), field=key)
