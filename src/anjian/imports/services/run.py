"""One import run: the sheet read, each row created in its own savepoint inside one transaction,
every refusal collected with its row, column and message; all or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from anjian.core import audit
from anjian.core.audit import AuditVerb
from anjian.core.errors import DomainError
from anjian.core.permissions import require
from anjian.core.xlsx import SheetRow, read_sheet
from anjian.imports.services.backfill import HazardBackfillImporter
from anjian.imports.services.base import GeneratedPassword, Importer
from anjian.imports.services.criteria import CriterionImporter
from anjian.imports.services.departments import DepartmentImporter
from anjian.imports.services.institutions import InstitutionImporter
from anjian.imports.services.registers import ChemicalStockImporter, EquipmentImporter, WasteImporter
from anjian.imports.services.staff import StaffImporter
from anjian.imports.specs import (
    CHEMICAL_STOCKS,
    CRITERIA,
    DEPARTMENTS,
    EQUIPMENT,
    HAZARDS,
    INSTITUTIONS,
    KINDS,
    STAFF,
    WASTE_HANDOVERS,
    Column,
    ImportKind,
)
from anjian.orgs.models import Organization


@dataclass(frozen=True)
class RowError:
    """One reason a row cannot be imported."""

    row: int
    column: str
    value: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "value": self.value, "message": self.message}


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


IMPORTERS: dict[str, type[Importer]] = {
    INSTITUTIONS.key: InstitutionImporter,
    DEPARTMENTS.key: DepartmentImporter,
    CRITERIA.key: CriterionImporter,
    STAFF.key: StaffImporter,
    HAZARDS.key: HazardBackfillImporter,
    EQUIPMENT.key: EquipmentImporter,
    CHEMICAL_STOCKS.key: ChemicalStockImporter,
    WASTE_HANDOVERS.key: WasteImporter,
}
