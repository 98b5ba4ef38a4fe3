"""The registers of an institution (registers app, issue 15), each row through the registers'
services: equipment (``equipment_create``; the kind by name, the risk point by name in the user's
own institution), chemical stocks (``stock_create``; the storage place by name, created on its first
row), waste handovers (``waste_handover_record``)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from anjian.core.xlsx import SheetRow, parse_date
from anjian.imports.services.base import Importer
from anjian.imports.specs import CHEMICAL_STOCKS, EQUIPMENT, WASTE_HANDOVERS
from anjian.registers import services
from anjian.registers.choices import Unit, WasteCategory
from anjian.registers.models import Chemical, EquipmentKind, StoragePlace
from anjian.risks.models import RiskPoint


class RegisterImporter(Importer):
    def date(self, row: SheetRow, key: str):
        try:
            return parse_date(self.text(row, key))
        except ValueError as exc:
            self.refuse(str(exc), field=key)

    def decimal(self, row: SheetRow, key: str) -> Decimal | None:
        text = self.text(row, key)
        if not text:
            return None
        try:
            return Decimal(text)
        except InvalidOperation:
            self.refuse(_("“%(v)s”不是数字。") % {"v": text}, field=key)


class EquipmentImporter(RegisterImporter):
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


class ChemicalStockImporter(RegisterImporter):
    def import_row(self, row: SheetRow) -> None:
        c = self.cell
        place_name = c(self.text, row, "place")
        chemical_name = c(self.text, row, "chemical")
        chemical = Chemical.objects.filter(name=chemical_name, is_active=True).first() if chemical_name else None
        if chemical_name and chemical is None:
            c(self.refuse, _("危化品目录中没有“%(name)s”。") % {"name": chemical_name}, field="chemical")
        unit = c(self.choice, row, "unit", Unit)
        most = c(self.decimal, row, "max_quantity")
        quantity = c(self.decimal, row, "quantity")
        self.stop_if_problems()
        place = StoragePlace.objects.filter(organization_id=self.by.organization_id, name=place_name).first()
        if place is None:
            place = services.storage_place_create(
                by=self.by, data={"name": place_name, "keepers": self.text(row, "keepers")}
            )
            self.count(_("储存地点"))
        stock = self.create(
            services.stock_create,
            by=self.by,
            place=place,
            chemical=chemical,
            unit=unit,
            max_quantity=most,
            initial_quantity=quantity or 0,
        )
        self.created.append(stock)
        self.count(CHEMICAL_STOCKS.object_label)


class WasteImporter(RegisterImporter):
    def import_row(self, row: SheetRow) -> None:
        c = self.cell
        data = {
            "handed_on": c(self.date, row, "handed_on"),
            "category": c(self.choice, row, "category", WasteCategory),
            "weight_kg": c(self.decimal, row, "weight_kg"),
            "receiver": c(self.text, row, "receiver"),
            "form_number": self.text(row, "form_number"),
            "handed_by_name": self.text(row, "handed_by_name"),
            "note": self.text(row, "note"),
        }
        handover = self.create(services.waste_handover_record, by=self.by, data=data)
        self.created.append(handover)
        self.count(WASTE_HANDOVERS.object_label)
