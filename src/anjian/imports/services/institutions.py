"""Institutions: each row through ``orgs.services.organization_create``, under a regulator in the
uploader's scope."""

from __future__ import annotations

from django.utils.translation import gettext as _

from anjian.core.xlsx import SheetRow
from anjian.imports.services.base import Importer, RowProblem
from anjian.imports.specs import INSTITUTIONS
from anjian.orgs import services as org_services
from anjian.orgs.choices import HospitalGrade, InstitutionKind, OrganizationType, Ownership
from anjian.orgs.models import Organization


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
